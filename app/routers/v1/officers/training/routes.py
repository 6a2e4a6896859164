"""Officer training (OFF-TRAIN-1): county plans per year, sessions held and who attended."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from app.domain.officers import OfficerTrainingLevel
from app.errors import problem_responses
from app.repositories import officers as officers_repo
from app.repositories import officers_training as repo
from app.repositories.base import PageResult
from app.routers.deps import PageDep, SessionDep, check_if_match, set_etag
from app.routers.pages import Page, mark_created, page_map
from app.routers.route import resource_router
from app.routers.v1.officers.auth import OfficersRead, OfficersWrite
from app.routers.v1.officers.training.schemas import (
    OfficerTrainingAttendanceCreate,
    OfficerTrainingAttendeePublic,
    OfficerTrainingPlanCreate,
    OfficerTrainingPlanPublic,
    OfficerTrainingPlanUpdate,
    OfficerTrainingSessionCreate,
    OfficerTrainingSessionPublic,
)
from app.services import officers_training as service

router = resource_router("officer training")


@router.post(
    "/training-plans",
    status_code=201,
    summary="Set a county's yearly training plan",
    responses=problem_responses(409),
)
def create_training_plan(
    body: OfficerTrainingPlanCreate,
    principal: OfficersWrite,
    session: SessionDep,
    response: Response,
) -> OfficerTrainingPlanPublic:
    """OFF-TRAIN-1: one plan per county and year (409 for a second)."""
    row = service.create_plan(
        session=session,
        principal=principal,
        county_code=body.county_code,
        fields={**body.model_dump(exclude={"county_code", "note"}), "notes": body.note},
    )
    mark_created(response, f"/api/v1/training-plans/{row.id}", row)
    return OfficerTrainingPlanPublic.of(row)


@router.get("/training-plans", summary="List training plans")
def list_training_plans(
    principal: OfficersRead,
    session: SessionDep,
    page: PageDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[OfficerTrainingPlanPublic]:
    """Plans in scope, by year."""
    result = repo.list_plans(session, principal, page=page, year=year)
    return page_map(OfficerTrainingPlanPublic.of, result)


@router.get(
    "/training-plans/{training_plan_id}",
    summary="Read a training plan",
    responses=problem_responses(404),
)
def get_training_plan(
    training_plan_id: str, principal: OfficersRead, session: SessionDep, response: Response
) -> OfficerTrainingPlanPublic:
    """One plan in scope."""
    row = repo.get_plan(session, principal, training_plan_id)
    set_etag(response, row)
    return OfficerTrainingPlanPublic.of(row)


@router.patch(
    "/training-plans/{training_plan_id}",
    summary="Update a training plan",
    responses=problem_responses(404, 412),
)
def update_training_plan(
    training_plan_id: str,
    body: OfficerTrainingPlanUpdate,
    principal: OfficersWrite,
    session: SessionDep,
    request: Request,
    response: Response,
) -> OfficerTrainingPlanPublic:
    """Change a plan's title, targets or note (honours If-Match)."""
    row = repo.get_plan(session, principal, training_plan_id)
    check_if_match(request, row)
    changes = body.model_dump(exclude_unset=True)
    if "note" in changes:
        changes["notes"] = changes.pop("note")
    repo.update_plan(session, row=row, changes=changes)
    set_etag(response, row)
    return OfficerTrainingPlanPublic.of(row)


@router.post(
    "/training-sessions",
    status_code=201,
    summary="Record a training session",
    responses=problem_responses(404),
)
def create_training_session(
    body: OfficerTrainingSessionCreate,
    principal: OfficersWrite,
    session: SessionDep,
    response: Response,
) -> OfficerTrainingSessionPublic:
    """OFF-TRAIN-1: county sessions by the county (in its plan's county and year); city
    exchange sessions by the city administrator only."""
    row = service.create_session(
        session=session,
        principal=principal,
        level=body.level,
        county_code=body.county_code,
        city_code=body.city_code,
        training_plan_id=body.training_plan_id,
        fields=body.model_dump(include={"title", "held_on", "location", "hours"}),
    )
    mark_created(response, f"/api/v1/training-sessions/{row.id}", row)
    return OfficerTrainingSessionPublic.of(row, 0)


