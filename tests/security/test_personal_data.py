"""Personal data (issue 7, VOL-DUTY-1): after a workflow through the API, no ID number, mobile
number, address, password or refresh token sent by the test is found in clear in the database
(file bytes), in the logs, or in any response that did not ask for `reveal=true`.

Each area adds its workflow as one function decorated with `@workflow(...)`, naming the
operations it needs; it fails, naming the operation, when one of them is missing.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from tests.conftest import Actor
from tests.conftest import TestDatabase as DatabaseInfo
from tests.security.personal_data import (
    PersonalDataApi,
    database_text,
    find,
    log_text,
    mobile,
    resident_id,
    sqlite_files,
)

Workflow = Callable[[PersonalDataApi, dict[str, str], random.Random], None]
WORKFLOWS: dict[str, tuple[frozenset[str], Workflow]] = {}


def workflow(*needs: str) -> Callable[[Workflow], Workflow]:
    """Register a workflow needing these operations (`"POST /api/v1/users"`)."""

    def register(run: Workflow) -> Workflow:
        WORKFLOWS[run.__name__] = (frozenset(needs), run)
        return run

    return register


def _ok(response: Any, *statuses: int) -> Any:
    assert response.status_code in (statuses or (200, 201)), response.text
    return response.json() if response.content else None


@workflow(
    "POST /api/v1/users",
    "PATCH /api/v1/users/{user_id}",
    "POST /api/v1/auth/token",
    "POST /api/v1/auth/refresh",
)
def users_and_logins(api: PersonalDataApi, admin: dict[str, str], rng: random.Random) -> None:
    """Accounts, logins, refresh rotation, password changes, refused inputs."""
    for i in range(3):
        password = f"pw-{rng.randrange(10**12):012d}"
        user = _ok(
            api.post(
                "/api/v1/users",
                json={"username": f"pd-{i}", "password": password, "role": "auditor"},
                headers=admin,
            )
        )
        tokens = _ok(
            api.post("/api/v1/auth/token", data={"username": f"pd-{i}", "password": password})
        )
        _ok(api.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}))
        _ok(
            api.post(
                "/api/v1/auth/token", data={"username": f"pd-{i}", "password": f"{password}-wrong"}
            ),
            401,
        )
        new_password = f"np-{rng.randrange(10**12):012d}"
        _ok(
            api.patch(f"/api/v1/users/{user['id']}", json={"password": new_password}, headers=admin)
        )
    refused = f"rf-{rng.randrange(10**12):012d}"
    _ok(
        api.post(
            "/api/v1/users",
            json={"username": "no spaces allowed", "password": refused, "role": "auditor"},
            headers=admin,
        ),
        422,
    )


DECLARATIONS = ("good_conduct", "healthy", "law_abiding", "supports_science", "civil_capacity")


def _volunteer(rng: random.Random, i: int, *, bulk: bool = False) -> dict[str, Any]:
    declared = dict.fromkeys(DECLARATIONS, True)
    return {
        "name": f"志愿者{i}",
        "id_number": resident_id(rng, birth=f"19{80 + i:02d}0101"),
        "mobile": mobile(rng),
        "region_code": "150402",
        "address": f"赤峰市红山区长青街{rng.randrange(10**6)}号",
        "skills": ["科普讲解"],
        **(declared if bulk else {"declarations": declared}),
    }


@workflow(
    "POST /api/v1/organizations",
    "POST /api/v1/volunteers",
    "POST /api/v1/volunteers:bulk",
    "GET /api/v1/volunteers",
    "GET /api/v1/volunteers/{volunteer_id}",
)
def volunteers(api: PersonalDataApi, admin: dict[str, str], rng: random.Random) -> None:
    """VOL-DUTY-1: registration one by one and in bulk (with a retry), lists, reads, reveals."""
    org = _ok(
        api.post(
            "/api/v1/organizations",
            json={"name": "赤峰市科技志愿服务队", "kind": "team", "level": "city_team"},
            headers=admin,
        )
    )
    one = _ok(
        api.post(
            "/api/v1/volunteers",
            json={**_volunteer(rng, 0), "organization_id": org["id"]},
            headers=admin,
        )
    )
    rows = [_volunteer(rng, i, bulk=True) for i in range(1, 6)]
    keyed = {**admin, "Idempotency-Key": f"pd-{rng.randrange(10**9)}"}
    for _ in range(2):
        _ok(
            api.post(
                "/api/v1/volunteers:bulk",
                params={"organization_id": org["id"]},
                json=rows,
                headers=keyed,
            )
        )
    _ok(api.get("/api/v1/volunteers", headers=admin))
    _ok(api.get(f"/api/v1/volunteers/{one['id']}", headers=admin))
    _ok(api.get(f"/api/v1/volunteers/{one['id']}", params={"reveal": "true"}, headers=admin))


@workflow("POST /api/v1/regions", "POST /api/v1/officers", "POST /api/v1/officers:bulk")
def officers(api: PersonalDataApi, admin: dict[str, str], rng: random.Random) -> None:
    """OFF-REG-1 mobiles: registration one by one and in bulk, lists."""
    _ok(
        api.post(
            "/api/v1/regions",
            json={"code": "150402001", "name": "测试街道", "parent_code": "150402"},
            headers=admin,
        ),
        201,
        409,
    )
    base = {"township_code": "150402001", "source_group": "farmer_herder"}
    _ok(
        api.post(
            "/api/v1/officers",
            json={**base, "name": "信息员甲", "mobile": mobile(rng), "app_account_id": "pd-a"},
            headers=admin,
        )
    )
    rows = [
        {**base, "name": f"信息员{i}", "mobile": mobile(rng), "app_account_id": f"pd-{i}"}
        for i in range(5)
    ]
    _ok(api.post("/api/v1/officers:bulk", json=rows, headers=admin))
    _ok(api.get("/api/v1/officers", headers=admin))


def _operations(app: FastAPI) -> set[str]:
    return {
        f"{method.upper()} {path}"
        for path, item in app.openapi()["paths"].items()
        for method in item
    }


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_personal_data_is_never_stored_logged_or_shown_in_clear(
    name: str,
    app: FastAPI,
    api_client: PersonalDataApi,
    city_admin: Actor,
    test_db: DatabaseInfo,
    caplog: pytest.LogCaptureFixture,
) -> None:
    needs, run = WORKFLOWS[name]
    missing = sorted(needs - _operations(app))
    assert not missing, f"{name} needs {', '.join(missing)}, which the API does not offer"
    caplog.set_level(logging.DEBUG)
    # SQL statements with their bound parameters, which must already be encrypted.
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")

    run(api_client, city_admin.headers, random.Random(name))

    secrets = api_client.personal | api_client.issued
    assert api_client.personal, "the workflow sent no personal data"
    if test_db.dialect == "sqlite":
        stored = {str(p): find(secrets, p.read_bytes()) for p in sqlite_files(test_db.url)}
    else:
        stored = {}
        for table, row in database_text(app.state.ctx.engine):
            stored.setdefault(table, []).extend(find(secrets, row))
    assert not any(stored.values()), f"in clear in the database: {stored}"
    assert not find(secrets, log_text(caplog.records)), "in clear in the logs"
    shown = [
        (e.method, e.url, e.status, find(api_client.personal, e.body))
        for e in api_client.exchanges
        if not e.revealed
    ]
    assert not [s for s in shown if s[3]], "in clear in a response without reveal=true"


@pytest.fixture
def api_client(client: Any) -> PersonalDataApi:
    return PersonalDataApi(client)


def test_the_scan_finds_a_planted_value(test_db: DatabaseInfo, app: FastAPI, client: Any) -> None:
    """The detector itself works: a value written in clear is found (so a pass means something)."""
    planted = "13912345678"
    with app.state.ctx.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO login_throttle (key, failures) VALUES (:u, 0)"), {"u": planted}
        )
    if test_db.dialect == "sqlite":
        hits = [find({planted}, p.read_bytes()) for p in sqlite_files(test_db.url)]
        assert [planted] in hits
    else:
        rows = [row for _, row in database_text(app.state.ctx.engine)]
        assert any(find({planted}, row) for row in rows)
    record = logging.LogRecord("x", logging.INFO, "f", 1, "value %s", (planted,), None)
    assert find({planted}, log_text([record])) == [planted]
