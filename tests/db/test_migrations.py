"""Alembic owns the schema (issue 2): the migrated database and the SQLModel tables agree."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

from app.migrate import alembic_config


def test_migrations_and_models_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_every_migration_is_applied_and_heads_are_current(engine: Engine) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    assert current == set(script.get_heads())


def test_constraint_names_follow_the_convention(engine: Engine) -> None:
    inspector = inspect(engine)
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        for index in inspector.get_indexes(table):
            assert index["name"], table
            assert index["name"].startswith(("ix_", "uq_")), (table, index["name"])
        for fk in inspector.get_foreign_keys(table):
            assert fk["name"] is None or fk["name"].startswith("fk_"), (table, fk["name"])


def test_migration_files_have_dated_names() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    for revision in script.walk_revisions():
        name = revision.path.rsplit("/", 1)[-1]
        assert name[:8].isdigit(), name
        assert name[8] == "_", name
