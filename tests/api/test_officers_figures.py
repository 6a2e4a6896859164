"""OFF-STAT-1, OFF-STAT-2 through the API: figure imports and metrics, checked against the pure
brute-force functions over the raw rows."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, select

from app.domain.access import Role
from app.domain.common import SHANGHAI, local_date
from app.domain.officers import Channel, DailyFigure, GroupBy, Period
from app.repositories.officers import OfficerRow
from app.repositories.officers_figures import DisseminationRow
from app.rules.officer_metrics import group_metrics, measure
from tests.conftest import Actor, ActorFactory, assert_problem

API = "/api/v1"
TOWNSHIPS = {"150402001": "150402", "150402002": "150402", "150403001": "150403"}
Key = tuple[str, date, str]


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


def register(client: TestClient, who: Actor, rows: list[dict[str, Any]]) -> None:
    response = client.post(f"{API}/officers:bulk", json=rows, headers=who.headers)
    assert response.status_code == 200, response.text


def officer(n: int, region: str = "150402001", **dates: str) -> dict[str, Any]:
    return {
        "name": f"员{n}",
        "mobile": f"1390000{n:04d}",
        "township_code": region[:9],
        **({"village_code": region} if len(region) == 12 else {}),
        "source_group": "other",
        "app_account_id": f"a{n}",
        **dates,
    }


def figure(
    account: str, day: str, shares: Any = 1, reads: Any = 10, channel: str = "weibo"
) -> dict[str, Any]:
    return {
        "app_account_id": account,
        "date": day,
        "channel": channel,
        "shares": shares,
        "reads": reads,
    }


def imported(
    client: TestClient,
    who: Actor,
    rows: list[dict[str, Any]] | None = None,
    mode: str = "partial",
    *,
    csv_body: str | None = None,
    include_ok: bool = False,
) -> Any:
    url = f"{API}/officer-disseminations:bulk?mode={mode}&include_ok={str(include_ok).lower()}"
    if csv_body is not None:
        headers = {**who.headers, "Content-Type": "text/csv"}
        return client.post(url, content=csv_body.encode(), headers=headers)
    return client.post(url, json=rows, headers=who.headers)


def stored(db: Session) -> dict[Key, tuple[int, int]]:
    db.expire_all()
    accounts = {o.id: o.app_account_id for o in db.exec(select(OfficerRow)).all()}
    return {
        (accounts[r.officer_id], r.day, r.channel): (r.shares, r.reads)
        for r in db.exec(select(DisseminationRow)).all()
    }


def tomorrow() -> str:
    return (local_date(datetime.now(SHANGHAI)) + timedelta(days=2)).isoformat()


MIXED = [
    figure("a1", "2024-03-01"),
    figure("nobody", "2024-03-01"),
    figure("a1", "2024-03-02", shares=-1),
    figure("a2", "2024-03-01", reads=1.5),
    figure("a2", "2024-03-01", channel="微信群"),
    figure("a1", "2024-03-01", shares=9),
    figure("a3", "2024-03-01"),
]


def test_off_stat_1_all_or_nothing_import_with_a_bad_row_stores_nothing(
    client: TestClient, places: None, county_admin: Actor, db: Session
) -> None:
    register(client, county_admin, [officer(1), officer(2), officer(3)])
    body = assert_problem(
        imported(client, county_admin, [*MIXED, figure("a1", tomorrow())], "all_or_nothing"), 422
    )
    assert {e["field"] for e in body["errors"]} == {
        "rows[2].app_account_id",
        "rows[3].shares",
        "rows[4].reads",
        "rows[6].date",
        "rows[8].date",
    }
    assert stored(db) == {}


def test_off_stat_1_partial_import_applies_good_rows_and_reports_each_bad_one(
    client: TestClient, places: None, county_admin: Actor, db: Session
) -> None:
    register(client, county_admin, [officer(1), officer(2), officer(3)])
    body = imported(client, county_admin, MIXED).json()
    assert (body["total"], body["created"], body["errors"]) == (7, 3, 4)
    assert [(r["row"], r["errors"][0]["field"], r["errors"][0]["code"]) for r in body["rows"]] == [
        (2, "app_account_id", "OFF-STAT-1"),
        (3, "shares", "OFF-STAT-1"),
        (4, "reads", "OFF-STAT-1"),
        (6, "date", "OFF-STAT-1"),
    ]
    assert stored(db) == {
        ("a1", date(2024, 3, 1), "weibo"): (1, 10),
        ("a2", date(2024, 3, 1), "wechat_group"): (1, 10),
        ("a3", date(2024, 3, 1), "weibo"): (1, 10),
    }


def test_off_stat_1_the_same_day_reimported_replaces_and_never_doubles(
    client: TestClient, places: None, county_admin: Actor, db: Session
) -> None:
    register(client, county_admin, [officer(1)])
    day = [figure("a1", "2024-03-01", 3, 30), figure("a1", "2024-03-01", 2, 20, "qq")]
    assert imported(client, county_admin, day).json()["created"] == 2
    again = imported(client, county_admin, day, include_ok=True).json()
    assert (again["created"], again["updated"], again["matched_existing"]) == (0, 0, 2)
    assert [r["status"] for r in again["rows"]] == ["matched_existing", "matched_existing"]
    corrected = imported(client, county_admin, [figure("a1", "2024-03-01", 5, 50)]).json()
    assert corrected["updated"] == 1
    assert stored(db) == {
        ("a1", date(2024, 3, 1), "weibo"): (5, 50),
        ("a1", date(2024, 3, 1), "qq"): (2, 20),
    }
    metrics = client.get(
        f"{API}/officer-metrics",
        params={"starts_on": "2024-01-01", "ends_on": "2024-12-31"},
        headers=county_admin.headers,
    ).json()["total"]
    assert (metrics["shares"], metrics["reads"]) == (7, 70)


def test_off_stat_1_county_admin_cannot_import_figures_of_another_countys_officer(
    client: TestClient, places: None, county_admin: Actor, city_admin: Actor, db: Session
) -> None:
    register(client, city_admin, [officer(1), officer(9, "150403001")])
    refused = imported(
        client,
        county_admin,
        [figure("a1", "2024-03-01"), figure("a9", "2024-03-01")],
        "all_or_nothing",
    )
    assert_problem(refused, 422, field="rows[2].app_account_id")
    assert stored(db) == {}
    assert imported(client, city_admin, [figure("a9", "2024-03-01")]).json()["created"] == 1


def test_off_stat_1_csv_import_accepts_chinese_labels_and_a_bom(
    client: TestClient, places: None, county_admin: Actor, db: Session
) -> None:
    register(client, county_admin, [officer(1)])
    body = "\ufeffapp_account_id,date,channel,shares,reads\r\na1,2024/3/1,朋友圈,4,40\r\n"
    response = imported(client, county_admin, csv_body=body)
    assert response.json()["created"] == 1, response.text
    assert stored(db) == {("a1", date(2024, 3, 1), "wechat_moments"): (4, 40)}


def _brute_force_world(
    client: TestClient, city_admin: Actor, db: Session
) -> dict[Key, tuple[int, int]]:
    """Officers with every kind of date, figures over 15 months, half of them re-imported."""
    rng = random.Random(5)
    regions = ["150402001", "150402002", "150402001201", "150403001"]
    rows = []
    for n in range(1, 25):
        dates = {}
        if n % 4:
            dates["certified_on"] = (
                date(2023, 11, 1) + timedelta(days=rng.randrange(500))
            ).isoformat()
        if n % 5 == 0:
            dates["registered_on"] = (
                date(2023, 10, 1) + timedelta(days=rng.randrange(200))
            ).isoformat()
        if n % 7 == 0:
            dates["left_on"] = "2024-08-31"
        if "registered_on" in dates and "certified_on" in dates:
            dates["certified_on"] = max(dates["certified_on"], dates["registered_on"])
        rows.append(officer(n, regions[n % 4], **dates))
    register(client, city_admin, rows)
    expected: dict[Key, tuple[int, int]] = {}
    batches: list[list[dict[str, Any]]] = [[], []]
    for _ in range(1200):
        account = f"a{rng.randrange(1, 25)}"
        day = date(2023, 11, 15) + timedelta(days=rng.randrange(455))
        channel = rng.choice(list(Channel)).value
        key = (account, day, channel)
        if key in expected:
            continue
        value = (rng.choice([0, 0, 1, 2, 5]), rng.randrange(0, 100))
        expected[key] = value
        batches[rng.randrange(2)].append(figure(account, day.isoformat(), *value, channel=channel))
    # The second batch first arrives with other numbers, then is corrected.
    wrong = [dict(r, shares=r["shares"] + 3) for r in batches[1]]
    for batch in (batches[0], wrong, batches[1]):
        response = imported(client, city_admin, batch, "all_or_nothing")
        assert response.status_code == 200, response.text
    assert stored(db) == expected
    return expected


@pytest.mark.parametrize("region", [None, "150402", "150402001", "150402001201", "150403"])
def test_off_stat_2_metrics_agree_with_a_brute_force_sum_over_the_raw_rows(
    client: TestClient, places: None, city_admin: Actor, db: Session, region: str | None
) -> None:
    _brute_force_world(client, city_admin, db)
    db.expire_all()
    officers = db.exec(select(OfficerRow)).all()
    by_id = {o.id: o for o in officers}
    population = [
        o.to_fact()
        for o in officers
        if region is None or region in (o.county_code, o.township_code, o.region_code)
    ]
    figures = [
        DailyFigure(
            officer_id=r.officer_id,
            day=r.day,
            channel=Channel(r.channel),
            shares=r.shares,
            reads=r.reads,
        )
        for r in db.exec(select(DisseminationRow)).all()
        if r.officer_id in by_id
    ]
    periods = [
        Period(start=date(2024, 1, 1), end=date(2024, 12, 31)),
        Period(start=date(2023, 12, 15), end=date(2025, 1, 20)),
        Period(start=date(2024, 3, 1), end=date(2024, 3, 31)),
        Period(start=date(2024, 2, 29), end=date(2024, 2, 29)),
        Period(start=date(2024, 8, 31), end=date(2024, 10, 1)),
    ]
    for period in periods:
        params: dict[str, str] = {
            "starts_on": period.start.isoformat(),
            "ends_on": period.end.isoformat(),
        }
        if region:
            params["region_code"] = region
        for group_by in (None, *GroupBy):
            query = params | ({"group_by": group_by.value, "limit": "1000"} if group_by else {})
            response = client.get(
                f"{API}/officer-metrics", params=query, headers=city_admin.headers
            )
            assert response.status_code == 200, response.text
            body = response.json()
            total = measure("total", population, figures, period)
            assert body["total"] | {"key": "total", "name": None} == _shown(total), (
                period,
                group_by,
            )
            if group_by is not None:
                want = [_shown(m) for m in group_metrics(population, figures, period, group_by)]
                got = [g | {"name": None} for g in body["groups"]]
                assert got == want, (period, group_by)


def test_off_stat_2_one_officers_metrics_by_month_agree_with_the_brute_force(
    client: TestClient, places: None, city_admin: Actor, db: Session, actor: ActorFactory
) -> None:
    _brute_force_world(client, city_admin, db)
    db.expire_all()
    period = Period(start=date(2023, 12, 20), end=date(2024, 12, 31))
    for officer in db.exec(select(OfficerRow).where(OfficerRow.app_account_id.in_(["a3", "a5"]))):
        figures = [
            DailyFigure(
                officer_id=r.officer_id,
                day=r.day,
                channel=Channel(r.channel),
                shares=r.shares,
                reads=r.reads,
            )
            for r in db.exec(
                select(DisseminationRow).where(DisseminationRow.officer_id == officer.id)
            )
        ]
        body = client.get(
            f"{API}/officer-metrics",
            params={
                "officer_id": officer.id,
                "starts_on": "2023-12-20",
                "ends_on": "2024-12-31",
                "group_by": "month",
            },
            headers=city_admin.headers,
        ).json()
        want = group_metrics([officer.to_fact()], figures, period, GroupBy.MONTH)
        assert body["groups"] == [_shown(m) for m in want]
    elsewhere = actor(Role.COUNTY_ADMIN, county_code="150403")
    hidden = client.get(
        f"{API}/officer-metrics",
        params={"officer_id": officer.id, "starts_on": "2024-01-01", "ends_on": "2024-01-31"},
        headers=elsewhere.headers,
    )
    assert_problem(hidden, 404)


def _shown(metrics: Any) -> dict[str, Any]:
    return {
        "key": metrics.key,
        "name": None,
        "rank": None,
        "registered": metrics.registered,
        "certified": metrics.certified,
        "active": metrics.active,
        "activity_rate": metrics.activity_rate,
        "shares": metrics.shares,
        "reads": metrics.reads,
        "shares_per_active": metrics.shares_per_active,
    }


def test_off_stat_2_monthly_and_yearly_totals_equal_the_daily_rows(
    client: TestClient, places: None, city_admin: Actor, db: Session
) -> None:
    _brute_force_world(client, city_admin, db)
    daily = (
        db.connection()
        .execute(text("SELECT officer_id, day, shares, reads FROM officer_disseminations"))
        .all()
    )
    months: dict[tuple[str, int], list[int]] = {}
    years: dict[tuple[str, int], list[int]] = {}
    for oid, day, shares, reads in daily:
        day = date.fromisoformat(day) if isinstance(day, str) else day
        for totals, key in ((months, (oid, day.year * 100 + day.month)), (years, (oid, day.year))):
            entry = totals.setdefault(key, [0, 0])
            entry[0] += shares
            entry[1] += reads
    queries = (
        ("SELECT officer_id, month, shares, reads FROM officer_dissemination_months", months),
        ("SELECT officer_id, year, shares, reads FROM officer_dissemination_years", years),
    )
    for query, want in queries:
        rows = db.connection().execute(text(query))
        assert {(o, g): [s, r] for o, g, s, r in rows} == want


def test_off_stat_2_ranking_shows_volume_and_activity_beside_the_head_count(
    client: TestClient, places: None, city_admin: Actor
) -> None:
    register(
        client,
        city_admin,
        [
            officer(1, certified_on="2024-01-01"),
            officer(2, "150403001", certified_on="2024-01-01"),
            officer(3, "150403001", certified_on="2024-01-01"),
        ],
    )
    imported(client, city_admin, [figure("a1", "2024-03-01", 2), figure("a2", "2024-03-01", 9)])
    body = client.get(
        f"{API}/officer-metrics",
        params={
            "starts_on": "2024-03-01",
            "ends_on": "2024-03-31",
            "group_by": "county",
            "rank_by": "activity_rate",
        },
        headers=city_admin.headers,
    ).json()
    assert [
        (g["rank"], g["key"], g["name"], g["certified"], g["activity_rate"], g["shares"])
        for g in body["groups"]
    ] == [
        (1, "150402", "红山区", 1, 1.0, 2),
        (2, "150403", "元宝山区", 2, 0.5, 9),
    ]
    assert body["starts_on"] == "2024-03-01"


def test_off_stat_2_no_certified_officer_gives_a_null_rate(
    client: TestClient, places: None, county_admin: Actor
) -> None:
    register(client, county_admin, [officer(1)])
    imported(client, county_admin, [figure("a1", "2024-03-01", 2)])
    total = client.get(
        f"{API}/officer-metrics",
        params={"starts_on": "2024-03-01", "ends_on": "2024-03-31"},
        headers=county_admin.headers,
    ).json()["total"]
    assert (total["registered"], total["certified"], total["active"], total["shares"]) == (
        1,
        0,
        0,
        2,
    )
    assert total["activity_rate"] is None


def test_off_stat_2_officer_groups_are_paged_and_scope_is_enforced(
    client: TestClient, places: None, county_admin: Actor, city_admin: Actor
) -> None:
    register(client, city_admin, [officer(n) for n in range(1, 6)] + [officer(9, "150403001")])
    params = {
        "starts_on": "2024-01-01",
        "ends_on": "2024-01-31",
        "group_by": "officer",
        "limit": "2",
    }
    keys: list[str] = []
    cursor = None
    while True:
        page = client.get(
            f"{API}/officer-metrics",
            params=params | ({"cursor": cursor} if cursor else {}),
            headers=county_admin.headers,
        ).json()
        keys += [g["key"] for g in page["groups"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(keys) == 5 == len(set(keys))
    assert page["total"]["registered"] == 5
    outside = client.get(
        f"{API}/officer-metrics",
        params={**params, "region_code": "150403"},
        headers=county_admin.headers,
    )
    assert_problem(outside, 404)
    reversed_period = client.get(
        f"{API}/officer-metrics",
        params={"starts_on": "2024-02-01", "ends_on": "2024-01-01"},
        headers=city_admin.headers,
    )
    assert_problem(reversed_period, 422, field="query.ends_on")
    officer_rank = client.get(
        f"{API}/officer-metrics", params={**params, "rank_by": "shares"}, headers=city_admin.headers
    )
    assert_problem(officer_rank, 422, field="query.rank_by")


def test_off_stat_2_officer_list_filters_by_activity_in_a_period(
    client: TestClient, places: None, county_admin: Actor
) -> None:
    register(
        client,
        county_admin,
        [officer(1, certified_on="2024-01-01"), officer(2, certified_on="2024-01-01"), officer(3)],
    )
    imported(
        client,
        county_admin,
        [
            figure("a1", "2024-03-31"),
            figure("a2", "2024-04-01"),
            figure("a3", "2024-03-05"),
            figure("a2", "2024-03-10", shares=0),
        ],
    )
    page = client.get(
        f"{API}/officers",
        params={"active_starts_on": "2024-03-01", "active_ends_on": "2024-03-31"},
        headers=county_admin.headers,
    ).json()
    assert [o["app_account_id"] for o in page["items"]] == ["a1"]


@pytest.mark.slow
def test_off_stat_1_one_request_imports_100000_csv_rows(
    client: TestClient, places: None, city_admin: Actor, db: Session
) -> None:
    register(client, city_admin, [officer(n) for n in range(1, 101)])
    lines = ["app_account_id,date,channel,shares,reads"]
    start = date(2022, 1, 1)
    lines += [
        f"a{n},{start + timedelta(days=d)},weibo,{(n + d) % 3},{d % 50}"
        for n in range(1, 101)
        for d in range(1000)
    ]
    response = imported(client, city_admin, csv_body="\n".join(lines) + "\n")
    body = response.json()
    assert (body["total"], body["created"], body["errors"]) == (100_000, 100_000, 0), response.text
    total = client.get(
        f"{API}/officer-metrics",
        params={"starts_on": "2022-01-01", "ends_on": "2024-12-31"},
        headers=city_admin.headers,
    ).json()["total"]
    assert total["shares"] == sum((n + d) % 3 for n in range(1, 101) for d in range(1000))
