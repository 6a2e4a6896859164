"""Commendations and the priority list over HTTP (VOL-HONOUR-1)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.domain.access import Role
from tests.api.test_volunteers_gate import make_org, volunteer_body
from tests.conftest import Actor, ActorFactory, assert_problem

API = "/api/v1"


def commend(client: TestClient, admin: Actor, org_id: str, **body: Any) -> Any:
    payload = {
        "organization_id": org_id,
        "subject": "volunteer",
        "title": "优秀科技志愿者",
        "awarded_on": "2025-12-05",
    } | body
    return client.post(f"{API}/commendations", json=payload, headers=admin.headers)


def enrol(client: TestClient, admin: Actor, org_id: str, seq: int, name: str) -> str:
    body = volunteer_body(seq, organization_id=org_id, name=name)
    created = client.post(f"{API}/volunteers", json=body, headers=admin.headers)
    assert created.status_code == 201, created.text
    return created.json()["id"]  # type: ignore[no-any-return]


def test_vol_honour_1_a_commendation_names_its_subject(
    client: TestClient, city_admin: Actor
) -> None:
    city = make_org(client, city_admin)
    assert_problem(commend(client, city_admin, city["id"]), 422, rule="VOL-HONOUR-1")
    project = commend(client, city_admin, city["id"], subject="project")
    assert_problem(project, 422, rule="VOL-HONOUR-1")
    ok = commend(client, city_admin, city["id"], subject="project", project_name="科普大篷车进乡村")
    assert ok.status_code == 201, ok.text
    assert client.get(ok.headers["Location"], headers=city_admin.headers).json() == ok.json()


def test_vol_honour_1_priority_list_needs_a_star_or_a_commendation(
    client: TestClient, city_admin: Actor
) -> None:
    city = make_org(client, city_admin)
    volunteer = enrol(client, city_admin, city["id"], 1, "李明")
    params = {"organization_id": city["id"]}
    empty = client.get(f"{API}/priority-list", params=params, headers=city_admin.headers)
    assert empty.json() == {"items": [], "next_cursor": None, "total": None}
    commend(client, city_admin, city["id"], volunteer_id=volunteer)
    listed = client.get(f"{API}/priority-list", params=params, headers=city_admin.headers).json()
    assert listed["items"] == [
        {
            "volunteer_id": volunteer,
            "name_masked": "李*",
            "confirmed_hours": 0,
            "star_level": 0,
            "commendations": 1,
        }
    ]


def test_vol_honour_1_the_priority_list_is_a_page_in_rank_order(
    client: TestClient, city_admin: Actor
) -> None:
    city = make_org(client, city_admin)
    ranked = []
    for seq, name in ((1, "张三丰"), (2, "王秀兰"), (3, "赵小红")):
        volunteer = enrol(client, city_admin, city["id"], seq, name)
        for _ in range(4 - seq):
            commend(client, city_admin, city["id"], volunteer_id=volunteer)
        ranked.append(volunteer)
    params: dict[str, Any] = {"organization_id": city["id"], "limit": 2, "include_total": True}
    first = client.get(f"{API}/priority-list", params=params, headers=city_admin.headers).json()
    assert [e["volunteer_id"] for e in first["items"]] == ranked[:2]
    assert [e["commendations"] for e in first["items"]] == [3, 2]
    assert first["total"] == 3
    rest = client.get(
        f"{API}/priority-list",
        params=params | {"cursor": first["next_cursor"]},
        headers=city_admin.headers,
    ).json()
    assert ([e["volunteer_id"] for e in rest["items"]], rest["next_cursor"]) == (ranked[2:], None)
    bad = client.get(
        f"{API}/priority-list", params=params | {"cursor": "bm9wZQ"}, headers=city_admin.headers
    )
    assert_problem(bad, 422, field="query.cursor")


def test_vol_honour_1_commendations_of_another_organisation_are_not_found(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    city = make_org(client, city_admin)
    other = make_org(client, city_admin, name="赤峰学院科技志愿服务队")
    created = commend(
        client, city_admin, city["id"], subject="organization", subject_organization_id=other["id"]
    ).json()
    outsider = actor(Role.ORG_ADMIN, org_id=other["id"])
    assert_problem(
        client.get(f"{API}/commendations/{created['id']}", headers=outsider.headers), 404
    )
    assert client.get(f"{API}/commendations", headers=outsider.headers).json()["items"] == []
