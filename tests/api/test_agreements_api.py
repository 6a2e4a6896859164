"""Agreements over HTTP (VOL-AGREE-1)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.domain.access import Role
from tests.api.test_volunteers_gate import make_org, volunteer_body
from tests.conftest import Actor, ActorFactory, assert_problem

API = "/api/v1"


def agreement_body(volunteer_id: str, org_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "volunteer_id": volunteer_id,
        "organization_id": org_id,
        "served_party": "红山区第一中学",
        "content": "青少年科技教育讲座",
        "manner": "每周一次",
        "starts_on": "2025-09-01",
        "ends_on": "2026-01-15",
        "place": "学校报告厅",
        "working_conditions": "提供多媒体教室",
        "safety_measures": "学校安排专人负责安全",
        "signed_on": "2025-08-20",
    } | changes


def test_vol_agree_1_every_term_is_required(client: TestClient, city_admin: Actor) -> None:
    city = make_org(client, city_admin)
    vol = client.post(
        f"{API}/volunteers",
        json=volunteer_body(organization_id=city["id"]),
        headers=city_admin.headers,
    ).json()
    for term in ("safety_measures", "working_conditions", "place"):
        refused = client.post(
            f"{API}/agreements",
            json=agreement_body(vol["id"], city["id"], **{term: ""}),
            headers=city_admin.headers,
        )
        assert_problem(refused, 422, field=term)
    ok = client.post(
        f"{API}/agreements", json=agreement_body(vol["id"], city["id"]), headers=city_admin.headers
    )
    assert ok.status_code == 201, ok.text
    assert client.get(ok.headers["Location"], headers=city_admin.headers).json() == ok.json()


def test_vol_agree_1_a_volunteer_sees_only_its_own_agreements(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    city = make_org(client, city_admin)
    ids = []
    for seq in (1, 2):
        vol = client.post(
            f"{API}/volunteers",
            json=volunteer_body(seq, organization_id=city["id"]),
            headers=city_admin.headers,
        ).json()
        signed = client.post(
            f"{API}/agreements",
            json=agreement_body(vol["id"], city["id"]),
            headers=city_admin.headers,
        ).json()
        ids.append((vol["id"], signed["id"]))
    (first, mine), (_, theirs) = ids
    volunteer = actor(Role.VOLUNTEER, volunteer_id=first)
    listed = client.get(f"{API}/agreements", headers=volunteer.headers).json()
    assert [a["id"] for a in listed["items"]] == [mine]
    assert_problem(client.get(f"{API}/agreements/{theirs}", headers=volunteer.headers), 404)
    everyone = client.get(f"{API}/agreements", params={"limit": 1}, headers=city_admin.headers)
    assert everyone.json()["next_cursor"] is not None
