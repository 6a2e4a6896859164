"""On-site attendance (VOL-CHECKIN-1, issue 13): check-ins and check-outs, the refused
attempts kept for review, and an activity's geofence.

Revision ID: 0110
Revises: 0109
Create Date: 2026-12-03 11:44:58.137346
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0110"
down_revision: str | Sequence[str] | None = "0109"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Attendance, its refusals, and `volunteer_activities.geofence`."""
    op.create_table(
        "volunteer_attendance_refusals",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("activity_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("volunteer_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("org_path", sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_attendance_refusals")),
    )
    with op.batch_alter_table("volunteer_attendance_refusals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_attendance_refusals_activity_id"),
            ["activity_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_attendance_refusals_county_code"),
            ["county_code"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_attendance_refusals_org_path"), ["org_path"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_attendance_refusals_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "volunteer_attendance",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("activity_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("volunteer_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("enrolment_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("org_path", sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("check_in_latitude", sa.Float(), nullable=True),
        sa.Column("check_in_longitude", sa.Float(), nullable=True),
        sa.Column("check_out_latitude", sa.Float(), nullable=True),
        sa.Column("check_out_longitude", sa.Float(), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("service_record_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["volunteer_activities.id"],
            name=op.f("fk_volunteer_attendance_activity_id_volunteer_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["volunteer_enrolments.id"],
            name=op.f("fk_volunteer_attendance_enrolment_id_volunteer_enrolments"),
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_volunteer_attendance_volunteer_id_volunteers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_attendance")),
        sa.UniqueConstraint(
            "activity_id",
            "volunteer_id",
            name=op.f("uq_volunteer_attendance_activity_id_volunteer_id"),
        ),
    )
    with op.batch_alter_table("volunteer_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_attendance_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_attendance_county_code"), ["county_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_attendance_org_path"), ["org_path"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_attendance_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_attendance_volunteer_id"), ["volunteer_id"], unique=False
        )

    with op.batch_alter_table("volunteer_activities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("geofence", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Without attendance."""
    with op.batch_alter_table("volunteer_activities", schema=None) as batch_op:
        batch_op.drop_column("geofence")

    with op.batch_alter_table("volunteer_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_attendance_volunteer_id"))
        batch_op.drop_index(batch_op.f("ix_volunteer_attendance_updated_at"))
        batch_op.drop_index(batch_op.f("ix_volunteer_attendance_org_path"))
        batch_op.drop_index(batch_op.f("ix_volunteer_attendance_county_code"))
        batch_op.drop_index(batch_op.f("ix_volunteer_attendance_activity_id"))

    op.drop_table("volunteer_attendance")
    with op.batch_alter_table("volunteer_attendance_refusals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_attendance_refusals_updated_at"))
        batch_op.drop_index(batch_op.f("ix_volunteer_attendance_refusals_org_path"))
        batch_op.drop_index(batch_op.f("ix_volunteer_attendance_refusals_county_code"))
        batch_op.drop_index(batch_op.f("ix_volunteer_attendance_refusals_activity_id"))

    op.drop_table("volunteer_attendance_refusals")
