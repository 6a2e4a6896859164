"""The yearly county scorecard of officer work (OFF-KPI-1), as JSON or XLSX."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from fastapi import Path, Query, Response
from pydantic import BaseModel
from sqlmodel import Session, col

from app.domain.access import Principal, Role
from app.domain.common import SHANGHAI, policy_in_force
from app.domain.officers import GroupBy, LedgerSheet, Metrics, Period
from app.errors import InvalidInput, problem_responses
from app.repositories import officers as officers_repo
from app.repositories import officers_figures as figures_repo
from app.repositories import officers_work as work_repo
from app.repositories import regions
from app.repositories.regions import RegionLevel
from app.routers.bulk import XLSX
from app.routers.deps import SessionDep, allow
from app.routers.route import resource_router
from app.routers.v1.ledgers import attachment, workbook
from app.rules.scorecard import (
    DEFAULT_SCORECARD_POLICY,
    CountyYear,
    Indicator,
    Normalisation,
    ScorecardPolicy,
    ScorecardRow,
    compute_scorecard,
)

router = resource_router("scorecards")
CityReader = Annotated[Principal, allow(Role.CITY_ADMIN, Role.AUDITOR)]
#: The scorecard policies in force over time (OFF-KPI-1); a new one is appended, never edited.
SCORECARD_POLICIES = [DEFAULT_SCORECARD_POLICY]

INDICATOR_LABELS = {
    Indicator.ACTIVITY_RATE: "活跃率",
    Indicator.SHARES_PER_CERTIFIED: "认证信息员人均分享量",
    Indicator.TRAINING_COVERAGE: "培训覆盖率",
    Indicator.CASES_REPORTED: "报送案例数",
    Indicator.CERTIFIED_OFFICERS: "认证人数",
}
SCORECARD_HEADERS = (
    "排名",
    "旗县区",
    "注册人数",
    "认证人数",
    "活跃人数",
    "活跃率",
    "分享量",
    "阅读量",
    "培训场次",
    "参训人次",
    "参训人数",
    "报送案例数",
    *(f"{label}得分" for label in INDICATOR_LABELS.values()),
    "总分",
)


class ScorecardFormat(StrEnum):
    """JSON for programs, XLSX for printing."""

    JSON = "json"
    XLSX = "xlsx"


class CountyScore(ScorecardRow):
    """A county's scorecard line with the county's name."""

    county_name: str


class Scorecard(BaseModel):
    """OFF-KPI-1: every county of the region ranked by score, with the policy applied."""

    year: int
    region_code: str | None
    policy_effective_from: date
    weights: dict[Indicator, Decimal]
    normalisation: Normalisation
    targets: dict[Indicator, float]
    counties: list[CountyScore]


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    """The instants the year starts and ends in Asia/Shanghai."""
    return (
        datetime.combine(date(year, 1, 1), time(), SHANGHAI),
        datetime.combine(date(year + 1, 1, 1), time(), SHANGHAI),
    )


def build_scorecard(session: Session, year: int, region_code: str | None) -> Scorecard:
    """OFF-KPI-1: gather each county's year — metrics, training, cases — and score it."""
    counties = officers_repo.counties_of(session, region_code)
    population = col(officers_repo.OfficerRow.county_code).in_([c.id for c in counties])
    metrics = {
        m.key: m
        for m in figures_repo.measure_groups(
            session, population=population, period=Period.year(year), group_by=GroupBy.COUNTY
        )
    }
    training = work_repo.training_counts(session, year=year)
    starts, ends = _year_bounds(year)
    cases = work_repo.case_counts(session, starts=starts, ends=ends)
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
    names = {c.id: c.name for c in counties}
    return Scorecard(
        year=year,
        region_code=region_code,
        policy_effective_from=policy.effective_from,
        weights=policy.weights,
        normalisation=policy.normalisation,
        targets=policy.targets,
        counties=[
            CountyScore(**row.model_dump(), county_name=names[row.county_code])
            for row in compute_scorecard(facts, policy)
        ],
    )


def scorecard_sheets(card: Scorecard) -> list[LedgerSheet]:
    """The scorecard sheet and the weighting it used, with Chinese headers."""
    lines = [
        (
            c.rank,
            c.county_name,
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
        for c in card.counties
    ]
    weights = [
        (INDICATOR_LABELS[i], float(card.weights.get(i, Decimal(0))), card.targets.get(i))
        for i in Indicator
    ]
    return [
        LedgerSheet(title=f"{card.year}年考核评分", headers=SCORECARD_HEADERS, rows=lines),
        LedgerSheet(title="评分权重", headers=("指标", "权重", "目标值"), rows=weights),
    ]


@router.get(
    "/scorecards/{year}",
    summary="The yearly county scorecard (JSON or XLSX)",
    response_model=Scorecard,
    responses={
        200: {"content": {"application/json": {}, XLSX: {}}, "description": "The scorecard"},
        **problem_responses(404),
    },
)
def get_scorecard(
    principal: CityReader,
    session: SessionDep,
    year: Annotated[int, Path(ge=2000, le=2100)],
    region_code: Annotated[str | None, Query(pattern=r"^\d{6}$", description="A city")] = None,
    format: Annotated[ScorecardFormat, Query()] = ScorecardFormat.JSON,
) -> Scorecard | Response:
    """OFF-KPI-1, OFF-STAT-2: each county's officers, activity rate, dissemination, training and
    cases, scored 0–100 under the documented weighting in force, best first."""
    if (
        region_code is not None
        and regions.get_region(session, region_code).level != RegionLevel.CITY
    ):
        raise InvalidInput.one(
            "query.region_code", "a scorecard compares a city's counties", "city"
        )
    card = build_scorecard(session, year, region_code)
    if format is ScorecardFormat.XLSX:
        name = f"{year}年科普信息员工作考核评分"
        return attachment(workbook(scorecard_sheets(card), heading=name), XLSX, f"{name}.xlsx")
    return card
