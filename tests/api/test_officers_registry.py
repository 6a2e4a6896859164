"""OFF-REG-1 through the API: the officer register, bulk imports, scope and masked mobiles."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlmodel import Session, select

from app.domain.access import Role
from app.i18n import Locale, translate
from app.repositories.base import ChangeEvent
from app.repositories.officers import OfficerRow
from tests.conftest import Actor, ActorFactory, assert_problem

API = "/api/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOWNSHIPS = {"150402001": "150402", "150402002": "150402", "150403001": "150403"}


@pytest.fixture
def places(client: TestClient, city_admin: Actor) -> None:
    for code, county in TOWNSHIPS.items():
        response = client.post(
            f"{API}/regions",
            json={"code": code, "name": f"镇{code[-3:]}", "parent_code": county},
            headers=city_admin.headers,
        )
        assert response.status_code == 201, response.text
    village = {"code": "150402001201", "name": "一村", "parent_code": "150402001"}
    assert client.post(f"{API}/regions", json=village, headers=city_admin.headers).is_success


@pytest.fixture
def county_admin(actor: ActorFactory) -> Actor:
    return actor(Role.COUNTY_ADMIN, county_code="150402")


def officer(n: int, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": f"信息员{n}",
        "mobile": f"1380000{n:04d}",
        "township_code": "150402001",
        "source_group": "farmer_herder",
        "app_account_id": f"kp{n:04d}",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def test_off_reg_1_create_read_and_mask_the_mobile(
    client: TestClient, places: None, county_admin: Actor
) -> None:
    created = client.post(
        f"{API}/officers",
        json=officer(1, village_code="150402001201", certified_on="2024-03-01"),
        headers=county_admin.headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert created.headers["Location"] == f"/api/v1/officers/{body['id']}"
    assert created.headers["ETag"] == '"1"'
    assert body["mobile"] == "138****0001"
    assert body["revealed"] is False
    assert (body["county_code"], body["township_code"], body["village_code"]) == (
        "150402",
        "150402001",
        "150402001201",
    )
    assert body["certification_status"] == "certified"
    assert body["source_group_label"] == "农牧民"
    read = client.get(f"{API}/officers/{body['id']}", headers=county_admin.headers).json()
    assert read == body


def test_off_reg_1_revealing_the_mobile_is_audited_and_never_stored_in_clear(
    client: TestClient, places: None, county_admin: Actor, db: Session, actor: ActorFactory
) -> None:
    oid = client.post(f"{API}/officers", json=officer(1), headers=county_admin.headers).json()["id"]
    shown = client.get(
        f"{API}/officers/{oid}", params={"reveal": "true"}, headers=county_admin.headers
    )
    assert shown.json()["mobile"] == "13800000001"
    reveals = db.exec(select(ChangeEvent).where(ChangeEvent.op == "reveal")).all()
    assert [(e.resource, e.resource_id, e.diff) for e in reveals] == [
        ("officer", oid, {"fields": ["mobile"]})
    ]
    stored = db.connection().exec_driver_sql("SELECT mobile FROM officers").scalar_one()
    assert "13800000001" not in stored
    auditor = actor(Role.AUDITOR)
    refused = client.get(
        f"{API}/officers/{oid}", params={"reveal": "true"}, headers=auditor.headers
    )
    assert_problem(refused, 403)


def test_off_reg_1_bad_record_lists_every_rule_finding(
    client: TestClient, places: None, county_admin: Actor
) -> None:
    response = client.post(
        f"{API}/officers",
        json=officer(1, certification_status="certified", status="left"),
        headers=county_admin.headers,
    )
    body = assert_problem(response, 422, rule="OFF-REG-1")
    assert {v["field"] for v in body["violations"]} == {"certified_on", "left_on"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"mobile": "12800000001"}, "mobile"),
        ({"township_code": "150402"}, "township_code"),
        ({"village_code": "150402001"}, "village_code"),
        ({"source_group": "student"}, "source_group"),
    ],
)
def test_off_reg_1_malformed_fields_are_422(
    client: TestClient, places: None, county_admin: Actor, changes: dict[str, str], field: str
) -> None:
    response = client.post(
        f"{API}/officers", json=officer(1, **changes), headers=county_admin.headers
    )
    assert_problem(response, 422, field=field)


def test_off_reg_1_app_account_id_is_unique(
    client: TestClient, places: None, county_admin: Actor
) -> None:
    assert client.post(f"{API}/officers", json=officer(1), headers=county_admin.headers).is_success
    again = client.post(
        f"{API}/officers", json=officer(2, app_account_id="kp0001"), headers=county_admin.headers
    )
    assert_problem(again, 409)


def test_off_reg_1_county_admin_cannot_register_or_see_another_countys_officer(
    client: TestClient, places: None, county_admin: Actor, city_admin: Actor
) -> None:
    refused = client.post(
        f"{API}/officers", json=officer(1, township_code="150403001"), headers=county_admin.headers
    )
    assert_problem(refused, 422, field="township_code")
    other = client.post(
        f"{API}/officers", json=officer(2, township_code="150403001"), headers=city_admin.headers
    ).json()
    assert_problem(client.get(f"{API}/officers/{other['id']}", headers=county_admin.headers), 404)
    listed = client.get(f"{API}/officers", headers=county_admin.headers).json()
    assert listed["items"] == []


def test_off_reg_1_update_honours_if_match_and_keeps_the_record_consistent(
    client: TestClient, places: None, county_admin: Actor
) -> None:
    oid = client.post(f"{API}/officers", json=officer(1), headers=county_admin.headers).json()["id"]
    url = f"{API}/officers/{oid}"
    stale = client.patch(
        url, json={"name": "改名"}, headers={**county_admin.headers, "If-Match": '"9"'}
    )
    assert_problem(stale, 412)
    inconsistent = client.patch(
        url, json={"certified_on": "2024-01-01"}, headers=county_admin.headers
    )
    assert_problem(inconsistent, 422, rule="OFF-REG-1")
    moved = client.patch(
        url,
        json={
            "certification_status": "certified",
            "certified_on": "2024-01-01",
            "township_code": "150402002",
        },
        headers={**county_admin.headers, "If-Match": '"1"'},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["township_code"] == "150402002"
    assert moved.headers["ETag"] == '"2"'
    cleared = client.patch(url, json={"name": None}, headers=county_admin.headers)
    assert_problem(cleared, 422, field="name")


def test_off_reg_1_list_filters_by_region_group_certification_and_mobile(
    client: TestClient, places: None, city_admin: Actor
) -> None:
    rows = [
        officer(1, certified_on="2024-01-01"),
        officer(2, township_code="150402002", source_group="medical_worker"),
        officer(3, township_code="150403001", certified_on="2024-02-01"),
    ]
    for row in rows:
        assert client.post(f"{API}/officers", json=row, headers=city_admin.headers).is_success

    def accounts(**params: str) -> list[str]:
        page = client.get(f"{API}/officers", params=params, headers=city_admin.headers).json()
        return sorted(o["app_account_id"] for o in page["items"])

    assert accounts(region_code="150402") == ["kp0001", "kp0002"]
    assert accounts(region_code="150402002") == ["kp0002"]
    assert accounts(region_code="150400") == ["kp0001", "kp0002", "kp0003"]
    assert accounts(source_group="medical_worker") == ["kp0002"]
    assert accounts(certified="true") == ["kp0001", "kp0003"]
    assert accounts(mobile="13800000003") == ["kp0003"]
    assert (
        client.get(
            f"{API}/officers",
            params={"limit": 2, "include_total": "true"},
            headers=city_admin.headers,
        ).json()["total"]
        == 3
    )


def _csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=sorted({k for r in rows for k in r}))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _xlsx(rows: list[dict[str, Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    header = sorted({k for r in rows for k in r})
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h) for h in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


MIXED = [
    officer(1),
    officer(2, mobile="12345"),
    officer(3, source_group="社区居民", certified_on="2024-05-01"),
    officer(4, township_code="150403001"),
    officer(5, app_account_id="kp0001"),
]


@pytest.mark.parametrize(
    ("content_type", "encode"),
    [("text/csv", _csv), (XLSX, _xlsx)],
)
def test_off_reg_1_bulk_all_or_nothing_applies_nothing_when_a_row_is_bad(
    client: TestClient,
    places: None,
    county_admin: Actor,
    db: Session,
    content_type: str,
    encode: Any,
) -> None:
    response = client.post(
        f"{API}/officers:bulk",
        content=encode(MIXED),
        headers={**county_admin.headers, "Content-Type": content_type},
    )
    body = assert_problem(response, 422)
    assert {e["field"] for e in body["errors"]} == {
        "rows[2].mobile",
        "rows[4].township_code",
        "rows[5].app_account_id",
    }
    assert db.exec(select(OfficerRow)).all() == []


def test_off_reg_1_bulk_lists_only_rows_with_problems_unless_include_ok(
    client: TestClient, places: None, county_admin: Actor
) -> None:
    body = client.post(
        f"{API}/officers:bulk?mode=partial", json=MIXED, headers=county_admin.headers
    ).json()
    assert (body["created"], body["errors"]) == (2, 3)
    assert [(r["row"], r["status"]) for r in body["rows"]] == [
        (2, "error"),
        (4, "error"),
        (5, "error"),
    ]


def test_off_reg_1_bulk_partial_applies_good_rows_and_retry_changes_nothing(
    client: TestClient, places: None, county_admin: Actor
) -> None:
    url = f"{API}/officers:bulk?mode=partial&include_ok=true"
    first = client.post(url, json=MIXED, headers=county_admin.headers)
    assert first.status_code == 200, first.text
    body = first.json()
    assert [(r["row"], r["status"]) for r in body["rows"]] == [
        (1, "created"),
        (2, "error"),
        (3, "created"),
        (4, "error"),
        (5, "error"),
    ]
    assert body["rows"][3]["errors"][0] == {
        "field": "township_code",
        "message": translate(Locale.ZH, "outside your county"),
        "code": "OFF-REG-1",
    }
    assert body["rows"][4]["errors"][0]["message"] == translate(
        Locale.ZH, "repeats row {row} of this request", row=1
    )
    ids = {r["row"]: r["id"] for r in body["rows"] if r["id"]}
    again = client.post(url, json=MIXED, headers=county_admin.headers).json()
    assert [(r["row"], r["status"], r["id"]) for r in again["rows"] if r["status"] != "error"] == [
        (1, "matched_existing", ids[1]),
        (3, "matched_existing", ids[3]),
    ]
    changed = client.post(
        url, json=[officer(1, name="新名字")], headers=county_admin.headers
    ).json()
    assert [(r["status"], r["id"]) for r in changed["rows"]] == [("updated", ids[1])]
    read = client.get(f"{API}/officers/{ids[3]}", headers=county_admin.headers).json()
    assert (read["source_group"], read["certified_on"]) == ("community_resident", "2024-05-01")


def test_off_reg_1_bulk_cannot_take_over_another_countys_officer(
    client: TestClient, places: None, county_admin: Actor, city_admin: Actor
) -> None:
    client.post(
        f"{API}/officers", json=officer(7, township_code="150403001"), headers=city_admin.headers
    )
    response = client.post(
        f"{API}/officers:bulk?mode=partial", json=[officer(7)], headers=county_admin.headers
    )
    assert response.json()["rows"][0]["errors"][0]["field"] == "app_account_id"


def test_off_reg_1_auditor_reads_but_cannot_register(
    client: TestClient, places: None, actor: ActorFactory
) -> None:
    auditor = actor(Role.AUDITOR)
    assert client.get(f"{API}/officers", headers=auditor.headers).status_code == 200
    assert_problem(client.post(f"{API}/officers", json=officer(1), headers=auditor.headers), 403)
