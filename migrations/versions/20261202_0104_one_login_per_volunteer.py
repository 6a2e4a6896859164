"""One person, one login (issue 12, hole 7; VOL-REG-2): a volunteer has at most one account.

Revision ID: 0104
Revises: 0103
Create Date: 2026-12-02 19:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0104"
down_revision: str | Sequence[str] | None = "0103"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Make the index of `users.volunteer_id` unique (a second account of one volunteer fails
    this migration: deactivate and remove it first)."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_volunteer_id"))
        batch_op.create_index(batch_op.f("ix_users_volunteer_id"), ["volunteer_id"], unique=True)


def downgrade() -> None:
    """The index of `users.volunteer_id` without uniqueness again."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_volunteer_id"))
        batch_op.create_index(batch_op.f("ix_users_volunteer_id"), ["volunteer_id"], unique=False)
