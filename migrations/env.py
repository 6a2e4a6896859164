"""Alembic environment: the schema is only ever changed by these migrations."""

from __future__ import annotations

from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlmodel import SQLModel

import app.repositories  # noqa: F401 - registers every table on the metadata
from app.config import get_settings
from app.db import make_engine
from app.repositories.types import Encrypted, UTCDateTime

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


#: How autogenerate writes the app's column types: as the plain SQL types they store, so that a
#: migration imports nothing from the application and runs the same whatever app/ becomes.
_PLAIN_TYPES = {UTCDateTime: "sa.DateTime(timezone=True)", Encrypted: "sa.String()"}


def _render_item(kind: str, item: Any, _autogen: AutogenContext) -> str | bool:
    if kind == "type" and type(item) in _PLAIN_TYPES:
        return _PLAIN_TYPES[type(item)]
    return False


def _migrate(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copy
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
