"""The yearly county scorecard of officer work (OFF-KPI-1), as JSON or XLSX."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Response

from app.errors import problem_responses
from app.routers.deps import SessionDep
from app.routers.downloads import BINARY, download
from app.routers.route import resource_router
from app.routers.v1.officers.auth import ScorecardsRead
from app.routers.v1.officers.scorecards.schemas import OfficerScorecard, OfficerScorecardFormat
from app.services import officers_scorecards as service
from app.spreadsheets import XLSX, Export, FileFormat

router = resource_router("officer scorecards")


@router.get(
    "/scorecards/{year}",
    summary="The yearly county scorecard (JSON or XLSX)",
    response_model=OfficerScorecard,
    responses={
        200: {"content": {"application/json": {}, XLSX: BINARY}, "description": "The scorecard"},
        **problem_responses(404),
    },
)
def get_scorecard(
    principal: ScorecardsRead,
    session: SessionDep,
    year: Annotated[int, Path(ge=2000, le=2100)],
    city_code: Annotated[str | None, Query(pattern=r"^\d{6}$", description="The city")] = None,
    format: Annotated[OfficerScorecardFormat, Query()] = OfficerScorecardFormat.JSON,
) -> OfficerScorecard | Response:
    """OFF-KPI-1, OFF-STAT-2: each county's officers, activity rate, dissemination, training and
    cases, scored 0–100 under the documented weighting in force, best first."""
    card = service.county_scorecard(session=session, year=year, city_code=city_code)
    if format is OfficerScorecardFormat.XLSX:
        return download(Export(card.title, service.scorecard_sheets(card)), FileFormat.XLSX)
    return OfficerScorecard.of(card)
