"""Incidents over HTTP (VOL-HARM-1)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.domain.access import Role
from app.domain.common import SHANGHAI
from tests.api.test_volunteers_gate import make_org
from tests.conftest import Actor, ActorFactory, assert_problem

API = "/api/v1"


def activity(client: TestClient, admin: Actor, org_id: str) -> dict[str, Any]:
    starts = datetime.now(SHANGHAI) + timedelta(days=3)
    created = client.post(
        f"{API}/activities",
        json={
            "organization_id": org_id,
            "title": "科普展板布置",
            "scope": 3,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=3)).isoformat(),
        },
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    return created.json()  # type: ignore[no-any-return]


def incident_body(activity: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "activity_id": activity["id"],
        "occurred_at": activity["starts_at"],
        "harmed": "volunteer",
        "description": "搬运展板时扭伤脚踝",
    } | changes


def test_vol_harm_1_an_incident_is_open_until_its_handling_is_recorded(
    client: TestClient, city_admin: Actor
) -> None:
    city = make_org(client, city_admin)
    created = client.post(
        f"{API}/incidents",
        json=incident_body(activity(client, city_admin, city["id"])),
        headers=city_admin.headers,
    )
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "open"
    url = created.headers["Location"]
    assert_problem(
        client.post(f"{url}:handle", json={"handling": "  "}, headers=city_admin.headers), 422
    )
    handled = client.post(
        f"{url}:handle", json={"handling": "送医，保险理赔"}, headers=city_admin.headers
    ).json()
    assert (handled["status"], handled["handling"]) == ("handled", "送医，保险理赔")
    assert client.get(url, headers=city_admin.headers).json() == handled


def test_vol_harm_1_an_incident_recorded_with_its_handling_is_handled(
    client: TestClient, city_admin: Actor
) -> None:
    city = make_org(client, city_admin)
    act = activity(client, city_admin, city["id"])
    created = client.post(
        f"{API}/incidents",
        json=incident_body(act, harmed="served_person", handling="现场包扎并通知家长"),
        headers=city_admin.headers,
    ).json()
    assert created["status"] == "handled"
    listed = client.get(
        f"{API}/incidents", params={"activity_id": act["id"]}, headers=city_admin.headers
    ).json()
    assert [i["id"] for i in listed["items"]] == [created["id"]]


def test_vol_harm_1_another_organisations_incident_is_not_found(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    city = make_org(client, city_admin)
    other = make_org(client, city_admin, name="赤峰学院科技志愿服务队")
    created = client.post(
        f"{API}/incidents",
        json=incident_body(activity(client, city_admin, city["id"])),
        headers=city_admin.headers,
    ).json()
    outsider = actor(Role.ORG_ADMIN, org_id=other["id"])
    url = f"{API}/incidents/{created['id']}"
    assert_problem(client.get(url, headers=outsider.headers), 404)
    assert_problem(
        client.post(f"{url}:handle", json={"handling": "x"}, headers=outsider.headers), 404
    )
    assert client.get(f"{API}/incidents", headers=outsider.headers).json()["items"] == []
