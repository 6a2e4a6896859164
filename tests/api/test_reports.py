"""The exports county staff ask for (issue 15) through the API: the volunteer service of a year
(VOL-ORG-4, VOL-SCOPE-1, VOL-HOURS-1, VOL-HONOUR-1, VOL-DUTY-4, VOL-EXIT-1), the yearly
compliance of the bases (BASE-OPEN-1/2, BASE-ACT-1, BASE-REPORT-1, ...) and the hours sheet of
a team (VOL-HOURS-1, VOL-DUTY-1): each file opened as county staff open it, its headers and
figures checked against the data built, its scope, its formula safety and its language."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from app.domain.access import Role
from app.domain.common import SHANGHAI, local_midnight
from app.domain.personal import mask_id_number
from app.domain.volunteers import DEFAULT_VOLUNTEER_POLICY, ServiceRecord, ServiceRecordStatus
from app.i18n import Locale, translate
from app.repositories import reports as reports_repo
from app.repositories.reports import Membership
from app.rules.bases_compliance import ComplianceStatus
from app.rules.reports import (
    BASE_COMPLIANCE_HEADERS,
    COMPLIANCE_STATUS_NAMES,
    SERVICE_HOURS_HEADERS,
    VOLUNTEER_SERVICE_HEADERS,
    day_span,
    tally_stars,
    year_span,
)
from tests.api.test_bases_api import make_base, put_year
from tests.api.test_bases_lifecycle import Clock
from tests.api.test_volunteers_bulk import bulk_row
from tests.api.test_volunteers_gate import id_number, make_org, volunteer_body
from tests.conftest import Actor, ActorFactory, assert_problem

API = "/api/v1"
HONGSHAN, YUANBAOSHAN = "150402", "150403"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def clock(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock(datetime(2025, 3, 1, 10, 0, tzinfo=SHANGHAI))
    monkeypatch.setattr(app.state.ctx, "clock", clock)
    return clock


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def chinese(headers: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(translate(Locale.ZH, h) for h in headers)


def sheet_rows(response: Any) -> list[tuple[Any, ...]]:
    """The rows of the only sheet of an XLSX answer, header first."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 1
    return list(book.active.iter_rows(values_only=True))


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- building the data through the API ---------------------------------------------------------


def team(client: TestClient, admin: Actor, name: str, parent: str, county: str) -> str:
    made = make_org(
        client, admin, name=name, level="county_team", parent_id=parent, region_code=county
    )
    return str(made["id"])


def register_many(client: TestClient, admin: Actor, org_id: str, seqs: range, region: str) -> None:
    rows = [
        bulk_row(n, id_number=id_number("19900517", n, region=region), region_code=region)
        for n in seqs
    ]
    result = ok(
        client.post(
            f"{API}/volunteers:bulk",
            params={"organization_id": org_id},
            json=rows,
            headers=admin.headers,
        )
    )
    assert result["created"] == len(rows), result


def register(client: TestClient, admin: Actor, org_id: str, seq: int, **changes: Any) -> str:
    body = volunteer_body(seq, organization_id=org_id, **changes)
    return str(ok(client.post(f"{API}/volunteers", json=body, headers=admin.headers), 201)["id"])


def activity(
    client: TestClient, admin: Actor, org_id: str, starts: datetime, hours: int, **changes: Any
) -> str:
    body: dict[str, Any] = {
        "organization_id": org_id,
        "title": "科普大篷车进社区",
        "scope": 1,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=hours)).isoformat(),
        **changes,
    }
    return str(ok(client.post(f"{API}/activities", json=body, headers=admin.headers), 201)["id"])


def served(
    client: TestClient,
    admin: Actor,
    activity_id: str,
    volunteer_id: str,
    starts: datetime,
    minutes: int,
    *,
    confirm: bool = True,
) -> dict[str, Any]:
    """A confirmed enrolment and a record of `minutes` from `starts`, confirmed if asked."""
    enrolments = f"{API}/activities/{activity_id}/enrolments"
    enrolment = ok(
        client.post(enrolments, json={"volunteer_id": volunteer_id}, headers=admin.headers), 201
    )
    ok(client.post(f"{enrolments}/{enrolment['id']}:confirm", headers=admin.headers))
    body = {
        "enrolment_id": enrolment["id"],
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(minutes=minutes)).isoformat(),
    }
    record = ok(client.post(f"{API}/service-records", json=body, headers=admin.headers), 201)
    if confirm:
        ok(client.post(f"{API}/service-records/{record['id']}:confirm", headers=admin.headers))
    return record  # type: ignore[no-any-return]


