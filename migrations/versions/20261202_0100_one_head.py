"""One head: the foundation, bases, volunteers and officers branches join here.

Every later migration follows this one in a single line (`alembic upgrade head`).

Revision ID: 0100
Revises: 0005, 0021, 0032, 0041
Create Date: 2026-12-02
"""

from collections.abc import Sequence

revision: str = "0100"
down_revision: str | Sequence[str] | None = ("0005", "0021", "0032", "0041")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: the merge only joins the branches."""


def downgrade() -> None:
    """Nothing to change: downgrading splits the branches again."""
