"""Volunteers: the public vocabulary of issue 11 in stored data.

An activity's commemorative day is `observance`, spelt as everywhere else (`sci_tech_week`, not
`science_week`); a certificate's stored content names its first and last service days
`starts_on` / `ends_on` (not `period_from` / `period_to`).

Revision ID: 0101
Revises: 0100
Create Date: 2026-12-02 07:00:00.000000
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0101"
down_revision: str | Sequence[str] | None = "0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Certificate content keys: (old, new).
KEYS = (("period_from", "starts_on"), ("period_to", "ends_on"))


def _rename_event(old_column: str, new_column: str, old_value: str, new_value: str) -> None:
    # RENAME COLUMN in place (SQLite 3.25+, PostgreSQL): a batch copy of the table would drop a
    # table that enrolments and service records reference.
    op.execute(f"ALTER TABLE volunteer_activities RENAME COLUMN {old_column} TO {new_column}")
    activities = sa.table("volunteer_activities", sa.column(new_column, sa.String))
    op.execute(
        activities.update()
        .where(activities.c[new_column] == old_value)
        .values({new_column: new_value})
    )


def _rename_keys(pairs: Sequence[tuple[str, str]]) -> None:
    certificates = sa.table(
        "volunteer_certificates", sa.column("id", sa.String), sa.column("content", sa.JSON)
    )
    bind = op.get_bind()
    for row_id, content in bind.execute(sa.select(certificates.c.id, certificates.c.content)):
        data = json.loads(content) if isinstance(content, str) else dict(content)
        renamed = {dict(pairs).get(key, key): value for key, value in data.items()}
        if renamed != data:
            bind.execute(
                certificates.update().where(certificates.c.id == row_id).values(content=renamed)
            )


def upgrade() -> None:
    _rename_event("major_event", "observance", "science_week", "sci_tech_week")
    _rename_keys(KEYS)


def downgrade() -> None:
    _rename_keys(tuple((new, old) for old, new in KEYS))
    _rename_event("observance", "major_event", "sci_tech_week", "science_week")
