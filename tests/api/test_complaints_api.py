"""Complaints over HTTP: routing, handling notes, closing, and the confidential reporter
(VOL-SUPER-1, VOL-DUTY-1)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.domain.access import Role
from tests.api.test_volunteers_gate import make_org
from tests.conftest import Actor, ActorFactory, assert_problem

API = "/api/v1"


def tree(client: TestClient, admin: Actor) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    city = make_org(client, admin)
    county = make_org(
        client,
        admin,
        name="红山区科技志愿者队",
        level="county_team",
        parent_id=city["id"],
        region_code="150402",
    )
    township = make_org(
        client, admin, name="桥北街道分队", level="township_subteam", parent_id=county["id"]
    )
    return city, county, township


def file(client: TestClient, org_id: str, **changes: Any) -> dict[str, Any]:
    body = {
        "subject_kind": "organization",
        "subject_organization_id": org_id,
        "content": "科普讲座向参加的居民收取材料费",
        "reporter_name": "王秀兰",
        "reporter_contact": "13947612345",
    } | changes
    filed = client.post(f"{API}/public/complaints", json=body)
    assert filed.status_code == 201, filed.text
    return filed.json()  # type: ignore[no-any-return]


def test_vol_super_1_complaint_goes_up_and_never_to_the_organisation_complained_about(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    city, county, _ = tree(client, city_admin)
    complaint = file(client, county["id"])
    assert (complaint["handler_organization_id"], complaint["status"]) == (city["id"], "received")
    county_org_admin = actor(Role.ORG_ADMIN, org_id=county["id"])
    assert client.get(f"{API}/complaints", headers=county_org_admin.headers).json()["items"] == []
    assert_problem(
        client.get(f"{API}/complaints/{complaint['id']}", headers=county_org_admin.headers), 404
    )
    city_org_admin = actor(Role.ORG_ADMIN, org_id=city["id"])
    listed = client.get(f"{API}/complaints", headers=city_org_admin.headers).json()["items"]
    assert [c["id"] for c in listed] == [complaint["id"]]
    about_top = file(client, city["id"])
    assert about_top["handled_by_city_association"] is True
    assert_problem(
        client.get(f"{API}/complaints/{about_top['id']}", headers=city_org_admin.headers), 404
    )


def test_vol_super_1_notes_are_records_and_a_closed_complaint_takes_no_more(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    city, county, _ = tree(client, city_admin)
    complaint = file(client, county["id"])
    handler = actor(Role.ORG_ADMIN, org_id=city["id"])
    url = f"{API}/complaints/{complaint['id']}"
    noted = client.post(
        f"{url}/notes", json={"note": "已约谈旗县队负责人"}, headers=handler.headers
    )
    assert noted.status_code == 201, noted.text
    note = noted.json()
    assert noted.headers["Location"] == f"{url}/notes/{note['id']}"
    assert (note["note"], note["written_by"]) == ("已约谈旗县队负责人", handler.user_id)
    assert client.get(noted.headers["Location"], headers=handler.headers).json() == note
    assert client.get(url, headers=handler.headers).json()["status"] == "handling"
    closed = client.post(f"{url}:close", json={"note": "已退还费用"}, headers=handler.headers)
    assert closed.json()["status"] == "closed"
    notes = client.get(f"{url}/notes", params={"limit": 1}, headers=handler.headers).json()
    assert [n["note"] for n in notes["items"]] == ["已约谈旗县队负责人"]
    rest = client.get(
        f"{url}/notes", params={"cursor": notes["next_cursor"]}, headers=handler.headers
    ).json()
    assert ([n["note"] for n in rest["items"]], rest["next_cursor"]) == (["已退还费用"], None)
    again = client.post(f"{url}/notes", json={"note": "补充"}, headers=handler.headers)
    assert_problem(again, 409, rule="VOL-SUPER-1")
    assert_problem(client.get(f"{url}/notes/{note['id']}x", headers=handler.headers), 404)


def test_vol_super_1_complaints_filter_by_status(client: TestClient, city_admin: Actor) -> None:
    _, county, _ = tree(client, city_admin)
    first, second = file(client, county["id"]), file(client, county["id"])
    client.post(
        f"{API}/complaints/{first['id']}:close", json={"note": "已处理"}, headers=city_admin.headers
    )
    received = client.get(
        f"{API}/complaints", params={"status": "received"}, headers=city_admin.headers
    ).json()
    assert [c["id"] for c in received["items"]] == [second["id"]]
    assert_problem(
        client.get(f"{API}/complaints", params={"status": "lost"}, headers=city_admin.headers),
        422,
        field="query.status",
    )


def test_hole_5_vol_super_1_the_reporter_is_masked_for_everyone_by_default(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    city, county, _ = tree(client, city_admin)
    complaint = file(client, county["id"])
    assert (complaint["reporter_name"], complaint["reporter_contact"]) == ("王*兰", "139****2345")
    readers = [city_admin, actor(Role.AUDITOR), actor(Role.ORG_ADMIN, org_id=city["id"])]
    for reader in readers:
        seen = client.get(f"{API}/complaints/{complaint['id']}", headers=reader.headers).json()
        listed = client.get(f"{API}/complaints", headers=reader.headers).json()["items"][0]
        for shown in (seen, listed):
            assert (shown["reporter_name"], shown["reporter_contact"]) == ("王*兰", "139****2345")
            assert shown["revealed"] is False


def test_hole_5_vol_duty_1_only_the_city_reveals_a_reporter_and_the_reveal_is_audited(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    city, county, _ = tree(client, city_admin)
    complaint = file(client, county["id"])
    url = f"{API}/complaints/{complaint['id']}"
    for refused in (actor(Role.AUDITOR), actor(Role.ORG_ADMIN, org_id=city["id"])):
        assert_problem(client.get(url, params={"reveal": "true"}, headers=refused.headers), 403)
    shown = client.get(url, params={"reveal": "true"}, headers=city_admin.headers).json()
    assert (shown["reporter_name"], shown["reporter_contact"], shown["revealed"]) == (
        "王秀兰",
        "13947612345",
        True,
    )
    events = client.get(
        f"{API}/audit-events",
        params={"resource": "complaint", "resource_id": complaint["id"]},
        headers=city_admin.headers,
    ).json()["items"]
    reveals = [e for e in events if e["op"] == "reveal"]
    assert [(e["actor_id"], e["diff"]) for e in reveals] == [
        (city_admin.user_id, {"fields": ["reporter_name", "reporter_contact"]})
    ]
    assert "13947612345" not in str(events)


def test_vol_super_1_a_complaint_names_its_subject(client: TestClient) -> None:
    assert_problem(
        client.post(
            f"{API}/public/complaints", json={"subject_kind": "organization", "content": "x"}
        ),
        422,
    )
    missing = client.post(
        f"{API}/public/complaints",
        json={
            "subject_kind": "volunteer",
            "subject_volunteer_id": "01ZZZZZZZZZZZZZZZZZZZZZZZZ",
            "content": "志愿者态度恶劣",
        },
    )
    assert_problem(missing, 404)
