"""Foundation: users, logins, throttle, idempotency, change feed, regions (seeded).

Revision ID: 0001
Revises:
Create Date: 2026-11-22 21:38:38.066078
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

#: Inner Mongolia, Chifeng and its 12 county-level divisions (GB/T 2260).
SEED_REGIONS = [
    ("150000", "内蒙古自治区", "region", None, None),
    ("150400", "赤峰市", "city", "150000", None),
    ("150402", "红山区", "county", "150400", "150402"),
    ("150403", "元宝山区", "county", "150400", "150403"),
    ("150404", "松山区", "county", "150400", "150404"),
    ("150421", "阿鲁科尔沁旗", "county", "150400", "150421"),
    ("150422", "巴林左旗", "county", "150400", "150422"),
    ("150423", "巴林右旗", "county", "150400", "150423"),
    ("150424", "林西县", "county", "150400", "150424"),
    ("150425", "克什克腾旗", "county", "150400", "150425"),
    ("150426", "翁牛特旗", "county", "150400", "150426"),
    ("150428", "喀喇沁旗", "county", "150400", "150428"),
    ("150429", "宁城县", "county", "150400", "150429"),
    ("150430", "敖汉旗", "county", "150400", "150430"),
]

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_events",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("resource", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("resource_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("op", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("org_path", sqlmodel.sql.sqltypes.AutoString(length=512), nullable=True),
        sa.Column("base_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("owner_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("diff", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_change_events")),
    )
    with op.batch_alter_table("change_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_events_base_id"), ["base_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_change_events_county_code"), ["county_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_change_events_org_path"), ["org_path"], unique=False)
        batch_op.create_index(batch_op.f("ix_change_events_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "idempotency_keys",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("caller", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("method", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("path", sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
        sa.Column("body_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("headers", sa.JSON(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("caller", "key", name=op.f("uq_idempotency_keys_caller_key")),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idempotency_keys_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "login_throttle",
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_login_throttle")),
    )
    op.create_table(
        "regions",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("parent_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_code"], ["regions.id"], name=op.f("fk_regions_parent_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regions")),
    )
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_regions_county_code"), ["county_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_regions_parent_code"), ["parent_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_regions_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("org_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("base_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("volunteer_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_base_id"), ["base_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_users_county_code"), ["county_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_users_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_users_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_users_volunteer_id"), ["volunteer_id"], unique=False)

    op.create_table(
        "auth_sessions",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("refresh_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("previous_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_auth_sessions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_sessions")),
        sa.UniqueConstraint("refresh_hash", name=op.f("uq_auth_sessions_refresh_hash")),
    )
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_auth_sessions_previous_hash"), ["previous_hash"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_auth_sessions_user_id"), ["user_id"], unique=False)
    seeded_at = datetime(2026, 11, 22, tzinfo=UTC)
    regions = sa.table(
        "regions",
        sa.column("id", sa.String),
        sa.column("name", sa.String),
        sa.column("level", sa.String),
        sa.column("parent_code", sa.String),
        sa.column("county_code", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("version", sa.Integer),
    )
    op.bulk_insert(
        regions,
        [
            {
                "id": code,
                "name": name,
                "level": level,
                "parent_code": parent,
                "county_code": county,
                "created_at": seeded_at,
                "updated_at": seeded_at,
                "version": 1,
            }
            for code, name, level, parent, county in SEED_REGIONS
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_sessions_user_id"))
        batch_op.drop_index(batch_op.f("ix_auth_sessions_previous_hash"))

    op.drop_table("auth_sessions")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_volunteer_id"))
        batch_op.drop_index(batch_op.f("ix_users_updated_at"))
        batch_op.drop_index(batch_op.f("ix_users_org_id"))
        batch_op.drop_index(batch_op.f("ix_users_county_code"))
        batch_op.drop_index(batch_op.f("ix_users_base_id"))

    op.drop_table("users")
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regions_updated_at"))
        batch_op.drop_index(batch_op.f("ix_regions_parent_code"))
        batch_op.drop_index(batch_op.f("ix_regions_county_code"))

    op.drop_table("regions")
    op.drop_table("login_throttle")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_keys_created_at"))

    op.drop_table("idempotency_keys")
    with op.batch_alter_table("change_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_events_owner_id"))
        batch_op.drop_index(batch_op.f("ix_change_events_org_path"))
        batch_op.drop_index(batch_op.f("ix_change_events_county_code"))
        batch_op.drop_index(batch_op.f("ix_change_events_base_id"))

    op.drop_table("change_events")
