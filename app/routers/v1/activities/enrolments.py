"""Enrolments in an activity: enrol, acknowledge the risks, confirm through the gate, withdraw
(VOL-EXIT-1, VOL-ELIG-2, VOL-DUTY-2, VOL-DUTY-3, VOL-RIGHT-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from app.domain.volunteers import EnrolmentStatus
from app.errors import problem_responses
from app.repositories import volunteers_activities as repo
from app.routers.deps import NowDep, PageDep, SessionDep, VolunteerItself, set_etag
from app.routers.pages import Page, created, page_of
from app.routers.route import resource_router
from app.routers.v1.activities.auth import (
    ActivitiesWrite,
    EnrolmentsRead,
    EnrolmentsWrite,
    RiskAcknowledge,
)
from app.routers.v1.activities.schemas import (
    EnrolmentCreate,
    EnrolmentPublic,
    EnrolmentWithdrawal,
    MyActivityPublic,
)
from app.services import volunteers_activities as service

router = resource_router("activities")
ENROLMENTS = "/activities/{activity_id}/enrolments"
ENROLMENT = ENROLMENTS + "/{enrolment_id}"


def _public(row: repo.EnrolmentRow) -> EnrolmentPublic:
    return EnrolmentPublic.model_validate(row, from_attributes=True)


@router.post(
    ENROLMENTS,
    status_code=201,
    summary="Enrol in an activity",
    responses=problem_responses(404, 409),
)
def enrol(
    activity_id: str,
    body: EnrolmentCreate,
    principal: EnrolmentsWrite,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> EnrolmentPublic:
    """A pending enrolment; the organisation confirms it through the gate."""
    row = service.enrol(
        session=session,
        principal=principal,
        activity_id=activity_id,
        volunteer_id=body.volunteer_id,
        now=now,
    )
    location = f"/api/v1/activities/{activity_id}/enrolments/{row.id}"
    return created(response, location, row, EnrolmentPublic)


@router.get(
    ENROLMENTS,
    summary="List an activity's enrolments",
    responses=problem_responses(404),
)
def list_enrolments(
    activity_id: str,
    principal: EnrolmentsRead,
    session: SessionDep,
    page: PageDep,
    status: Annotated[EnrolmentStatus | None, Query()] = None,
) -> Page[EnrolmentPublic]:
    """The organisation's view of who enrolled; a volunteer sees only its own."""
    repo.get_activity(session, activity_id)
    result = repo.list_enrolments(
        session, principal, page=page, activity_id=activity_id, volunteer_id=None, status=status
    )
    return page_of(EnrolmentPublic, result)


@router.get(ENROLMENT, summary="Read an enrolment", responses=problem_responses(404))
def get_enrolment(
    activity_id: str,
    enrolment_id: str,
    principal: EnrolmentsRead,
    session: SessionDep,
    response: Response,
) -> EnrolmentPublic:
    """One enrolment in the caller's scope (another county's is 404)."""
    row = repo.get_enrolment(session, principal, activity_id, enrolment_id)
    set_etag(response, row)
    return _public(row)


@router.post(
    ENROLMENT + ":acknowledge-risk",
    summary="Acknowledge the activity's risks (by the volunteer)",
    responses=problem_responses(404, 409),
)
def acknowledge_risk(
    activity_id: str,
    enrolment_id: str,
    principal: RiskAcknowledge,
    session: SessionDep,
    now: NowDep,
) -> EnrolmentPublic:
    """VOL-DUTY-3: the volunteer itself states it was informed of the risks."""
    row = service.acknowledge_risk(
        session=session,
        principal=principal,
        activity_id=activity_id,
        enrolment_id=enrolment_id,
        now=now,
    )
    return _public(row)


@router.post(
    ENROLMENT + ":confirm",
    summary="Confirm an enrolment through the gate",
    responses=problem_responses(404, 409),
)
def confirm_enrolment(
    activity_id: str,
    enrolment_id: str,
    principal: ActivitiesWrite,
    session: SessionDep,
    now: NowDep,
) -> EnrolmentPublic:
    """VOL-EXIT-1, VOL-ELIG-2, VOL-DUTY-2, VOL-DUTY-3 and capacity: 409 lists every unmet rule;
    concurrent confirmations never exceed the capacity."""
    row = service.confirm_enrolment(
        session=session,
        principal=principal,
        activity_id=activity_id,
        enrolment_id=enrolment_id,
        now=now,
    )
    return _public(row)


@router.post(
    ENROLMENT + ":withdraw",
    summary="Withdraw from an activity",
    responses=problem_responses(404, 409),
)
def withdraw(
    activity_id: str,
    enrolment_id: str,
    body: EnrolmentWithdrawal,
    principal: EnrolmentsWrite,
    session: SessionDep,
    now: NowDep,
) -> EnrolmentPublic:
    """VOL-RIGHT-1: when and why; notice under 24 h before the start is marked late."""
    row = service.withdraw(
        session=session,
        principal=principal,
        activity_id=activity_id,
        enrolment_id=enrolment_id,
        reason=body.reason,
        now=now,
    )
    return _public(row)


@router.get("/me/activities", summary="My activities (a volunteer)")
def list_my_activities(
    principal: VolunteerItself, session: SessionDep, page: PageDep
) -> Page[MyActivityPublic]:
    """The calling volunteer's enrolments, in the order made, each with its activity's title
    and times."""
    result = repo.list_enrolments(
        session,
        principal,
        page=page,
        activity_id=None,
        volunteer_id=principal.volunteer_id,
        status=None,
    )
    activities = repo.activities_by_id(session, [e.activity_id for e in result.items])
    return Page(
        items=[
            MyActivityPublic(
                enrolment=_public(e),
                title=activities[e.activity_id].title,
                starts_at=activities[e.activity_id].starts_at,
                ends_at=activities[e.activity_id].ends_at,
            )
            for e in result.items
        ],
        next_cursor=result.next_cursor,
        total=result.total,
    )