@dataclass
class Teams:
    city: str
    hongshan: str
    yuanbaoshan: str
    early: str
    late: str


@pytest.fixture
def teams(client: TestClient, clock: Clock, actor: ActorFactory) -> Teams:
    """A city team and two county teams: 红山区 with 50 members (one registered at 23:30 on
    31 December 2024, one at 00:10 on 1 January 2025, Asia/Shanghai, both 2024 in UTC), 元宝山区
    with 50 (49 in bulk, one whose hours are not confirmed); a city-team member expelled in
    2025; in 红山区 102 confirmed hours (100 h of one volunteer: one star), a certificate, and
    activities of scope 4 (a major project) and scope 1 in 2025, of scope 1 in 2024."""
    with clock.real():
        admin = actor(Role.CITY_ADMIN)
    city = str(make_org(client, admin)["id"])
    hongshan = team(client, admin, "红山区科技志愿者队", city, HONGSHAN)
    yuanbaoshan = team(client, admin, "元宝山区科技志愿者队", city, YUANBAOSHAN)
    clock.at(2024, 12, 31, 23, 30)
    early = register(client, admin, hongshan, 901)
    clock.at(2025, 1, 1, 0, 10)
    late = register(client, admin, hongshan, 902)
    clock.at(2025, 3, 1, 10, 0)
    register_many(client, admin, hongshan, range(1, 49), HONGSHAN)
    register_many(client, admin, yuanbaoshan, range(101, 150), YUANBAOSHAN)
    clock.at(2025, 2, 1, 9, 0)
    gone = register(client, admin, city, 903)
    clock.at(2025, 6, 1, 9, 0)
    membership = ok(client.get(f"{API}/volunteers/{gone}/memberships", headers=admin.headers))
    step = f"{API}/volunteers/{gone}/memberships/{membership['items'][0]['id']}:expel"
    ok(client.post(step, json={"reason": "严重违反服务规范"}, headers=admin.headers))
    clock.at(2025, 5, 10, 9, 0)
    week = datetime(2025, 5, 20, 9, 0, tzinfo=SHANGHAI)
    major = activity(
        client,
        admin,
        hongshan,
        week,
        120,
        scope=4,
        observance="sci_tech_week",
        major_project=True,
    )
    activity(client, admin, hongshan, datetime(2025, 5, 12, 9, 0, tzinfo=SHANGHAI), 3)
    activity(client, admin, hongshan, datetime(2024, 5, 12, 9, 0, tzinfo=SHANGHAI), 3)
    served(client, admin, major, early, week, 100 * 60)
    served(client, admin, major, late, week, 120)
    other = register(client, admin, yuanbaoshan, 904)
    served(client, admin, major, other, week, 60, confirm=False)
    clock.at(2025, 6, 1, 9, 0)
    ok(
        client.post(
            f"{API}/volunteers/{early}/certificates",
            json={"organization_id": hongshan},
            headers=admin.headers,
        ),
        201,
    )
    clock.at(2025, 12, 20, 9, 0)
    return Teams(city, hongshan, yuanbaoshan, early, late)


# --- 1. volunteer service ----------------------------------------------------------------------


def columns(row: tuple[Any, ...]) -> dict[str, Any]:
    """A row by its English headers."""
    return dict(zip(VOLUNTEER_SERVICE_HEADERS, row, strict=True))


