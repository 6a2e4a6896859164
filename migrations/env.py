"""Alembic environment: the schema is only ever changed by these migrations."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import app.repositories  # noqa: F401 - registers every table on the metadata
from app.config import get_settings
from app.db import make_engine

target_metadata = SQLModel.metadata


def run() -> None:
    """Migrate the connection handed in by the caller, or the configured database."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = make_engine(get_settings())
    with engine.connect() as conn:
        _migrate(conn)
    engine.dispose()


def _migrate(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copy
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
