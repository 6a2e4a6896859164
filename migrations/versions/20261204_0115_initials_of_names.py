"""The pinyin initials of the names people search and sort lists by (issue 15): `initials` on
volunteers, organisations, officers, bases, base applications and activities, indexed, and
filled in for the rows already stored.

Revision ID: 0115
Revises: 0114
Create Date: 2026-12-04 21:09:43.213637
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from pypinyin import Style, lazy_pinyin

revision: str = "0115"
down_revision: str | Sequence[str] | None = "0114"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Each table, with the column people know its rows by.
_NAMES = {
    "volunteers": "name",
    "organizations": "name",
    "officers": "name",
    "bases": "name",
    "base_applications": "applicant_name",
    "volunteer_activities": "title",
}


def _initials(name: str) -> str:
    # The application's `initials_of` as of this revision (a migration imports nothing from it).
    letters = "".join(lazy_pinyin(unicodedata.normalize("NFKC", name), style=Style.FIRST_LETTER))
    return "".join(c for c in letters.lower() if c.isascii() and c.isalnum())[:200]


def _backfill(table_name: str, name: str) -> None:
    table = sa.table(table_name, sa.column("id"), sa.column(name), sa.column("initials"))
    bind = op.get_bind()
    rows = bind.execute(sa.select(table.c.id, table.c[name])).all()
    if rows:
        bind.execute(
            table.update()
            .where(table.c.id == sa.bindparam("row_id"))
            .values(initials=sa.bindparam("value")),
            [{"row_id": row_id, "value": _initials(value or "")} for row_id, value in rows],
        )


def upgrade() -> None:
    """`initials` on each table, filled in from the names on record, and its index."""
    for table_name, name in _NAMES.items():
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "initials",
                    sqlmodel.sql.sqltypes.AutoString(length=200),
                    nullable=False,
                    server_default="",
                )
            )
        _backfill(table_name, name)
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.create_index(f"ix_{table_name}_initials", ["initials"], unique=False)


def downgrade() -> None:
    """Drop the column and its index."""
    for table_name in reversed(_NAMES):
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table_name}_initials")
            batch_op.drop_column("initials")