def test_volunteer_service_rows_subtotals_and_total_match_the_data(
    client: TestClient, teams: Teams, clock: Clock, actor: ActorFactory
) -> None:
    with clock.real():
        city = actor(Role.CITY_ADMIN)
    rows = sheet_rows(
        client.get(f"{API}/reports/volunteer-service", params={"year": 2025}, headers=city.headers)
    )
    assert rows[0] == chinese(VOLUNTEER_SERVICE_HEADERS)
    assert rows[0][:2] == ("旗县区", "组织名称")
    lines = [columns(r) for r in rows[1:]]
    assert [(r["County"], r["Organisation name"]) for r in lines] == [
        ("市级", "赤峰市科技志愿服务队"),
        ("市级", "小计"),
        ("红山区", "红山区科技志愿者队"),
        ("红山区", "小计"),
        ("元宝山区", "元宝山区科技志愿者队"),
        ("元宝山区", "小计"),
        ("合计", None),
    ]
    city_team, _, hongshan, _, yuanbaoshan, _, total = lines
    assert (city_team["Registered volunteers"], city_team["New volunteers"]) == (0, 1)
    assert city_team["Exited volunteers"] == 1
    # VOL-ORG-4: 49 members is under the usual 50, 50 is not.
    assert (hongshan["Registered volunteers"], hongshan[VOLUNTEER_SERVICE_HEADERS[4]]) == (50, None)
    assert yuanbaoshan["Registered volunteers"] == 50
    assert yuanbaoshan[VOLUNTEER_SERVICE_HEADERS[4]] is None
    # The one registered at 23:30 on 31 December (Asia/Shanghai) is not new in 2025.
    assert hongshan["New volunteers"] == 49
    assert hongshan["Active volunteers"] == 2
    assert hongshan["Activities held"] == 2
    assert hongshan["Scope 4: major events"] == 1
    assert hongshan["Scope 1: grassroots outreach"] == 1
    assert hongshan["Major projects"] == 1
    assert hongshan["Confirmed hours"] == 102
    assert hongshan["1-star volunteers"] == 1
    assert hongshan["2-star volunteers"] == 0
    assert hongshan["Certificates issued"] == 1
    assert hongshan["Organisation level"] == "旗县（市区）科技志愿者队"
    assert yuanbaoshan["Confirmed hours"] == 0
    assert (total["Teams"], total["Registered volunteers"], total["New volunteers"]) == (
        3,
        100,
        100,
    )
    assert (total["Exited volunteers"], total["Confirmed hours"]) == (1, 102)
    assert total["1-star volunteers"] == 1


def test_vol_org_4_a_county_team_of_49_is_marked_and_50_is_not(
    client: TestClient, teams: Teams, clock: Clock, actor: ActorFactory
) -> None:
    with clock.real():
        city = actor(Role.CITY_ADMIN)
        admin = actor(Role.CITY_ADMIN)
    # 元宝山区 has 50 with the unconfirmed volunteer: expel one to leave 49.
    found = ok(
        client.get(
            f"{API}/volunteers",
            params={"organization_id": teams.yuanbaoshan},
            headers=admin.headers,
        )
    )
    volunteer = found["items"][0]["id"]
    clock.at(2025, 12, 21, 9, 0)
    membership = ok(client.get(f"{API}/volunteers/{volunteer}/memberships", headers=admin.headers))
    step = f"{API}/volunteers/{volunteer}/memberships/{membership['items'][0]['id']}:expel"
    ok(client.post(step, json={"reason": "冒用他人身份"}, headers=admin.headers))
    params = {"year": 2025, "format": "xlsx"}
    rows = sheet_rows(
        client.get(f"{API}/reports/volunteer-service", params=params, headers=city.headers)
    )
    lines = [columns(r) for r in rows[1:]]
    hongshan, hongshan_total = lines[2], lines[3]
    yuanbaoshan, yuanbaoshan_total, total = lines[4], lines[5], lines[6]
    marked = VOLUNTEER_SERVICE_HEADERS[4]
    assert (hongshan["Registered volunteers"], hongshan[marked]) == (50, None)
    assert (yuanbaoshan["Registered volunteers"], yuanbaoshan[marked]) == (49, "不足50人")
    assert (hongshan_total[marked], yuanbaoshan_total[marked], total[marked]) == (0, 1, 1)
    assert yuanbaoshan["Exited volunteers"] == 1


