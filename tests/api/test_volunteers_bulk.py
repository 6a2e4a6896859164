"""Team registration in bulk (VOL-REG-2), memberships (VOL-EXIT-1), self-registration (VOL-REG-1)
and confirmations under concurrency (capacity)."""

from __future__ import annotations

import csv
import gc
import io
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlmodel import Session, func, select

from app.domain.access import Role
from app.domain.common import SHANGHAI
from app.domain.volunteers import MembershipAction
from app.repositories.volunteers import MembershipRow, VolunteerRow
from app.routers.bulk import collector_paused
from app.routers.v1.volunteers.memberships import STEPS
from app.routers.v1.volunteers.schemas import MembershipEventAction
from tests.api.test_volunteers_gate import id_number, make_org, volunteer_body
from tests.conftest import Actor, ActorFactory, assert_problem

DECLARED = {
    "good_conduct": True,
    "healthy": True,
    "law_abiding": True,
    "supports_science": True,
    "civil_capacity": True,
}


def bulk_row(seq: int, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": f"志愿者{seq}",
        "id_number": id_number("19900517", seq % 1000, region="150402")
        if seq < 1000
        else id_number("19850101", seq % 1000),
        "mobile": f"139{seq:08d}",
        "region_code": "150402",
        "skills": "科普讲解;急救",
        **DECLARED,
    }
    row.update(changes)
    return row


def thousand_rows() -> list[dict[str, Any]]:
    rows = [bulk_row(n) for n in range(1, 1001)]
    rows[9]["id_number"] = rows[9]["id_number"][:17] + (
        "0" if rows[9]["id_number"][-1] != "0" else "1"
    )
    rows[99]["mobile"] = "12345"
    rows[499]["region_code"] = "999999"
    return rows


def count(db: Session, model: Any) -> int:
    return int(db.exec(select(func.count()).select_from(model)).one())


def test_vol_reg_2_bulk_1000_rows_all_or_nothing_refuses_and_applies_nothing(
    client: TestClient, city_admin: Actor, db: Session
) -> None:
    org = make_org(client, city_admin)
    response = client.post(
        "/api/v1/volunteers:bulk",
        params={"organization_id": org["id"]},
        json=thousand_rows(),
        headers=city_admin.headers,
    )
    body = assert_problem(response, 422)
    fields = {e["field"] for e in body["errors"]}
    assert {"rows[10].id_number", "rows[100].mobile", "rows[500].region_code"} <= fields
    assert count(db, VolunteerRow) == 0


def test_vol_reg_2_bulk_partial_applies_good_rows_and_a_retry_creates_nothing_twice(
    client: TestClient, city_admin: Actor, db: Session
) -> None:
    org = make_org(client, city_admin)
    params = {"organization_id": org["id"], "mode": "partial"}
    first = client.post(
        "/api/v1/volunteers:bulk", params=params, json=thousand_rows(), headers=city_admin.headers
    )
    assert first.status_code == 200, first.text
    result = first.json()
    assert (result["created"], result["errors"], result["matched_existing"]) == (997, 3, 0)
    assert [r["row"] for r in result["rows"] if r["status"] == "error"] == [10, 100, 500]
    retry = client.post(
        "/api/v1/volunteers:bulk", params=params, json=thousand_rows(), headers=city_admin.headers
    ).json()
    assert (retry["created"], retry["errors"], retry["matched_existing"]) == (0, 3, 997)
    assert count(db, VolunteerRow) == 997
    assert count(db, MembershipRow) == 997


