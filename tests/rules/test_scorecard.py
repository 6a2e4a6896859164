"""OFF-KPI-1: the yearly county scorecard and its weighting policy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from app.domain.officers import Metrics
from app.rules.scorecard import (
    DEFAULT_SCORECARD_POLICY,
    CountyYear,
    ScorecardIndicator,
    ScorecardNormalisation,
    ScorecardPolicy,
    compute_scorecard,
)

Y2023 = date(2023, 1, 1)


def county(
    code: str,
    *,
    registered: int = 10,
    certified: int = 10,
    active: int = 5,
    shares: int = 100,
    trained: int = 5,
    cases: int = 1,
) -> CountyYear:
    return CountyYear(
        county_code=code,
        metrics=Metrics(
            key=code,
            registered=registered,
            certified=certified,
            active=active,
            shares=shares,
            reads=shares * 10,
        ),
        training_sessions=2,
        training_attendances=trained * 2,
        trained_officers=trained,
        cases_reported=cases,
    )


def test_off_kpi_1_default_weights_sum_to_one_and_favour_volume_and_activity() -> None:
    weights = DEFAULT_SCORECARD_POLICY.weights
    assert sum(weights.values()) == 1
    assert weights[ScorecardIndicator.ACTIVITY_RATE] + weights[
        ScorecardIndicator.SHARES_PER_CERTIFIED
    ] == Decimal("0.6")
    assert DEFAULT_SCORECARD_POLICY.effective_on == Y2023


@pytest.mark.parametrize(
    "weights",
    [
        {
            ScorecardIndicator.ACTIVITY_RATE: Decimal("0.5"),
            ScorecardIndicator.CASES_REPORTED: Decimal("0.49"),
        },
        {
            ScorecardIndicator.ACTIVITY_RATE: Decimal("0.5"),
            ScorecardIndicator.CASES_REPORTED: Decimal("0.51"),
        },
        {
            ScorecardIndicator.ACTIVITY_RATE: Decimal("1.2"),
            ScorecardIndicator.CASES_REPORTED: Decimal("-0.2"),
        },
        {},
    ],
)
def test_off_kpi_1_weights_not_summing_to_one_or_negative_are_refused(
    weights: dict[ScorecardIndicator, Decimal],
) -> None:
    with pytest.raises(ValidationError):
        ScorecardPolicy(effective_on=Y2023, weights=weights)


def test_off_kpi_1_target_normalisation_needs_a_target_per_weighted_indicator() -> None:
    weights = {ScorecardIndicator.ACTIVITY_RATE: Decimal("1")}
    with pytest.raises(ValidationError, match="activity_rate"):
        ScorecardPolicy(
            effective_on=Y2023, weights=weights, normalisation=ScorecardNormalisation.TARGET
        )
    ScorecardPolicy(
        effective_on=Y2023,
        weights=weights,
        normalisation=ScorecardNormalisation.TARGET,
        targets={ScorecardIndicator.ACTIVITY_RATE: 0.8},
    )


def test_off_kpi_1_the_best_county_on_every_indicator_scores_100_and_ranks_first() -> None:
    rows = compute_scorecard(
        [county("150403", active=2, shares=50, trained=1, cases=0), county("150402")],
        DEFAULT_SCORECARD_POLICY,
    )
    assert [(r.rank, r.county_code) for r in rows] == [(1, "150402"), (2, "150403")]
    assert rows[0].score == 100.0
    # 0.30×0.4 + 0.30×0.5 + 0.15×0.2 + 0.10×0 + 0.15×1
    assert rows[1].score == pytest.approx(45.0)


def test_off_kpi_1_ranking_follows_the_weights_not_the_head_count() -> None:
    big_idle = county("150402", registered=100, certified=100, active=5, shares=100)
    small_busy = county("150403", registered=10, certified=10, active=10, shares=1000)
    rows = compute_scorecard([big_idle, small_busy], DEFAULT_SCORECARD_POLICY)
    assert [r.county_code for r in rows] == ["150403", "150402"]
    assert rows[1].certified == 100
    assert rows[1].activity_rate == 0.05
    assert rows[1].shares == 100


def test_off_kpi_1_a_weight_of_one_ranks_by_that_indicator_alone() -> None:
    policy = ScorecardPolicy(
        effective_on=Y2023, weights={ScorecardIndicator.CASES_REPORTED: Decimal(1)}
    )
    rows = compute_scorecard(
        [county("a", cases=1), county("b", cases=4), county("c", cases=4)], policy
    )
    assert [(r.rank, r.county_code, r.score) for r in rows] == [
        (1, "b", 100.0),
        (1, "c", 100.0),
        (3, "a", 25.0),
    ]


def test_off_kpi_1_county_without_certified_officers_scores_zero_on_ratios() -> None:
    rows = compute_scorecard(
        [county("150402"), county("150403", certified=0, active=0, shares=0, registered=0)],
        DEFAULT_SCORECARD_POLICY,
    )
    empty = rows[1]
    assert empty.activity_rate is None
    values = {i.indicator: (i.value, i.normalised) for i in empty.indicators}
    assert values[ScorecardIndicator.ACTIVITY_RATE] == (None, 0.0)
    assert values[ScorecardIndicator.SHARES_PER_CERTIFIED] == (None, 0.0)
    assert values[ScorecardIndicator.TRAINING_COVERAGE] == (None, 0.0)


def test_off_kpi_1_target_normalisation_caps_at_the_target() -> None:
    policy = ScorecardPolicy(
        effective_on=Y2023,
        weights={
            ScorecardIndicator.ACTIVITY_RATE: Decimal("0.5"),
            ScorecardIndicator.CASES_REPORTED: Decimal("0.5"),
        },
        normalisation=ScorecardNormalisation.TARGET,
        targets={ScorecardIndicator.ACTIVITY_RATE: 0.4, ScorecardIndicator.CASES_REPORTED: 4},
    )
    rows = compute_scorecard([county("a", active=6, cases=2)], policy)
    assert rows[0].score == 75.0


def test_off_kpi_1_all_zero_counties_tie_at_zero() -> None:
    zero = {"registered": 0, "certified": 0, "active": 0, "shares": 0, "trained": 0, "cases": 0}
    rows = compute_scorecard([county("b", **zero), county("a", **zero)], DEFAULT_SCORECARD_POLICY)
    assert [(r.rank, r.county_code, r.score) for r in rows] == [(1, "a", 0.0), (1, "b", 0.0)]


counts = st.integers(min_value=0, max_value=50)


@st.composite
def county_years(draw: st.DrawFn) -> CountyYear:
    registered = draw(counts)
    certified = draw(st.integers(0, registered))
    return county(
        draw(st.text("0123456789", min_size=6, max_size=6)),
        registered=registered,
        certified=certified,
        active=draw(st.integers(0, certified)),
        shares=draw(counts),
        trained=draw(st.integers(0, registered)),
        cases=draw(counts),
    )


@given(st.lists(county_years(), min_size=1, max_size=8))
def test_off_kpi_1_scores_lie_between_0_and_100_and_ranks_follow_scores(
    counties: list[CountyYear],
) -> None:
    rows = compute_scorecard(counties, DEFAULT_SCORECARD_POLICY)
    assert len(rows) == len(counties)
    assert all(0 <= r.score <= 100 for r in rows)
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)
    assert rows[0].rank == 1
    for before, after in pairwise(rows):
        assert (after.rank == before.rank) == (after.score == before.score)
