"""The volunteer core path over HTTP: organisations, registration, the enrolment gate, hours,
certificates and public verification (VOL-ORG-2, VOL-DUTY-1..4, VOL-HOURS-1, VOL-HONOUR-1)."""

from __future__ import annotations

import contextlib
import zlib
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.domain.access import Role
from app.domain.common import SHANGHAI
from app.rules.identity import resident_id_check_char
from tests.conftest import Actor, ActorFactory, assert_problem


def id_number(born: str, seq: int = 1, region: str = "150402") -> str:
    body = f"{region}{born}{seq:03d}"
    return body + resident_id_check_char(body)


def volunteer_body(seq: int = 1, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "李明",
        "id_number": id_number("19900517", seq),
        "mobile": "13800138000",
        "region_code": "150402",
        "address": "内蒙古自治区赤峰市红山区长青街道3号楼",
        "skills": ["急救", "科普讲解"],
        "declarations": {
            "good_conduct": True,
            "healthy": True,
            "law_abiding": True,
            "supports_science": True,
            "civil_capacity": True,
        },
    }
    body.update(changes)
    return body


def make_org(client: TestClient, admin: Actor, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "赤峰市科技志愿服务队", "kind": "team", "level": "city_team"}
    body.update(changes)
    response = client.post("/api/v1/organizations", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def make_county_team(
    client: TestClient, admin: Actor, region_code: str = "150402"
) -> dict[str, Any]:
    """A county team under a new city team."""
    city = make_org(client, admin)
    return make_org(
        client,
        admin,
        name=f"旗县区科技志愿者队{region_code}",
        level="county_team",
        parent_id=city["id"],
        region_code=region_code,
    )


def test_vol_org_2_a_cycle_in_the_hierarchy_is_refused(
    client: TestClient, city_admin: Actor
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
    township = make_org(
        client, city_admin, name="桥北街道分队", level="township_subteam", parent_id=county["id"]
    )
    assert township["path"] == f"/{city['id']}/{county['id']}/{township['id']}/"
    moved = client.patch(
        f"/api/v1/organizations/{county['id']}",
        json={"parent_id": township["id"]},
        headers=city_admin.headers,
    )
    body = assert_problem(moved, 422, rule="VOL-ORG-2")
    assert any(v["code"] == "cycle" for v in body["violations"])
    wrong_level = client.post(
        "/api/v1/organizations",
        json={"name": "x", "kind": "team", "level": "county_team", "parent_id": county["id"]},
        headers=city_admin.headers,
    )
    assert_problem(wrong_level, 422, rule="VOL-ORG-2")
    tree = client.get(f"/api/v1/organizations/{city['id']}/tree", headers=city_admin.headers)
    assert tree.json()["children"][0]["children"][0]["id"] == township["id"]


def test_vol_org_2_a_moved_team_takes_its_enrolments_to_the_new_parent(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    old_parent = make_org(client, city_admin)
    new_parent = make_org(client, city_admin, name="赤峰市科技馆志愿服务队")
    team = make_org(
        client,
        city_admin,
        name="红山区科技志愿者队",
        level="county_team",
        parent_id=old_parent["id"],
        region_code="150402",
    )
    vol = client.post(
        "/api/v1/volunteers",
        json=volunteer_body(organization_id=team["id"]),
        headers=city_admin.headers,
    ).json()
    starts = datetime.now(SHANGHAI) + timedelta(days=5)
    activity = client.post(
        "/api/v1/activities",
        json={
            "organization_id": team["id"],
            "title": "科普日展台",
            "scope": 1,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=4)).isoformat(),
            "capacity": 3,
        },
        headers=city_admin.headers,
    ).json()
    enrolment = client.post(
        f"/api/v1/activities/{activity['id']}/enrolments",
        json={"volunteer_id": vol["id"]},
        headers=city_admin.headers,
    ).json()
    url = f"/api/v1/activities/{activity['id']}/enrolments/{enrolment['id']}"
    moved = client.patch(
        f"/api/v1/organizations/{team['id']}",
        json={"parent_id": new_parent["id"]},
        headers=city_admin.headers,
    )
    assert moved.status_code == 200, moved.text
    new_admin = actor(Role.ORG_ADMIN, org_id=new_parent["id"])
    old_admin = actor(Role.ORG_ADMIN, org_id=old_parent["id"])
    assert client.get(url, headers=new_admin.headers).status_code == 200
    assert_problem(client.get(url, headers=old_admin.headers), 404)


def test_vol_org_3_second_captain_refused_and_findings_warn(
    client: TestClient, city_admin: Actor
) -> None:
    city = make_org(client, city_admin)
    url = f"/api/v1/organizations/{city['id']}/leaders"
    first = client.post(url, json={"role": "captain", "name": "张伟"}, headers=city_admin.headers)
    assert first.status_code == 201
    read = client.get(first.headers["Location"], headers=city_admin.headers)
    assert (read.json(), read.headers["ETag"]) == (first.json(), first.headers["ETag"])
    second = client.post(url, json={"role": "captain", "name": "王强"}, headers=city_admin.headers)
    assert_problem(second, 409, rule="VOL-ORG-3")
    findings = client.get(
        f"/api/v1/organizations/{city['id']}/findings", headers=city_admin.headers
    ).json()
    assert findings["ok"] is True
    assert {(f["rule"], f["severity"]) for f in findings["findings"]} == {("VOL-ORG-3", "warning")}


def test_vol_duty_1_personal_data_is_masked_by_default_and_reveals_are_audited(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    created = client.post("/api/v1/volunteers", json=volunteer_body(), headers=city_admin.headers)
    assert created.status_code == 201, created.text
    masked = created.json()
    full = id_number("19900517")
    assert masked["id_number"] == full[:3] + "*" * 11 + full[-4:]
    assert masked["mobile"] == "138****8000"
    assert masked["address"] == "内蒙古自治区****"
    assert masked["birth_date"] is None
    url = f"/api/v1/volunteers/{masked['id']}"
    revealed = client.get(url, params={"reveal": "true"}, headers=city_admin.headers).json()
    assert revealed["id_number"] == id_number("19900517")
    assert revealed["mobile"] == "13800138000"
    auditor = actor(Role.AUDITOR)
    assert_problem(client.get(url, params={"reveal": "true"}, headers=auditor.headers), 403)
    events = client.get(
        "/api/v1/audit-events", params={"resource": "volunteer"}, headers=auditor.headers
    ).json()
    reveals = [e for e in events["items"] if e["op"] == "reveal"]
    assert len(reveals) == 1
    assert reveals[0]["actor_id"] == city_admin.user_id
    dump = str(events)
    assert "13800138000" not in dump
    assert id_number("19900517") not in dump


def test_vol_duty_1_county_admin_cannot_see_another_countys_volunteers(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    here = client.post("/api/v1/volunteers", json=volunteer_body(1), headers=city_admin.headers)
    there = client.post(
        "/api/v1/volunteers",
        json=volunteer_body(2, region_code="150404"),
        headers=city_admin.headers,
    )
    hongshan = actor(Role.COUNTY_ADMIN, county_code="150402")
    listed = client.get("/api/v1/volunteers", headers=hongshan.headers).json()
    assert [v["id"] for v in listed["items"]] == [here.json()["id"]]
    assert_problem(
        client.get(f"/api/v1/volunteers/{there.json()['id']}", headers=hongshan.headers), 404
    )


def test_vol_reg_1_every_registration_problem_in_one_answer(
    client: TestClient, city_admin: Actor
) -> None:
    bad = volunteer_body(id_number=id_number("19900517")[:17] + "0", mobile="12345", skills=[])
    body = assert_problem(
        client.post("/api/v1/volunteers", json=bad, headers=city_admin.headers), 422
    )
    assert {v["field"] for v in body["violations"]} >= {"id_number", "mobile", "skills"}


def test_vol_duty_3_dangerous_activity_walkthrough_to_public_verification(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    """Refusal → acknowledgement → insurance → confirmation → hours → certificate → verify."""
    org = make_org(client, city_admin, person_in_charge="张伟")
    vol = client.post(
        "/api/v1/volunteers",
        json=volunteer_body(organization_id=org["id"]),
        headers=city_admin.headers,
    ).json()
    volunteer = actor(Role.VOLUNTEER, volunteer_id=vol["id"])
    first = datetime.now(SHANGHAI).date() + timedelta(days=10)
    starts = datetime(first.year, first.month, first.day, 9, tzinfo=SHANGHAI)
    day = [str(first + timedelta(days=n)) for n in range(3)]
    activity = client.post(
        "/api/v1/activities",
        json={
            "organization_id": org["id"],
            "title": "防汛应急科普进社区",
            "scope": 1,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(days=2, hours=8)).isoformat(),
            "capacity": 5,
            "required_skills": ["急救"],
            "risk": "personal_danger",
            "risk_disclosure": "涉水作业，可能发生溺水、滑倒",
        },
        headers=city_admin.headers,
    )
    assert activity.status_code == 201, activity.text
    act = activity.json()
    base = f"/api/v1/activities/{act['id']}/enrolments"
    enrolment = client.post(base, json={}, headers=volunteer.headers)
    assert enrolment.status_code == 201, enrolment.text
    eid = enrolment.json()["id"]

    refused = client.post(f"{base}/{eid}:confirm", headers=city_admin.headers)
    body = assert_problem(refused, 409, rule="VOL-DUTY-3")
    assert {v["field"] for v in body["violations"]} == {"risk_acknowledged_at", "insurance"}

    ack = client.post(f"{base}/{eid}:acknowledge-risk", headers=volunteer.headers)
    assert ack.json()["risk_acknowledged_at"] is not None
    assert_problem(client.post(f"{base}/{eid}:acknowledge-risk", headers=city_admin.headers), 403)

    short = client.post(
        "/api/v1/insurance-policies",
        json={
            "organization_id": org["id"],
            "insurer": "中国人寿",
            "number": "P-1",
            "starts_on": day[0],
            "ends_on": day[1],
            "insured_volunteer_ids": [vol["id"]],
        },
        headers=city_admin.headers,
    )
    assert short.status_code == 201, short.text
    still = client.post(f"{base}/{eid}:confirm", headers=city_admin.headers)
    body = assert_problem(still, 409, rule="VOL-DUTY-3")
    assert [(v["code"], day[2] in v["message"]) for v in body["violations"]] == [
        ("uninsured", True)
    ]
    client.post(
        "/api/v1/insurance-policies",
        json={
            "organization_id": org["id"],
            "insurer": "中国人寿",
            "number": "P-2",
            "starts_on": day[2],
            "ends_on": day[2],
            "activity_id": act["id"],
            "insured_volunteer_ids": [vol["id"]],
        },
        headers=city_admin.headers,
    )
    confirmed = client.post(f"{base}/{eid}:confirm", headers=city_admin.headers)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"

    record = client.post(
        "/api/v1/service-records",
        json={
            "enrolment_id": eid,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=3, minutes=30)).isoformat(),
        },
        headers=city_admin.headers,
    )
    assert record.status_code == 201, record.text
    assert record.json()["hours"] == 3.5
    overlap = client.post(
        "/api/v1/service-records",
        json={
            "enrolment_id": eid,
            "starts_at": (starts + timedelta(hours=3, minutes=29)).isoformat(),
            "ends_at": (starts + timedelta(hours=5)).isoformat(),
        },
        headers=city_admin.headers,
    )
    assert_problem(overlap, 409, rule="VOL-HOURS-1")
    hours = client.get(f"/api/v1/volunteers/{vol['id']}/hours", headers=volunteer.headers)
    assert hours.json()["total_hours"] == 0
    rid = record.json()["id"]
    client.post(f"/api/v1/service-records/{rid}:confirm", headers=city_admin.headers)
    hours = client.get(f"/api/v1/volunteers/{vol['id']}/hours", headers=volunteer.headers)
    assert (hours.json()["total_hours"], hours.json()["star_level"]) == (3.5, 0)

    issued = client.post(
        f"/api/v1/volunteers/{vol['id']}/certificates",
        json={"organization_id": org["id"]},
        headers=city_admin.headers,
    )
    assert issued.status_code == 201, issued.text
    cert = issued.json()
    assert cert["total_hours"] == 3.5
    assert cert["id_number_masked"].endswith(id_number("19900517")[-4:])
    assert "19900517" not in cert["id_number_masked"]

    pdf = client.get(f"/api/v1/certificates/{cert['id']}/pdf", headers=volunteer.headers)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "科" in _pdf_unicode(pdf.content)
    assert "证" in _pdf_unicode(pdf.content)

    public = client.get(f"/api/v1/public/certificates/{cert['number']}")
    assert public.status_code == 200, public.text
    assert public.json() == {
        "number": cert["number"],
        "volunteer_name_masked": "李*",
        "total_hours": 3.5,
        "organization_name": "赤峰市科技志愿服务队",
        "issued_on": str(datetime.now(SHANGHAI).date()),
        "starts_on": cert["starts_on"],
        "ends_on": cert["ends_on"],
        "status": "valid",
        "void_reason": None,
    }
    client.post(
        f"/api/v1/certificates/{cert['id']}:void",
        json={"reason": "时长登记有误"},
        headers=city_admin.headers,
    )
    again = client.get(f"/api/v1/public/certificates/{cert['number']}").json()
    assert (again["status"], again["void_reason"]) == ("void", "时长登记有误")
    assert_problem(client.get("/api/v1/public/certificates/KJZY-2025-0000000000Z"), 404)


def _county_activity(client: TestClient, city_admin: Actor, county: str, seq: int) -> str:
    """An activity of a county team of `county`, with one pending enrolment: its enrolment URL."""
    city = make_org(client, city_admin, name=f"赤峰市科技志愿服务队{seq}")
    team = make_org(
        client,
        city_admin,
        name=f"旗县科技志愿者队{county}",
        level="county_team",
        parent_id=city["id"],
        region_code=county,
    )
    vol = client.post(
        "/api/v1/volunteers",
        json=volunteer_body(seq, region_code=county, organization_id=team["id"]),
        headers=city_admin.headers,
    )
    assert vol.status_code == 201, vol.text
    starts = datetime.now(SHANGHAI) + timedelta(days=7)
    activity = client.post(
        "/api/v1/activities",
        json={
            "organization_id": team["id"],
            "title": "青少年科技教育讲座",
            "scope": 1,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=3)).isoformat(),
        },
        headers=city_admin.headers,
    )
    assert activity.status_code == 201, activity.text
    url = f"/api/v1/activities/{activity.json()['id']}/enrolments"
    enrolment = client.post(
        url, json={"volunteer_id": vol.json()["id"]}, headers=city_admin.headers
    )
    assert enrolment.status_code == 201, enrolment.text
    return f"{url}/{enrolment.json()['id']}"


