"""Holes 8 and 4 of the second security round. Anonymous writes had no throttle (40 complaints
in a row were all accepted): every write of a public route counts per source address and
operation in the database, shared by every worker, and over the limit it is a 429 with
Retry-After. And five failed logins from anywhere locked an account for everyone: failures
now lock a username from the address they come from, and from all addresses only at a much
higher ceiling."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.domain.access import Role
from app.main import create_app
from tests.conftest import assert_problem
from tests.reliability.harness import PASSWORD, Database
from tests.security.conftest import make_user

LIMIT = 3
COMPLAINT = {"subject_kind": "organization", "content": "x"}  # a 422: it still counts


@pytest.fixture
def limited(own_db: Database, request: pytest.FixtureRequest) -> Iterator[TestClient]:
    app: FastAPI = create_app(
        own_db.settings(public_write_limit=LIMIT, login_source_limit=LIMIT + 2)
    )
    # A source address of each test's own, so the counts of one never reach another.
    address = f"198.51.100.{zlib.crc32(request.node.name.encode()) % 250 + 1}"
    with TestClient(app, client=(address, 50000)) as client:
        yield client
    app.state.ctx.engine.dispose()


def test_hole_8_anonymous_writes_past_the_limit_are_429_with_retry_after(
    limited: TestClient,
) -> None:
    for _ in range(LIMIT):
        assert_problem(limited.post("/api/v1/public/complaints", json=COMPLAINT), 422)
    refused = limited.post("/api/v1/public/complaints", json=COMPLAINT)
    assert_problem(refused, 429)
    assert 1 <= int(refused.headers["Retry-After"]) <= 600


def test_hole_8_each_operation_and_each_address_has_its_own_count(limited: TestClient) -> None:
    for _ in range(LIMIT + 1):
        limited.post("/api/v1/public/complaints", json=COMPLAINT)
    other = limited.post("/api/v1/public/volunteer-registrations", json={})
    assert other.status_code == 422, other.text
    elsewhere = TestClient(limited.app, client=("203.0.113.9", 50000))
    assert elsewhere.post("/api/v1/public/complaints", json=COMPLAINT).status_code == 422


def test_hole_8_logins_have_a_ceiling_of_their_own_per_address(limited: TestClient) -> None:
    form = {"username": "nobody", "password": "wrong-password"}
    answers = [limited.post("/api/v1/auth/token", data=form).status_code for _ in range(LIMIT + 3)]
    assert answers[: LIMIT + 2] == [401] * (LIMIT + 2)
    assert answers[-1] == 429


def _login(app: FastAPI, address: str, username: str, password: str) -> int:
    client = TestClient(app, client=(address, 50000))
    form = {"username": username, "password": password}
    return client.post("/api/v1/auth/token", data=form).status_code


@pytest.fixture
def lockable(own_db: Database) -> Iterator[tuple[FastAPI, str]]:
    app = create_app(own_db.settings(login_max_failures=2, login_account_max_failures=5))
    username = f"locked-{zlib.crc32(str(id(app)).encode())}"
    make_user(own_db, Role.AUDITOR, username)
    yield app, username
    app.state.ctx.engine.dispose()


def test_hole_4_failures_from_one_address_do_not_lock_the_account_for_another(
    lockable: tuple[FastAPI, str],
) -> None:
    app, username = lockable
    attacker, owner = "203.0.113.7", "198.51.100.20"
    assert [_login(app, attacker, username, "wrong-guess") for _ in range(3)] == [401, 401, 429]
    assert _login(app, attacker, username, PASSWORD) == 429
    assert _login(app, owner, username, PASSWORD) == 200


def test_hole_4_an_unknown_username_is_answered_and_locked_like_a_known_one(
    lockable: tuple[FastAPI, str],
) -> None:
    app, username = lockable
    known = [_login(app, "203.0.113.8", username, "wrong-guess") for _ in range(3)]
    unknown = [_login(app, "203.0.113.8", f"{username}-x", "wrong-guess") for _ in range(3)]
    assert known == unknown == [401, 401, 429]


def test_hole_4_failures_from_many_addresses_lock_the_account_at_its_own_ceiling(
    lockable: tuple[FastAPI, str],
) -> None:
    app, username = lockable
    answers = [_login(app, f"203.0.113.{20 + n}", username, "wrong-guess") for n in range(6)]
    assert answers == [401] * 5 + [429]
    assert _login(app, "198.51.100.21", username, PASSWORD) == 429
