"""Bases: keyset indexes for the filtered lists, a covering index for evidence counts.

`GET /bases?category=` (and the class filter, and a county's scope) pages by id after an
equality filter: an index on (filter, id) reads one page instead of sorting every match. The
compliance dashboard counts the evidence of every activity of the year: an index on
(owner_id, owner_type) answers each count from the index alone. Each composite index replaces
the single-column index it starts with.

Revision ID: 0021
Revises: 0002
Create Date: 2026-11-23 01:05:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (table, old single-column index, new index, its columns)
INDEXES = (
    ("bases", "ix_bases_category", "ix_bases_category_id", ["category", "id"]),
    ("bases", "ix_bases_opening_class", "ix_bases_opening_class_id", ["opening_class", "id"]),
    ("bases", "ix_bases_county_code", "ix_bases_county_code_id", ["county_code", "id"]),
    (
        "base_attachments",
        "ix_base_attachments_owner_id",
        "ix_base_attachments_owner",
        ["owner_id", "owner_type"],
    ),
)


def upgrade() -> None:
    for table, old, new, columns in INDEXES:
        op.create_index(new, table, columns, unique=False)
        op.drop_index(old, table_name=table)


def downgrade() -> None:
    for table, old, new, columns in INDEXES:
        op.create_index(old, table, columns[:1], unique=False)
        op.drop_index(new, table_name=table)
