"""OFF-TRAIN-1, OFF-PLAN-1, OFF-CASE-1, OFF-LEDGER-1, OFF-KPI-1 through the API."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from app.domain.access import Role
from app.domain.officers import (
    ATTENDANCE_SHEET,
    MONTHLY_SHEET,
    OFFICER_MONTHLY_SHEET,
    ROSTER_SHEET,
    TRAINING_SHEET,
)
from app.i18n import Locale
from app.spreadsheets import sheet_headers, sheet_title
from tests.conftest import Actor, ActorFactory, assert_problem

API = "/api/v1"
TOWNSHIPS = {"150402001": "150402", "150403001": "150403"}


@pytest.fixture
def places(client: TestClient, city_admin: Actor) -> None:
    for code, county in TOWNSHIPS.items():
        body = {"code": code, "name": f"镇{code[-3:]}", "parent_code": county}
        assert client.post(f"{API}/regions", json=body, headers=city_admin.headers).is_success
    village = {"code": "150402001201", "name": "一村", "parent_code": "150402001"}
    assert client.post(f"{API}/regions", json=village, headers=city_admin.headers).is_success


@pytest.fixture
def county_admin(actor: ActorFactory) -> Actor:
    return actor(Role.COUNTY_ADMIN, county_code="150402")


@pytest.fixture
def other_county(actor: ActorFactory) -> Actor:
    return actor(Role.COUNTY_ADMIN, county_code="150403")


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def officers(client: TestClient, who: Actor, *rows: tuple[int, str, str | None]) -> list[str]:
    body = [
        {
            "name": f"员{n}",
            "mobile": f"1370000{n:04d}",
            "township_code": region[:9],
            **({"village_code": region} if len(region) == 12 else {}),
            "source_group": "science_tutor",
            "app_account_id": f"t{n}",
            **({"certified_on": certified} if certified else {}),
        }
        for n, region, certified in rows
    ]
    url = f"{API}/officers:bulk?include_ok=true"
    result = ok(client.post(url, json=body, headers=who.headers))
    return [r["id"] for r in result["rows"]]


def test_off_train_1_plan_sessions_and_attendance(
    client: TestClient, places: None, county_admin: Actor, city_admin: Actor
) -> None:
    ids = officers(client, county_admin, (1, "150402001", None), (2, "150402001201", "2024-01-01"))
    (other,) = officers(client, city_admin, (3, "150403001", None))
    plan = ok(
        client.post(
            f"{API}/training-plans",
            json={"year": 2024, "title": "红山区2024年信息员培训", "planned_sessions": 4},
            headers=county_admin.headers,
        ),
        201,
    )
    assert plan["county_code"] == "150402"
    again = client.post(
        f"{API}/training-plans",
        json={"year": 2024, "title": "重复", "planned_sessions": 1},
        headers=county_admin.headers,
    )
    assert_problem(again, 409)
    wrong_year = client.post(
        f"{API}/training-sessions",
        json={"training_plan_id": plan["id"], "title": "滚动培训", "held_on": "2025-01-02"},
        headers=county_admin.headers,
    )
    assert_problem(wrong_year, 422, rule="OFF-TRAIN-1")
    held = ok(
        client.post(
            f"{API}/training-sessions",
            json={
                "training_plan_id": plan["id"],
                "title": "滚动培训",
                "held_on": "2024-05-10",
                "hours": 2,
            },
            headers=county_admin.headers,
        ),
        201,
    )
    url = f"{API}/training-sessions/{held['id']}/attendance"
    marked = ok(client.post(url, json={"officer_ids": ids}, headers=county_admin.headers))
    assert (marked["id"], marked["attendance"]) == (held["id"], 2)
    present = ok(client.get(url, headers=county_admin.headers))
    assert [p["officer_id"] for p in present["items"]] == sorted(ids)
    again = ok(client.post(url, json={"officer_ids": ids[:1]}, headers=county_admin.headers))
    assert again["attendance"] == 2
    first = ok(client.get(url, params={"limit": 1}, headers=county_admin.headers))
    assert [p["officer_id"] for p in first["items"]] == sorted(ids)[:1]
    rest = ok(
        client.get(
            url, params={"limit": 1, "cursor": first["next_cursor"]}, headers=county_admin.headers
        )
    )
    assert [p["officer_id"] for p in rest["items"]] == sorted(ids)[1:]
    foreign = client.post(url, json={"officer_ids": [other]}, headers=city_admin.headers)
    assert_problem(foreign, 422, rule="OFF-TRAIN-1")
    hidden = client.post(url, json={"officer_ids": [other]}, headers=county_admin.headers)
    assert_problem(hidden, 404)
    record = f"{API}/officers/{ids[0]}/training-sessions"
    trainings = ok(client.get(record, headers=county_admin.headers))
    assert [(t["title"], t["attendance"], t["level_label"]) for t in trainings["items"]] == [
        ("滚动培训", 2, "旗县区滚动培训")
    ]
    assert trainings["items"][0]["training_plan_id"] == plan["id"]
    assert client.delete(f"{url}/{ids[0]}", headers=county_admin.headers).status_code == 204
    assert ok(client.get(record, headers=county_admin.headers))["items"] == []


def test_off_train_1_a_plan_keeps_its_note_and_changes_only_at_its_current_version(
    client: TestClient, places: None, county_admin: Actor, other_county: Actor
) -> None:
    plan = ok(
        client.post(
            f"{API}/training-plans",
            json={"year": 2025, "title": "培训计划", "planned_sessions": 2, "note": "每季度一期"},
            headers=county_admin.headers,
        ),
        201,
    )
    assert plan["note"] == "每季度一期"
    url = f"{API}/training-plans/{plan['id']}"
    stale = client.patch(
        url, json={"note": "改"}, headers={**county_admin.headers, "If-Match": '"9"'}
    )
    assert_problem(stale, 412)
    changed = ok(
        client.patch(
            url, json={"note": "增加两期", "planned_sessions": 4}, headers=county_admin.headers
        )
    )
    assert (changed["note"], changed["planned_sessions"], changed["version"]) == ("增加两期", 4, 2)
    assert_problem(client.patch(url, json={"note": None}, headers=county_admin.headers), 422)
    assert_problem(client.get(url, headers=other_county.headers), 404)
    listed = ok(
        client.get(f"{API}/training-plans", params={"year": 2025}, headers=county_admin.headers)
    )
    assert [p["note"] for p in listed["items"]] == ["增加两期"]


def test_off_train_1_city_exchange_sessions_are_the_citys_and_take_any_county(
    client: TestClient, places: None, county_admin: Actor, other_county: Actor, city_admin: Actor
) -> None:
    (mine,) = officers(client, county_admin, (1, "150402001", None))
    (theirs,) = officers(client, other_county, (2, "150403001", None))
    exchange = {
        "level": "city_exchange",
        "city_code": "150400",
        "title": "交流",
        "held_on": "2024-06-01",
    }
    refused = client.post(f"{API}/training-sessions", json=exchange, headers=county_admin.headers)
    assert_problem(refused, 422, field="level")
    not_a_city = client.post(
        f"{API}/training-sessions",
        json={**exchange, "city_code": "150402"},
        headers=city_admin.headers,
    )
    assert_problem(not_a_city, 404, field="city_code")
    held = ok(
        client.post(f"{API}/training-sessions", json=exchange, headers=city_admin.headers), 201
    )
    assert (held["city_code"], held["county_code"]) == ("150400", None)
    url = f"{API}/training-sessions/{held['id']}/attendance"
    ok(client.post(url, json={"officer_ids": [mine, theirs]}, headers=city_admin.headers))
    seen = ok(client.get(url, headers=county_admin.headers))
    assert [p["officer_id"] for p in seen["items"]] == [mine]
    listed = ok(client.get(f"{API}/training-sessions", headers=county_admin.headers))
    assert [(s["level"], s["attendance"]) for s in listed["items"]] == [("city_exchange", 1)]


@pytest.mark.parametrize(
    ("kind", "region", "status"),
    [
        ("township", "150402001", 201),
        ("village", "150402001201", 201),
        ("school", "150402", 201),
        ("township", "150402001201", 422),
        ("e_station", "150403001", 422),
    ],
)
def test_off_plan_1_activity_plans_sit_at_their_owners_level_in_the_county(
    client: TestClient, places: None, county_admin: Actor, kind: str, region: str, status: int
) -> None:
    response = client.post(
        f"{API}/activity-plans",
        json={
            "owner_kind": kind,
            "owner_name": "某单位",
            "region_code": region,
            "title": "科普中国进万家",
            "starts_on": "2024-05-01",
            "ends_on": "2024-05-31",
        },
        headers=county_admin.headers,
    )
    assert response.status_code == status, response.text
    if status == 201:
        listed = ok(
            client.get(
                f"{API}/activity-plans",
                params={"active_on": "2024-05-31"},
                headers=county_admin.headers,
            )
        )
        assert [p["owner_kind"] for p in listed["items"]] == [kind]


def test_off_case_1_county_reports_and_the_city_reads_replies_and_features(
    client: TestClient, places: None, county_admin: Actor, other_county: Actor, city_admin: Actor
) -> None:
    case = ok(
        client.post(
            f"{API}/officer-cases",
            json={"kind": "typical_case", "title": "村村通群", "body": "经验……"},
            headers=county_admin.headers,
        ),
        201,
    )
    problem = ok(
        client.post(
            f"{API}/officer-cases",
            json={"kind": "problem", "title": "流量不足", "body": "……"},
            headers=county_admin.headers,
        ),
        201,
    )
    url = f"{API}/officer-cases/{case['id']}"
    assert_problem(client.get(url, headers=other_county.headers), 404)
    assert_problem(client.post(f"{url}:read", headers=county_admin.headers), 403)
    assert ok(client.post(f"{url}:read", headers=city_admin.headers))["status"] == "read"
    assert_problem(client.post(f"{url}:read", headers=city_admin.headers), 409, rule="OFF-CASE-1")
    replied = ok(client.post(f"{url}:reply", json={"reply": "很好"}, headers=city_admin.headers))
    assert (replied["status"], replied["reply"]) == ("replied", "很好")
    assert ok(client.post(f"{url}:feature", headers=city_admin.headers))["status"] == "featured"
    refused = client.post(
        f"{API}/officer-cases/{problem['id']}:feature", headers=city_admin.headers
    )
    assert_problem(refused, 409, rule="OFF-CASE-1")
    mine = ok(
        client.get(
            f"{API}/officer-cases", params={"status": "featured"}, headers=county_admin.headers
        )
    )
    assert [c["id"] for c in mine["items"]] == [case["id"]]


def _figures(client: TestClient, who: Actor, rows: list[tuple[str, str, int, int]]) -> None:
    body = [
        {"app_account_id": a, "date": d, "channel": "wechat_group", "shares": s, "reads": r}
        for a, d, s, r in rows
    ]
    ok(client.post(f"{API}/officer-disseminations:bulk", json=body, headers=who.headers))


def test_off_ledger_1_xlsx_opens_with_a_sheet_per_section_and_chinese_headers(
    client: TestClient, places: None, county_admin: Actor, city_admin: Actor
) -> None:
    ids = officers(client, county_admin, (1, "150402001201", "2024-02-01"), (2, "150402001", None))
    officers(client, city_admin, (3, "150403001", "2024-01-01"))
    _figures(client, county_admin, [("t1", "2024-02-03", 4, 40), ("t1", "2024-12-31", 1, 5)])
    held = ok(
        client.post(
            f"{API}/training-sessions",
            json={"title": "滚动培训", "held_on": "2024-05-10"},
            headers=county_admin.headers,
        ),
        201,
    )
    ok(
        client.post(
            f"{API}/training-sessions/{held['id']}/attendance",
            json={"officer_ids": ids},
            headers=county_admin.headers,
        )
    )
    response = client.get(
        f"{API}/ledgers/officers",
        params={"county_code": "150402", "year": 2024},
        headers=county_admin.headers,
    )
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    expected = [
        ROSTER_SHEET,
        TRAINING_SHEET,
        ATTENDANCE_SHEET,
        MONTHLY_SHEET,
        OFFICER_MONTHLY_SHEET,
    ]
    assert book.sheetnames == [sheet_title(s, Locale.ZH) for s in expected]
    assert book.sheetnames[0] == "科普信息员名册"
    for sheet in expected:
        header = next(book[sheet_title(sheet, Locale.ZH)].iter_rows(max_row=1, values_only=True))
        assert header == sheet_headers(sheet, Locale.ZH)
    assert book["传播统计（按月）"]["E3"].number_format == "0.0%"
    roster = list(book["科普信息员名册"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2], r[4]) for r in roster] == [
        ("员1", "137****0001", "一村"),
        ("员2", "137****0002", None),
    ]
    monthly = list(book["传播统计（按月）"].iter_rows(min_row=2, values_only=True))
    assert len(monthly) == 12
    assert monthly[1][:7] == ("2024-02", 2, 1, 1, 1.0, 4, 40)
    assert monthly[0][4] is None
    per_officer = list(book["个人传播明细"].iter_rows(min_row=2, values_only=True))
    assert per_officer[0][-2:] == (5, 45)
    assert len(list(book["培训签到"].iter_rows(min_row=2))) == 2
    english = client.get(
        f"{API}/ledgers/officers",
        params={"county_code": "150402", "year": 2024},
        headers={**county_admin.headers, "Accept-Language": "en"},
    )
    assert english.status_code == 200, english.text
    book = load_workbook(io.BytesIO(english.content))
    assert book.sheetnames == [sheet_title(s, Locale.EN) for s in expected]
    for sheet in expected:
        header = next(book[sheet_title(sheet, Locale.EN)].iter_rows(max_row=1, values_only=True))
        assert header == sheet_headers(sheet, Locale.EN)
    monthly = list(book["Dissemination by month"].iter_rows(min_row=2, values_only=True))
    assert monthly[1][:7] == ("2024-02", 2, 1, 1, 1.0, 4, 40)
    assert book["Dissemination by month"]["E3"].number_format == "0.0%"
    assert "information%20officer%20statistics%20ledger" in english.headers["content-disposition"]


def test_off_ledger_1_csv_section_and_county_scope(
    client: TestClient, places: None, county_admin: Actor, other_county: Actor
) -> None:
    officers(client, county_admin, (1, "150402001", None))
    params = {"county_code": "150402", "year": 2024, "format": "csv"}
    whole = client.get(f"{API}/ledgers/officers", params=params, headers=county_admin.headers)
    text = whole.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "科普信息员名册"
    roster = client.get(
        f"{API}/ledgers/officers",
        params=params | {"section": "roster"},
        headers=county_admin.headers,
    )
    rows = list(csv.reader(io.StringIO(roster.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == sheet_headers(ROSTER_SHEET, Locale.ZH)
    assert rows[0][:2] == ["序号", "姓名"]
    assert rows[1][1] == "员1"
    assert_problem(
        client.get(f"{API}/ledgers/officers", params=params, headers=other_county.headers), 404
    )
    township = client.get(
        f"{API}/ledgers/officers",
        params=params | {"county_code": "150402001"},
        headers=county_admin.headers,
    )
    assert_problem(township, 422, field="query.county_code")


def test_off_kpi_1_scorecard_ranks_every_county_with_the_weights_it_used(
    client: TestClient,
    places: None,
    county_admin: Actor,
    other_county: Actor,
    city_admin: Actor,
    actor: ActorFactory,
) -> None:
    officers(client, county_admin, (1, "150402001", "2024-01-01"), (2, "150402001", "2024-01-01"))
    officers(client, other_county, (3, "150403001", "2024-01-01"))
    _figures(client, county_admin, [("t1", "2024-03-01", 10, 100)])
    _figures(client, other_county, [("t3", "2024-03-01", 10, 100)])
    ok(
        client.post(
            f"{API}/officer-cases",
            json={"kind": "suggestion", "title": "建议", "body": "……"},
            headers=other_county.headers,
        ),
        201,
    )
    card = ok(
        client.get(
            f"{API}/scorecards/2024", params={"city_code": "150400"}, headers=city_admin.headers
        )
    )
    assert len(card["counties"]) == 12
    assert card["city_code"] == "150400"
    assert all(isinstance(w, float) for w in card["weights"].values())
    assert sum(card["weights"].values()) == pytest.approx(1)
    assert all(isinstance(i["weight"], float) for i in card["counties"][0]["indicators"])
    top = card["counties"][0]
    assert (top["rank"], top["county_code"], top["county_name"]) == (1, "150403", "元宝山区")
    hongshan = next(c for c in card["counties"] if c["county_code"] == "150402")
    assert (
        hongshan["certified"],
        hongshan["active"],
        hongshan["activity_rate"],
        hongshan["shares"],
    ) == (
        2,
        1,
        0.5,
        10,
    )
    assert top["score"] > hongshan["score"]
    idle = card["counties"][-1]
    assert (idle["score"], idle["activity_rate"]) == (0.0, None)
    xlsx = client.get(
        f"{API}/scorecards/2024", params={"format": "xlsx"}, headers=city_admin.headers
    )
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["2024年考核评分", "评分权重"]
    assert next(book.active.iter_rows(max_row=1, values_only=True))[:2] == ("排名", "旗县区")
    english = client.get(
        f"{API}/scorecards/2024",
        params={"format": "xlsx"},
        headers={**city_admin.headers, "Accept-Language": "en"},
    )
    book = load_workbook(io.BytesIO(english.content))
    assert book.sheetnames == ["2024 assessment scores", "Score weights"]
    header = next(book.active.iter_rows(max_row=1, values_only=True))
    assert header[:2] == ("Rank", "County")
    rate = header.index("Activity rate") + 1
    assert book.active.cell(row=2, column=rate).number_format == "0.0%"
    weights = list(book["Score weights"].iter_rows(values_only=True))
    assert weights[0] == ("Indicator", "Weight", "Target value")
    assert weights[1][0] == "Activity rate"
    county = client.get(
        f"{API}/scorecards/2024", params={"city_code": "150402"}, headers=city_admin.headers
    )
    assert_problem(county, 404, field="query.city_code")
    assert_problem(client.get(f"{API}/scorecards/2024", headers=county_admin.headers), 403)
    auditor = actor(Role.AUDITOR)
    assert client.get(f"{API}/scorecards/2024", headers=auditor.headers).status_code == 200
