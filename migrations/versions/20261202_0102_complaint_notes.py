"""Complaints: handling notes become records of their own (issue 11, VOL-SUPER-1).

A complaint's notes were a JSON array on the complaint; they are now rows of
`volunteer_complaint_notes` (`GET /complaints/{complaint_id}/notes` pages them, each note has an
id), in the complaint's scope. The notes already written are moved over, oldest first.

Revision ID: 0102
Revises: 0101
Create Date: 2026-12-02 07:15:00.000000
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from ulid import ULID

revision: str = "0102"
down_revision: str | Sequence[str] | None = "0101"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOTES = "volunteer_complaint_notes"
Id = sa.String(length=26)
Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the notes table, move every stored note into it, drop the JSON column."""
    op.create_table(
        NOTES,
        sa.Column("id", Id, nullable=False),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("updated_at", Instant, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("complaint_id", Id, nullable=False),
        sa.Column("note", sa.String(length=4000), nullable=False),
        sa.Column("written_by", Id, nullable=False),
        sa.Column("org_path", sa.String(length=512), nullable=False),
        sa.Column("county_code", sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["volunteer_complaints.id"],
            name=op.f("fk_volunteer_complaint_notes_complaint_id_volunteer_complaints"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_complaint_notes")),
    )
    with op.batch_alter_table(NOTES) as batch:
        batch.create_index(
            "ix_volunteer_complaint_notes_complaint_id_id", ["complaint_id", "id"], unique=False
        )
        batch.create_index(batch.f("ix_volunteer_complaint_notes_org_path"), ["org_path"])
        batch.create_index(batch.f("ix_volunteer_complaint_notes_county_code"), ["county_code"])
        batch.create_index(batch.f("ix_volunteer_complaint_notes_updated_at"), ["updated_at"])
    bind = op.get_bind()
    complaints = sa.table(
        "volunteer_complaints",
        sa.column("id", Id),
        sa.column("org_path", sa.String()),
        sa.column("county_code", sa.String()),
        sa.column("notes", sa.JSON()),
    )
    rows = []
    for complaint_id, org_path, county_code, notes in bind.execute(
        sa.select(
            complaints.c.id, complaints.c.org_path, complaints.c.county_code, complaints.c.notes
        )
    ):
        for note in json.loads(notes) if isinstance(notes, str) else notes or []:
            at = datetime.fromisoformat(note["at"]).astimezone(UTC)
            rows.append(
                {
                    "id": str(ULID.from_datetime(at)),
                    "created_at": at,
                    "updated_at": at,
                    "version": 1,
                    "complaint_id": complaint_id,
                    "note": note["note"],
                    "written_by": note["by"],
                    "org_path": org_path,
                    "county_code": county_code,
                }
            )
    # Dropped before the notes are written: on SQLite the batch rebuilds the complaints table,
    # which a note already referring to it would forbid.
    with op.batch_alter_table("volunteer_complaints") as batch:
        batch.drop_column("notes")
    if rows:
        op.bulk_insert(sa.table(NOTES, *(sa.column(k) for k in rows[0])), rows)


def downgrade() -> None:
    """Fold the notes back into the complaint's JSON column, then drop the table."""
    with op.batch_alter_table("volunteer_complaints") as batch:
        batch.add_column(sa.Column("notes", sa.JSON(), nullable=False, server_default="[]"))
    bind = op.get_bind()
    notes = sa.table(
        NOTES,
        sa.column("complaint_id", Id),
        sa.column("note", sa.String()),
        sa.column("written_by", Id),
        sa.column("created_at", Instant),
        sa.column("id", Id),
    )
    complaints = sa.table(
        "volunteer_complaints", sa.column("id", Id), sa.column("notes", sa.JSON())
    )
    folded: dict[str, list[dict[str, str]]] = {}
    for complaint_id, note, by, at in bind.execute(
        sa.select(
            notes.c.complaint_id, notes.c.note, notes.c.written_by, notes.c.created_at
        ).order_by(notes.c.id)
    ):
        folded.setdefault(complaint_id, []).append({"note": note, "by": by, "at": at.isoformat()})
    for complaint_id, entries in folded.items():
        bind.execute(
            complaints.update().where(complaints.c.id == complaint_id).values(notes=entries)
        )
    op.drop_table(NOTES)
