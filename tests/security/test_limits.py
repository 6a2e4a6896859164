"""Resource limits and hardening (issue 7; OWASP API4, API8): page size, body size, bulk rows
answered with problem+json; security headers on every kind of answer; CORS only for configured
origins; no stack trace or SQL in any error body."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError, OperationalError

from app.cli import OPENAPI_PATH
from app.domain.access import Role
from app.main import create_app
from app.routers.route import resource_router
from tests.conftest import assert_problem
from tests.reliability.harness import Database
from tests.security.conftest import login, make_user

SPEC: dict[str, Any] = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))


def _lists() -> list[tuple[str, int]]:
    found = []
    for path, item in SPEC["paths"].items():
        op = item.get("get")
        if op is None or "{" in path:
            continue
        for param in op.get("parameters", []):
            if param.get("name") == "limit" and "maximum" in param.get("schema", {}):
                found.append((path, int(param["schema"]["maximum"])))
    return sorted(found)


@pytest.fixture(scope="module")
def admin(own_db: Database, own_app: FastAPI) -> dict[str, str]:
    return login(own_app, make_user(own_db, Role.CITY_ADMIN, "limits-admin"))


@pytest.fixture(scope="module")
def small(own_db: Database) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """The app with small body limits and one allowed browser origin."""
    app = create_app(
        own_db.settings(
            max_body_bytes=2048,
            max_bulk_body_bytes=4096,
            cors_origins=["https://kepu.example"],
        )
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, login(app, make_user(own_db, Role.CITY_ADMIN, "limits-small"))
    app.state.ctx.engine.dispose()


def test_every_list_declares_a_page_size_limit() -> None:
    lists = _lists()
    unbounded = [
        p
        for p, item in SPEC["paths"].items()
        if "get" in item
        and "{" not in p
        and any(x.get("name") == "limit" for x in item["get"].get("parameters", []))
        and p not in dict(lists)
    ]
    assert lists
    assert unbounded == []


@pytest.mark.parametrize(("path", "maximum"), _lists())
def test_a_page_over_the_maximum_is_a_422_problem(
    own_app: FastAPI, admin: dict[str, str], path: str, maximum: int
) -> None:
    with TestClient(own_app, raise_server_exceptions=False) as client:
        answer = client.get(path, params={"limit": maximum + 1}, headers=admin)
    if answer.status_code == 403:
        pytest.skip("the city administrator may not list this")
    assert_problem(answer, 422, field="query.limit")


def test_a_body_over_the_limit_is_a_413_problem_with_security_headers(
    small: tuple[TestClient, dict[str, str]],
) -> None:
    client, headers = small
    answer = client.post(
        "/api/v1/users",
        content=b'{"username": "' + b"x" * 4096 + b'"}',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert_problem(answer, 413)
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_streamed_body_over_the_limit_is_a_413_problem(
    small: tuple[TestClient, dict[str, str]],
) -> None:
    client, headers = small

    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"x" * 1024

    answer = client.post(
        "/api/v1/users", content=chunks(), headers={**headers, "Content-Type": "application/json"}
    )
    assert_problem(answer, 413)


BULK = [p for p in SPEC["paths"] if p.endswith(":bulk") and "post" in SPEC["paths"][p]]


@pytest.mark.parametrize("path", BULK)
def test_a_bulk_body_over_its_limit_is_a_413_problem(
    small: tuple[TestClient, dict[str, str]], path: str
) -> None:
    client, headers = small
    rows = json.dumps([{"name": "x" * 100}] * 100).encode()
    answer = client.post(
        path, content=rows, headers={**headers, "Content-Type": "application/json"}
    )
    assert_problem(answer, 413)


@pytest.mark.parametrize("path", BULK)
def test_bulk_row_count_is_bounded(own_app: FastAPI, admin: dict[str, str], path: str) -> None:
    """Every bulk endpoint refuses more rows than its bound (the largest is 1,000,000)."""
    with TestClient(own_app, raise_server_exceptions=False) as client:
        answer = client.post(
            path,
            params={"organization_id": "01ZZZZZZZZZZZZZZZZZZZZZZZZ"},
            content=b"[" + b"{}," * 1_000_000 + b"{}]",
            headers={**admin, "Content-Type": "application/json"},
        )
    assert_problem(answer, 422, field="rows")


@pytest.mark.parametrize("path", BULK)
def test_bulk_refuses_an_unsupported_media_type(
    own_app: FastAPI, admin: dict[str, str], path: str
) -> None:
    with TestClient(own_app, raise_server_exceptions=False) as client:
        answer = client.post(
            path,
            params={"organization_id": "01ZZZZZZZZZZZZZZZZZZZZZZZZ"},
            content=b"GIF89a",
            headers={**admin, "Content-Type": "image/gif"},
        )
    assert_problem(answer, 415)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/healthz", 200),
        ("GET", "/api/v1/me", 401),
        ("GET", "/api/v1/nowhere", 404),
        ("DELETE", "/api/v1/me", 405),
    ],
)
def test_security_headers_on_every_kind_of_answer(
    own_app: FastAPI, method: str, path: str, status: int
) -> None:
    with TestClient(own_app, raise_server_exceptions=False) as client:
        answer = client.request(method, path)
    assert answer.status_code == status
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


def test_cors_answers_only_the_configured_origin(small: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = small
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = client.options(
        "/api/v1/users", headers={"Origin": "https://kepu.example", **preflight}
    )
    other = client.options("/api/v1/users", headers={"Origin": "https://evil.example", **preflight})
    simple = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert allowed.headers.get("access-control-allow-origin") == "https://kepu.example"
    assert "access-control-allow-origin" not in other.headers
    assert "access-control-allow-origin" not in simple.headers


def test_no_cors_headers_without_configured_origins(own_app: FastAPI) -> None:
    with TestClient(own_app) as client:
        answer = client.get("/healthz", headers={"Origin": "https://kepu.example"})
    assert "access-control-allow-origin" not in answer.headers


LEAKS = ("Traceback", "SELECT", "sqlalchemy", "sqlite3", "psycopg", 'File "', "secret_column")


@pytest.fixture(scope="module")
def failing_app(own_db: Database) -> Iterator[TestClient]:
    """The real app plus routes that fail inside, as a bug or the database would."""
    app = create_app(own_db.settings())
    router = resource_router("test-only", public=True)

    @router.get("/boom/bug")
    def bug() -> None:
        raise RuntimeError("SELECT secret_column FROM users WHERE id = 1")

    @router.get("/boom/database")
    def database() -> None:
        raise OperationalError("SELECT secret_column FROM users", {}, Exception("sqlite3 boom"))

    @router.post("/boom/constraint")
    def constraint() -> None:
        raise IntegrityError("INSERT INTO users (secret_column)", {}, Exception("psycopg dup"))

    app.include_router(router, prefix="/api/v1")
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    app.state.ctx.engine.dispose()


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/boom/bug", 500),
        ("GET", "/api/v1/boom/database", 500),
        ("POST", "/api/v1/boom/constraint", 409),
    ],
)
def test_error_bodies_carry_no_stack_trace_or_sql(
    failing_app: TestClient, method: str, path: str, status: int
) -> None:
    answer = failing_app.request(method, path, headers={"X-Request-ID": "leak-check"})
    body = assert_problem(answer, status)
    assert body["request_id"] == "leak-check"
    assert not [word for word in LEAKS if word in answer.text]
