"""Fixtures of the reliability checks: a database of their own, on the `--db` of the run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.access import Role
from tests.reliability.harness import Database, LiveServer, fresh_database


@pytest.fixture
def live_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated empty database (SQLite file, or a PostgreSQL schema with `--db=postgresql`)."""
    kind = request.config.getoption("--db")
    with fresh_database(kind, tmp_path, os.environ.get("TEST_DATABASE_URL")) as db:
        yield db


@pytest.fixture(scope="module")
def live_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    """A real server (2 worker processes) on a database of its own, and a city admin's headers."""
    kind = request.config.getoption("--db")
    tmp = tmp_path_factory.mktemp("server")
    with fresh_database(kind, tmp, os.environ.get("TEST_DATABASE_URL")) as db:
        admin = db.create_user(Role.CITY_ADMIN)
        with LiveServer(db, workers=2) as server:
            yield server, server.login(admin)
