"""The officer metrics' fast paths answer what a brute-force recomputation from the daily rows
answers (OFF-STAT-1, OFF-STAT-2), on both databases: a single year or month read straight from
its total table, a county or township total summed from its groups, months grouped from the month
totals joined to the register once, partial months and loose days summed per officer."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.domain.access import Role
from app.domain.officers import Channel, DailyFigure, GroupBy, Metrics, OfficerFact, Period
from app.rules.officer_metrics import group_metrics, measure, sum_metrics
from tests.conftest import ActorFactory
from tests.perf.test_equivalence import facts, figures_of, officer_data, raw_figures

API = "/api/v1"

__all__ = ["officer_data"]  # the fixture: 30 generated officers, 98 days of figures


@pytest.fixture
def varied(engine: Engine, officer_data: Any) -> Any:
    """The generated officers with register dates moved into the figures' span: registered,
    certified and leaving in the middle of months, so head-counts differ month by month."""
    rng = random.Random(7)
    with engine.begin() as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM officers ORDER BY id"))]
        for oid in ids:
            registered = date(2024, 11, 1) + timedelta(days=rng.randrange(60))
            certified = (
                registered + timedelta(days=rng.randrange(40)) if rng.random() < 0.8 else None
            )
            left = (
                registered + timedelta(days=rng.randrange(20, 120)) if rng.random() < 0.3 else None
            )
            conn.execute(
                text(
                    "UPDATE officers SET registered_on = :r, certified_on = :c, left_on = :l "
                    "WHERE id = :id"
                ),
                {"r": registered, "c": certified, "l": left, "id": oid},
            )
    return officer_data


#: (question, region, from, to, group_by): whole years and months, loose days, months cut at
#: both ends, one day, a period inside one month.
QUESTIONS = [
    ("city × month by county", "150400", date(2025, 1, 1), date(2025, 1, 31), GroupBy.COUNTY),
    ("city × month by township", "150400", date(2024, 12, 1), date(2024, 12, 31), GroupBy.TOWNSHIP),
    ("county × year", "150402", date(2025, 1, 1), date(2025, 12, 31), None),
    ("county × year by township", "150402", date(2024, 1, 1), date(2024, 12, 31), GroupBy.TOWNSHIP),
    ("city × year by month", "150400", date(2025, 1, 1), date(2025, 12, 31), GroupBy.MONTH),
    ("city × months cut at both ends", None, date(2024, 11, 20), date(2025, 2, 10), GroupBy.MONTH),
    ("city × whole months by month", None, date(2024, 11, 1), date(2025, 2, 28), GroupBy.MONTH),
    ("inside one month by month", "150400", date(2025, 1, 5), date(2025, 1, 25), GroupBy.MONTH),
    ("one day by county", "150400", date(2024, 12, 31), date(2024, 12, 31), GroupBy.COUNTY),
    ("loose days by county", "150400", date(2024, 11, 16), date(2025, 2, 19), GroupBy.COUNTY),
    ("two months by officer", None, date(2024, 12, 1), date(2025, 1, 31), GroupBy.OFFICER),
    ("two years and a day", None, date(2023, 12, 31), date(2025, 12, 31), None),
]


def ask(client: TestClient, headers: dict[str, str], question: tuple[Any, ...]) -> dict[str, Any]:
    """`GET /officer-metrics` for one question."""
    _label, region, start, end, group_by = question
    params: dict[str, Any] = {
        "starts_on": start.isoformat(),
        "ends_on": end.isoformat(),
        "limit": 1000,
    }
    if region is not None:
        params["region_code"] = region
    if group_by is not None:
        params["group_by"] = group_by.value
    response = client.get(f"{API}/officer-metrics", params=params, headers=headers)
    assert response.status_code == 200, (question, response.text)
    body: dict[str, Any] = response.json()
    return body


def test_off_stat_2_fast_metrics_equal_a_recomputation_from_daily_rows(
    app: FastAPI, engine: Engine, client: TestClient, varied: Any
) -> None:
    """OFF-STAT-1, OFF-STAT-2: every question's total and groups equal `measure` and
    `group_metrics` over the stored daily rows and the register."""
    admin, _rows = varied
    officers = facts(app)
    figures = raw_figures(engine)
    assert len({(o.registered_on, o.certified_on, o.left_on) for o in officers}) > 20
    for question in QUESTIONS:
        label, region, start, end, group_by = question
        population = [
            o for o in officers if region in (None, "150400", o.county_code, o.township_code)
        ]
        recomputed = recompute(population, figures, Period(start=start, end=end), group_by)
        assert answered(ask(client, admin.headers, question)) == recomputed, label


def answered(body: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The counts of the total (key dropped) and of each group, as answered."""
    return [figures_of(body["total"])[1:], *(figures_of(g) for g in body["groups"])]