def test_vol_reg_2_registered_on_31_december_counts_in_2024_and_on_1_january_in_2025(
    client: TestClient, teams: Teams, clock: Clock, actor: ActorFactory
) -> None:
    with clock.real():
        city = actor(Role.CITY_ADMIN)
    params = {"year": 2024, "organization_id": teams.hongshan}
    rows = sheet_rows(
        client.get(f"{API}/reports/volunteer-service", params=params, headers=city.headers)
    )
    hongshan = columns(rows[1])
    assert hongshan["Organisation name"] == "红山区科技志愿者队"
    assert (hongshan["Registered volunteers"], hongshan["New volunteers"]) == (1, 1)
    assert (hongshan["Activities held"], hongshan["Confirmed hours"]) == (1, 0)


def test_volunteer_service_scope_of_a_county_and_of_an_organisation(
    client: TestClient, teams: Teams, clock: Clock, actor: ActorFactory
) -> None:
    with clock.real():
        county = actor(Role.COUNTY_ADMIN, county_code=YUANBAOSHAN)
        org = actor(Role.ORG_ADMIN, org_id=teams.hongshan)
    url = f"{API}/reports/volunteer-service"
    own = sheet_rows(client.get(url, params={"year": 2025}, headers=county.headers))
    assert [r[:2] for r in own[1:]] == [
        ("元宝山区", "元宝山区科技志愿者队"),
        ("元宝山区", "小计"),
        ("合计", None),
    ]
    other = client.get(url, params={"year": 2025, "county_code": HONGSHAN}, headers=county.headers)
    assert_problem(other, 404, field="query.county_code")
    unknown = client.get(
        url, params={"year": 2025, "county_code": "159999"}, headers=county.headers
    )
    assert other.json()["errors"][0]["code"] == unknown.json()["errors"][0]["code"]
    assert_problem(
        client.get(
            url, params={"year": 2025, "organization_id": teams.hongshan}, headers=county.headers
        ),
        404,
        field="query.organization_id",
    )
    managed = sheet_rows(client.get(url, params={"year": 2025}, headers=org.headers))
    assert [r[1] for r in managed[1:]] == ["红山区科技志愿者队", "小计", None]
    future = client.get(url, params={"year": 2026}, headers=county.headers)
    assert_problem(future, 422, field="query.year")


def test_volunteer_service_in_english_and_as_csv(
    client: TestClient, teams: Teams, clock: Clock, actor: ActorFactory
) -> None:
    with clock.real():
        city = actor(Role.CITY_ADMIN)
    english = {**city.headers, "Accept-Language": "en"}
    url = f"{API}/reports/volunteer-service"
    rows = sheet_rows(client.get(url, params={"year": 2025}, headers=english))
    assert rows[0] == VOLUNTEER_SERVICE_HEADERS
    assert rows[-1][0] == "Total"
    lines = csv_rows(client.get(url, params={"year": 2025, "format": "csv"}, headers=city.headers))
    assert tuple(lines[0]) == chinese(VOLUNTEER_SERVICE_HEADERS)
    assert lines[-1][0] == "合计"
    assert len(lines) == len(rows)


# --- 2. base compliance ------------------------------------------------------------------------

#: The status column of each duty of `assess_year`.
STATUS_COLUMNS = {
    "opening_class": "Opening class set (BASE-OPEN-3)",
    "open_days": "Open days (BASE-OPEN-1/2)",
    "visitors": "Visitors (BASE-OPEN-1)",
    "activities": "Activities (BASE-ACT-1)",
    "theme": "Work theme (BASE-THEME-1)",
    "report": "Annual report (BASE-REPORT-1)",
    "national_events": "National events (BASE-EVENT-1)",
    "liaison": "Liaison (BASE-LIAISON-1)",
}


