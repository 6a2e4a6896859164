"""Registrations by the public wait for the organisation (issue 12, holes 3 and 4): the public
answer no longer depends on whether the person or the username is on record.

Revision ID: 0108
Revises: 0107
Create Date: 2026-12-03 11:07:26.756197
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0108"
down_revision: str | Sequence[str] | None = "0107"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """`volunteer_registrations`."""
    op.create_table(
        "volunteer_registrations",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("organization_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("org_path", sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("person_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("registration", sa.String(), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("volunteer_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_volunteer_registrations_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_volunteer_registrations_volunteer_id_volunteers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_registrations")),
    )
    with op.batch_alter_table("volunteer_registrations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_registrations_county_code"), ["county_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_registrations_org_path"), ["org_path"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_registrations_organization_id"),
            ["organization_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_registrations_person_hash"), ["person_hash"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_registrations_updated_at"), ["updated_at"], unique=False
        )


def downgrade() -> None:
    """No `volunteer_registrations`."""
    with op.batch_alter_table("volunteer_registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_registrations_updated_at"))
        batch_op.drop_index(batch_op.f("ix_volunteer_registrations_person_hash"))
        batch_op.drop_index(batch_op.f("ix_volunteer_registrations_organization_id"))
        batch_op.drop_index(batch_op.f("ix_volunteer_registrations_org_path"))
        batch_op.drop_index(batch_op.f("ix_volunteer_registrations_county_code"))

    op.drop_table("volunteer_registrations")
