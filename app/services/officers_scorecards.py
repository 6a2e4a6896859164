"""The yearly county scorecard of officer work (OFF-KPI-1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlmodel import Session, col

from app.domain.common import SHANGHAI, policy_in_force
from app.domain.messages import N_
from app.domain.officers import GroupBy, LedgerColumn, LedgerSheet, Metrics, Period, columns
from app.i18n import _
from app.repositories import officers as officers_repo
from app.repositories import officers_cases as cases_repo
from app.repositories import officers_figures as figures_repo
from app.repositories import officers_training as training_repo
from app.repositories.regions import RegionLevel, require_region
from app.rules.scorecard import (
    DEFAULT_SCORECARD_POLICY,
    CountyYear,
    ScorecardIndicator,
    ScorecardPolicy,
    ScorecardRow,
    compute_scorecard,
)

#: The scorecard policies in force over time (OFF-KPI-1); a new one is appended, never edited.
SCORECARD_POLICIES = [DEFAULT_SCORECARD_POLICY]

#: What each indicator is called in the scorecard's files (templates, rendered when built).
INDICATOR_LABELS = {
    ScorecardIndicator.ACTIVITY_RATE: N_("Activity rate"),
    ScorecardIndicator.SHARES_PER_CERTIFIED: N_("Shares per certified officer"),
    ScorecardIndicator.TRAINING_COVERAGE: N_("Training coverage"),
    ScorecardIndicator.CASES_REPORTED: N_("Cases reported"),
    ScorecardIndicator.CERTIFIED_OFFICERS: N_("Certified officers"),
}
#: The header of each indicator's points.
SCORE_HEADERS = {
    ScorecardIndicator.ACTIVITY_RATE: N_("Score: activity rate"),
    ScorecardIndicator.SHARES_PER_CERTIFIED: N_("Score: shares per certified officer"),
    ScorecardIndicator.TRAINING_COVERAGE: N_("Score: training coverage"),
    ScorecardIndicator.CASES_REPORTED: N_("Score: cases reported"),
    ScorecardIndicator.CERTIFIED_OFFICERS: N_("Score: certified officers"),
}
SCORECARD_COLUMNS = columns(
    N_("Rank"),
    N_("County"),
    N_("Registered officers"),
    N_("Certified officers"),
    N_("Active officers"),
    LedgerColumn(header=N_("Activity rate"), rate=True),
    N_("Shares"),
    N_("Reads"),
    N_("Training sessions"),
    N_("Trainee attendances"),
    N_("Trainees"),
    N_("Cases reported"),
    *(SCORE_HEADERS[i] for i in ScorecardIndicator),
    N_("Total score"),
)
WEIGHT_COLUMNS = columns(N_("Indicator"), N_("Weight"), N_("Target value"))


@dataclass(frozen=True)
class Scorecard:
    """OFF-KPI-1: every county of the city (or on record) ranked, with the policy applied."""

    year: int
    city_code: str | None
    policy: ScorecardPolicy
    rows: list[ScorecardRow]
    county_names: dict[str, str]

    @property
    def title(self) -> str:
        """The printed title, in the caller's language."""
        return _("{year} information officer work scorecard", year=self.year)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    """The instants the year starts and ends in Asia/Shanghai."""
    return (
        datetime.combine(date(year, 1, 1), time(), SHANGHAI),
        datetime.combine(date(year + 1, 1, 1), time(), SHANGHAI),
    )


def county_scorecard(*, session: Session, year: int, city_code: str | None) -> Scorecard:
    """OFF-KPI-1: gather each county's year — metrics, training, cases — and score it."""
    if city_code is not None:
        require_region(session, city_code, field="query.city_code", level=RegionLevel.CITY)
    counties = officers_repo.counties_of(session, city_code)
    population = col(officers_repo.OfficerRow.county_code).in_([c.id for c in counties])
    metrics = {
        m.key: m
        for m in figures_repo.measure_groups(
            session, population=population, period=Period.year(year), group_by=GroupBy.COUNTY
        )
    }
    training = training_repo.training_counts(session, year=year)
    starts, ends = _year_bounds(year)
    cases = cases_repo.case_counts(session, starts=starts, ends=ends)
    policy: ScorecardPolicy = policy_in_force(SCORECARD_POLICIES, date(year, 12, 31))
    facts = [
        CountyYear(
            county_code=c.id,
            metrics=metrics.get(
                c.id, Metrics(key=c.id, registered=0, certified=0, active=0, shares=0, reads=0)
            ),
            training_sessions=training.get(c.id, (0, 0, 0))[0],
            training_attendances=training.get(c.id, (0, 0, 0))[1],
            trained_officers=training.get(c.id, (0, 0, 0))[2],
            cases_reported=cases.get(c.id, 0),
        )
        for c in counties
    ]
    return Scorecard(
        year=year,
        city_code=city_code,
        policy=policy,
        rows=compute_scorecard(facts, policy),
        county_names={c.id: c.name for c in counties},
    )


def scorecard_sheets(card: Scorecard) -> list[LedgerSheet]:
    """The scorecard sheet and the weighting it used; titles and headers are templates,
    rendered with the file (Chinese by default), the indicators' names in the caller's
    language."""
    lines = [
        (
            c.rank,
            card.county_names[c.county_code],
            c.registered,
            c.certified,
            c.active,
            c.activity_rate,
            c.shares,
            c.reads,
            c.training_sessions,
            c.training_attendances,
            c.trained_officers,
            c.cases_reported,
            *(round(i.points, 2) for i in c.indicators),
            c.score,
        )
        for c in card.rows
    ]
    weights = [
        (
            _(INDICATOR_LABELS[i]),
            float(card.policy.weights.get(i, Decimal(0))),
            card.policy.targets.get(i),
        )
        for i in ScorecardIndicator
    ]
    return [
        LedgerSheet(
            title=N_("{year} assessment scores"),
            title_params={"year": card.year},
            columns=SCORECARD_COLUMNS,
            rows=lines,
        ),
        LedgerSheet(title=N_("Score weights"), columns=WEIGHT_COLUMNS, rows=weights),
    ]
