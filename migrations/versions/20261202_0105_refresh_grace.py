"""A grace window for refresh tokens (issue 12, hole 13): a rotated token keeps its successor,
encrypted, so a repeat within the window gets the same answer.

Revision ID: 0105
Revises: 0104
Create Date: 2026-12-02 19:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0105"
down_revision: str | Sequence[str] | None = "0104"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `used_refresh_tokens.successor` (tokens rotated before it have none: no grace)."""
    with op.batch_alter_table("used_refresh_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("successor", sa.String(), nullable=True))


def downgrade() -> None:
    """Drop `used_refresh_tokens.successor`."""
    with op.batch_alter_table("used_refresh_tokens", schema=None) as batch_op:
        batch_op.drop_column("successor")