def recompute(
    officers: list[OfficerFact], figures: list[DailyFigure], period: Period, by: GroupBy | None
) -> list[tuple[Any, ...]]:
    """The same, by `measure` and `group_metrics` over the daily rows."""
    groups = group_metrics(officers, figures, period, by) if by is not None else []
    total = figures_of(measure("total", officers, figures, period).model_dump())[1:]
    return [total, *(figures_of(m.model_dump()) for m in groups)]


def test_off_stat_2_one_officer_by_month_and_a_county_admins_scope(
    app: FastAPI, engine: Engine, client: TestClient, actor: ActorFactory, varied: Any
) -> None:
    """OFF-STAT-2: one officer's months (the register joined on its id) and a county
    administrator's whole scope by month equal the recomputation."""
    admin, _rows = varied
    officers = facts(app)
    figures = raw_figures(engine)
    period = Period(start=date(2024, 11, 15), end=date(2025, 2, 20))
    for officer in officers[:5]:
        params = {
            "officer_id": officer.officer_id,
            "starts_on": period.start.isoformat(),
            "ends_on": period.end.isoformat(),
            "group_by": "month",
        }
        body = client.get(f"{API}/officer-metrics", params=params, headers=admin.headers).json()
        expected = group_metrics([officer], figures, period, GroupBy.MONTH)
        assert [figures_of(g) for g in body["groups"]] == [
            figures_of(m.model_dump()) for m in expected
        ]
    county = officers[0].county_code
    clerk = actor(Role.COUNTY_ADMIN, county_code=county)
    params = {"starts_on": "2024-11-01", "ends_on": "2025-01-31", "group_by": "month"}
    body = client.get(f"{API}/officer-metrics", params=params, headers=clerk.headers).json()
    mine = [o for o in officers if o.county_code == county]
    expected = group_metrics(
        mine, figures, Period(start=date(2024, 11, 1), end=date(2025, 1, 31)), GroupBy.MONTH
    )
    assert [figures_of(g) for g in body["groups"]] == [figures_of(m.model_dump()) for m in expected]


def test_off_stat_2_sum_of_a_partition_is_the_measure_of_the_whole() -> None:
    """OFF-STAT-2: counties and townships part the officers, so summing their metrics gives the
    population's (what the route does instead of a second statement)."""
    rng = random.Random(3)
    start = date(2025, 1, 1)
    officers = [
        OfficerFact(
            officer_id=f"o{i:03d}",
            county_code=f"15040{i % 3}",
            township_code=f"15040{i % 3}00{i % 2}",
            certified_on=start + timedelta(days=rng.randrange(-30, 60)) if i % 4 else None,
            registered_on=start + timedelta(days=rng.randrange(-60, 30)),
            left_on=start + timedelta(days=rng.randrange(10, 90)) if i % 5 == 0 else None,
        )
        for i in range(40)
    ]
    figures = [
        DailyFigure(
            officer_id=f"o{rng.randrange(40):03d}",
            day=start + timedelta(days=rng.randrange(90)),
            channel=Channel.APP,
            shares=rng.randrange(3),
            reads=rng.randrange(50),
        )
        for _ in range(400)
    ]
    figures = list({(f.officer_id, f.day): f for f in figures}.values())
    for period in (Period(start=start, end=start + timedelta(days=40)), Period.year(2025)):
        whole = measure("total", officers, figures, period)
        for group_by in (GroupBy.COUNTY, GroupBy.TOWNSHIP):
            parts: list[Metrics] = group_metrics(officers, figures, period, group_by)
            assert sum_metrics("total", parts) == whole
