"""Change events carry the resource's version and its parents' ids (issue 14), so a sync
script or a webhook receiver builds the resource's URL and ETag without another lookup.

Revision ID: 0113
Revises: 0112
Create Date: 2026-12-03 14:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0113"
down_revision: str | Sequence[str] | None = "0112"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """`change_events.version` and `change_events.parents` (earlier events keep neither)."""
    with op.batch_alter_table("change_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("parents", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop both columns."""
    with op.batch_alter_table("change_events", schema=None) as batch_op:
        batch_op.drop_column("parents")
        batch_op.drop_column("version")