def test_vol_duty_1_another_countys_enrolment_is_404_never_403(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    here = _county_activity(client, city_admin, "150402", 1)
    there = _county_activity(client, city_admin, "150404", 2)
    hongshan = actor(Role.COUNTY_ADMIN, county_code="150402")
    assert client.get(here, headers=hongshan.headers).status_code == 200
    assert_problem(client.get(there, headers=hongshan.headers), 404)
    reason = {"reason": "临时有事"}
    assert_problem(client.post(f"{there}:withdraw", json=reason, headers=hongshan.headers), 404)
    assert_problem(client.post(f"{there}:confirm", headers=hongshan.headers), 404)
    listed = client.get(there.rsplit("/", 1)[0], headers=hongshan.headers).json()
    assert listed["items"] == []
    unchanged = client.get(there, headers=city_admin.headers).json()
    assert unchanged["status"] == "pending"


def _pdf_unicode(pdf: bytes) -> str:
    """The characters of the PDF's ToUnicode maps: proof the Chinese text is really there."""
    text = []
    for chunk in pdf.split(b"stream\n")[1:]:
        data = chunk.split(b"\nendstream")[0]
        with contextlib.suppress(zlib.error):  # fpdf2 leaves the ToUnicode map uncompressed
            data = zlib.decompress(data)
        for line in data.split(b"\n"):
            parts = line.strip().split()
            if len(parts) == 2 and parts[1].startswith(b"<") and len(parts[1]) == 6:
                text.append(chr(int(parts[1][1:5], 16)))
    return "".join(text)


def test_vol_org_2_another_countys_organisation_is_not_found_where_it_would_be_changed(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    city = make_org(client, city_admin)
    songshan = make_org(
        client,
        city_admin,
        name="松山区科技志愿者队",
        level="county_team",
        parent_id=city["id"],
        region_code="150404",
    )
    hongshan = actor(Role.COUNTY_ADMIN, county_code="150402")
    url = f"/api/v1/organizations/{songshan['id']}"
    assert client.get(url, headers=hongshan.headers).status_code == 200
    assert_problem(client.patch(url, json={"name": "x"}, headers=hongshan.headers), 404)
    assert_problem(
        client.put(f"{url}/registration", json={"status": "applying"}, headers=hongshan.headers),
        404,
    )
    assert_problem(
        client.post(
            f"{url}/leaders", json={"role": "captain", "name": "张伟"}, headers=hongshan.headers
        ),
        404,
    )
    joined = client.post(
        "/api/v1/volunteers",
        json=volunteer_body(organization_id=songshan["id"]),
        headers=hongshan.headers,
    )
    assert_problem(joined, 404)
    bulk = client.post(
        "/api/v1/volunteers:bulk",
        params={"organization_id": songshan["id"]},
        json=[volunteer_body()],
        headers=hongshan.headers,
    )
    assert_problem(bulk, 404)
