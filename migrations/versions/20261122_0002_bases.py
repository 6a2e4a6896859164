"""Bases (BASE-*): policies, applications and their review, bases, monthly statistics, activities,
annual reports, attachments, evaluations, inspections, promotions, notices and revocations.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 21:51:37.297794
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = ("bases",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "base_attachments",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("owner_type", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("owner_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("base_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("storage_key", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("uploaded_by", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_attachments")),
    )
    with op.batch_alter_table("base_attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_base_attachments_base_id"), ["base_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_base_attachments_owner_id"), ["owner_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_base_attachments_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "base_policies",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("public_min_open_days", sa.Integer(), nullable=False),
        sa.Column("public_min_visitors", sa.Integer(), nullable=False),
        sa.Column("institution_min_open_days", sa.Integer(), nullable=False),
        sa.Column("min_activities", sa.Integer(), nullable=False),
        sa.Column("report_due_month", sa.Integer(), nullable=False),
        sa.Column("report_due_day", sa.Integer(), nullable=False),
        sa.Column("evaluation_term_years", sa.Integer(), nullable=False),
        sa.Column("evaluation_window_days", sa.Integer(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_policies")),
        sa.UniqueConstraint("effective_from", name=op.f("uq_base_policies_effective_from")),
    )
    with op.batch_alter_table("base_policies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_base_policies_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "base_applications",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("applicant_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("subtype", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("recommender", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("region_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("opening_hours", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("contact_phone", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("credit_code", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("runs_activities_independently", sa.Boolean(), nullable=False),
        sa.Column("science_theme", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("has_management_rules", sa.Boolean(), nullable=False),
        sa.Column(
            "responsible_department", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False
        ),
        sa.Column("has_work_plan", sa.Boolean(), nullable=False),
        sa.Column("has_annual_plan", sa.Boolean(), nullable=False),
        sa.Column("annual_science_budget_fen", sa.BigInteger(), nullable=True),
        sa.Column("venue_address", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("has_demo_equipment", sa.Boolean(), nullable=False),
        sa.Column("has_hall_or_gallery", sa.Boolean(), nullable=False),
        sa.Column("exhibits_labelled", sa.Boolean(), nullable=False),
        sa.Column("managers", sa.Integer(), nullable=False),
        sa.Column("docents", sa.Integer(), nullable=False),
        sa.Column("has_training_plan", sa.Boolean(), nullable=False),
        sa.Column("safety_fire_compliant", sa.Boolean(), nullable=False),
        sa.Column("accepts_guidance", sa.Boolean(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submission_year", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("decision_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("base_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.id"], name=op.f("fk_base_applications_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_applications")),
    )
    with op.batch_alter_table("base_applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_base_applications_base_id"), ["base_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_base_applications_category"), ["category"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_base_applications_channel"), ["channel"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_base_applications_county_code"), ["county_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_base_applications_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_base_applications_submission_year"), ["submission_year"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_base_applications_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "recommendation_quotas",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_code"],
            ["regions.id"],
            name=op.f("fk_recommendation_quotas_county_code_regions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_quotas")),
        sa.UniqueConstraint(
            "year", "county_code", name=op.f("uq_recommendation_quotas_year_county_code")
        ),
    )
    with op.batch_alter_table("recommendation_quotas", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_quotas_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "base_application_events",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("application_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("from_status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("to_status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["base_applications.id"],
            name=op.f("fk_base_application_events_application_id_base_applications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_application_events")),
    )
    with op.batch_alter_table("base_application_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_base_application_events_application_id"),
            ["application_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_base_application_events_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "base_application_inspections",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("application_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("inspectors", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("findings", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["base_applications.id"],
            name=op.f("fk_base_application_inspections_application_id_base_applications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_application_inspections")),
    )
    with op.batch_alter_table("base_application_inspections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_base_application_inspections_application_id"),
            ["application_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_base_application_inspections_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "base_application_reviews",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("application_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("reviewer_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("assigned_by", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=True),
        sa.Column("recommendation", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("conflict_reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["base_applications.id"],
            name=op.f("fk_base_application_reviews_application_id_base_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["users.id"],
            name=op.f("fk_base_application_reviews_reviewer_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_application_reviews")),
        sa.UniqueConstraint(
            "application_id",
            "reviewer_id",
            name=op.f("uq_base_application_reviews_application_id_reviewer_id"),
        ),
    )
    with op.batch_alter_table("base_application_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_base_application_reviews_application_id"),
            ["application_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_base_application_reviews_reviewer_id"), ["reviewer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_base_application_reviews_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "bases",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("subtype", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("opening_class", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column(
            "class_override_reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True
        ),
        sa.Column(
            "class_overridden_by", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True
        ),
        sa.Column("class_overridden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("region_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("opening_hours", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("contact_phone", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("credit_code", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("liaison_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("liaison_phone", sa.String(), nullable=True),
        sa.Column("liaison_email", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("application_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("accredited_on", sa.Date(), nullable=False),
        sa.Column("plaque_number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lapses_on", sa.Date(), nullable=True),
        sa.Column("evaluation_due_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["base_applications.id"],
            name=op.f("fk_bases_application_id_base_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.id"], name=op.f("fk_bases_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bases")),
        sa.UniqueConstraint("application_id", name=op.f("uq_bases_application_id")),
        sa.UniqueConstraint("plaque_number", name=op.f("uq_bases_plaque_number")),
    )
    with op.batch_alter_table("bases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bases_accredited_on"), ["accredited_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_bases_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_bases_county_code"), ["county_code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_bases_evaluation_due_on"), ["evaluation_due_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_bases_lapses_on"), ["lapses_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_bases_opening_class"), ["opening_class"], unique=False)
        batch_op.create_index(batch_op.f("ix_bases_region_code"), ["region_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_bases_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_bases_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "base_activities",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("base_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("form", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("national_event", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("free_or_discounted", sa.Boolean(), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.ForeignKeyConstraint(
            ["base_id"], ["bases.id"], name=op.f("fk_base_activities_base_id_bases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_activities")),
    )
    with op.batch_alter_table("base_activities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_base_activities_base_id"), ["base_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_base_activities_held_on"), ["held_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_base_activities_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "base_announcements",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("base_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.ForeignKeyConstraint(
            ["base_id"], ["bases.id"], name=op.f("fk_base_announcements_base_id_bases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_announcements")),
    )
    with op.batch_alter_table("base_announcements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_base_announcements_base_id"), ["base_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_base_announcements_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "base_annual_reports",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("base_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("theme", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column("next_year_plan", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("days_late", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["base_id"], ["bases.id"], name=op.f("fk_base_annual_reports_base_id_bases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_annual_reports")),
        sa.UniqueConstraint("base_id", "year", name=op.f("uq_base_annual_reports_base_id_year")),
    )
    with op.batch_alter_table("base_annual_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_base_annual_reports_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_base_annual_reports_year"), ["year"], unique=False)

    op.create_table(
        "base_class_changes",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("base_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("from_class", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("to_class", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["base_id"], ["bases.id"], name=op.f("fk_base_class_changes_base_id_bases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_class_changes")),
    )
    with op.batch_alter_table("base_class_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_base_class_changes_base_id"), ["base_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_base_class_changes_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "base_evaluations",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("base_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("findings", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("term_number", sa.Integer(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.Column("summaries", sa.JSON(), nullable=True),
        sa.Column("evaluated_by", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.ForeignKeyConstraint(
            ["base_id"], ["bases.id"], name=op.f("fk_base_evaluations_base_id_bases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_evaluations")),
    )
    with op.batch_alter_table("base_evaluations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_base_evaluations_base_id"), ["base_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_base_evaluations_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "base_inspections",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("base_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("inspectors", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("findings", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.ForeignKeyConstraint(
            ["base_id"], ["bases.id"], name=op.f("fk_base_inspections_base_id_bases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_inspections")),
    )
    with op.batch_alter_table("base_inspections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_base_inspections_base_id"), ["base_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_base_inspections_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "base_monthly_stats",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("base_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("open_days", sa.Integer(), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["base_id"], ["bases.id"], name=op.f("fk_base_monthly_stats_base_id_bases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_monthly_stats")),
        sa.UniqueConstraint(
            "base_id", "year", "month", name=op.f("uq_base_monthly_stats_base_id_year_month")
        ),
    )
    with op.batch_alter_table("base_monthly_stats", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_base_monthly_stats_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_base_monthly_stats_year"), ["year"], unique=False)

    op.create_table(
        "base_promotions",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("base_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("product_form", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("recommended_on", sa.Date(), nullable=False),
        sa.Column("recommended_by", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.ForeignKeyConstraint(
            ["base_id"], ["bases.id"], name=op.f("fk_base_promotions_base_id_bases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_promotions")),
    )
    with op.batch_alter_table("base_promotions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_base_promotions_base_id"), ["base_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_base_promotions_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "base_rectification_notices",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("base_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("finding", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("close_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["base_id"], ["bases.id"], name=op.f("fk_base_rectification_notices_base_id_bases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_rectification_notices")),
    )
    with op.batch_alter_table("base_rectification_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_base_rectification_notices_base_id"), ["base_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_base_rectification_notices_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "base_revocations",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("base_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("grounds", sa.JSON(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("supporting_notices", sa.JSON(), nullable=True),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["base_id"], ["bases.id"], name=op.f("fk_base_revocations_base_id_bases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_revocations")),
        sa.UniqueConstraint("base_id", name=op.f("uq_base_revocations_base_id")),
    )
    with op.batch_alter_table("base_revocations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_base_revocations_updated_at"), ["updated_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("base_revocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_revocations_updated_at"))

    op.drop_table("base_revocations")
    with op.batch_alter_table("base_rectification_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_rectification_notices_updated_at"))
        batch_op.drop_index(batch_op.f("ix_base_rectification_notices_base_id"))

    op.drop_table("base_rectification_notices")
    with op.batch_alter_table("base_promotions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_promotions_updated_at"))
        batch_op.drop_index(batch_op.f("ix_base_promotions_base_id"))

    op.drop_table("base_promotions")
    with op.batch_alter_table("base_monthly_stats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_monthly_stats_year"))
        batch_op.drop_index(batch_op.f("ix_base_monthly_stats_updated_at"))

    op.drop_table("base_monthly_stats")
    with op.batch_alter_table("base_inspections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_inspections_updated_at"))
        batch_op.drop_index(batch_op.f("ix_base_inspections_base_id"))

    op.drop_table("base_inspections")
    with op.batch_alter_table("base_evaluations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_evaluations_updated_at"))
        batch_op.drop_index(batch_op.f("ix_base_evaluations_base_id"))

    op.drop_table("base_evaluations")
    with op.batch_alter_table("base_class_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_class_changes_updated_at"))
        batch_op.drop_index(batch_op.f("ix_base_class_changes_base_id"))

    op.drop_table("base_class_changes")
    with op.batch_alter_table("base_annual_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_annual_reports_year"))
        batch_op.drop_index(batch_op.f("ix_base_annual_reports_updated_at"))

    op.drop_table("base_annual_reports")
    with op.batch_alter_table("base_announcements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_announcements_updated_at"))
        batch_op.drop_index(batch_op.f("ix_base_announcements_base_id"))

    op.drop_table("base_announcements")
    with op.batch_alter_table("base_activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_activities_updated_at"))
        batch_op.drop_index(batch_op.f("ix_base_activities_held_on"))
        batch_op.drop_index(batch_op.f("ix_base_activities_base_id"))

    op.drop_table("base_activities")
    with op.batch_alter_table("bases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bases_updated_at"))
        batch_op.drop_index(batch_op.f("ix_bases_status"))
        batch_op.drop_index(batch_op.f("ix_bases_region_code"))
        batch_op.drop_index(batch_op.f("ix_bases_opening_class"))
        batch_op.drop_index(batch_op.f("ix_bases_lapses_on"))
        batch_op.drop_index(batch_op.f("ix_bases_evaluation_due_on"))
        batch_op.drop_index(batch_op.f("ix_bases_county_code"))
        batch_op.drop_index(batch_op.f("ix_bases_category"))
        batch_op.drop_index(batch_op.f("ix_bases_accredited_on"))

    op.drop_table("bases")
    with op.batch_alter_table("base_application_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_application_reviews_updated_at"))
        batch_op.drop_index(batch_op.f("ix_base_application_reviews_reviewer_id"))
        batch_op.drop_index(batch_op.f("ix_base_application_reviews_application_id"))

    op.drop_table("base_application_reviews")
    with op.batch_alter_table("base_application_inspections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_application_inspections_updated_at"))
        batch_op.drop_index(batch_op.f("ix_base_application_inspections_application_id"))

    op.drop_table("base_application_inspections")
    with op.batch_alter_table("base_application_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_application_events_updated_at"))
        batch_op.drop_index(batch_op.f("ix_base_application_events_application_id"))

    op.drop_table("base_application_events")
    with op.batch_alter_table("recommendation_quotas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_quotas_updated_at"))

    op.drop_table("recommendation_quotas")
    with op.batch_alter_table("base_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_applications_updated_at"))
        batch_op.drop_index(batch_op.f("ix_base_applications_submission_year"))
        batch_op.drop_index(batch_op.f("ix_base_applications_status"))
        batch_op.drop_index(batch_op.f("ix_base_applications_county_code"))
        batch_op.drop_index(batch_op.f("ix_base_applications_channel"))
        batch_op.drop_index(batch_op.f("ix_base_applications_category"))
        batch_op.drop_index(batch_op.f("ix_base_applications_base_id"))

    op.drop_table("base_applications")
    with op.batch_alter_table("base_policies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_policies_updated_at"))

    op.drop_table("base_policies")
    with op.batch_alter_table("base_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_attachments_updated_at"))
        batch_op.drop_index(batch_op.f("ix_base_attachments_owner_id"))
        batch_op.drop_index(batch_op.f("ix_base_attachments_base_id"))

    op.drop_table("base_attachments")
