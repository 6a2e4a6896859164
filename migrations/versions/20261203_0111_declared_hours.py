"""Hours a volunteer declares with evidence (VOL-SELF-1, issue 13): a service record says how it
came to be (`source`) and carries the volunteer's account (`description`); attachments are no
longer the bases' alone, so `base_attachments` becomes `attachments` with an `org_path` scope.

Revision ID: 0111
Revises: 0110
Create Date: 2026-12-03 14:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0111"
down_revision: str | Sequence[str] | None = "0110"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The attachment indexes, by the column part of their names.
_INDEXES = {
    "base_id": ["base_id"],
    "updated_at": ["updated_at"],
    "owner": ["owner_id", "owner_type"],
}


def _rename_attachments(old: str, new: str, resource_old: str, resource_new: str) -> None:
    for suffix in _INDEXES:
        op.drop_index(f"ix_{old}_{suffix}", table_name=old)
    op.rename_table(old, new)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {new} RENAME CONSTRAINT pk_{old} TO pk_{new}")
    for suffix, columns in _INDEXES.items():
        op.create_index(f"ix_{new}_{suffix}", new, columns, unique=False)
    events = sa.table("change_events", sa.column("resource"))
    op.execute(
        events.update().where(events.c.resource == resource_old).values(resource=resource_new)
    )


def upgrade() -> None:
    """`attachments` with `org_path`; a record's source (attendance back-filled) and account."""
    _rename_attachments("base_attachments", "attachments", "base_attachment", "attachment")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("org_path", sqlmodel.sql.sqltypes.AutoString(length=512), nullable=True)
        )
    with op.batch_alter_table("volunteer_service_records", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "source",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="staff",
            )
        )
        batch_op.add_column(
            sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True)
        )
    with op.batch_alter_table("volunteer_service_records", schema=None) as batch_op:
        batch_op.alter_column("source", server_default=None)
    op.execute(
        "UPDATE volunteer_service_records SET source = 'attendance' WHERE id IN "
        "(SELECT service_record_id FROM volunteer_attendance WHERE service_record_id IS NOT NULL)"
    )


def downgrade() -> None:
    """Back to `base_attachments`; records forget their source and account."""
    with op.batch_alter_table("volunteer_service_records", schema=None) as batch_op:
        batch_op.drop_column("description")
        batch_op.drop_column("source")
    op.execute("DELETE FROM attachments WHERE owner_type = 'service_record'")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_column("org_path")
    _rename_attachments("attachments", "base_attachments", "attachment", "base_attachment")
