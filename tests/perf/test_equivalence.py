"""The fast paths answer what the simple paths answer, on the benchmark's own generated data
(issue 6): bulk registration equals registration one by one (VOL-REG-2), the officer metrics
read from the pre-aggregated totals equal a brute-force sum over the raw daily rows
(OFF-STAT-1, OFF-STAT-2), and the compliance dashboard equals each base's own compliance
(BASE-OPEN-1..4, BASE-ACT-1, BASE-REPORT-1)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.domain.access import Role
from app.domain.officers import Channel, DailyFigure, GroupBy, Period
from app.repositories import officers as officers_repo
from app.rules.officer_metrics import group_metrics, measure
from bench.dataset import COUNTIES, Loader, Plan, figure_values, volunteer_row
from tests.conftest import ActorFactory, _empty_tables

API = "/api/v1"
#: 12 bases, 80 organisations: the benchmark's data set at 4 % of its size.
SCALE = 0.04
SEED = 6
#: Figures from mid-November 2024 to 20 February 2025: whole months, loose days, two years.
FIRST_DAY, DAYS = date(2024, 11, 15), 98
OFFICERS = 30
#: Volatile fields that differ between two registrations of the same person.
VOLATILE = {"id", "created_at", "updated_at", "version"}


def loader(app: FastAPI, engine: Engine) -> Loader:
    """The benchmark's loader bound to the test database."""
    return Loader(plan=Plan(engine.dialect.name, SCALE, SEED), engine=engine, app=app, log=print)


def org_of(engine: Engine) -> str:
    """The first township sub-team of the generated organisations."""
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT id FROM organizations WHERE level = 'township_subteam' ORDER BY id")
        ).first()
    assert row is not None
    return str(row[0])


