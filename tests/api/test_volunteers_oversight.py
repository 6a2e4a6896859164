"""Complaints, funds, recruitment, agreements, incidents, commendations and the priority list
over HTTP (VOL-SUPER-1, VOL-FUND-1, VOL-RECRUIT-1, VOL-AGREE-1, VOL-HARM-1, VOL-HONOUR-1)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.domain.access import Role
from app.domain.common import SHANGHAI
from tests.api.test_volunteers_gate import make_org, volunteer_body
from tests.conftest import Actor, ActorFactory, assert_problem


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


def test_vol_super_1_complaint_goes_up_and_never_to_the_organisation_complained_about(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    city, county, _ = tree(client, city_admin)
    filed = client.post(
        "/api/v1/public/complaints",
        json={
            "subject_kind": "organization",
            "subject_organization_id": county["id"],
            "content": "活动向群众收费",
            "reporter_name": "匿名群众",
            "reporter_contact": "13900000000",
        },
    )
    assert filed.status_code == 201, filed.text
    complaint = filed.json()
    assert complaint["handler_organization_id"] == city["id"]
    assert complaint["reporter_name"] is None
    county_admin = actor(Role.ORG_ADMIN, org_id=county["id"])
    assert client.get("/api/v1/complaints", headers=county_admin.headers).json()["items"] == []
    assert_problem(
        client.get(f"/api/v1/complaints/{complaint['id']}", headers=county_admin.headers), 404
    )
    city_org_admin = actor(Role.ORG_ADMIN, org_id=city["id"])
    seen = client.get(
        f"/api/v1/complaints/{complaint['id']}", headers=city_org_admin.headers
    ).json()
    assert (seen["reporter_name"], seen["reporter_visible"]) == ("匿名群众", True)
    noted = client.post(
        f"/api/v1/complaints/{complaint['id']}/notes",
        json={"note": "已约谈旗县队负责人", "status": "handling"},
        headers=city_org_admin.headers,
    )
    assert noted.json()["status"] == "handling"
    about_top = client.post(
        "/api/v1/public/complaints",
        json={
            "subject_kind": "organization",
            "subject_organization_id": city["id"],
            "content": "x",
        },
    ).json()
    assert about_top["handled_by_city_association"] is True
    assert_problem(
        client.get(f"/api/v1/complaints/{about_top['id']}", headers=city_org_admin.headers), 404
    )


def test_vol_fund_1_other_needs_a_note_and_the_year_is_summed_per_category(
    client: TestClient, city_admin: Actor
) -> None:
    city, county, _ = tree(client, city_admin)

    def fund(org: str, **body: Any) -> Any:
        payload = {"organization_id": org, "occurred_on": "2025-03-01", **body}
        return client.post("/api/v1/fund-records", json=payload, headers=city_admin.headers)

    assert_problem(fund(city["id"], direction="spending", category="other", amount="10.00"), 422)
    assert_problem(fund(city["id"], direction="income", category="training", amount="10.00"), 422)
    for amount in ("100.50", "99.50"):
        assert (
            fund(county["id"], direction="spending", category="training", amount=amount).status_code
            == 201
        )
    fund(city["id"], direction="income", category="donation", amount="500")
    fund(
        city["id"], direction="spending", category="training", amount="7", occurred_on="2024-12-31"
    )
    summary = client.get(
        "/api/v1/fund-records/summary",
        params={"organization_id": city["id"], "year": 2025},
        headers=city_admin.headers,
    ).json()
    assert [
        (s["organization_id"], s["category"], s["amount"], s["entries"]) for s in summary
    ] == sorted(
        [
            (city["id"], "donation", "500.00", 1),
            (county["id"], "training", "200.00", 2),
        ]
    )


def test_vol_recruit_1_directed_drive_names_its_target_and_accepting_joins(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    city = make_org(client, city_admin)
    today = datetime.now(SHANGHAI).date()
    drive = {
        "organization_id": city["id"],
        "title": "全国科普日志愿者招募",
        "openness": "directed",
        "regularity": "periodic",
        "target": "individual",
        "opens_on": str(today),
        "closes_on": str(today + timedelta(days=30)),
    }
    refused = client.post("/api/v1/recruitments", json=drive, headers=city_admin.headers)
    assert_problem(refused, 422, rule="VOL-RECRUIT-1")
    created = client.post(
        "/api/v1/recruitments", json=drive | {"directed_to": "赤峰学院"}, headers=city_admin.headers
    ).json()
    vol = client.post(
        "/api/v1/volunteers", json=volunteer_body(), headers=city_admin.headers
    ).json()
    volunteer = actor(Role.VOLUNTEER, volunteer_id=vol["id"])
    application = client.post(
        f"/api/v1/recruitments/{created['id']}/applications", headers=volunteer.headers
    ).json()
    decided = client.post(
        f"/api/v1/recruitments/{created['id']}/applications/{application['id']}/decision",
        json={"accept": True},
        headers=city_admin.headers,
    )
    assert decided.json()["status"] == "accepted"
    memberships = client.get(
        f"/api/v1/volunteers/{vol['id']}/memberships", headers=volunteer.headers
    ).json()["items"]
    assert [(m["organization_id"], m["status"]) for m in memberships] == [(city["id"], "active")]


def test_vol_agree_1_and_vol_harm_1_records_need_every_term_and_handling(
    client: TestClient, city_admin: Actor
) -> None:
    city = make_org(client, city_admin)
    vol = client.post(
        "/api/v1/volunteers",
        json=volunteer_body(organization_id=city["id"]),
        headers=city_admin.headers,
    ).json()
    agreement = {
        "volunteer_id": vol["id"],
        "organization_id": city["id"],
        "served_party": "红山区第一中学",
        "content": "青少年科技教育讲座",
        "manner": "每周一次",
        "starts_on": "2025-09-01",
        "ends_on": "2026-01-15",
        "place": "学校报告厅",
        "working_conditions": "提供多媒体教室",
        "safety_measures": "",
        "signed_on": "2025-08-20",
    }
    assert_problem(
        client.post("/api/v1/agreements", json=agreement, headers=city_admin.headers),
        422,
        field="safety_measures",
    )
    ok = client.post(
        "/api/v1/agreements",
        json=agreement | {"safety_measures": "学校安排专人负责安全"},
        headers=city_admin.headers,
    )
    assert ok.status_code == 201, ok.text
    starts = datetime.now(SHANGHAI) + timedelta(days=3)
    activity = client.post(
        "/api/v1/activities",
        json={
            "organization_id": city["id"],
            "title": "科普展板布置",
            "scope": 3,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=3)).isoformat(),
        },
        headers=city_admin.headers,
    ).json()
    incident = client.post(
        "/api/v1/incidents",
        json={
            "activity_id": activity["id"],
            "volunteer_id": vol["id"],
            "occurred_at": starts.isoformat(),
            "harmed": "volunteer",
            "description": "搬运展板时扭伤脚踝",
        },
        headers=city_admin.headers,
    ).json()
    url = f"/api/v1/incidents/{incident['id']}"
    assert_problem(client.patch(url, json={"status": "handled"}, headers=city_admin.headers), 422)
    handled = client.patch(
        url, json={"status": "handled", "handling": "送医，保险理赔"}, headers=city_admin.headers
    )
    assert handled.json()["handling"] == "送医，保险理赔"


def test_vol_honour_1_priority_list_needs_a_star_or_a_commendation(
    client: TestClient, city_admin: Actor
) -> None:
    city = make_org(client, city_admin)
    vol = client.post(
        "/api/v1/volunteers",
        json=volunteer_body(organization_id=city["id"]),
        headers=city_admin.headers,
    ).json()
    empty = client.get(
        "/api/v1/priority-list", params={"organization_id": city["id"]}, headers=city_admin.headers
    )
    assert empty.json() == []
    missing = client.post(
        "/api/v1/commendations",
        json={
            "organization_id": city["id"],
            "subject": "volunteer",
            "title": "优秀科技志愿者",
            "awarded_on": "2025-12-05",
        },
        headers=city_admin.headers,
    )
    assert_problem(missing, 422, field="volunteer_id")
    client.post(
        "/api/v1/commendations",
        json={
            "organization_id": city["id"],
            "subject": "volunteer",
            "volunteer_id": vol["id"],
            "title": "优秀科技志愿者",
            "awarded_on": "2025-12-05",
        },
        headers=city_admin.headers,
    )
    listed = client.get(
        "/api/v1/priority-list", params={"organization_id": city["id"]}, headers=city_admin.headers
    ).json()
    assert listed == [
        {
            "volunteer_id": vol["id"],
            "name_masked": "李*",
            "confirmed_hours": "0.00",
            "star_level": 0,
            "commendations": 1,
        }
    ]
