"""Volunteers: keyset indexes for the lists filtered by an equal column (issue 6).

A list pages by id after an equality filter (`GET /volunteers?county_code=`, a volunteer's
enrolments or service records, an organisation's activities...). With an index on the filter
column alone, SQLite reads every match and sorts them in a temporary B-tree (PostgreSQL sorts
them too); an index on (filter, id) reads one page in order. Each composite index replaces the
single-column index it starts with, so writes keep the same number of indexes.

Revision ID: 0032
Revises: 0031
Create Date: 2026-11-23 01:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0032"
down_revision: str | Sequence[str] | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (table, filter column): `ix_<table>_<column>` becomes `ix_<table>_<column>_id`.
INDEXES = (
    ("volunteers", "county_code"),
    ("organizations", "parent_id"),
    ("organizations", "level"),
    ("organizations", "county_code"),
    ("volunteer_activities", "organization_id"),
    ("volunteer_activities", "county_code"),
    ("volunteer_enrolments", "activity_id"),
    ("volunteer_enrolments", "volunteer_id"),
    ("volunteer_enrolments", "status"),
    ("volunteer_insurance_policies", "organization_id"),
    ("volunteer_insurance_policies", "activity_id"),
    ("volunteer_service_records", "volunteer_id"),
    ("volunteer_service_records", "activity_id"),
    ("volunteer_service_records", "status"),
    ("volunteer_certificates", "volunteer_id"),
    ("volunteer_agreements", "volunteer_id"),
    ("volunteer_incidents", "activity_id"),
    ("volunteer_fund_records", "organization_id"),
)


def upgrade() -> None:
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}_id", table, [column, "id"], unique=False)
        op.drop_index(f"ix_{table}_{column}", table_name=table)


def downgrade() -> None:
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)
        op.drop_index(f"ix_{table}_{column}_id", table_name=table)