def test_base_compliance_has_a_column_per_duty_and_matches_the_dashboard(
    client: TestClient, db: Session, clock: Clock, actor: ActorFactory
) -> None:
    with clock.real():
        city = actor(Role.CITY_ADMIN)
        county = actor(Role.COUNTY_ADMIN, county_code=YUANBAOSHAN)
    met = make_base(db, "达标馆")
    short = make_base(db, "差一天馆")
    lab = make_base(
        db, "=HYPERLINK(实验室)", county=YUANBAOSHAN, category="research", subtype="laboratory"
    )
    clock.at(2024, 12, 31, 12, 0)
    put_year(client, city.headers, met, 2024, 200, 2000)
    put_year(client, city.headers, short, 2024, 199, 2000)
    put_year(client, city.headers, lab, 2024, 50, 10)
    clock.at(2025, 1, 10, 9, 0)
    url = f"{API}/reports/base-compliance"
    rows = sheet_rows(client.get(url, params={"year": 2024}, headers=city.headers))
    assert rows[0] == chinese(BASE_COMPLIANCE_HEADERS)
    lines = {r[1]: dict(zip(BASE_COMPLIANCE_HEADERS, r, strict=True)) for r in rows[1:]}
    assert set(lines) == {"达标馆", "差一天馆", "=HYPERLINK(实验室)"}
    assert (lines["达标馆"]["Open days"], lines["达标馆"]["Open days required"]) == (200, 200)
    assert lines["达标馆"]["Open days (BASE-OPEN-1/2)"] == "达标"
    assert lines["差一天馆"]["Open days (BASE-OPEN-1/2)"] == "未达标"
    assert lines["达标馆"]["Visitors required"] == 2000
    assert lines["达标馆"]["Visitors (BASE-OPEN-1)"] == "达标"
    assert lines["=HYPERLINK(实验室)"]["Open days required"] == 50
    assert lines["=HYPERLINK(实验室)"]["Visitors (BASE-OPEN-1)"] is None
    assert lines["达标馆"]["Annual report (BASE-REPORT-1)"] == "未达标"
    assert lines["达标馆"]["Report due on"].date().isoformat() == "2024-11-10"
    assert lines["达标馆"]["Liaison (BASE-LIAISON-1)"] == "达标"
    assert lines["达标馆"]["Status today"] == "已认定"
    dashboard = ok(client.get(f"{API}/bases/compliance?year=2024", headers=city.headers))
    assert {b["name"] for b in dashboard["items"]} == set(lines)
    for base in dashboard["items"]:
        for item in base["items"]:
            shown = lines[base["name"]][STATUS_COLUMNS[item["measure"]]]
            assert shown == translate(
                Locale.ZH, COMPLIANCE_STATUS_NAMES[ComplianceStatus(item["status"])]
            )
    own = sheet_rows(client.get(url, params={"year": 2024}, headers=county.headers))
    assert [r[1] for r in own[1:]] == ["=HYPERLINK(实验室)"]
    other = client.get(url, params={"year": 2024, "county_code": HONGSHAN}, headers=county.headers)
    assert_problem(other, 404, field="query.county_code")
    assert_problem(
        client.get(url, params={"year": 2026}, headers=city.headers), 422, field="query.year"
    )
    english = {**city.headers, "Accept-Language": "en"}
    assert sheet_rows(client.get(url, params={"year": 2024}, headers=english))[0] == (
        BASE_COMPLIANCE_HEADERS
    )
    lines_csv = csv_rows(
        client.get(url, params={"year": 2024, "format": "csv"}, headers=city.headers)
    )
    assert "'=HYPERLINK(实验室)" in [line[1] for line in lines_csv]


# --- 3. the hours sheet ------------------------------------------------------------------------


