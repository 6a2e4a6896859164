"""The login throttle counts per username and source address, and per username alone (issue 12,
hole 4): one source can no longer lock an account for everyone.

The table is made again with its new key; the counts of the moment are dropped (at worst, a
lock in force ends early).

Revision ID: 0106
Revises: 0105
Create Date: 2026-12-02 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0106"
down_revision: str | Sequence[str] | None = "0105"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _table(key: str, length: int) -> None:
    op.create_table(
        "login_throttle",
        sa.Column(key, sa.String(length=length), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint(key, name=op.f("pk_login_throttle")),
    )


def upgrade() -> None:
    """`login_throttle` keyed by `key` (`username|address`, or `username`)."""
    op.drop_table("login_throttle")
    _table("key", 300)


def downgrade() -> None:
    """`login_throttle` keyed by `username` again."""
    op.drop_table("login_throttle")
    _table("username", 64)
