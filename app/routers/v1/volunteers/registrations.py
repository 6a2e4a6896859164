"""Registrations by the public and the organisation's decision on them (VOL-REG-1/2).

The public answer is the same whether or not the person or the username is on record (202 and a
receipt); the organisation sees both and decides.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from app.domain.volunteers import RegistrationStatus
from app.errors import problem_responses
from app.repositories import volunteers_registrations as repo
from app.routers.deps import ContextDep, NowDep, PageDep, SessionDep, set_etag
from app.routers.pages import Page
from app.routers.route import resource_router
from app.routers.v1.volunteers.auth import VolunteersManage
from app.routers.v1.volunteers.schemas import (
    RegistrationAccept,
    RegistrationDecline,
    VolunteerRegistrationPublic,
    VolunteerRegistrationReceipt,
    VolunteerSelfRegistration,
    registration_public,
)
from app.services import volunteers as service

router = resource_router("volunteers")
public_router = resource_router("public", public=True)

REGISTRATION = "/volunteer-registrations/{volunteer_registration_id}"


@public_router.post(
    "/public/volunteer-registrations",
    status_code=202,
    summary="Register as a volunteer (self-registration by the public)",
    responses=problem_responses(404),
)
def self_register(
    body: VolunteerSelfRegistration, ctx: ContextDep, session: SessionDep, now: NowDep
) -> VolunteerRegistrationReceipt:
    """VOL-REG-1: a registration the organisation decides. Only its content is checked here; the
    answer is the same whether the person or the username is on record. The login works once the
    organisation accepts."""
    row = service.request_registration(
        session=session,
        registration=body.registration(),
        organization_id=body.organization_id,
        username=body.username,
        password_hash=ctx.passwords.hash(body.password),
        now=now,
    )
    return VolunteerRegistrationReceipt(
        id=row.id, status=RegistrationStatus(row.status), received_at=row.created_at
    )


@router.get("/volunteer-registrations", summary="List registrations by the public")
def list_registrations(
    principal: VolunteersManage,
    session: SessionDep,
    page: PageDep,
    organization_id: Annotated[str | None, Query(max_length=26)] = None,
    status: RegistrationStatus | None = None,
) -> Page[VolunteerRegistrationPublic]:
    """VOL-REG-2: the registrations to organisations in the caller's scope, masked."""
    result = repo.list_registrations(
        session, principal, page, organization_id=organization_id, status=status
    )
    views = service.registration_views(session, result.items)
    return Page(
        items=[registration_public(v) for v in views],
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.get(REGISTRATION, summary="Read a registration", responses=problem_responses(404))
def get_registration(
    volunteer_registration_id: str,
    principal: VolunteersManage,
    session: SessionDep,
    response: Response,
) -> VolunteerRegistrationPublic:
    """VOL-REG-2: one registration in the caller's scope, masked."""
    row = repo.get_registration(session, principal, volunteer_registration_id)
    set_etag(response, row)
    return registration_public(service.registration_views(session, [row])[0])


@router.post(
    f"{REGISTRATION}:accept",
    summary="Accept a registration: a volunteer and an active member",
    responses=problem_responses(404, 409),
)
def accept_registration(
    volunteer_registration_id: str,
    body: RegistrationAccept,
    principal: VolunteersManage,
    session: SessionDep,
    now: NowDep,
) -> VolunteerRegistrationPublic:
    """VOL-REG-2: a new person becomes a volunteer with the login asked for (or `username`); a
    person on record joins as they are and keeps their one login. A decided registration, a
    taken username or an expelled member is 409."""
    view = service.accept_registration(
        session=session,
        principal=principal,
        registration_id=volunteer_registration_id,
        username=body.username,
        now=now,
    )
    return registration_public(view)


@router.post(
    f"{REGISTRATION}:decline",
    summary="Decline a registration",
    responses=problem_responses(404, 409),
)
def decline_registration(
    volunteer_registration_id: str,
    body: RegistrationDecline,
    principal: VolunteersManage,
    session: SessionDep,
    now: NowDep,
) -> VolunteerRegistrationPublic:
    """VOL-REG-2: a pending registration declined with its reason; a decided one is 409."""
    view = service.decline_registration(
        session=session,
        principal=principal,
        registration_id=volunteer_registration_id,
        reason=body.reason,
        now=now,
    )
    return registration_public(view)
