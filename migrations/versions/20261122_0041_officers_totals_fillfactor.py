"""Officers: room in the monthly and yearly totals' pages for in-place updates (PostgreSQL).

Every figure import updates one monthly and one yearly row per officer. With half of each page
kept free, PostgreSQL can write the new row version beside the old one (a HOT update: the keys
do not change) and prune the old one on the next visit, so the totals do not bloat between
vacuums. SQLite has no such setting.

Revision ID: 0041
Revises: 0004
Create Date: 2026-11-22 23:06:42.326810
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0041"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("officer_dissemination_months", "officer_dissemination_years")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} SET (fillfactor = 50)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} RESET (fillfactor)")
