"""On-site attendance (VOL-CHECKIN-1) through the API: the code on the captain's screen, check-in
and check-out by the volunteer, the record it becomes, the roster, and every refusal kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.domain.access import Role
from app.domain.common import SHANGHAI
from app.repositories.volunteers_attendance import AttendanceRefusalRow
from app.services.volunteers_attendance import close_ended
from tests.api.test_bases_lifecycle import Clock
from tests.api.test_volunteers_gate import make_org, volunteer_body
from tests.conftest import Actor, ActorFactory, assert_problem

API = "/api/v1"
FENCE = {"latitude": 42.2586, "longitude": 118.8870, "radius_m": 200}


@dataclass
class Site:
    """An activity starting at `starts`, a volunteer confirmed in it, and its URLs."""

    activity: dict[str, Any]
    volunteer: Actor
    volunteer_id: str
    starts: datetime

    @property
    def url(self) -> str:
        return f"{API}/activities/{self.activity['id']}"


@pytest.fixture
def clock(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock(datetime.now(SHANGHAI))
    monkeypatch.setattr(app.state.ctx, "clock", clock)
    return clock


def _site(
    client: TestClient, city_admin: Actor, actor: ActorFactory, seq: int = 1, **activity: Any
) -> Site:
    org = make_org(client, city_admin)
    vol = client.post(
        f"{API}/volunteers",
        json=volunteer_body(seq, organization_id=org["id"]),
        headers=city_admin.headers,
    ).json()
    day = datetime.now(SHANGHAI).date() + timedelta(days=3)
    starts = datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI)
    created = client.post(
        f"{API}/activities",
        json={
            "organization_id": org["id"],
            "title": "科技馆科普讲解",
            "scope": 1,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=4)).isoformat(),
            **activity,
        },
        headers=city_admin.headers,
    )
    assert created.status_code == 201, created.text
    url = f"{API}/activities/{created.json()['id']}/enrolments"
    enrolment = client.post(url, json={"volunteer_id": vol["id"]}, headers=city_admin.headers)
    confirmed = client.post(f"{url}/{enrolment.json()['id']}:confirm", headers=city_admin.headers)
    assert confirmed.status_code == 200, confirmed.text
    volunteer = actor(Role.VOLUNTEER, volunteer_id=vol["id"])
    return Site(created.json(), volunteer, vol["id"], starts)


def _code(client: TestClient, site: Site, admin: Actor) -> str:
    shown = client.post(f"{site.url}/check-in-codes", headers=admin.headers)
    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert body["qr_svg"].lstrip().startswith("<?xml")
    assert body["qr_png"].startswith("data:image/png;base64,")
    assert body["payload"] == f"kepu-checkin:{site.activity['id']}:{body['code']}"
    return str(body["code"])


def _scan(client: TestClient, site: Site, verb: str, code: str, **extra: Any) -> Any:
    return client.post(
        f"{site.url}/attendance:{verb}",
        json={"code": code, **extra},
        headers=site.volunteer.headers,
    )


def _refusals(db: Session) -> int:
    db.expire_all()
    return int(db.exec(select(func.count()).select_from(AttendanceRefusalRow)).one())


def test_vol_checkin_1_from_the_code_on_site_to_confirmed_hours_and_a_certificate(
    client: TestClient, city_admin: Actor, actor: ActorFactory, clock: Clock, db: Session
) -> None:
    site = _site(client, city_admin, actor)
    clock.now = site.starts - timedelta(minutes=31)
    assert_problem(
        client.post(f"{site.url}/check-in-codes", headers=city_admin.headers),
        409,
        rule="VOL-CHECKIN-1",
    )
    clock.now = site.starts - timedelta(minutes=10)
    code = _code(client, site, city_admin)
    wrong = "000000" if code != "000000" else "111111"
    refused = assert_problem(_scan(client, site, "check-in", wrong), 409, rule="VOL-CHECKIN-1")
    assert [v["field"] for v in refused["violations"]] == ["code"]
    assert _refusals(db) == 1
    checked_in = _scan(client, site, "check-in", code)
    assert checked_in.status_code == 200, checked_in.text
    again = _scan(client, site, "check-in", code)
    assert again.json()["id"] == checked_in.json()["id"]

    clock.now = site.starts + timedelta(hours=3)
    stale = assert_problem(_scan(client, site, "check-out", code), 409, rule="VOL-CHECKIN-1")
    assert [v["field"] for v in stale["violations"]] == ["code"]
    out = _scan(client, site, "check-out", _code(client, site, city_admin))
    assert out.status_code == 200, out.text
    record_id = out.json()["service_record_id"]
    assert record_id is not None

    roster = client.get(f"{site.url}/roster", headers=city_admin.headers).json()["items"]
    assert [(r["name"], r["hours"], r["service_record_status"]) for r in roster] == [
        ("李*", 3.0, "recorded")
    ], "the check-in 10 minutes early counts from the start"
    confirmed = client.post(
        f"{API}/service-records/{record_id}:confirm", headers=city_admin.headers
    )
    assert (confirmed.json()["status"], confirmed.json()["source"]) == ("confirmed", "attendance")
    clock.now = None
    certificate = client.post(
        f"{API}/volunteers/{site.volunteer_id}/certificates",
        json={"organization_id": site.activity["organization_id"]},
        headers=city_admin.headers,
    )
    assert certificate.status_code == 201, certificate.text
    assert certificate.json()["total_hours"] == 3.0
    number, verify_url = certificate.json()["number"], certificate.json()["verify_url"]
    assert verify_url == f"http://127.0.0.1:8000/verify/{number}"
    page = client.get(f"/verify/{number}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for shown in ("本证明真实有效", "李*", "3.00 小时", site.starts.date().isoformat()):
        assert shown in page.text
    assert "李明" not in page.text, "the full name stays private"
    assert "<script" not in page.text
    pdf = client.get(
        f"{API}/certificates/{certificate.json()['id']}/pdf", headers=city_admin.headers
    )
    assert b"/Subtype /Image" in pdf.content, "the PDF carries the QR code of the page"

    mine = site.volunteer.headers
    activities = client.get(f"{API}/me/activities", headers=mine).json()["items"]
    assert [(a["title"], a["enrolment"]["status"]) for a in activities] == [
        ("科技馆科普讲解", "confirmed")
    ]
    hours = client.get(f"{API}/me/hours", headers=mine).json()
    assert (hours["total_hours"], hours["star_level"]) == (3.0, 0)
    certificates = client.get(f"{API}/me/certificates", headers=mine).json()["items"]
    assert [c["number"] for c in certificates] == [number]
    assert_problem(client.get(f"{API}/me/hours", headers=city_admin.headers), 403)


def test_vol_checkin_1_a_check_out_without_a_check_in_is_refused_and_kept(
    client: TestClient, city_admin: Actor, actor: ActorFactory, clock: Clock, db: Session
) -> None:
    site = _site(client, city_admin, actor)
    clock.now = site.starts + timedelta(hours=1)
    body = assert_problem(
        _scan(client, site, "check-out", _code(client, site, city_admin)), 409, rule="VOL-CHECKIN-1"
    )
    assert [v["field"] for v in body["violations"]] == ["check_in"]
    assert _refusals(db) == 1
    kept = client.get(f"{site.url}/attendance-refusals", headers=city_admin.headers).json()
    assert [(r["action"], r["rules"], r["volunteer_id"]) for r in kept["items"]] == [
        ("check-out", ["VOL-CHECKIN-1"], site.volunteer_id)
    ]


def test_vol_checkin_1_the_geofence_refuses_a_position_outside_it_or_none(
    client: TestClient, city_admin: Actor, actor: ActorFactory, clock: Clock
) -> None:
    site = _site(client, city_admin, actor, geofence=FENCE)
    assert site.activity["geofence"] == {**FENCE, "outside": "refuse"}, "refusal by default"
    clock.now = site.starts
    code = _code(client, site, city_admin)
    far = {"latitude": FENCE["latitude"] + 0.01, "longitude": FENCE["longitude"]}
    near = {"latitude": FENCE["latitude"] + 0.001, "longitude": FENCE["longitude"]}
    for position in (None, far):
        refused = assert_problem(
            _scan(client, site, "check-in", code, position=position), 409, rule="VOL-CHECKIN-1"
        )
        assert [v["field"] for v in refused["violations"]] == ["position"]
    inside = _scan(client, site, "check-in", code, position=near)
    assert inside.status_code == 200, inside.text


def test_vol_checkin_1_under_the_flag_policy_a_scan_outside_is_taken_and_flagged(
    client: TestClient, city_admin: Actor, actor: ActorFactory, clock: Clock, db: Session
) -> None:
    site = _site(client, city_admin, actor, geofence={**FENCE, "outside": "flag"})
    clock.now = site.starts
    before = _refusals(db)
    far = {"latitude": FENCE["latitude"] + 0.01, "longitude": FENCE["longitude"]}
    checked_in = _scan(client, site, "check-in", _code(client, site, city_admin), position=far)
    assert checked_in.status_code == 200, checked_in.text
    assert checked_in.json()["flags"] == ["outside_geofence"]
    clock.now = site.starts + timedelta(hours=2)
    out = _scan(client, site, "check-out", _code(client, site, city_admin))
    assert out.status_code == 200, out.text
    assert out.json()["service_record_id"] is not None, "the hours are recorded, to be looked at"
    roster = client.get(f"{site.url}/roster", headers=city_admin.headers).json()["items"]
    assert [r["flags"] for r in roster] == [["outside_geofence"]]
    assert _refusals(db) == before, "nothing was refused"


def test_vol_checkin_1_a_missing_check_out_is_closed_at_the_end_and_flagged(
    client: TestClient, city_admin: Actor, actor: ActorFactory, clock: Clock
) -> None:
    site = _site(client, city_admin, actor)
    clock.now = site.starts + timedelta(hours=1)
    assert _scan(client, site, "check-in", _code(client, site, city_admin)).status_code == 200
    assert_problem(
        client.post(f"{site.url}/attendance:close", headers=city_admin.headers),
        409,
        rule="VOL-CHECKIN-1",
    )
    clock.now = site.starts + timedelta(hours=5)
    closed = client.post(f"{site.url}/attendance:close", headers=city_admin.headers).json()
    assert [(a["flags"], datetime.fromisoformat(a["checked_out_at"])) for a in closed] == [
        (["no_check_out"], site.starts + timedelta(hours=4))
    ]
    roster = client.get(f"{site.url}/roster", headers=city_admin.headers).json()["items"]
    assert [r["hours"] for r in roster] == [3.0]


def test_vol_checkin_1_the_service_closes_a_missing_check_out_once_the_window_has_passed(
    client: TestClient, city_admin: Actor, actor: ActorFactory, clock: Clock, db: Session
) -> None:
    site = _site(client, city_admin, actor)
    clock.now = site.starts + timedelta(hours=1)
    assert _scan(client, site, "check-in", _code(client, site, city_admin)).status_code == 200
    window_closes = site.starts + timedelta(hours=4, minutes=30)
    db.rollback()
    assert close_ended(session=db, now=window_closes) == (0, 0), "a scan may still come"
    assert close_ended(session=db, now=window_closes + timedelta(seconds=1)) == (1, 0)
    db.commit()
    assert close_ended(session=db, now=window_closes + timedelta(hours=1)) == (0, 0)
    roster = client.get(f"{site.url}/roster", headers=city_admin.headers).json()["items"]
    assert [(r["flags"], r["hours"], r["service_record_status"]) for r in roster] == [
        (["no_check_out"], 3.0, "recorded")
    ]


def test_vol_checkin_1_only_the_volunteer_checks_in_and_only_its_organisation_shows_codes(
    client: TestClient, city_admin: Actor, actor: ActorFactory, clock: Clock
) -> None:
    site = _site(client, city_admin, actor)
    clock.now = site.starts
    code = _code(client, site, city_admin)
    as_admin = client.post(
        f"{site.url}/attendance:check-in", json={"code": code}, headers=city_admin.headers
    )
    assert_problem(as_admin, 403)
    other_org = actor(Role.ORG_ADMIN, org_id=make_org(client, city_admin, name="别的队")["id"])
    assert_problem(client.post(f"{site.url}/check-in-codes", headers=other_org.headers), 403)


def test_vol_duty_4_an_unknown_or_malformed_number_gets_the_same_page(client: TestClient) -> None:
    unknown = client.get("/verify/KJZY-2025-0000000000Z")
    for malformed in ("not-a-number", "a:b", "a/b", "%E2%80%AE", "a%0Ab", ""):
        page = client.get(f"/verify/{malformed}")
        assert (page.status_code, page.text) == (404, unknown.text), malformed
    assert "未找到该证明" in unknown.text
