"""OFF-STAT-1, OFF-STAT-2: registered, certified, active, activity rate, volume; rankings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.officers import (
    Channel,
    DailyFigure,
    GroupBy,
    Metrics,
    OfficerFact,
    OfficerMetricsRankKey,
    Period,
)
from app.rules.officer_metrics import decompose, group_metrics, measure, months_of, rank

MARCH = Period(start=date(2024, 3, 1), end=date(2024, 3, 31))


def officer(
    officer_id: str = "o1",
    *,
    township: str = "150402001",
    certified_on: date | None = date(2024, 1, 1),
    registered_on: date | None = None,
    left_on: date | None = None,
) -> OfficerFact:
    return OfficerFact(
        officer_id=officer_id,
        county_code=township[:6],
        township_code=township,
        certified_on=certified_on,
        registered_on=registered_on,
        left_on=left_on,
    )


def share(
    officer_id: str = "o1", day: date = date(2024, 3, 10), shares: int = 1, reads: int = 10
) -> DailyFigure:
    return DailyFigure(
        officer_id=officer_id, day=day, channel=Channel.WECHAT_GROUP, shares=shares, reads=reads
    )


@pytest.mark.parametrize(
    ("day", "active"),
    [
        (date(2024, 2, 29), 0),
        (date(2024, 3, 1), 1),
        (date(2024, 3, 31), 1),
        (date(2024, 4, 1), 0),
    ],
)
def test_off_stat_2_a_share_on_the_first_or_last_day_makes_the_officer_active(
    day: date, active: int
) -> None:
    m = measure("x", [officer()], [share(day=day)], MARCH)
    assert m.active == active
    assert m.shares == active
    assert m.activity_rate == float(active)


def test_off_stat_2_a_figure_with_zero_shares_does_not_make_an_officer_active() -> None:
    m = measure("x", [officer()], [share(shares=0, reads=50)], MARCH)
    assert (m.active, m.shares, m.reads) == (0, 0, 50)


@pytest.mark.parametrize(
    ("certified_on", "certified", "active"),
    [
        (date(2024, 3, 31), 1, 1),
        (date(2024, 4, 1), 0, 0),
        (None, 0, 0),
    ],
)
def test_off_stat_2_an_officer_certified_after_the_period_is_neither_certified_nor_active(
    certified_on: date | None, certified: int, active: int
) -> None:
    m = measure("x", [officer(certified_on=certified_on)], [share()], MARCH)
    assert (m.registered, m.certified, m.active) == (1, certified, active)
    assert m.shares == 1, "volume counts whoever shared it"


def test_off_stat_2_no_certified_officers_leaves_the_rate_undefined_not_zero() -> None:
    m = measure("x", [officer(certified_on=None)], [share()], MARCH)
    assert m.certified == 0
    assert m.activity_rate is None
    assert m.shares_per_active is None
    empty = measure("x", [], [], MARCH)
    assert (empty.registered, empty.activity_rate, empty.shares_per_active) == (0, None, None)


def test_off_stat_2_activity_rate_and_shares_per_active() -> None:
    officers = [officer("a"), officer("b"), officer("c"), officer("d", certified_on=None)]
    figures = [share("a", shares=4), share("a", date(2024, 3, 11), shares=2), share("b", shares=3)]
    m = measure("x", officers, figures, MARCH)
    assert (m.registered, m.certified, m.active, m.shares) == (4, 3, 2, 9)
    assert m.activity_rate == pytest.approx(2 / 3)
    assert m.shares_per_active == 4.5


@pytest.mark.parametrize(
    ("registered_on", "left_on", "on_register"),
    [
        (date(2024, 3, 31), None, 1),
        (date(2024, 4, 1), None, 0),
        (None, date(2024, 3, 1), 1),
        (None, date(2024, 2, 29), 0),
    ],
)
def test_off_stat_2_registered_means_on_the_register_at_some_day_of_the_period(
    registered_on: date | None, left_on: date | None, on_register: int
) -> None:
    o = officer(registered_on=registered_on, left_on=left_on, certified_on=None)
    assert measure("x", [o], [], MARCH).registered == on_register


def test_off_stat_1_figures_of_officers_outside_the_population_are_ignored() -> None:
    m = measure("x", [officer("a")], [share("a"), share("stranger", shares=100)], MARCH)
    assert m.shares == 1


def test_off_stat_2_group_by_county_and_township_lists_every_group_even_empty() -> None:
    officers = [
        officer("a", township="150402001"),
        officer("b", township="150402002"),
        officer("c", township="150403001", certified_on=None),
    ]
    figures = [share("a", shares=2), share("b", day=date(2023, 1, 1))]
    by_county = group_metrics(officers, figures, MARCH, GroupBy.COUNTY)
    assert [(m.key, m.registered, m.certified, m.active, m.shares) for m in by_county] == [
        ("150402", 2, 2, 1, 2),
        ("150403", 1, 0, 0, 0),
    ]
    by_township = group_metrics(officers, figures, MARCH, GroupBy.TOWNSHIP)
    assert [(m.key, m.active) for m in by_township] == [
        ("150402001", 1),
        ("150402002", 0),
        ("150403001", 0),
    ]
    by_officer = group_metrics(officers, figures, MARCH, GroupBy.OFFICER)
    assert [m.key for m in by_officer] == ["a", "b", "c"]


def test_off_stat_2_group_by_month_measures_each_month_on_its_own_days() -> None:
    period = Period(start=date(2024, 1, 15), end=date(2024, 3, 10))
    officers = [officer("a", certified_on=date(2024, 2, 10))]
    figures = [share("a", date(2024, 1, 20)), share("a", date(2024, 3, 10), shares=5)]
    months = group_metrics(officers, figures, period, GroupBy.MONTH)
    assert [(m.key, m.certified, m.active, m.shares) for m in months] == [
        ("2024-01", 0, 0, 1),
        ("2024-02", 1, 0, 0),
        ("2024-03", 1, 1, 5),
    ]


def test_off_stat_2_months_of_a_period_are_cut_to_it_across_a_year_end() -> None:
    months = months_of(Period(start=date(2023, 12, 5), end=date(2024, 2, 3)))
    assert [(m.start, m.end) for m in months] == [
        (date(2023, 12, 5), date(2023, 12, 31)),
        (date(2024, 1, 1), date(2024, 1, 31)),
        (date(2024, 2, 1), date(2024, 2, 3)),
    ]
    assert len(months_of(Period.year(2024))) == 12


def test_off_stat_2_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before its start"):
        Period(start=date(2024, 3, 2), end=date(2024, 3, 1))


def metrics(key: str, certified: int, active: int, shares: int) -> Metrics:
    return Metrics(
        key=key,
        registered=certified + 1,
        certified=certified,
        active=active,
        shares=shares,
        reads=0,
    )


def test_off_stat_2_every_ranking_shows_volume_and_activity_beside_the_count() -> None:
    ranked = rank([metrics("a", 10, 1, 5), metrics("b", 2, 2, 50)], OfficerMetricsRankKey.CERTIFIED)
    assert [r.key for r in ranked] == ["a", "b"]
    shown = ranked[0].model_dump()
    for field in ("registered", "certified", "active", "activity_rate", "shares", "reads"):
        assert field in shown
    assert shown["activity_rate"] == 0.1
    assert shown["shares_per_active"] == 5.0


def test_off_stat_2_ranking_by_activity_shares_ties_and_puts_undefined_last() -> None:
    ranked = rank(
        [
            metrics("d", 0, 0, 0),
            metrics("c", 4, 2, 1),
            metrics("b", 2, 1, 9),
            metrics("a", 4, 4, 3),
        ],
        OfficerMetricsRankKey.ACTIVITY_RATE,
    )
    assert [(r.rank, r.key) for r in ranked] == [(1, "a"), (2, "b"), (2, "c"), (4, "d")]


def test_off_stat_2_ranking_by_shares_per_active() -> None:
    ranked = rank(
        [metrics("a", 4, 4, 8), metrics("b", 4, 1, 3), metrics("c", 4, 0, 0)],
        OfficerMetricsRankKey.SHARES_PER_ACTIVE,
    )
    assert [(r.rank, r.key) for r in ranked] == [(1, "b"), (2, "a"), (3, "c")]


DAY0 = date(2024, 1, 1)
days = st.integers(min_value=0, max_value=120).map(lambda n: DAY0 + timedelta(days=n))
officer_facts = st.builds(
    OfficerFact,
    officer_id=st.sampled_from(["a", "b", "c", "d", "e"]),
    county_code=st.sampled_from(["150402", "150403"]),
    township_code=st.just("150402001"),
    certified_on=st.none() | days,
    registered_on=st.none() | days,
    left_on=st.none() | days,
)
daily = st.builds(
    DailyFigure,
    officer_id=st.sampled_from(["a", "b", "c", "d", "e", "x"]),
    day=days,
    channel=st.sampled_from(list(Channel)),
    shares=st.integers(0, 5),
    reads=st.integers(0, 50),
)


def unique(officers: list[OfficerFact]) -> list[OfficerFact]:
    return list({o.officer_id: o for o in officers}.values())


@given(st.lists(officer_facts, max_size=6), st.lists(daily, max_size=30), days, days)
def test_off_stat_2_counts_nest_and_groups_add_up_to_the_whole(
    officers: list[OfficerFact], figures: list[DailyFigure], a: date, b: date
) -> None:
    period = Period(start=min(a, b), end=max(a, b))
    officers = unique(officers)
    whole = measure("all", officers, figures, period)
    assert whole.active <= whole.certified <= whole.registered <= len(officers)
    if whole.activity_rate is not None:
        assert 0 <= whole.activity_rate <= 1
    for group_by in (GroupBy.COUNTY, GroupBy.OFFICER):
        groups = group_metrics(officers, figures, period, group_by)
        for field in ("registered", "certified", "active", "shares", "reads"):
            assert sum(getattr(g, field) for g in groups) == getattr(whole, field)
    months = group_metrics(officers, figures, period, GroupBy.MONTH)
    assert sum(m.shares for m in months) == whole.shares
    assert sum(m.reads for m in months) == whole.reads


def test_off_stat_1_decompose_uses_years_then_months_then_days() -> None:
    pieces = decompose(Period(start=date(2022, 12, 15), end=date(2024, 3, 10)))
    assert pieces.years == [2023]
    assert pieces.months == [202401, 202402]
    assert [(p.start, p.end) for p in pieces.days] == [
        (date(2022, 12, 15), date(2022, 12, 31)),
        (date(2024, 3, 1), date(2024, 3, 10)),
    ]


@pytest.mark.parametrize(
    ("start", "end", "years", "months", "spans"),
    [
        (date(2024, 1, 1), date(2024, 12, 31), [2024], [], 0),
        (date(2024, 1, 1), date(2024, 12, 30), [], list(range(202401, 202412)), 1),
        (date(2024, 2, 1), date(2024, 2, 29), [], [202402], 0),
        (date(2024, 2, 1), date(2024, 2, 28), [], [], 1),
        (date(2024, 2, 2), date(2024, 2, 29), [], [], 1),
        (date(2024, 3, 5), date(2024, 3, 5), [], [], 1),
    ],
)
def test_off_stat_1_decompose_at_calendar_edges(
    start: date, end: date, years: list[int], months: list[int], spans: int
) -> None:
    pieces = decompose(Period(start=start, end=end))
    assert (pieces.years, pieces.months, len(pieces.days)) == (years, months, spans)


def each_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@given(days, st.integers(min_value=0, max_value=900))
def test_off_stat_1_decompose_covers_every_day_exactly_once(start: date, length: int) -> None:
    period = Period(start=start, end=start + timedelta(days=length))
    pieces = decompose(period)
    covered: list[date] = []
    for year in pieces.years:
        covered += each_day(date(year, 1, 1), date(year, 12, 31))
    for ym in pieces.months:
        first = date(ym // 100, ym % 100, 1)
        covered += [
            d for d in each_day(first, first + timedelta(days=30)) if d.month == first.month
        ]
    for span in pieces.days:
        covered += each_day(span.start, span.end)
    assert sorted(covered) == each_day(period.start, period.end)
