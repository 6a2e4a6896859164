"""The yearly county scorecard of officer work (OFF-KPI-1), weighted by a versioned policy.

Art. 7 puts officer work into the city's annual key-work assessment without saying how it is
scored; Art. 9 names dissemination volume and activity as the main indicators. The policy below
therefore gives those two the larger share, and every weight is a documented parameter.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, model_validator

from app.domain.common import VersionedPolicy
from app.domain.officers import Metrics


class ScorecardIndicator(StrEnum):
    """OFF-KPI-1: what a county is scored on."""

    ACTIVITY_RATE = "activity_rate"
    SHARES_PER_CERTIFIED = "shares_per_certified"
    TRAINING_COVERAGE = "training_coverage"
    CASES_REPORTED = "cases_reported"
    CERTIFIED_OFFICERS = "certified_officers"


class ScorecardNormalisation(StrEnum):
    """OFF-KPI-1: how a raw indicator value becomes a 0–1 score.

    `relative_to_best`: value ÷ the best county's value (the best scores 1; all zero scores 0).
    `target`: value ÷ the policy's target for the indicator, capped at 1.
    """

    RELATIVE_TO_BEST = "relative_to_best"
    TARGET = "target"


class ScorecardPolicy(VersionedPolicy):
    """OFF-KPI-1: indicator weights (non-negative, summing exactly to 1) and the normalisation."""

    weights: dict[ScorecardIndicator, Decimal]
    normalisation: ScorecardNormalisation = ScorecardNormalisation.RELATIVE_TO_BEST
    targets: dict[ScorecardIndicator, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _valid(self) -> ScorecardPolicy:
        if any(w < 0 for w in self.weights.values()):
            raise ValueError("weights must not be negative")
        total = sum(self.weights.values(), Decimal(0))
        if total != 1:
            raise ValueError(f"weights must sum to 1, not {total}")
        if self.normalisation is ScorecardNormalisation.TARGET:
            missing = [
                i.value for i, w in self.weights.items() if w > 0 and self.targets.get(i, 0) <= 0
            ]
            if missing:
                raise ValueError(f"positive targets needed for {', '.join(missing)}")
        return self

    def weight(self, indicator: ScorecardIndicator) -> Decimal:
        """The weight of an indicator; one the policy leaves out weighs 0."""
        return self.weights.get(indicator, Decimal(0))


#: OFF-KPI-1 (decision, docs/officers.md): volume and activity (Art. 9) weigh 60 % together.
DEFAULT_SCORECARD_POLICY = ScorecardPolicy(
    effective_on=date(2023, 1, 1),
    weights={
        ScorecardIndicator.ACTIVITY_RATE: Decimal("0.30"),
        ScorecardIndicator.SHARES_PER_CERTIFIED: Decimal("0.30"),
        ScorecardIndicator.TRAINING_COVERAGE: Decimal("0.15"),
        ScorecardIndicator.CASES_REPORTED: Decimal("0.10"),
        ScorecardIndicator.CERTIFIED_OFFICERS: Decimal("0.15"),
    },
)


class CountyYear(BaseModel):
    """OFF-KPI-1: what the scorecard needs of one county for one year."""

    model_config = ConfigDict(frozen=True)

    county_code: str
    metrics: Metrics
    training_sessions: NonNegativeInt = 0
    training_attendances: NonNegativeInt = 0
    trained_officers: NonNegativeInt = 0
    cases_reported: NonNegativeInt = 0

    def indicator(self, indicator: ScorecardIndicator) -> float | None:
        """The raw value of one indicator; None where a ratio has no denominator."""
        m = self.metrics
        values: dict[ScorecardIndicator, float | None] = {
            ScorecardIndicator.ACTIVITY_RATE: m.activity_rate,
            ScorecardIndicator.SHARES_PER_CERTIFIED: m.shares / m.certified
            if m.certified
            else None,
            ScorecardIndicator.TRAINING_COVERAGE: (
                min(self.trained_officers / m.registered, 1.0) if m.registered else None
            ),
            ScorecardIndicator.CASES_REPORTED: float(self.cases_reported),
            ScorecardIndicator.CERTIFIED_OFFICERS: float(m.certified),
        }
        return values[indicator]


class ScorecardIndicatorScore(BaseModel):
    """OFF-KPI-1: one indicator of one county: raw value, normalised 0–1, weight, points."""

    model_config = ConfigDict(frozen=True)

    indicator: ScorecardIndicator
    value: float | None
    normalised: float
    weight: Decimal
    points: float


class ScorecardRow(BaseModel):
    """OFF-KPI-1: a county's line of the scorecard, with the figures behind the score."""

    model_config = ConfigDict(frozen=True)

    rank: int
    county_code: str
    registered: int
    certified: int
    active: int
    activity_rate: float | None
    shares: int
    reads: int
    training_sessions: int
    training_attendances: int
    trained_officers: int
    cases_reported: int
    indicators: list[ScorecardIndicatorScore]
    score: float


def _normalise(value: float | None, best: float, target: float | None) -> float:
    if value is None:
        return 0.0
    if target is not None:
        return min(value / target, 1.0)
    return value / best if best > 0 else 0.0


def compute_scorecard(counties: list[CountyYear], policy: ScorecardPolicy) -> list[ScorecardRow]:
    """OFF-KPI-1, OFF-STAT-2: score each county 0–100 and rank them, best first.

    score = 100 × Σ weight × normalised value, rounded to 2 decimals; an undefined ratio (no
    certified or registered officers) normalises to 0. Equal scores share a rank, listed by county
    code. Each row keeps volume and activity beside the head-count.
    """
    best = {
        i: max((c.indicator(i) or 0.0 for c in counties), default=0.0) for i in ScorecardIndicator
    }
    scored: list[tuple[float, CountyYear, list[ScorecardIndicatorScore]]] = []
    for county in counties:
        parts: list[ScorecardIndicatorScore] = []
        for i in ScorecardIndicator:
            value = county.indicator(i)
            target = (
                policy.targets.get(i)
                if policy.normalisation is ScorecardNormalisation.TARGET
                else None
            )
            normalised = _normalise(value, best[i], target)
            weight = policy.weight(i)
            parts.append(
                ScorecardIndicatorScore(
                    indicator=i,
                    value=value,
                    normalised=normalised,
                    weight=weight,
                    points=100 * float(weight) * normalised,
                )
            )
        scored.append((round(sum(p.points for p in parts), 2), county, parts))
    scored.sort(key=lambda s: (-s[0], s[1].county_code))
    rows: list[ScorecardRow] = []
    for position, (score, county, parts) in enumerate(scored, start=1):
        tied = rows and rows[-1].score == score
        m = county.metrics
        rows.append(
            ScorecardRow(
                rank=rows[-1].rank if tied else position,
                county_code=county.county_code,
                registered=m.registered,
                certified=m.certified,
                active=m.active,
                activity_rate=m.activity_rate,
                shares=m.shares,
                reads=m.reads,
                training_sessions=county.training_sessions,
                training_attendances=county.training_attendances,
                trained_officers=county.trained_officers,
                cases_reported=county.cases_reported,
                indicators=parts,
                score=score,
            )
        )
    return rows
