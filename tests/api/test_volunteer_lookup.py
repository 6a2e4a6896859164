"""The desk lookup (VOL-DUTY-1): a volunteer found by full ID number or mobile through the keyed
hash, in the caller's scope, answered masked, each find audited like a reveal."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.domain.access import Role
from tests.api.test_volunteers_gate import id_number, volunteer_body
from tests.conftest import Actor, ActorFactory, assert_problem

URL = "/api/v1/volunteers:lookup"


def test_vol_duty_1_a_desk_lookup_finds_by_full_id_number_or_mobile_masked_and_audited(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    created = client.post("/api/v1/volunteers", json=volunteer_body(), headers=city_admin.headers)
    assert created.status_code == 201, created.text
    full = id_number("19900517")
    by_id = client.post(URL, json={"id_number": full.lower()}, headers=city_admin.headers)
    assert by_id.status_code == 200, by_id.text
    found = by_id.json()["items"]
    assert [(v["id"], v["id_number"], v["revealed"]) for v in found] == [
        (created.json()["id"], full[:3] + "*" * 11 + full[-4:], False)
    ]
    by_mobile = client.post(URL, json={"mobile": "138 0013 8000"}, headers=city_admin.headers)
    assert [v["id"] for v in by_mobile.json()["items"]] == [created.json()["id"]]
    nobody = client.post(URL, json={"mobile": "13900000000"}, headers=city_admin.headers)
    assert nobody.json()["items"] == []
    auditor = actor(Role.AUDITOR)
    events = client.get(
        "/api/v1/audit-events", params={"resource": "volunteer"}, headers=auditor.headers
    ).json()["items"]
    lookups = [e["diff"].get("looked_up_by") for e in events if e["op"] == "reveal"]
    assert lookups == ["id_number", "mobile"]
    assert full not in str(events)


def test_vol_duty_1_a_county_finds_no_one_of_another_county(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    client.post("/api/v1/volunteers", json=volunteer_body(), headers=city_admin.headers)
    other = actor(Role.COUNTY_ADMIN, county_code="150403")
    answer = client.post(URL, json={"id_number": id_number("19900517")}, headers=other.headers)
    assert answer.json()["items"] == []


def test_vol_duty_1_a_lookup_takes_the_id_number_or_the_mobile_not_both(
    client: TestClient, city_admin: Actor
) -> None:
    for body in ({}, {"id_number": id_number("19900517"), "mobile": "13800138000"}):
        refused = assert_problem(client.post(URL, json=body, headers=city_admin.headers), 422)
        assert [e["code"] for e in refused["errors"]] == ["one_of"]