def volunteers_seen(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    """Every volunteer, revealed, with its memberships, keyed by ID number; no ids or times."""
    page = client.get(f"{API}/volunteers", params={"limit": 500}, headers=headers)
    assert page.status_code == 200, page.text
    seen: dict[str, Any] = {}
    for item in page.json()["items"]:
        one = client.get(f"{API}/volunteers/{item['id']}?reveal=true", headers=headers).json()
        memberships = client.get(
            f"{API}/volunteers/{item['id']}/memberships", headers=headers
        ).json()["items"]
        seen[one["id_number"]] = {
            "volunteer": {k: v for k, v in one.items() if k not in VOLATILE},
            "memberships": sorted((m["organization_id"], m["status"]) for m in memberships),
        }
    return seen


def feed_counts(client: TestClient, headers: dict[str, str]) -> dict[tuple[str, str], int]:
    """How many feed events of each resource and operation."""
    counts: dict[tuple[str, str], int] = {}
    for e in client.get(f"{API}/changes?limit=1000", headers=headers).json()["items"]:
        key = (e["resource"], e["op"])
        counts[key] = counts.get(key, 0) + 1
    return counts


def one_by_one_body(row: dict[str, Any], org_id: str) -> dict[str, Any]:
    """The `POST /volunteers` body stating what a bulk row states (the same nested `guardian`)."""
    declared = ("good_conduct", "healthy", "law_abiding", "supports_science", "civil_capacity")
    body = {k: v for k, v in row.items() if k not in declared}
    body["declarations"] = {k: row[k] for k in declared}
    body["organization_id"] = org_id
    return body


def test_vol_reg_2_bulk_registration_equals_registration_one_by_one(
    app: FastAPI, engine: Engine, client: TestClient, actor: ActorFactory
) -> None:
    """VOL-REG-2: the same 25 generated people, registered by `POST /volunteers:bulk` in one
    request and by `POST /volunteers` one at a time, read back identically — fields, personal
    data, memberships and change-feed events."""
    rng = random.Random(SEED)
    rows = [volunteer_row(100 + i, rng, COUNTIES[i % 3]) for i in range(25)]
    worlds = []
    for bulk in (True, False):
        _empty_tables(engine)
        load = loader(app, engine)
        load.load_townships()
        load.load_organisations()
        org_id = org_of(engine)
        admin = actor(Role.CITY_ADMIN)
        if bulk:
            response = client.post(
                f"{API}/volunteers:bulk",
                params={"organization_id": org_id},
                json=rows,
                headers=admin.headers,
            )
            assert response.status_code == 200, response.text
            assert response.json()["created"] == len(rows)
        else:
            for row in rows:
                response = client.post(
                    f"{API}/volunteers", json=one_by_one_body(row, org_id), headers=admin.headers
                )
                assert response.status_code == 201, response.text
        worlds.append((volunteers_seen(client, admin.headers), feed_counts(client, admin.headers)))
    (bulk_seen, bulk_feed), (single_seen, single_feed) = worlds
    assert len(bulk_seen) == len(rows)
    assert bulk_seen == single_seen
    assert bulk_feed == single_feed


# --- officers ------------------------------------------------------------------------------


def figure_rows(seed: int, accounts: list[str], first: date, days: int) -> list[dict[str, Any]]:
    """Rows of `POST /officer-disseminations:bulk` from the benchmark's figure generator."""
    return [
        {
            "app_account_id": account,
            "date": (first + timedelta(days=d)).isoformat(),
            "channel": channel.value,
            "shares": shares,
            "reads": reads,
        }
        for account in accounts
        for d, channel, shares, reads in figure_values(seed, account, days)
    ]


@pytest.fixture
def officer_data(app: FastAPI, engine: Engine, client: TestClient, actor: ActorFactory) -> Any:
    """30 generated officers and their figures, imported in overlapping bulk requests: the
    whole span, then January re-sent with other values, then one week re-sent unchanged."""
    load = loader(app, engine)
    load.load_townships()
    rng = load.rng("officers")
    with app.state.ctx.sessions() as session:
        officers_repo.create_officers(session, [load.officer(i, rng) for i in range(OFFICERS)])
        session.commit()
    admin = actor(Role.CITY_ADMIN)
    accounts = [f"kp{i:08d}" for i in range(OFFICERS)]
    url = f"{API}/officer-disseminations:bulk?mode=all_or_nothing"
    imports = [
        figure_rows(SEED, accounts, FIRST_DAY, DAYS),
        figure_rows(SEED + 1, accounts, date(2025, 1, 1), 31),
        figure_rows(SEED + 1, accounts[:10], date(2025, 1, 1), 7),
    ]
    for rows in imports:
        response = client.post(url, json=rows, headers=admin.headers)
        assert response.status_code == 200, response.text
    keys = {(r["app_account_id"], r["date"], r["channel"]) for rows in imports for r in rows}
    return admin, len(keys)


def raw_figures(engine: Engine) -> list[DailyFigure]:
    """Every daily row as stored."""
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT officer_id, day, channel, shares, reads FROM officer_disseminations")
        ).all()
    return [
        DailyFigure(
            officer_id=r[0],
            day=r[1] if isinstance(r[1], date) else date.fromisoformat(r[1]),
            channel=Channel(r[2]),
            shares=r[3],
            reads=r[4],
        )
        for r in rows
    ]


def facts(app: FastAPI) -> list[Any]:
    """Every officer as the metrics see it."""
    from sqlmodel import select

    with app.state.ctx.sessions() as session:
        return [o.to_fact() for o in session.exec(select(officers_repo.OfficerRow)).all()]


