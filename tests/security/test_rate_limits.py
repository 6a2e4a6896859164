"""Hole 8 of the second security round: anonymous writes had no throttle (40 complaints in a
row were all accepted). Every write of a public route counts per source address and operation
in the database, shared by every worker; over the limit it is a 429 with Retry-After and
changes nothing."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import assert_problem
from tests.reliability.harness import Database

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