def _sessions_page(
    session: SessionDep, principal: OfficersRead, result: PageResult[repo.TrainingSessionRow]
) -> Page[OfficerTrainingSessionPublic]:
    counted = service.with_attendance(session=session, principal=principal, rows=result.items)
    return Page(
        items=[OfficerTrainingSessionPublic.of(r, n) for r, n in counted],
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.get("/training-sessions", summary="List training sessions")
def list_training_sessions(
    principal: OfficersRead,
    session: SessionDep,
    page: PageDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    level: Annotated[OfficerTrainingLevel | None, Query()] = None,
) -> Page[OfficerTrainingSessionPublic]:
    """Sessions in scope (a county sees its own and every city exchange), by year and level."""
    result = repo.list_sessions(session, principal, page=page, year=year, level=level)
    return _sessions_page(session, principal, result)


def _session_public(
    session: SessionDep, principal: OfficersRead, row: repo.TrainingSessionRow
) -> OfficerTrainingSessionPublic:
    ((counted, attendance),) = service.with_attendance(
        session=session, principal=principal, rows=[row]
    )
    return OfficerTrainingSessionPublic.of(counted, attendance)


@router.get(
    "/training-sessions/{training_session_id}",
    summary="Read a training session",
    responses=problem_responses(404),
)
def get_training_session(
    training_session_id: str, principal: OfficersRead, session: SessionDep, response: Response
) -> OfficerTrainingSessionPublic:
    """One session in scope."""
    row = repo.get_session_row(session, principal, training_session_id)
    set_etag(response, row)
    return _session_public(session, principal, row)


@router.get(
    "/training-sessions/{training_session_id}/attendance",
    summary="Who attended a session",
    responses=problem_responses(404),
)
def list_attendance(
    training_session_id: str, principal: OfficersRead, session: SessionDep, page: PageDep
) -> Page[OfficerTrainingAttendeePublic]:
    """The officers present, by officer id; those of other counties left out for a county
    administrator."""
    row = repo.get_session_row(session, principal, training_session_id)
    result = repo.attendee_page(session, principal, training=row, page=page)
    return page_map(OfficerTrainingAttendeePublic.of, result)


@router.post(
    "/training-sessions/{training_session_id}/attendance",
    summary="Mark officers present",
    responses=problem_responses(404),
)
def add_attendance(
    training_session_id: str,
    body: OfficerTrainingAttendanceCreate,
    principal: OfficersWrite,
    session: SessionDep,
    response: Response,
) -> OfficerTrainingSessionPublic:
    """OFF-TRAIN-1: a county session takes its county's officers; a city exchange session (city
    administrator) any county's. Officers already present stay once. Answers the session with
    its new attendance count."""
    row = service.add_attendance(
        session=session,
        principal=principal,
        training_session_id=training_session_id,
        officer_ids=body.officer_ids,
    )
    set_etag(response, row)
    return _session_public(session, principal, row)


@router.delete(
    "/training-sessions/{training_session_id}/attendance/{officer_id}",
    status_code=204,
    summary="Strike an officer off the attendance",
    responses=problem_responses(404),
)
def remove_attendance(
    training_session_id: str, officer_id: str, principal: OfficersWrite, session: SessionDep
) -> Response:
    """Undo a mistaken attendance mark."""
    service.remove_attendance(
        session=session,
        principal=principal,
        training_session_id=training_session_id,
        officer_id=officer_id,
    )
    return Response(status_code=204)


@router.get(
    "/officers/{officer_id}/training-sessions",
    summary="The sessions an officer attended",
    responses=problem_responses(404),
)
def officer_training_sessions(
    officer_id: str, principal: OfficersRead, session: SessionDep, page: PageDep
) -> Page[OfficerTrainingSessionPublic]:
    """OFF-TRAIN-1: the officer's training record, in session (creation) order."""
    officer = officers_repo.get_officer(session, principal, officer_id)
    result = repo.officer_session_page(session, principal, officer_id=officer.id, page=page)
    return _sessions_page(session, principal, result)