def test_service_hours_sheet_rows_masked_ids_and_total(
    client: TestClient, clock: Clock, actor: ActorFactory
) -> None:
    with clock.real():
        admin = actor(Role.CITY_ADMIN)
    city = str(make_org(client, admin)["id"])
    hongshan = team(client, admin, "红山区科技志愿者队", city, HONGSHAN)
    yuanbaoshan = team(client, admin, "元宝山区科技志愿者队", city, YUANBAOSHAN)
    clock.at(2025, 5, 1, 9, 0)
    trick = register(client, admin, hongshan, 1, name="=1+2")
    plain = register(client, admin, hongshan, 2, name="王小丫")
    elsewhere = register(client, admin, yuanbaoshan, 3, region_code=YUANBAOSHAN)
    day = datetime(2025, 5, 20, 9, 0, tzinfo=SHANGHAI)
    act = activity(client, admin, hongshan, day, 8, title="科普讲解")
    served(client, admin, act, trick, day, 150)
    served(client, admin, act, plain, day + timedelta(hours=1), 90)
    served(client, admin, act, elsewhere, day, 30, confirm=False)
    far = activity(client, admin, yuanbaoshan, day, 8)
    served(client, admin, far, elsewhere, day + timedelta(hours=2), 60)
    with clock.real():
        county = actor(Role.COUNTY_ADMIN, county_code=HONGSHAN)
        org = actor(Role.ORG_ADMIN, org_id=hongshan)
    url = f"{API}/reports/service-hours"
    rows = sheet_rows(client.get(url, params={"activity_id": act}, headers=org.headers))
    assert rows[0] == chinese(SERVICE_HOURS_HEADERS)
    assert rows[1:] == [
        (
            "=1+2",
            mask_id_number(id_number("19900517", 1)),
            "科普讲解",
            "红山区科技志愿者队",
            datetime(2025, 5, 20),
            "09:00",
            "11:30",
            2.5,
            "工作人员录入",
        ),
        (
            "王小丫",
            mask_id_number(id_number("19900517", 2)),
            "科普讲解",
            "红山区科技志愿者队",
            datetime(2025, 5, 20),
            "10:00",
            "11:30",
            1.5,
            "工作人员录入",
        ),
        ("合计：2 条记录", None, None, None, None, None, None, 4, None),
    ]
    assert "1990" not in rows[1][1]
    book = load_workbook(
        io.BytesIO(client.get(url, params={"activity_id": act}, headers=org.headers).content)
    )
    assert book.active["A2"].data_type == "s"
    lines = csv_rows(
        client.get(url, params={"activity_id": act, "format": "csv"}, headers=county.headers)
    )
    assert lines[1][0] == "'=1+2"
    assert lines[-1][7] == "4.00"
    by_org = sheet_rows(
        client.get(
            url,
            params={"organization_id": city, "starts_on": "2025-05-20", "ends_on": "2025-05-20"},
            headers=admin.headers,
        )
    )
    assert [r[0] for r in by_org[1:]] == ["=1+2", "王小丫", "李明", "合计：3 条记录"]
    assert by_org[3][3] == "元宝山区科技志愿者队"
    none = sheet_rows(
        client.get(
            url, params={"organization_id": city, "starts_on": "2025-05-21"}, headers=admin.headers
        )
    )
    assert none[1:] == [("合计：0 条记录", None, None, None, None, None, None, 0, None)]
    english = {**org.headers, "Accept-Language": "en"}
    shown = sheet_rows(client.get(url, params={"activity_id": act}, headers=english))
    assert shown[0] == SERVICE_HOURS_HEADERS
    assert (shown[1][8], shown[-1][0]) == ("entered by staff", "Total: 2 records")
    # Another county's activity is published (403); its organisation is out of scope (404).
    assert_problem(client.get(url, params={"activity_id": far}, headers=county.headers), 403)
    assert_problem(
        client.get(url, params={"organization_id": yuanbaoshan}, headers=county.headers),
        404,
        field="query.organization_id",
    )
    assert_problem(client.get(url, headers=county.headers), 422, field="query.activity_id")
    both = {"activity_id": act, "organization_id": hongshan}
    assert_problem(client.get(url, params=both, headers=county.headers), 422)
    reversed_days = {
        "organization_id": hongshan,
        "starts_on": "2025-05-21",
        "ends_on": "2025-05-20",
    }
    assert_problem(
        client.get(url, params=reversed_days, headers=county.headers), 422, field="query.ends_on"
    )


