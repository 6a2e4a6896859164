"""Registrations by the public (VOL-REG-1/2; issue 12, holes 3 and 4): the public answer never
depends on who is on record; the organisation sees it and decides."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.domain.access import Role
from tests.api.test_volunteers_gate import id_number, make_county_team, make_org, volunteer_body
from tests.conftest import Actor, ActorFactory, assert_problem

PUBLIC = "/api/v1/public/volunteer-registrations"
PASSWORD = "long enough password"


def _send(client: TestClient, org: dict[str, Any], seq: int, username: str) -> dict[str, Any]:
    body = volunteer_body(seq) | {
        "username": username,
        "password": PASSWORD,
        "organization_id": org["id"],
    }
    sent = client.post(PUBLIC, json=body)
    assert sent.status_code == 202, sent.text
    assert "Location" not in sent.headers
    return sent.json()  # type: ignore[no-any-return]


def _logs_in(client: TestClient, username: str) -> bool:
    answer = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    return answer.status_code == 200


def _url(receipt: dict[str, Any], verb: str = "") -> str:
    return f"/api/v1/volunteer-registrations/{receipt['id']}{verb}"


def test_hole_3_the_public_answer_is_the_same_for_a_known_and_an_unknown_id_number(
    client: TestClient, city_admin: Actor
) -> None:
    org = make_org(client, city_admin)
    known = client.post("/api/v1/volunteers", json=volunteer_body(1), headers=city_admin.headers)
    assert known.status_code == 201, known.text
    for_known = _send(client, org, 1, "first-caller")
    for_unknown = _send(client, org, 2, "second-caller")
    assert for_known.keys() == for_unknown.keys() == {"id", "status", "received_at"}
    assert for_known["status"] == for_unknown["status"] == "pending"
    assert not _logs_in(client, "first-caller")
    assert not _logs_in(client, "second-caller")
    staff = client.get(_url(for_known), headers=city_admin.headers).json()
    full = id_number("19900517", 1)
    assert (staff["already_registered"], staff["id_number"]) == (
        True,
        full[:3] + "*" * 11 + full[-4:],
    )


def test_hole_4_the_public_answer_is_the_same_for_a_taken_and_a_free_username(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    org = make_org(client, city_admin)
    admin = actor(Role.COUNTY_ADMIN, username="hongshan-admin", county_code="150402")
    taken = _send(client, org, 1, admin.username)
    free = _send(client, org, 2, "nobody-has-this")
    assert taken.keys() == free.keys()
    assert taken["status"] == free["status"]
    assert not _logs_in(client, admin.username)
    assert not _logs_in(client, "nobody-has-this")
    views = client.get(
        "/api/v1/volunteer-registrations", params={"status": "pending"}, headers=city_admin.headers
    ).json()["items"]
    assert {v["username"]: v["username_taken"] for v in views} == {
        admin.username: True,
        "nobody-has-this": False,
    }


def test_vol_reg_2_an_accepted_registration_is_an_active_member_with_its_login(
    client: TestClient, city_admin: Actor
) -> None:
    org = make_org(client, city_admin)
    receipt = _send(client, org, 1, "liming")
    accepted = client.post(_url(receipt, ":accept"), json={}, headers=city_admin.headers)
    assert accepted.status_code == 200, accepted.text
    view = accepted.json()
    assert (view["status"], view["already_registered"]) == ("accepted", False)
    assert _logs_in(client, "liming")
    memberships = client.get(
        f"/api/v1/volunteers/{view['volunteer_id']}/memberships", headers=city_admin.headers
    ).json()["items"]
    assert [(m["organization_id"], m["status"]) for m in memberships] == [(org["id"], "active")]
    again = client.post(
        _url(receipt, ":decline"), json={"reason": "重复"}, headers=city_admin.headers
    )
    assert_problem(again, 409, rule="VOL-REG-2")


def test_vol_reg_2_a_person_on_record_joins_as_they_are_and_gets_no_second_login(
    client: TestClient, city_admin: Actor
) -> None:
    first_org = make_org(client, city_admin)
    second_org = make_org(client, city_admin, name="赤峰市科技馆志愿服务队")
    on_record = client.post(
        "/api/v1/volunteers",
        json=volunteer_body(1, organization_id=first_org["id"]),
        headers=city_admin.headers,
    ).json()
    receipt = _send(client, second_org, 1, "impostor")
    accepted = client.post(_url(receipt, ":accept"), json={}, headers=city_admin.headers).json()
    assert (accepted["status"], accepted["volunteer_id"]) == ("accepted", on_record["id"])
    assert not _logs_in(client, "impostor")
    memberships = client.get(
        f"/api/v1/volunteers/{on_record['id']}/memberships", headers=city_admin.headers
    ).json()["items"]
    assert sorted(m["organization_id"] for m in memberships) == sorted(
        [first_org["id"], second_org["id"]]
    )


def test_vol_reg_2_the_organisation_replaces_a_taken_username(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    org = make_org(client, city_admin)
    other = actor(Role.AUDITOR)
    receipt = _send(client, org, 1, other.username)
    refused = client.post(_url(receipt, ":accept"), json={}, headers=city_admin.headers)
    assert_problem(refused, 409)
    assert client.get(_url(receipt), headers=city_admin.headers).json()["status"] == "pending"
    accepted = client.post(
        _url(receipt, ":accept"), json={"username": "liming2026"}, headers=city_admin.headers
    )
    assert accepted.status_code == 200, accepted.text
    assert _logs_in(client, "liming2026")


def test_vol_reg_2_a_declined_registration_creates_nothing(
    client: TestClient, city_admin: Actor
) -> None:
    org = make_org(client, city_admin)
    receipt = _send(client, org, 1, "liming")
    no_reason = client.post(_url(receipt, ":decline"), json={}, headers=city_admin.headers)
    assert_problem(no_reason, 422)
    declined = client.post(
        _url(receipt, ":decline"),
        json={"reason": "经电话核实，本人未申请"},
        headers=city_admin.headers,
    ).json()
    assert (declined["status"], declined["volunteer_id"]) == ("declined", None)
    assert not _logs_in(client, "liming")
    volunteers = client.get("/api/v1/volunteers", headers=city_admin.headers).json()["items"]
    assert volunteers == []


def test_vol_reg_1_content_is_checked_on_receipt_and_nothing_is_stored_when_it_fails(
    client: TestClient, city_admin: Actor
) -> None:
    org = make_org(client, city_admin)
    valid = id_number("19900517")
    wrong_check = valid[:-1] + ("1" if valid[-1] != "1" else "2")
    bad = volunteer_body(1) | {
        "id_number": wrong_check,
        "username": "liming",
        "password": PASSWORD,
        "organization_id": org["id"],
    }
    assert_problem(client.post(PUBLIC, json=bad), 422, rule="VOL-REG-1")
    listed = client.get("/api/v1/volunteer-registrations", headers=city_admin.headers).json()
    assert listed["items"] == []


def test_vol_reg_2_a_county_sees_only_registrations_to_its_organisations(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    team = make_county_team(client, city_admin)
    receipt = _send(client, team, 1, "liming")
    own = actor(Role.COUNTY_ADMIN, county_code="150402")
    other = actor(Role.COUNTY_ADMIN, county_code="150403")
    assert client.get(_url(receipt), headers=own.headers).status_code == 200
    assert_problem(client.get(_url(receipt), headers=other.headers), 404)
    assert_problem(client.post(_url(receipt, ":accept"), json={}, headers=other.headers), 404)
    listed = client.get("/api/v1/volunteer-registrations", headers=other.headers).json()
    assert listed["items"] == []
