"""Slow requests are bounded (issue 7, OWASP API4): past its deadline a request stops, rolls
back and answers 503 problem+json with Retry-After, whether it is stuck in one statement, in
Python between statements, or waiting for its turn; bulk imports get the longer deadline."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app import i18n
from app.domain.access import Role
from app.main import create_app
from app.repositories import users
from app.routers.deps import SessionDep
from app.routers.route import resource_router
from tests.conftest import assert_problem
from tests.reliability.harness import Database

TIMEOUT = 0.5
#: Set by the import that holds the only database slot, once it holds it.
HOLDING = threading.Event()
#: Far longer than the deadline: a statement that is not stopped makes the test fail by time.
SLOW_SECONDS = 20


def _slow_statement(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text(f"SELECT pg_sleep({SLOW_SECONDS})"))  # type: ignore[call-overload]
        return
    # A recursive count that takes about 40 s here: only the progress handler stops it early.
    session.exec(  # type: ignore[call-overload]
        text(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
            "SELECT count(*) FROM (SELECT i FROM n LIMIT 100000000)"
        )
    )


def _add_user(session: Session, username: str) -> None:
    users.create_user(session, username=username, password_hash="x", role=Role.AUDITOR)
    session.flush()


@pytest.fixture(scope="module")
def slow_app(own_db: Database) -> Iterator[TestClient]:
    """The real app with a short deadline and routes that are slow in each possible way."""
    app: FastAPI = create_app(
        own_db.settings(
            request_timeout_seconds=TIMEOUT, bulk_request_timeout_seconds=10, db_pool_size=1
        )
    )
    router = resource_router("test-only", public=True)

    @router.get("/slow/statement")
    def statement(session: SessionDep) -> None:
        _slow_statement(session)

    @router.post("/slow/write-then-statement")
    def write_then_statement(session: SessionDep) -> None:
        _add_user(session, "deadline-victim")
        _slow_statement(session)

    @router.get("/slow/python")
    def python(session: SessionDep) -> dict[str, Any]:
        time.sleep(TIMEOUT * 2)
        return {"one": session.exec(text("SELECT 1")).one()[0]}  # type: ignore[call-overload]

    @router.get("/quick")
    def quick(session: SessionDep) -> dict[str, Any]:
        return {"one": session.exec(text("SELECT 1")).one()[0]}  # type: ignore[call-overload]

    @router.post("/slow/hold:bulk")
    def hold(session: SessionDep) -> dict[str, Any]:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        HOLDING.set()
        time.sleep(TIMEOUT * 3)
        return {"ok": True}

    @router.post("/slow/import:bulk")
    def bulk(session: SessionDep) -> dict[str, Any]:
        time.sleep(TIMEOUT * 2)
        _add_user(session, "bulk-survivor")
        return {"ok": True}

    app.include_router(router, prefix="/api/v1")
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    app.state.ctx.engine.dispose()


def _assert_timed_out(answer: Any, started: float) -> None:
    body = assert_problem(answer, 503)
    assert body["type"].endswith("/request-timeout")
    assert body["detail"] == i18n._(
        "not finished within {seconds} s; nothing was changed, retry later",
        seconds=format(TIMEOUT, "g"),
    )
    assert answer.headers["retry-after"].isdigit()
    assert time.monotonic() - started < SLOW_SECONDS / 2


def test_a_statement_running_past_the_deadline_is_stopped_with_a_503(
    slow_app: TestClient,
) -> None:
    started = time.monotonic()
    _assert_timed_out(slow_app.get("/api/v1/slow/statement"), started)


def test_a_timed_out_write_changes_nothing(slow_app: TestClient, own_db: Database) -> None:
    started = time.monotonic()
    _assert_timed_out(slow_app.post("/api/v1/slow/write-then-statement"), started)
    assert own_db.scalar("SELECT count(*) FROM users WHERE username = 'deadline-victim'") == 0


def test_no_statement_starts_after_the_deadline(slow_app: TestClient) -> None:
    started = time.monotonic()
    _assert_timed_out(slow_app.get("/api/v1/slow/python"), started)


def test_a_bulk_import_gets_the_longer_deadline(slow_app: TestClient, own_db: Database) -> None:
    answer = slow_app.post("/api/v1/slow/import:bulk")
    assert answer.status_code == 200, answer.text
    assert own_db.scalar("SELECT count(*) FROM users WHERE username = 'bulk-survivor'") == 1


def test_waiting_for_a_turn_counts_against_the_deadline(slow_app: TestClient) -> None:
    # One database slot (db_pool_size=1): while an import holds it for 3 deadlines, a quick
    # read waits for its turn and gives up at its own deadline, before the import is done.
    HOLDING.clear()
    holder = threading.Thread(target=slow_app.post, args=("/api/v1/slow/hold:bulk",))
    holder.start()
    assert HOLDING.wait(SLOW_SECONDS)
    started = time.monotonic()
    answer = slow_app.get("/api/v1/quick")
    still_held = holder.is_alive()
    holder.join()
    _assert_timed_out(answer, started)
    assert still_held
    # And the service answers normally afterwards.
    assert slow_app.get("/healthz").status_code == 200


def test_a_body_sent_slower_than_the_deadline_is_cut_off_before_any_lock_is_taken(
    slow_app: TestClient, own_db: Database
) -> None:
    # A client trickling its body must not hold SQLite's write lock (or an open PostgreSQL
    # transaction) while it sends: the body is read first, within the deadline.
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        await anyio.sleep(SLOW_SECONDS)
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/slow/write-then-statement",
        "raw_path": b"/api/v1/slow/write-then-statement",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    async def scenario() -> float:
        started = time.monotonic()
        with anyio.fail_after(SLOW_SECONDS / 2):
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(slow_app.app, scope, receive, send)
                await anyio.sleep(TIMEOUT / 2)
                # Meanwhile another writer gets through at once (SQLite: the lock is free).
                await anyio.to_thread.run_sync(own_db.create_user, Role.AUDITOR, "not-blocked")
        return time.monotonic() - started

    elapsed = slow_app.portal.call(scenario)  # type: ignore[union-attr]
    start = next(m for m in messages if m["type"] == "http.response.start")
    assert start["status"] == 503
    assert elapsed < SLOW_SECONDS / 2
    assert own_db.scalar("SELECT count(*) FROM users WHERE username = 'not-blocked'") == 1
