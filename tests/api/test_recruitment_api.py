"""Recruitment drives and applications over HTTP (VOL-RECRUIT-1, VOL-REG-2)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.domain.access import Role
from app.domain.common import SHANGHAI
from tests.api.test_volunteers_gate import make_org, volunteer_body
from tests.conftest import Actor, ActorFactory, assert_problem

API = "/api/v1"


def drive_body(org_id: str, **changes: Any) -> dict[str, Any]:
    today = datetime.now(SHANGHAI).date()
    return {
        "organization_id": org_id,
        "title": "全国科普日志愿者招募",
        "openness": "public",
        "regularity": "periodic",
        "target": "individual",
        "opens_on": str(today),
        "closes_on": str(today + timedelta(days=30)),
    } | changes


def volunteer(
    client: TestClient, admin: Actor, actor: ActorFactory, seq: int = 1
) -> tuple[str, Actor]:
    vol = client.post(f"{API}/volunteers", json=volunteer_body(seq), headers=admin.headers).json()
    return vol["id"], actor(Role.VOLUNTEER, volunteer_id=vol["id"])


def test_vol_recruit_1_directed_drive_names_its_target_and_a_periodic_one_closes(
    client: TestClient, city_admin: Actor
) -> None:
    city = make_org(client, city_admin)
    refused = client.post(
        f"{API}/recruitments",
        json=drive_body(city["id"], openness="directed", closes_on=None),
        headers=city_admin.headers,
    )
    body = assert_problem(refused, 422, rule="VOL-RECRUIT-1")
    assert {v.get("field") for v in body["violations"]} == {"directed_to", "closes_on"}
    created = client.post(
        f"{API}/recruitments",
        json=drive_body(city["id"], openness="directed", directed_to="赤峰学院"),
        headers=city_admin.headers,
    )
    assert created.status_code == 201, created.text
    read = client.get(created.headers["Location"], headers=city_admin.headers).json()
    assert read == created.json()
    assert read["activity_ids"] == []


def test_vol_recruit_1_accepting_an_application_makes_the_volunteer_a_member(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    city = make_org(client, city_admin)
    drive = client.post(
        f"{API}/recruitments", json=drive_body(city["id"]), headers=city_admin.headers
    ).json()
    volunteer_id, vol = volunteer(client, city_admin, actor)
    applied = client.post(f"{API}/recruitments/{drive['id']}/applications", headers=vol.headers)
    assert applied.status_code == 201, applied.text
    application = applied.json()
    assert application["status"] == "pending"
    assert client.get(applied.headers["Location"], headers=vol.headers).json() == application
    twice = client.post(f"{API}/recruitments/{drive['id']}/applications", headers=vol.headers)
    assert_problem(twice, 409)
    url = f"{API}/recruitments/{drive['id']}/applications/{application['id']}"
    accepted = client.post(f"{url}:accept", headers=city_admin.headers)
    assert accepted.json()["status"] == "accepted"
    assert_problem(
        client.post(f"{url}:decline", headers=city_admin.headers), 409, rule="VOL-RECRUIT-1"
    )
    memberships = client.get(
        f"{API}/volunteers/{volunteer_id}/memberships", headers=vol.headers
    ).json()
    assert [(m["organization_id"], m["status"]) for m in memberships["items"]] == [
        (city["id"], "active")
    ]


def test_vol_recruit_1_a_drive_not_yet_open_takes_no_application(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    city = make_org(client, city_admin)
    later = datetime.now(SHANGHAI).date() + timedelta(days=3)
    drive = client.post(
        f"{API}/recruitments",
        json=drive_body(city["id"], opens_on=str(later), closes_on=str(later)),
        headers=city_admin.headers,
    ).json()
    _, vol = volunteer(client, city_admin, actor)
    refused = client.post(f"{API}/recruitments/{drive['id']}/applications", headers=vol.headers)
    assert_problem(refused, 409, rule="VOL-RECRUIT-1")


def test_vol_recruit_1_applications_are_a_page_and_a_volunteer_sees_only_its_own(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    city = make_org(client, city_admin)
    drive = client.post(
        f"{API}/recruitments", json=drive_body(city["id"]), headers=city_admin.headers
    ).json()
    url = f"{API}/recruitments/{drive['id']}/applications"
    (_, first), (_, second) = (volunteer(client, city_admin, actor, n) for n in (1, 2))
    mine = client.post(url, headers=first.headers).json()
    theirs = client.post(url, headers=second.headers).json()
    client.post(f"{url}/{theirs['id']}:decline", headers=city_admin.headers)
    page = client.get(url, params={"limit": 1}, headers=city_admin.headers).json()
    assert [a["id"] for a in page["items"]] == [mine["id"]]
    rest = client.get(url, params={"cursor": page["next_cursor"]}, headers=city_admin.headers)
    assert [a["id"] for a in rest.json()["items"]] == [theirs["id"]]
    declined = client.get(url, params={"status": "declined"}, headers=city_admin.headers).json()
    assert [a["status"] for a in declined["items"]] == ["declined"]
    own = client.get(url, headers=first.headers).json()["items"]
    assert [a["id"] for a in own] == [mine["id"]]
    assert_problem(client.get(f"{url}/{theirs['id']}", headers=first.headers), 404)


def test_vol_recruit_1_an_organisation_admin_decides_only_its_subtrees_applications(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    city = make_org(client, city_admin)
    county = make_org(
        client,
        city_admin,
        name="红山区科技志愿者队",
        level="county_team",
        parent_id=city["id"],
        region_code="150402",
    )
    drive = client.post(
        f"{API}/recruitments", json=drive_body(city["id"]), headers=city_admin.headers
    ).json()
    application = client.post(
        f"{API}/recruitments/{drive['id']}/applications",
        headers=volunteer(client, city_admin, actor)[1].headers,
    ).json()
    county_admin = actor(Role.ORG_ADMIN, org_id=county["id"])
    url = f"{API}/recruitments/{drive['id']}/applications/{application['id']}:accept"
    assert_problem(client.post(url, headers=county_admin.headers), 404)