def figures_of(metrics: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(
        metrics[k] for k in ("key", "registered", "certified", "active", "shares", "reads")
    )


QUESTIONS = [
    ("county × year", "150402", date(2025, 1, 1), date(2025, 12, 31), None),
    ("city × month", "150400", date(2025, 1, 1), date(2025, 1, 31), None),
    ("officer × year", "150403001", date(2024, 1, 1), date(2024, 12, 31), GroupBy.OFFICER),
    ("city by county, loose days", "150400", date(2024, 11, 20), date(2025, 2, 10), GroupBy.COUNTY),
    ("city by township", None, date(2024, 12, 1), date(2025, 1, 31), GroupBy.TOWNSHIP),
    ("city by month", "150400", date(2024, 11, 1), date(2025, 2, 28), GroupBy.MONTH),
    ("two whole years", None, date(2024, 1, 1), date(2025, 12, 31), None),
]


def test_off_stat_2_metrics_from_totals_equal_a_brute_force_sum_over_raw_rows(
    app: FastAPI, engine: Engine, client: TestClient, officer_data: Any
) -> None:
    """OFF-STAT-1, OFF-STAT-2: every answer of `GET /officer-metrics` (which reads the year and
    month totals kept by the imports) equals `measure`/`group_metrics` over the raw rows: a
    county over a year, the city over a month, each officer of a township over a year, and
    periods cut into years, months and loose days, grouped every way."""
    admin, _rows = officer_data
    officers = facts(app)
    figures = raw_figures(engine)
    for question, region, start, end, group_by in QUESTIONS:
        params: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat(), "limit": 1000}
        if region is not None:
            params["region_code"] = region
        if group_by is not None:
            params["group_by"] = group_by.value
        response = client.get(f"{API}/officer-metrics", params=params, headers=admin.headers)
        assert response.status_code == 200, (question, response.text)
        body = response.json()
        period = Period(start=start, end=end)
        population = [
            o for o in officers if region in (None, "150400", o.county_code, o.township_code)
        ]
        total = measure("total", population, figures, period).model_dump()
        assert figures_of(body["total"])[1:] == figures_of(total)[1:], question
        if group_by is not None:
            expected = group_metrics(population, figures, period, group_by)
            got = [figures_of(g) for g in body["groups"]]
            assert got == [figures_of(m.model_dump()) for m in expected], question


def nonzero(totals: dict[tuple[str, int], list[int]]) -> dict[tuple[str, int], list[int]]:
    return {k: v for k, v in totals.items() if v != [0, 0]}


def test_off_stat_1_month_and_year_totals_equal_the_sums_of_the_daily_rows(
    engine: Engine, officer_data: Any
) -> None:
    """OFF-STAT-1: after overlapping imports (new, changed and unchanged rows), every month and
    year total equals the sum of its daily rows."""
    raw = raw_figures(engine)
    months: dict[tuple[str, int], list[int]] = {}
    years: dict[tuple[str, int], list[int]] = {}
    for f in raw:
        for table, key in ((months, f.day.year * 100 + f.day.month), (years, f.day.year)):
            total = table.setdefault((f.officer_id, key), [0, 0])
            total[0] += f.shares
            total[1] += f.reads
    with engine.connect() as conn:
        stored_months = {
            (r[0], r[1]): [r[2], r[3]]
            for r in conn.execute(
                text("SELECT officer_id, month, shares, reads FROM officer_dissemination_months")
            )
        }
        stored_years = {
            (r[0], r[1]): [r[2], r[3]]
            for r in conn.execute(
                text("SELECT officer_id, year, shares, reads FROM officer_dissemination_years")
            )
        }
    assert len(raw) == officer_data[1]
    # A total of nothing may or may not have a row: compare the ones with figures.
    assert nonzero(stored_months) == nonzero(months)
    assert nonzero(stored_years) == nonzero(years)


# --- bases ---------------------------------------------------------------------------------


def test_base_open_1_compliance_dashboard_equals_each_bases_own_compliance(
    app: FastAPI, engine: Engine, client: TestClient, actor: ActorFactory
) -> None:
    """BASE-OPEN-1..4, BASE-ACT-1, BASE-THEME-1, BASE-REPORT-1, BASE-EVENT-1: on the generated
    bases with ten years of records, `GET /bases/compliance?year=` (four queries for all bases)
    lists exactly `GET /bases/{id}/compliance/{year}` of every base, for a city and a county,
    in a past year, the last full year and the year in progress."""
    load = loader(app, engine)
    load.load_townships()
    load.load_bases()
    for who in (actor(Role.CITY_ADMIN), actor(Role.COUNTY_ADMIN, county_code=COUNTIES[1])):
        for year in (2017, 2025, 2026):
            board = client.get(
                f"{API}/bases/compliance", params={"year": year}, headers=who.headers
            )
            assert board.status_code == 200, board.text
            items = board.json()["items"]
            assert items
            for item in items:
                own = client.get(
                    f"{API}/bases/{item['base_id']}/compliance/{year}", headers=who.headers
                )
                assert own.status_code == 200, own.text
                assert own.json() == item, (who.role, year, item["base_id"])