def test_vol_reg_2_bulk_takes_10000_rows_in_one_request_and_refuses_more(
    client: TestClient, city_admin: Actor, db: Session
) -> None:
    org = make_org(client, city_admin)
    params = {"organization_id": org["id"], "include_ok": "false"}
    rows = [
        bulk_row(n, id_number=id_number("19850101", n % 1000, region=f"{150402 + n // 1000}"))
        for n in range(10_000)
    ]
    too_many = client.post(
        "/api/v1/volunteers:bulk", params=params, json=rows + rows[:1], headers=city_admin.headers
    )
    assert_problem(too_many, 422, field="rows")
    response = client.post(
        "/api/v1/volunteers:bulk", params=params, json=rows, headers=city_admin.headers
    )
    assert response.status_code == 200, response.text
    assert (response.json()["created"], response.json()["errors"]) == (10_000, 0)
    assert count(db, VolunteerRow) == count(db, MembershipRow) == 10_000


def test_vol_reg_2_bulk_from_csv_and_xlsx_matches_one_person_once(
    client: TestClient, city_admin: Actor
) -> None:
    org = make_org(client, city_admin)
    rows = [bulk_row(1), bulk_row(2), bulk_row(1, name="志愿者1（重复）")]
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    via_csv = client.post(
        "/api/v1/volunteers:bulk",
        params={"organization_id": org["id"], "include_ok": "true"},
        content=text.getvalue().encode(),
        headers={**city_admin.headers, "Content-Type": "text/csv"},
    ).json()
    assert [r["status"] for r in via_csv["rows"]] == ["created", "created", "matched_existing"]
    assert via_csv["rows"][0]["id"] == via_csv["rows"][2]["id"]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(rows[0]))
    for row in [*rows[:2], bulk_row(3)]:
        sheet.append(list(row.values()))
    data = io.BytesIO()
    book.save(data)
    via_xlsx = client.post(
        "/api/v1/volunteers:bulk",
        params={"organization_id": org["id"], "include_ok": "true"},
        content=data.getvalue(),
        headers={
            **city_admin.headers,
            "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        },
    ).json()
    assert [r["status"] for r in via_xlsx["rows"]] == [
        "matched_existing",
        "matched_existing",
        "created",
    ]


def test_vol_exit_1_expelled_volunteer_cannot_rejoin_or_be_bulk_registered_again(
    client: TestClient, city_admin: Actor
) -> None:
    org = make_org(client, city_admin)
    vol = client.post(
        "/api/v1/volunteers",
        json=volunteer_body(organization_id=org["id"]),
        headers=city_admin.headers,
    ).json()
    memberships = client.get(
        f"/api/v1/volunteers/{vol['id']}/memberships", headers=city_admin.headers
    ).json()["items"]
    url = f"/api/v1/volunteers/{vol['id']}/memberships/{memberships[0]['id']}"
    early_exit = client.post(f"{url}:exit", json={"reason": "多次缺席"}, headers=city_admin.headers)
    assert_problem(early_exit, 409, rule="VOL-EXIT-1")
    no_reason = client.post(f"{url}:warn", headers=city_admin.headers)
    assert_problem(no_reason, 409, rule="VOL-EXIT-1")
    client.post(f"{url}:warn", json={"reason": "多次缺席"}, headers=city_admin.headers)
    expelled = client.post(
        f"{url}:expel", json={"reason": "以志愿者名义收费"}, headers=city_admin.headers
    ).json()
    assert expelled["status"] == "expelled"
    assert [h["action"] for h in expelled["history"]] == ["join", "warn", "expel"]
    assert client.get(url, headers=city_admin.headers).json() == expelled
    again = client.post(
        f"/api/v1/volunteers/{vol['id']}/memberships",
        json={"organization_id": org["id"]},
        headers=city_admin.headers,
    )
    assert_problem(again, 409, rule="VOL-EXIT-1")
    row = bulk_row(1, id_number=id_number("19900517"))
    bulk = client.post(
        "/api/v1/volunteers:bulk",
        params={"organization_id": org["id"], "mode": "partial"},
        json=[row],
        headers=city_admin.headers,
    ).json()
    assert bulk["rows"][0]["errors"][0]["code"] == "VOL-EXIT-1"


def test_vol_capacity_concurrent_confirmations_never_exceed_capacity(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    org = make_org(client, city_admin)
    first = datetime.now(SHANGHAI) + timedelta(days=5)
    activity = client.post(
        "/api/v1/activities",
        json={
            "organization_id": org["id"],
            "title": "科普日展台",
            "scope": 3,
            "starts_at": first.isoformat(),
            "ends_at": (first + timedelta(hours=4)).isoformat(),
            "capacity": 3,
        },
        headers=city_admin.headers,
    ).json()
    base = f"/api/v1/activities/{activity['id']}/enrolments"
    enrolments = []
    for seq in range(1, 11):
        vol = client.post(
            "/api/v1/volunteers",
            json=volunteer_body(seq, organization_id=org["id"]),
            headers=city_admin.headers,
        ).json()
        enrolments.append(
            client.post(base, json={"volunteer_id": vol["id"]}, headers=city_admin.headers).json()
        )

    def confirm(enrolment: dict[str, Any]) -> int:
        return client.post(
            f"{base}/{enrolment['id']}:confirm", headers=city_admin.headers
        ).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(confirm, enrolments))
    assert sorted(statuses) == [200] * 3 + [409] * 7
    confirmed = client.get(base, params={"status": "confirmed"}, headers=city_admin.headers)
    assert len(confirmed.json()["items"]) == 3


def test_vol_recruit_1_volunteers_filtered_by_skill_fill_whole_pages(
    client: TestClient, city_admin: Actor
) -> None:
    org = make_org(client, city_admin)
    rows = [bulk_row(n, skills="急救" if n % 2 else "科普讲解;Python") for n in range(1, 9)]
    made = client.post(
        "/api/v1/volunteers:bulk",
        params={"organization_id": org["id"]},
        json=rows,
        headers=city_admin.headers,
    )
    assert made.status_code == 200, made.text
    page = client.get(
        "/api/v1/volunteers",
        params={"skill": "python", "limit": 2, "include_total": "true"},
        headers=city_admin.headers,
    ).json()
    assert page["total"] == 4
    assert len(page["items"]) == 2
    assert all("Python" in v["skills"] for v in page["items"])
    none = client.get(
        "/api/v1/volunteers", params={"skill": "Pyth"}, headers=city_admin.headers
    ).json()
    assert none["items"] == []
    first_aid = client.get(
        "/api/v1/volunteers",
        params={"skill": "急救", "include_total": "true"},
        headers=city_admin.headers,
    ).json()
    assert first_aid["total"] == 4


GUARDIAN = {"name": "王芳", "relationship": "母亲", "consented_on": "2026-03-01"}


def test_vol_elig_2_the_guardian_is_one_nested_object_in_every_body_and_answer(
    client: TestClient, city_admin: Actor
) -> None:
    org = make_org(client, city_admin)
    minor = volunteer_body(1, id_number=id_number("20120304", 1))
    refused = client.post("/api/v1/volunteers", json=minor, headers=city_admin.headers)
    body = assert_problem(refused, 422, rule="VOL-ELIG-2")
    assert [v["field"] for v in body["violations"]] == ["guardian"]
    created = client.post(
        "/api/v1/volunteers", json=minor | {"guardian": GUARDIAN}, headers=city_admin.headers
    )
    assert created.status_code == 201, created.text
    assert created.json()["guardian"] == GUARDIAN
    changed = client.patch(
        f"/api/v1/volunteers/{created.json()['id']}",
        json={"guardian": GUARDIAN | {"name": "赵强", "relationship": "父亲"}},
        headers=city_admin.headers,
    )
    assert changed.json()["guardian"] == GUARDIAN | {"name": "赵强", "relationship": "父亲"}
    public = client.post(
        "/api/v1/public/volunteer-registrations",
        json=volunteer_body(2, id_number=id_number("20120304", 2))
        | {"guardian": GUARDIAN, "username": "zhaoxy", "password": "long enough password"}
        | {"organization_id": org["id"]},
    )
    assert public.status_code == 202, public.text
    accepted = client.post(
        f"/api/v1/volunteer-registrations/{public.json()['id']}:accept",
        json={},
        headers=city_admin.headers,
    )
    assert accepted.json()["guardian"] == GUARDIAN
    read = client.get(
        f"/api/v1/volunteers/{accepted.json()['volunteer_id']}", headers=city_admin.headers
    )
    assert read.json()["guardian"] == GUARDIAN
    row = bulk_row(3, id_number=id_number("20120304", 3)) | {
        f"guardian.{k}": v for k, v in GUARDIAN.items()
    }
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    via_csv = client.post(
        "/api/v1/volunteers:bulk",
        params={"organization_id": org["id"], "include_ok": "true"},
        content=text.getvalue().encode(),
        headers={**city_admin.headers, "Content-Type": "text/csv"},
    ).json()
    assert via_csv["created"] == 1, via_csv
    read = client.get(f"/api/v1/volunteers/{via_csv['rows'][0]['id']}", headers=city_admin.headers)
    assert read.json()["guardian"] == GUARDIAN
    via_json = client.post(
        "/api/v1/volunteers:bulk",
        params={"organization_id": org["id"]},
        json=[bulk_row(4, id_number=id_number("20120304", 4), guardian=GUARDIAN)],
        headers=city_admin.headers,
    ).json()
    assert (via_json["created"], via_json["rows"]) == (1, [])


def test_vol_exit_1_a_volunteer_may_only_leave_and_others_act_only_in_their_organisations(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    org = make_org(client, city_admin)
    vol = client.post(
        "/api/v1/volunteers",
        json=volunteer_body(organization_id=org["id"]),
        headers=city_admin.headers,
    ).json()
    volunteer = actor(Role.VOLUNTEER, volunteer_id=vol["id"])
    memberships = client.get(
        f"/api/v1/volunteers/{vol['id']}/memberships", headers=volunteer.headers
    ).json()["items"]
    url = f"/api/v1/volunteers/{vol['id']}/memberships/{memberships[0]['id']}"
    warned = client.post(f"{url}:warn", json={"reason": "缺席"}, headers=volunteer.headers)
    assert_problem(warned, 403)
    other_org = actor(Role.ORG_ADMIN, org_id=make_org(client, city_admin, name="另一队")["id"])
    assert_problem(
        client.post(f"{url}:warn", json={"reason": "缺席"}, headers=other_org.headers), 404
    )
    left = client.post(f"{url}:leave", json={"reason": "工作调动"}, headers=volunteer.headers)
    assert left.status_code == 200, left.text
    assert left.json()["status"] == "left"
    assert [(h["action"], h["reason"]) for h in left.json()["history"]] == [
        ("join", ""),
        ("leave", "工作调动"),
    ]


def test_vol_reg_2_a_request_to_join_is_pending_and_readable_at_its_location(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    vol = client.post("/api/v1/volunteers", json=volunteer_body(), headers=city_admin.headers)
    volunteer = actor(Role.VOLUNTEER, volunteer_id=vol.json()["id"])
    org = make_org(client, city_admin)
    joined = client.post(
        f"/api/v1/volunteers/{vol.json()['id']}/memberships",
        json={"organization_id": org["id"]},
        headers=volunteer.headers,
    )
    assert joined.status_code == 201, joined.text
    assert joined.json()["status"] == "pending"
    read = client.get(joined.headers["Location"], headers=volunteer.headers)
    assert read.json() == joined.json()


def test_vol_exit_1_every_membership_step_is_a_colon_verb_and_a_history_action() -> None:
    assert set(STEPS) == set(MembershipAction)
    assert {a.value for a in MembershipEventAction} == {"join"} | {a.value for a in STEPS}


def test_vol_reg_2_the_collector_pause_of_nested_imports_ends_with_the_last_one() -> None:
    assert gc.isenabled()
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_vol_reg_2_the_collector_pause_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
