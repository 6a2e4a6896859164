"""Officer metrics by brute force over the raw facts (OFF-STAT-1, OFF-STAT-2).

These functions define the figures: the SQL aggregates of the repositories must agree with them,
and the API tests check that they do. They stay deliberately simple — one pass per group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from app.domain.officers import (
    DailyFigure,
    GroupBy,
    Metrics,
    OfficerFact,
    OfficerMetricsRankKey,
    Period,
    RankedMetrics,
)


def on_register(officer: OfficerFact, period: Period) -> bool:
    """OFF-STAT-2: registered by the period's end and not left before its start."""
    registered = officer.registered_on is None or officer.registered_on <= period.end
    stayed = officer.left_on is None or officer.left_on >= period.start
    return registered and stayed


def certified_in(officer: OfficerFact, period: Period) -> bool:
    """OFF-STAT-2: on the register and certified on or before the period's last day."""
    return (
        on_register(officer, period)
        and officer.certified_on is not None
        and officer.certified_on <= period.end
    )


def measure(
    key: str, officers: Iterable[OfficerFact], figures: Iterable[DailyFigure], period: Period
) -> Metrics:
    """OFF-STAT-1, OFF-STAT-2: head-count, activity and volume of these officers in the period.

    Active means certified (by the period's end) with at least one share inside the period, so
    active ≤ certified and the activity rate never exceeds 1. Volume counts every figure of these
    officers in the period, whoever shared it.
    """
    population = {o.officer_id: o for o in officers}
    shares_of: dict[str, int] = defaultdict(int)
    shares = reads = 0
    for f in figures:
        if f.officer_id in population and period.contains(f.day):
            shares_of[f.officer_id] += f.shares
            shares += f.shares
            reads += f.reads
    registered = [o for o in population.values() if on_register(o, period)]
    certified = [o for o in registered if certified_in(o, period)]
    active = [o for o in certified if shares_of[o.officer_id] > 0]
    return Metrics(
        key=key,
        registered=len(registered),
        certified=len(certified),
        active=len(active),
        shares=shares,
        reads=reads,
    )


def months_of(period: Period) -> list[Period]:
    """The calendar months the period touches, each cut to the period."""
    months: list[Period] = []
    start = period.start
    while start <= period.end:
        months.append(Period(start=start, end=min(_month_end(start), period.end)))
        start = _month_end(start) + timedelta(days=1)
    return months


class Pieces(BaseModel):
    """A period cut into whole calendar years, whole months (yyyymm) and leftover day spans."""

    model_config = ConfigDict(frozen=True)

    years: list[int] = []
    months: list[int] = []
    days: list[Period] = []


def _month_end(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1) - timedelta(days=1)


def decompose(period: Period) -> Pieces:
    """OFF-STAT-1: the coarsest calendar pieces covering the period exactly, each day once.

    Pre-aggregated yearly and monthly totals answer the whole pieces; only the leftover days at
    either end need the daily rows.
    """
    years: list[int] = []
    months: list[int] = []
    days: list[Period] = []
    cursor = period.start
    while cursor <= period.end:
        if cursor.month == 1 and cursor.day == 1 and date(cursor.year, 12, 31) <= period.end:
            years.append(cursor.year)
            cursor = date(cursor.year + 1, 1, 1)
        elif cursor.day == 1 and _month_end(cursor) <= period.end:
            months.append(cursor.year * 100 + cursor.month)
            cursor = _month_end(cursor) + timedelta(days=1)
        else:
            end = min(_month_end(cursor), period.end)
            days.append(Period(start=cursor, end=end))
            cursor = end + timedelta(days=1)
    return Pieces(years=years, months=months, days=days)


_GROUP_KEYS: dict[GroupBy, Callable[[OfficerFact], str]] = {
    GroupBy.COUNTY: lambda o: o.county_code,
    GroupBy.TOWNSHIP: lambda o: o.township_code,
    GroupBy.OFFICER: lambda o: o.officer_id,
}


def group_metrics(
    officers: Sequence[OfficerFact],
    figures: Sequence[DailyFigure],
    period: Period,
    group_by: GroupBy,
) -> list[Metrics]:
    """OFF-STAT-1, OFF-STAT-2: metrics per county, township, officer or month, sorted by key.

    Every county, township or officer of the population has a row, zero or not; `month` has one
    row per calendar month the period touches (key `YYYY-MM`), each measured over its own days.
    """
    if group_by is GroupBy.MONTH:
        return [measure(f"{m.start:%Y-%m}", officers, figures, m) for m in months_of(period)]
    key_of = _GROUP_KEYS[group_by]
    members: dict[str, list[OfficerFact]] = defaultdict(list)
    for o in officers:
        members[key_of(o)].append(o)
    return [measure(k, members[k], figures, period) for k in sorted(members)]


def metrics_of(key: str, counts: Sequence[int | None]) -> Metrics:
    """Metrics from `(registered, certified, active, shares, reads)`; None (an empty SQL sum)
    counts as 0."""
    registered, certified, active, shares, reads = (int(v or 0) for v in counts)
    return Metrics(
        key=key,
        registered=registered,
        certified=certified,
        active=active,
        shares=shares,
        reads=reads,
    )


def sum_metrics(key: str, parts: Iterable[Metrics]) -> Metrics:
    """OFF-STAT-2: the metrics of a population from those of groups that part it (each officer
    in exactly one group, as counties or townships do; not months)."""
    counts = [0, 0, 0, 0, 0]
    for m in parts:
        for n, value in enumerate((m.registered, m.certified, m.active, m.shares, m.reads)):
            counts[n] += value
    return metrics_of(key, counts)


def _rank_value(m: Metrics, by: OfficerMetricsRankKey) -> float | None:
    value: float | None = getattr(m, by.value)
    return value


def rank(metrics: Iterable[Metrics], by: OfficerMetricsRankKey) -> list[RankedMetrics]:
    """OFF-STAT-2: rank groups by `by`, highest first, every entry with volume and activity.

    Equal values share a rank (1, 2, 2, 4); an undefined value (no certified or no active
    officer) ranks after every defined one; ties list in key order.
    """
    ordered = sorted(
        metrics,
        key=lambda m: (
            _rank_value(m, by) is None,
            -(_rank_value(m, by) or 0.0),
            m.key,
        ),
    )
    ranked: list[RankedMetrics] = []
    for position, m in enumerate(ordered, start=1):
        value = _rank_value(m, by)
        tied = ranked and _rank_value(ordered[position - 2], by) == value
        ranked.append(
            RankedMetrics(
                rank=ranked[-1].rank if tied else position,
                **m.model_dump(exclude={"activity_rate", "shares_per_active"}),
            )
        )
    return ranked
