"""Routes of fund records and the yearly summary (VOL-FUND-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Response

from app.errors import problem_responses
from app.repositories import funds as repo
from app.routers.deps import PageDep, SessionDep, set_etag
from app.routers.pages import Page, created, page_of
from app.routers.route import resource_router
from app.routers.v1.funds.auth import FundsRead, FundsWrite
from app.routers.v1.funds.schemas import (
    FundRecordCreate,
    FundRecordPublic,
    FundSummaryPublic,
)
from app.services import funds as service

router = resource_router("funds")


@router.post(
    "/fund-records",
    status_code=201,
    summary="Record income or spending",
    responses=problem_responses(404),
)
def create_fund_record(
    body: FundRecordCreate, principal: FundsWrite, session: SessionDep, response: Response
) -> FundRecordPublic:
    """VOL-FUND-1: the category fits the direction; amounts are positive yuan and fen."""
    row = service.record_fund(session=session, principal=principal, values=body.model_dump())
    return created(response, f"/api/v1/fund-records/{row.id}", row, FundRecordPublic)


@router.get("/fund-records", summary="List fund records")
def list_fund_records(
    principal: FundsRead,
    session: SessionDep,
    page: PageDep,
    organization_id: Annotated[str | None, Query(max_length=26)] = None,
) -> Page[FundRecordPublic]:
    """Entries of the organisations in scope."""
    result = repo.list_fund_records(session, principal, page, organization_id=organization_id)
    return page_of(FundRecordPublic, result)


@router.get(
    "/fund-records/{fund_record_id}",
    summary="Read a fund record",
    responses=problem_responses(404),
)
def get_fund_record(
    fund_record_id: str, principal: FundsRead, session: SessionDep, response: Response
) -> FundRecordPublic:
    """One entry in the caller's scope."""
    row = repo.get_fund_record(session, principal, fund_record_id)
    set_etag(response, row)
    return FundRecordPublic.model_validate(row, from_attributes=True)


@router.get(
    "/organizations/{organization_id}/fund-summaries/{year}",
    summary="An organisation's yearly fund summary per direction and category",
    responses=problem_responses(404),
)
def get_fund_summary(
    organization_id: str,
    year: Annotated[int, Path(ge=2000, le=2100)],
    principal: FundsRead,
    session: SessionDep,
) -> FundSummaryPublic:
    """VOL-FUND-1: the organisation and its sub-organisations, as far as the caller's scope
    reaches, per organisation, direction and category, with the year's income and spending."""
    summary = service.summarise(
        session=session, principal=principal, organization_id=organization_id, year=year
    )
    return FundSummaryPublic.model_validate(summary.model_dump())
