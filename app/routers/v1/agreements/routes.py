"""Routes of agreements (VOL-AGREE-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from app.errors import problem_responses
from app.repositories import agreements as repo
from app.routers.deps import PageDep, SessionDep, set_etag
from app.routers.pages import Page, created, page_of
from app.routers.route import resource_router
from app.routers.v1.agreements.auth import AgreementsRead, AgreementsWrite
from app.routers.v1.agreements.schemas import AgreementCreate, AgreementPublic
from app.services import agreements as service

router = resource_router("agreements")


@router.post(
    "/agreements", status_code=201, summary="Record an agreement", responses=problem_responses(404)
)
def create_agreement(
    body: AgreementCreate, principal: AgreementsWrite, session: SessionDep, response: Response
) -> AgreementPublic:
    """VOL-AGREE-1: every term is required."""
    row = service.record_agreement(session=session, principal=principal, values=body.model_dump())
    return created(response, f"/api/v1/agreements/{row.id}", row, AgreementPublic)


@router.get("/agreements", summary="List agreements")
def list_agreements(
    principal: AgreementsRead,
    session: SessionDep,
    page: PageDep,
    volunteer_id: Annotated[str | None, Query(max_length=26)] = None,
) -> Page[AgreementPublic]:
    """The agreements of the organisations in scope, or a volunteer's own."""
    return page_of(
        AgreementPublic, repo.list_agreements(session, principal, page, volunteer_id=volunteer_id)
    )


@router.get(
    "/agreements/{agreement_id}", summary="Read an agreement", responses=problem_responses(404)
)
def get_agreement(
    agreement_id: str, principal: AgreementsRead, session: SessionDep, response: Response
) -> AgreementPublic:
    """One agreement in the caller's scope."""
    row = repo.get_agreement(session, principal, agreement_id)
    set_etag(response, row)
    return AgreementPublic.model_validate(row, from_attributes=True)
