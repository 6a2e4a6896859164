"""Activities, insurance, service records and certificates over HTTP, beyond the walkthrough:
the vocabulary (observance, colon verbs, hours as numbers, starts_on/ends_on) and the rules each
endpoint answers with (VOL-SCOPE-1, VOL-DUTY-3, VOL-DUTY-4, VOL-HOURS-1)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.domain.common import SHANGHAI
from tests.api.test_volunteers_gate import make_org, volunteer_body
from tests.conftest import Actor, assert_problem

STARTS = datetime.now(SHANGHAI).replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(
    days=3
)


def activity_body(org_id: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "organization_id": org_id,
        "title": "科技活动周科普展",
        "scope": 4,
        "observance": "sci_tech_week",
        "starts_at": STARTS.isoformat(),
        "ends_at": (STARTS + timedelta(hours=6)).isoformat(),
        "capacity": 2,
    }
    body.update(changes)
    return body


def confirmed_enrolment(client: TestClient, admin: Actor) -> dict[str, Any]:
    """An organisation, a member, an activity and the member's confirmed enrolment."""
    org = make_org(client, admin, person_in_charge="张伟")
    vol = client.post(
        "/api/v1/volunteers",
        json=volunteer_body(organization_id=org["id"]),
        headers=admin.headers,
    ).json()
    act = client.post("/api/v1/activities", json=activity_body(org["id"]), headers=admin.headers)
    assert act.status_code == 201, act.text
    base = f"/api/v1/activities/{act.json()['id']}/enrolments"
    enrolment = client.post(base, json={"volunteer_id": vol["id"]}, headers=admin.headers).json()
    confirmed = client.post(f"{base}/{enrolment['id']}:confirm", headers=admin.headers)
    assert confirmed.status_code == 200, confirmed.text
    return {"org": org, "volunteer": vol, "activity": act.json(), "enrolment": confirmed.json()}


def test_vol_scope_1_an_activity_names_its_observance_in_the_shared_spelling(
    client: TestClient, city_admin: Actor
) -> None:
    org = make_org(client, city_admin)
    made = client.post(
        "/api/v1/activities", json=activity_body(org["id"]), headers=city_admin.headers
    )
    assert made.status_code == 201, made.text
    assert made.json()["observance"] == "sci_tech_week"
    unnamed = activity_body(org["id"], observance=None)
    refused = client.post("/api/v1/activities", json=unnamed, headers=city_admin.headers)
    body = assert_problem(refused, 422, rule="VOL-SCOPE-1")
    assert [v["field"] for v in body["violations"]] == ["observance"]
    old = client.post(
        "/api/v1/activities",
        json=activity_body(org["id"], observance="science_week"),
        headers=city_admin.headers,
    )
    assert_problem(old, 422, field="observance")


def test_an_activity_region_must_exist_else_404_naming_it(
    client: TestClient, city_admin: Actor
) -> None:
    org = make_org(client, city_admin)
    body = activity_body(org["id"], region_code="159999")
    answer = client.post("/api/v1/activities", json=body, headers=city_admin.headers)
    assert_problem(answer, 404, field="region_code")


def test_activities_are_a_page_honouring_limit_and_cursor(
    client: TestClient, city_admin: Actor
) -> None:
    org = make_org(client, city_admin)
    made = [
        client.post(
            "/api/v1/activities", json=activity_body(org["id"]), headers=city_admin.headers
        ).json()["id"]
        for _ in range(3)
    ]
    first = client.get("/api/v1/activities", params={"limit": 2}, headers=city_admin.headers)
    second = client.get(
        "/api/v1/activities",
        params={"limit": 2, "cursor": first.json()["next_cursor"]},
        headers=city_admin.headers,
    )
    ids = [a["id"] for a in first.json()["items"] + second.json()["items"]]
    assert ids == made
    assert second.json()["next_cursor"] is None


def test_capacity_cannot_fall_below_the_confirmed_enrolments(
    client: TestClient, city_admin: Actor
) -> None:
    made = confirmed_enrolment(client, city_admin)
    url = f"/api/v1/activities/{made['activity']['id']}"
    second = client.post(
        "/api/v1/volunteers",
        json=volunteer_body(2, organization_id=made["org"]["id"]),
        headers=city_admin.headers,
    ).json()
    enrolments = f"{url}/enrolments"
    other = client.post(
        enrolments, json={"volunteer_id": second["id"]}, headers=city_admin.headers
    ).json()
    assert client.post(f"{enrolments}/{other['id']}:confirm", headers=city_admin.headers).is_success
    shrunk = client.patch(url, json={"capacity": 1}, headers=city_admin.headers)
    body = assert_problem(shrunk, 409, rule="VOL-CAPACITY")
    assert [v["field"] for v in body["violations"]] == ["capacity"]
    emptied = client.patch(url, json={"title": None}, headers=city_admin.headers)
    assert_problem(emptied, 422, field="title")
    grown = client.patch(url, json={"capacity": 3}, headers=city_admin.headers)
    assert grown.json()["capacity"] == 3


