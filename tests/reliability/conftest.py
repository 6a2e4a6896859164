"""Fixtures of the reliability checks: a database of their own, on the `--db` of the run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.harness import Database, fresh_database


@pytest.fixture
def live_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated empty database (SQLite file, or a PostgreSQL schema with `--db=postgresql`)."""
    kind = request.config.getoption("--db")
    with fresh_database(kind, tmp_path, os.environ.get("TEST_DATABASE_URL")) as db:
        yield db
