"""Fixtures of the security checks: an app on a database of its own, so checks that keep users
and data for a whole module never meet the other tests' emptying of tables (under xdist too)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.domain.access import Role
from app.main import create_app
from tests.reliability.harness import PASSWORD, Database, fresh_database


@pytest.fixture(scope="module")
def own_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A migrated database for this module only (SQLite file or PostgreSQL schema)."""
    kind = request.config.getoption("--db")
    tmp: Path = tmp_path_factory.mktemp("own")
    with fresh_database(kind, tmp, os.environ.get("TEST_DATABASE_URL")) as db:
        yield db


@pytest.fixture(scope="module")
def own_app(own_db: Database) -> Iterator[FastAPI]:
    """The real app on `own_db`."""
    application = create_app(own_db.settings())
    yield application
    application.state.ctx.engine.dispose()


def login(app: FastAPI, username: str) -> dict[str, str]:
    """Authorization headers of a fresh login."""
    with TestClient(app) as client:
        answer = client.post(
            "/api/v1/auth/token", data={"username": username, "password": PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def make_user(db: Database, role: Role, username: str, **scope: str) -> str:
    """A user made in the database (scope ids need not exist); returns the username."""
    return db.create_user(role, username, **scope)
