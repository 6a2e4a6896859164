"""Routes of commendations and the priority list (VOL-HONOUR-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from app.domain.common import local_date
from app.errors import problem_responses
from app.repositories import commendations as repo
from app.routers.deps import NowDep, PageDep, SessionDep, set_etag
from app.routers.pages import Page, created, page_of
from app.routers.route import resource_router
from app.routers.v1.commendations.auth import CommendationsRead, CommendationsWrite
from app.routers.v1.commendations.schemas import (
    CommendationCreate,
    CommendationPublic,
    PriorityListEntryPublic,
)
from app.services import commendations as service

router = resource_router("commendations")
Id = Annotated[str, Query(max_length=26)]


@router.post(
    "/commendations",
    status_code=201,
    summary="Record a commendation",
    responses=problem_responses(404),
)
def create_commendation(
    body: CommendationCreate, principal: CommendationsWrite, session: SessionDep, response: Response
) -> CommendationPublic:
    """VOL-HONOUR-1: the subject named for its kind."""
    row = service.commend(session=session, principal=principal, values=body.model_dump())
    return created(response, f"/api/v1/commendations/{row.id}", row, CommendationPublic)


@router.get("/commendations", summary="List commendations")
def list_commendations(
    principal: CommendationsRead,
    session: SessionDep,
    page: PageDep,
    volunteer_id: Id | None = None,
) -> Page[CommendationPublic]:
    """Commendations awarded by the organisations in scope."""
    return page_of(
        CommendationPublic,
        repo.list_commendations(session, principal, page, volunteer_id=volunteer_id),
    )


@router.get(
    "/commendations/{commendation_id}",
    summary="Read a commendation",
    responses=problem_responses(404),
)
def get_commendation(
    commendation_id: str, principal: CommendationsRead, session: SessionDep, response: Response
) -> CommendationPublic:
    """One commendation in the caller's scope."""
    row = repo.get_commendation(session, principal, commendation_id)
    set_etag(response, row)
    return CommendationPublic.model_validate(row, from_attributes=True)


@router.get(
    "/priority-list",
    summary="Volunteers to consider first (stars and commendations)",
    responses=problem_responses(404),
)
def get_priority_list(
    principal: CommendationsRead,
    session: SessionDep,
    now: NowDep,
    page: PageDep,
    organization_id: Id,
) -> Page[PriorityListEntryPublic]:
    """VOL-HONOUR-1: volunteers of the subtree with a star (confirmed hours) or a commendation,
    best first (stars, commendations, hours); `updated_since` does not apply to a ranking."""
    result = service.priority_page(
        session=session,
        principal=principal,
        organization_id=organization_id,
        today=local_date(now),
        page=page,
    )
    return page_of(PriorityListEntryPublic, result)
