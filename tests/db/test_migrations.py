"""Alembic owns the schema (issue 2): the migrated database and the SQLModel tables agree."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

from app.migrate import alembic_config

#: The revision joining the per-area branches; every migration after it has one parent.
MERGE = "0100"


def test_migrations_and_models_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_the_migrations_have_one_head() -> None:
    # Branches are merged before they land: `alembic upgrade head` names one revision.
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"more than one head: {heads}; add a merge revision"


def test_migrations_after_the_merge_form_one_line() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    revision = script.get_revision(script.get_current_head())
    while revision is not None and revision.revision != MERGE:
        assert isinstance(revision.down_revision, str), f"{revision.revision} is a merge"
        revision = script.get_revision(revision.down_revision)
    assert revision is not None, f"the head does not descend from the merge {MERGE}"


def test_every_migration_is_applied_up_to_the_head(engine: Engine) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_heads()
    assert list(current) == [script.get_current_head()]


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
