"""Routes of recruitment drives and their applications (VOL-RECRUIT-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from app.domain.common import local_date
from app.domain.recruitment import RecruitmentApplicationStatus
from app.errors import problem_responses
from app.repositories import recruitment as repo
from app.routers.deps import NowDep, PageDep, SessionDep, set_etag
from app.routers.pages import Page, created, mark_created, page_map, page_of
from app.routers.route import resource_router
from app.routers.v1.recruitment.auth import (
    RecruitmentApplicationsRead,
    RecruitmentApply,
    RecruitmentRead,
    RecruitmentWrite,
)
from app.routers.v1.recruitment.schemas import (
    RecruitmentApplicationPublic,
    RecruitmentCreate,
    RecruitmentPublic,
)
from app.services import recruitment as service

router = resource_router("recruitment")
Id = Annotated[str, Query(max_length=26)]


def _public(row: repo.RecruitmentRow, activity_ids: list[str]) -> RecruitmentPublic:
    return RecruitmentPublic.model_validate(
        {**row.model_dump(), "activity_ids": activity_ids}, from_attributes=True
    )


@router.post(
    "/recruitments",
    status_code=201,
    summary="Open a recruitment drive",
    responses=problem_responses(404),
)
def create_recruitment(
    body: RecruitmentCreate, principal: RecruitmentWrite, session: SessionDep, response: Response
) -> RecruitmentPublic:
    """VOL-RECRUIT-1: a periodic drive closes; a directed one names whom it targets."""
    row = service.open_recruitment(session=session, principal=principal, values=body.model_dump())
    mark_created(response, f"/api/v1/recruitments/{row.id}", row)
    return _public(row, [])


@router.get("/recruitments", summary="List recruitment drives")
def list_recruitments(
    _principal: RecruitmentRead,
    session: SessionDep,
    page: PageDep,
    organization_id: Id | None = None,
) -> Page[RecruitmentPublic]:
    """Drives are open to every signed-in caller, so volunteers can apply."""
    result = repo.list_recruitments(session, page, organization_id=organization_id)
    linked = repo.linked_activities(session, (r.id for r in result.items))
    return page_map(lambda r: _public(r, linked[r.id]), result)


@router.get(
    "/recruitments/{recruitment_id}",
    summary="Read a recruitment drive",
    responses=problem_responses(404),
)
def get_recruitment(
    recruitment_id: str, _principal: RecruitmentRead, session: SessionDep, response: Response
) -> RecruitmentPublic:
    """One drive and the activities linked to it."""
    row = repo.get_recruitment(session, recruitment_id)
    set_etag(response, row)
    return _public(row, repo.linked_activities(session, [row.id])[row.id])


@router.post(
    "/recruitments/{recruitment_id}/applications",
    status_code=201,
    summary="Apply to a recruitment drive (by the volunteer)",
    responses=problem_responses(404, 409),
)
def apply(
    recruitment_id: str,
    principal: RecruitmentApply,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> RecruitmentApplicationPublic:
    """VOL-RECRUIT-1: a volunteer applies while the drive is open, once."""
    row = service.apply(
        session=session, principal=principal, recruitment_id=recruitment_id, today=local_date(now)
    )
    location = f"/api/v1/recruitments/{recruitment_id}/applications/{row.id}"
    return created(response, location, row, RecruitmentApplicationPublic)


@router.get(
    "/recruitments/{recruitment_id}/applications",
    summary="List the applications to a drive",
)
def list_applications(
    recruitment_id: str,
    principal: RecruitmentApplicationsRead,
    session: SessionDep,
    page: PageDep,
    status: RecruitmentApplicationStatus | None = None,
) -> Page[RecruitmentApplicationPublic]:
    """The applications in the caller's scope (a volunteer sees its own)."""
    result = repo.list_applications(
        session, principal, page, recruitment_id=recruitment_id, status=status
    )
    return page_of(RecruitmentApplicationPublic, result)


@router.get(
    "/recruitments/{recruitment_id}/applications/{application_id}",
    summary="Read an application",
    responses=problem_responses(404),
)
def get_application(
    recruitment_id: str,
    application_id: str,
    principal: RecruitmentApplicationsRead,
    session: SessionDep,
    response: Response,
) -> RecruitmentApplicationPublic:
    """One application in the caller's scope."""
    row = repo.get_application(session, principal, recruitment_id, application_id)
    set_etag(response, row)
    return RecruitmentApplicationPublic.model_validate(row, from_attributes=True)


@router.post(
    "/recruitments/{recruitment_id}/applications/{application_id}:accept",
    summary="Accept an application: the volunteer joins the organisation",
    responses=problem_responses(404, 409),
)
def accept_application(
    recruitment_id: str,
    application_id: str,
    principal: RecruitmentWrite,
    session: SessionDep,
    now: NowDep,
) -> RecruitmentApplicationPublic:
    """VOL-RECRUIT-1, VOL-REG-2: the volunteer joins the drive's organisation (never after
    expulsion); a decided application is 409."""
    row = service.decide(
        session=session,
        principal=principal,
        recruitment_id=recruitment_id,
        application_id=application_id,
        accept=True,
        now=now,
    )
    return RecruitmentApplicationPublic.model_validate(row, from_attributes=True)


@router.post(
    "/recruitments/{recruitment_id}/applications/{application_id}:decline",
    summary="Decline an application",
    responses=problem_responses(404, 409),
)
def decline_application(
    recruitment_id: str,
    application_id: str,
    principal: RecruitmentWrite,
    session: SessionDep,
    now: NowDep,
) -> RecruitmentApplicationPublic:
    """VOL-RECRUIT-1: a pending application is declined; a decided one is 409."""
    row = service.decide(
        session=session,
        principal=principal,
        recruitment_id=recruitment_id,
        application_id=application_id,
        accept=False,
        now=now,
    )
    return RecruitmentApplicationPublic.model_validate(row, from_attributes=True)