def test_reports_read_in_batches_of_one_give_the_same_files(
    client: TestClient,
    teams: Teams,
    clock: Clock,
    actor: ActorFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Keyset batches and streamed records lose and repeat nothing at their edges."""
    with clock.real():
        city = actor(Role.CITY_ADMIN)
    team(client, city, "红山区第二科技志愿者队", teams.city, HONGSHAN)
    wanted = [
        (f"{API}/reports/volunteer-service", {"year": 2025}),
        (f"{API}/reports/service-hours", {"organization_id": teams.city}),
    ]
    whole = [sheet_rows(client.get(url, params=p, headers=city.headers)) for url, p in wanted]
    assert any(r[1] == "红山区第二科技志愿者队" for r in whole[0])
    assert len(whole[1]) == 4
    monkeypatch.setattr(reports_repo, "BATCH", 1)
    batched = [sheet_rows(client.get(url, params=p, headers=city.headers)) for url, p in wanted]
    assert batched == whole


# --- the pure parts ----------------------------------------------------------------------------


def _record(volunteer: str, starts: datetime, seconds: int) -> ServiceRecord:
    return ServiceRecord(
        id=f"r{volunteer}{seconds}",
        volunteer_id=volunteer,
        activity_id="a",
        organization_id="o",
        starts_at=starts,
        ends_at=starts + timedelta(seconds=seconds),
        status=ServiceRecordStatus.CONFIRMED,
    )


def test_vol_honour_1_stars_sum_all_records_of_a_volunteer_and_99_99_hours_is_no_star() -> None:
    start = datetime(2025, 1, 1, tzinfo=SHANGHAI)
    serving = [
        Membership("a", "team1", HONGSHAN),
        Membership("a", "team2", HONGSHAN),
        Membership("b", "team1", HONGSHAN),
        Membership("c", "team3", YUANBAOSHAN),
        Membership("d", "team3", YUANBAOSHAN),
    ]
    records = [
        _record("0", start, 500 * 3600),
        _record("a", start, 60 * 3600),
        _record("a", start + timedelta(days=5), 40 * 3600),
        _record("b", start, 100 * 3600 - 36),
        _record("c", start, 300 * 3600),
        _record("e", start, 300 * 3600),
    ]
    tally = tally_stars(serving, records, DEFAULT_VOLUNTEER_POLICY)
    assert tally.by_org == {"team1": {1: 1}, "team2": {1: 1}, "team3": {2: 1}}
    assert tally.by_county == {HONGSHAN: {1: 1}, YUANBAOSHAN: {2: 1}}
    assert tally.total == {1: 1, 2: 1}


def test_a_year_is_its_asia_shanghai_days() -> None:
    starts, ends = year_span(2025)
    assert starts.astimezone(UTC) == datetime(2024, 12, 31, 16, 0, tzinfo=UTC)
    assert ends.astimezone(UTC) == datetime(2025, 12, 31, 16, 0, tzinfo=UTC)
    first, after = day_span(date(2025, 5, 20), date(2025, 5, 20))
    assert (first, after) == (
        datetime(2025, 5, 20, tzinfo=SHANGHAI),
        datetime(2025, 5, 21, tzinfo=SHANGHAI),
    )
    assert day_span(None, None) == (None, None)


def test_reports_and_ledgers_run_under_the_bulk_deadline_and_json_lists_do_not(
    app: FastAPI,
) -> None:
    routes = {
        (ctx.path_format, method): ctx.original_route
        for ctx in iter_route_contexts(list(app.routes))
        for method in getattr(ctx, "methods", None) or ()
    }
    for path in (
        "/api/v1/reports/volunteer-service",
        "/api/v1/reports/base-compliance",
        "/api/v1/reports/service-hours",
        "/api/v1/ledgers/officers",
    ):
        assert getattr(routes[(path, "GET")], "spreadsheet", False), path
    for path in ("/api/v1/volunteers", "/api/v1/scorecards/{year}"):
        assert not getattr(routes[(path, "GET")], "spreadsheet", True), path


def test_a_day_at_the_edge_of_the_calendar_bounds_nothing_instead_of_overflowing() -> None:
    assert local_midnight(date.min) == datetime.min.replace(tzinfo=UTC)
    assert local_midnight(date.max, after=1) == datetime.max.replace(tzinfo=UTC)
    assert local_midnight(date(2025, 1, 1)) == datetime(2024, 12, 31, 16, tzinfo=UTC)
    # The day after the first has a start the database can hold (Shanghai's offset then: LMT).
    assert local_midnight(date(1, 1, 2)).astimezone(UTC).date() == date(1, 1, 1)


@pytest.mark.parametrize("fmt", [None, "xlsx"])
def test_public_activities_from_year_1_to_9999_are_a_list_not_a_422(
    client: TestClient, fmt: str | None
) -> None:
    params = {"starts_on": "0001-01-01", "ends_on": "9999-12-31"}
    response = client.get(
        "/api/v1/public/activities", params={**params, **({"format": fmt} if fmt else {})}
    )
    assert response.status_code == 200, response.text
