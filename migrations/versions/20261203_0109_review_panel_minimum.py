"""A base policy states the fewest reviewers' opinions an approval rests on (BASE-REVIEW-2;
issue 12, hole 14). Policies already stored take the default, 3.

Revision ID: 0109
Revises: 0108
Create Date: 2026-12-03 11:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0109"
down_revision: str | Sequence[str] | None = "0108"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """`base_policies.min_review_opinions`, 3 where not given."""
    with op.batch_alter_table("base_policies") as batch_op:
        batch_op.add_column(
            sa.Column("min_review_opinions", sa.Integer(), server_default="3", nullable=False)
        )


def downgrade() -> None:
    """No `min_review_opinions`."""
    with op.batch_alter_table("base_policies") as batch_op:
        batch_op.drop_column("min_review_opinions")
