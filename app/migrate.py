"""Run the Alembic migrations programmatically (CLI, serve, tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from app.config import ROOT

MIGRATION_LOCK_KEY = 0x6B65706D


def alembic_config() -> Config:
    """The project's Alembic configuration."""
    return Config(str(ROOT / "alembic.ini"))


def upgrade(engine: Engine) -> None:
    """Apply every migration not yet applied, up to the one head."""
    cfg = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several containers starting at once migrate one after another.
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
