"""Fetching several records by id in one call (issue 14): every list takes `ids`, so a sync
script or a webhook receiver catches up on what the change feed named, within its scope."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.cli import OPENAPI_PATH
from app.ids import new_id
from tests.api.test_attendance import _site
from tests.conftest import Actor, ActorFactory

SPEC: dict[str, Any] = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
#: Top-level lists that take `ids` and need nothing else (a list under a path parameter, or
#: with a required filter, needs its parent made first).
LISTS = sorted(
    path
    for path, item in SPEC["paths"].items()
    if "{" not in path
    and any(p.get("name") == "ids" for p in item.get("get", {}).get("parameters", []))
    and not any(p.get("required") for p in item["get"]["parameters"])
)


def test_the_lists_that_take_ids_are_the_paged_lists() -> None:
    assert "/api/v1/users" in LISTS
    assert "/api/v1/changes" not in LISTS, "the feed pages by sequence, not by id"
    assert "/api/v1/service-records" in LISTS
    assert "/api/v1/me/tasks" not in LISTS, "a computed queue has no stored ids"


@pytest.mark.parametrize("path", LISTS)
def test_a_list_asked_for_an_unknown_id_answers_no_item(
    client: TestClient, city_admin: Actor, actor: ActorFactory, path: str
) -> None:
    caller = _site(client, city_admin, actor).volunteer if "/me/" in path else city_admin
    answer = client.get(path, params={"ids": [new_id()]}, headers=caller.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["items"] == []


def test_a_list_answers_exactly_the_ids_asked_for(client: TestClient, city_admin: Actor) -> None:
    made = []
    for name in ("ids-a", "ids-b", "ids-c"):
        body = {"username": name, "password": "long-enough-pw", "role": "auditor"}
        made.append(
            client.post("/api/v1/users", json=body, headers=city_admin.headers).json()["id"]
        )
    answer = client.get(
        "/api/v1/users", params={"ids": [made[0], made[2]]}, headers=city_admin.headers
    )
    assert sorted(u["id"] for u in answer.json()["items"]) == sorted([made[0], made[2]])
    too_many = client.get(
        "/api/v1/users", params={"ids": [new_id() for _ in range(101)]}, headers=city_admin.headers
    )
    assert too_many.status_code == 422
    malformed = client.get("/api/v1/users", params={"ids": ["x; drop"]}, headers=city_admin.headers)
    assert malformed.status_code == 422
