"""Test database and app: SQLite by default, PostgreSQL with `--db=postgresql` (TEST_DATABASE_URL).

Migrations run once per session into a fresh database (a temporary SQLite file, or a schema of
its own on PostgreSQL so parallel runs never meet); every API test starts from empty tables.

Why emptying tables and not a rolled-back transaction per test: the app under test owns its
transactions. Each request opens its own session from the app's engine and commits (a login
commits midway), reads run outside any transaction, SQLite writers open theirs with
`BEGIN IMMEDIATE`, PostgreSQL writers take transaction-level advisory locks, and the
reliability tests race several connections that must see each other's commits. Binding all of
that to one outer connection with savepoints would test another unit of work than production
runs, for little: emptying the tables costs about 4 ms a test on SQLite.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session, SQLModel

import app.repositories
from app import i18n
from app.config import Settings
from app.db import normalise_url
from app.domain.access import Role
from app.main import create_app
from app.migrate import upgrade
from app.repositories import users
from tests.reliability.harness import METRICS_TOKEN

SEEDED_TABLES = {"alembic_version"}
PASSWORD = "correct horse battery"

#: What Prometheus sends to the test app's /metrics.
METRICS_AUTH = {"Authorization": f"Bearer {METRICS_TOKEN}"}


@pytest.fixture(autouse=True)
def every_message_has_its_chinese_text() -> Iterator[None]:
    """Fail the test during which a message was rendered that the Chinese catalogue lacks
    (PLAT-I18N-1): a template built at run time, or one added without running
    scripts/messages.py."""
    before = set(i18n.missing)
    yield
    new = i18n.missing - before
    assert not new, f"no Chinese text in app/locale for: {sorted(new, key=str)}"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="database for API tests; postgresql needs TEST_DATABASE_URL",
    )


@dataclass
class TestDatabase:
    """Where this session's tests keep their data."""

    url: str
    schema: str | None
    tmp: Path

    @property
    def dialect(self) -> str:
        return "postgresql" if self.schema else "sqlite"


@pytest.fixture(scope="session")
def test_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestDatabase]:
    tmp = tmp_path_factory.mktemp("kepu")
    if request.config.getoption("--db") == "sqlite":
        yield TestDatabase(url=f"sqlite:///{tmp / 'test.db'}", schema=None, tmp=tmp)
        return
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.exit("--db=postgresql needs TEST_DATABASE_URL", returncode=4)
    schema = f"kepu_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield TestDatabase(url=url, schema=schema, tmp=tmp)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def settings(test_db: TestDatabase) -> Settings:
    return Settings(
        database_url=test_db.url,
        secret_key="test-secret-key-that-is-long-enough-0123456789",
        argon2_time_cost=1,
        argon2_memory_kib=64,
        storage_dir=test_db.tmp / "files",
        db_pool_size=5,
        log_level="WARNING",
        metrics_token=METRICS_TOKEN,
        # Every test client is one address; tests/security/test_rate_limits.py checks the limits.
        public_write_limit=10**9,
        login_source_limit=10**9,
    )


@pytest.fixture(scope="session")
def app(settings: Settings, test_db: TestDatabase) -> Iterator[FastAPI]:
    application = create_app(settings, schema=test_db.schema)
    upgrade(application.state.ctx.engine)
    yield application
    application.state.ctx.engine.dispose()


@pytest.fixture(scope="session")
def engine(app: FastAPI) -> Engine:
    built: Engine = app.state.ctx.engine
    return built


def _empty_tables(engine: Engine) -> None:
    # DELETE, not TRUNCATE: on PostgreSQL, truncating dozens of tiny tables rewrites every
    # relation file and costs far more than deleting their few rows.
    tables = [t for t in reversed(SQLModel.metadata.sorted_tables) if t.name not in SEEDED_TABLES]
    statements = [f'DELETE FROM "{t.name}"' for t in tables if t.name != "regions"]  # noqa: S608
    # Regions are seeded by migration: keep the seed, drop what a test added.
    statements.append("DELETE FROM regions WHERE level IN ('village')")
    statements.append("DELETE FROM regions WHERE level IN ('township')")
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("; ".join(statements))
        else:
            for statement in statements:
                conn.exec_driver_sql(statement)


@pytest.fixture
def client(app: FastAPI, engine: Engine) -> Iterator[TestClient]:
    """The real app over ASGI, starting from empty tables."""
    _empty_tables(engine)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def db(app: FastAPI, client: TestClient) -> Iterator[Session]:
    """A session on the test database, for arranging data and checking what was stored."""
    with app.state.ctx.sessions() as session:
        yield session


@dataclass
class Actor:
    """A signed-in user of a given role, with the headers that authenticate it."""

    user_id: str
    username: str
    role: Role
    headers: dict[str, str] = field(default_factory=dict)
    refresh_token: str = ""


ActorFactory = Callable[..., Actor]


@pytest.fixture
def actor(app: FastAPI, client: TestClient) -> ActorFactory:
    """Create a user of a role (scope fields as keywords) and log it in through the API."""

    def make(role: Role, *, username: str | None = None, **scope: str | None) -> Actor:
        name = username or f"{role.value}-{uuid.uuid4().hex[:8]}"
        ctx = app.state.ctx
        with ctx.sessions() as session:
            user = users.create_user(
                session,
                username=name,
                password_hash=ctx.passwords.hash(PASSWORD),
                role=role,
                **scope,
            )
            session.commit()
            user_id = user.id
        response = client.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD})
        assert response.status_code == 200, response.text
        tokens = response.json()
        return Actor(
            user_id=user_id,
            username=name,
            role=role,
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
            refresh_token=tokens["refresh_token"],
        )

    return make


@pytest.fixture
def city_admin(actor: ActorFactory) -> Actor:
    return actor(Role.CITY_ADMIN)


def assert_problem(
    response: object, status: int, *, field: str | None = None, rule: str | None = None
) -> dict:  # type: ignore[type-arg]
    """The response is problem+json with this status, naming the field or the rule if given."""
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "status", "detail", "instance", "request_id"} <= body.keys()
    if field is not None:
        assert field in [e["field"] for e in body.get("errors", [])], body
    if rule is not None:
        assert rule in [v["rule"] for v in body.get("violations", [])], body
    return body  # type: ignore[no-any-return]