def test_vol_duty_3_insured_volunteers_are_added_under_the_policy(
    client: TestClient, city_admin: Actor
) -> None:
    org = make_org(client, city_admin)
    vol = client.post(
        "/api/v1/volunteers",
        json=volunteer_body(organization_id=org["id"]),
        headers=city_admin.headers,
    ).json()
    policy = client.post(
        "/api/v1/insurance-policies",
        json={
            "organization_id": org["id"],
            "insurer": "中国人寿保险股份有限公司赤峰分公司",
            "number": "P2026150402000123",
            "starts_on": "2026-07-01",
            "ends_on": "2026-12-31",
        },
        headers=city_admin.headers,
    )
    assert policy.status_code == 201, policy.text
    url = f"/api/v1/insurance-policies/{policy.json()['id']}/insured-volunteers"
    unknown = client.post(
        url,
        json={"volunteer_ids": [vol["id"], "01ZZZZZZZZZZZZZZZZZZZZZZZZ"]},
        headers=city_admin.headers,
    )
    assert_problem(unknown, 422, field="volunteer_ids[1]")
    for _ in range(2):
        added = client.post(url, json={"volunteer_ids": [vol["id"]]}, headers=city_admin.headers)
        assert added.status_code == 200, added.text
        assert added.json()["insured_volunteer_ids"] == [vol["id"]]


def test_vol_hours_1_a_correction_keeps_the_old_times_and_awaits_confirmation(
    client: TestClient, city_admin: Actor
) -> None:
    made = confirmed_enrolment(client, city_admin)
    record = client.post(
        "/api/v1/service-records",
        json={
            "enrolment_id": made["enrolment"]["id"],
            "starts_at": STARTS.isoformat(),
            "ends_at": (STARTS + timedelta(hours=2)).isoformat(),
        },
        headers=city_admin.headers,
    ).json()
    url = f"/api/v1/service-records/{record['id']}"
    assert record["hours"] == 2
    client.post(f"{url}:confirm", headers=city_admin.headers)
    corrected = client.post(
        f"{url}:correct",
        json={
            "starts_at": STARTS.isoformat(),
            "ends_at": (STARTS + timedelta(hours=2, minutes=45)).isoformat(),
            "reason": "签到表显示11时45分离岗",
        },
        headers=city_admin.headers,
    )
    assert corrected.status_code == 200, corrected.text
    shown = corrected.json()
    assert (shown["hours"], shown["status"]) == (2.75, "recorded")
    assert [r["reason"] for r in shown["revisions"]] == ["签到表显示11时45分离岗"]
    blank = client.post(f"{url}:void", json={"reason": " "}, headers=city_admin.headers)
    assert_problem(blank, 409, rule="VOL-HOURS-1")
    voided = client.post(f"{url}:void", json={"reason": "重复登记"}, headers=city_admin.headers)
    assert voided.json()["status"] == "voided"
    assert_problem(
        client.post(f"{url}:confirm", headers=city_admin.headers), 409, rule="VOL-HOURS-1"
    )


def test_vol_duty_4_a_certificate_covers_its_days_and_is_voided_once(
    client: TestClient, city_admin: Actor
) -> None:
    made = confirmed_enrolment(client, city_admin)
    record = client.post(
        "/api/v1/service-records",
        json={
            "enrolment_id": made["enrolment"]["id"],
            "starts_at": STARTS.isoformat(),
            "ends_at": (STARTS + timedelta(hours=1, minutes=30)).isoformat(),
        },
        headers=city_admin.headers,
    ).json()
    client.post(f"/api/v1/service-records/{record['id']}:confirm", headers=city_admin.headers)
    url = f"/api/v1/volunteers/{made['volunteer']['id']}/certificates"
    day = STARTS.date()
    before = {"organization_id": made["org"]["id"], "ends_on": str(day - timedelta(days=1))}
    assert_problem(
        client.post(url, json=before, headers=city_admin.headers), 409, rule="VOL-DUTY-4"
    )
    issued = client.post(
        url,
        json={"organization_id": made["org"]["id"], "starts_on": str(day), "ends_on": str(day)},
        headers=city_admin.headers,
    )
    assert issued.status_code == 201, issued.text
    cert = issued.json()
    assert (cert["starts_on"], cert["ends_on"], cert["total_hours"]) == (str(day), str(day), 1.5)
    assert cert["entries"][0]["hours"] == 1.5
    assert cert["status"] == "valid"
    public = client.get(f"/api/v1/public/certificates/{cert['number'].lower()}")
    assert public.json()["total_hours"] == 1.5
    void = f"/api/v1/certificates/{cert['id']}:void"
    assert_problem(
        client.post(void, json={"reason": ""}, headers=city_admin.headers), 409, rule="VOL-DUTY-4"
    )
    assert (
        client.post(void, json={"reason": "重新出具"}, headers=city_admin.headers).status_code
        == 200
    )
    again = client.post(void, json={"reason": "再次作废"}, headers=city_admin.headers)
    assert_problem(again, 409, rule="VOL-DUTY-4")
