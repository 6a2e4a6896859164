"""The API models of the yearly county scorecard (OFF-KPI-1); weights are JSON numbers."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from app.domain.common import Day
from app.routers.v1.officers.figures.schemas import OfficerFigures
from app.rules.scorecard import ScorecardIndicator, ScorecardNormalisation
from app.services.officers_scorecards import Scorecard


class OfficerScorecardFormat(StrEnum):
    """JSON for programs, XLSX for printing."""

    JSON = "json"
    XLSX = "xlsx"


class OfficerScorecardIndicator(BaseModel):
    """One indicator of one county: raw value, normalised 0–1, weight, points."""

    indicator: ScorecardIndicator
    value: float | None
    normalised: float
    weight: float
    points: float


class OfficerScorecardCounty(OfficerFigures):
    """A county's line of the scorecard, with the figures behind the score."""

    rank: int
    county_code: str
    county_name: str
    training_sessions: int
    training_attendances: int
    trained_officers: int
    cases_reported: int
    indicators: list[OfficerScorecardIndicator]
    score: float


class OfficerScorecard(BaseModel):
    """OFF-KPI-1: every county of the city ranked by score, with the policy applied."""

    year: int
    city_code: str | None
    policy_effective_on: Day
    weights: dict[ScorecardIndicator, float]
    normalisation: ScorecardNormalisation
    targets: dict[ScorecardIndicator, float]
    counties: list[OfficerScorecardCounty]

    @classmethod
    def of(cls, card: Scorecard) -> OfficerScorecard:
        """The public view of a computed scorecard."""
        return cls(
            year=card.year,
            city_code=card.city_code,
            policy_effective_on=card.policy.effective_on,
            weights={i: float(w) for i, w in card.policy.weights.items()},
            normalisation=card.policy.normalisation,
            targets=card.policy.targets,
            counties=[
                OfficerScorecardCounty.model_validate(
                    {
                        **row.model_dump(),
                        "county_name": card.county_names[row.county_code],
                        "indicators": [
                            {**i.model_dump(), "weight": float(i.weight)} for i in row.indicators
                        ],
                    }
                )
                for row in card.rows
            ],
        )
