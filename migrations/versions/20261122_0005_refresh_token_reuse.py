"""Refresh tokens: remember every rotated-away token (reuse ends the login), not just the last.

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-22 23:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = ("foundation",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "used_refresh_tokens",
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=26), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["auth_sessions.id"],
            name=op.f("fk_used_refresh_tokens_session_id_auth_sessions"),
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_used_refresh_tokens")),
    )
    with op.batch_alter_table("used_refresh_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_used_refresh_tokens_session_id"), ["session_id"], unique=False
        )
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_sessions_previous_hash"))
        batch_op.drop_column("previous_hash")


def downgrade() -> None:
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("previous_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_auth_sessions_previous_hash"), ["previous_hash"], unique=False
        )
    with op.batch_alter_table("used_refresh_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_used_refresh_tokens_session_id"))
    op.drop_table("used_refresh_tokens")
