"""On-site attendance (VOL-CHECKIN-1): the rotating code for the captain's screen, check-in and
check-out by the volunteer, closing what was never checked out, the roster of an activity."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime

from fastapi import Request

from app.domain.access import Principal
from app.errors import problem_responses
from app.qr import qr_png, qr_svg
from app.repositories.volunteers_attendance import AttendanceRow
from app.routers.deps import NowDep, PageDep, SessionDep
from app.routers.pages import Page, page_of
from app.routers.route import resource_router
from app.routers.v1.activities.auth import ActivitiesWrite, Attend
from app.routers.v1.activities.schemas import (
    AttendancePublic,
    AttendanceRefusalPublic,
    AttendanceScan,
    CheckInCodePublic,
    RosterLinePublic,
)
from app.rules.volunteers_hours import hours_from_seconds, record_seconds
from app.services import volunteers_attendance as service

router = resource_router("activities")
ATTENDANCE = "/activities/{activity_id}/attendance"


def _public(row: AttendanceRow) -> AttendancePublic:
    return AttendancePublic.model_validate(row, from_attributes=True)


def _attend(
    scan: Callable[..., AttendanceRow],
    activity_id: str,
    body: AttendanceScan,
    principal: Principal,
    session: SessionDep,
    now: datetime,
    request: Request,
) -> AttendancePublic:
    position = (body.position.latitude, body.position.longitude) if body.position else None
    row = scan(
        session=session,
        principal=principal,
        activity_id=activity_id,
        code=body.code,
        position=position,
        now=now,
        source=request.client.host if request.client else None,
    )
    return _public(row)


def _line(line: service.RosterLine) -> RosterLinePublic:
    attended, record = line.attendance, line.record
    return RosterLinePublic.model_validate(
        {
            "enrolment_id": line.enrolment.id,
            "volunteer_id": line.enrolment.volunteer_id,
            "name": line.masked_name,
            "enrolment_status": line.enrolment.status,
            "checked_in_at": attended.checked_in_at if attended else None,
            "checked_out_at": attended.checked_out_at if attended else None,
            "flags": attended.flags if attended else [],
            "service_record_id": record.id if record else None,
            "service_record_status": record.status if record else None,
            "hours": float(hours_from_seconds(record_seconds(record.to_domain())))
            if record
            else None,
        }
    )


@router.post(
    "/activities/{activity_id}/check-in-codes",
    summary="Show the current check-in code of an activity (the captain's screen)",
    responses=problem_responses(404, 409),
)
def issue_code(
    activity_id: str, principal: ActivitiesWrite, session: SessionDep, now: NowDep
) -> CheckInCodePublic:
    """VOL-CHECKIN-1: the code of this minute, signed for this activity alone, with its QR; the
    screen asks again when `valid_until` comes. Only inside the attendance window (409)."""
    issued = service.issue_code(
        session=session, principal=principal, activity_id=activity_id, now=now
    )
    png = "data:image/png;base64," + base64.b64encode(qr_png(issued.payload)).decode("ascii")
    return CheckInCodePublic(
        code=issued.code,
        valid_until=issued.valid_until,
        step_seconds=service.POLICY.step_seconds,
        payload=issued.payload,
        qr_svg=qr_svg(issued.payload),
        qr_png=png,
    )


@router.post(
    f"{ATTENDANCE}:check-in",
    summary="Check in at an activity with the code on site",
    responses=problem_responses(404, 409),
)
def check_in(
    activity_id: str,
    body: AttendanceScan,
    principal: Attend,
    session: SessionDep,
    now: NowDep,
    request: Request,
) -> AttendancePublic:
    """VOL-CHECKIN-1, VOL-DUTY-2/3: with the code on screen, under a confirmed enrolment and the
    enrolment gate; 409 lists every unmet rule and the attempt is kept for review. A repeated
    check-in answers the first."""
    return _attend(service.check_in, activity_id, body, principal, session, now, request)


@router.post(
    f"{ATTENDANCE}:check-out",
    summary="Check out of an activity with the code on site",
    responses=problem_responses(404, 409),
)
def check_out(
    activity_id: str,
    body: AttendanceScan,
    principal: Attend,
    session: SessionDep,
    now: NowDep,
    request: Request,
) -> AttendancePublic:
    """VOL-CHECKIN-1, VOL-HOURS-1: the time since check-in, clamped to the activity, becomes a
    service record to be confirmed. Without a check-in, 409; a repeated check-out answers the
    first."""
    return _attend(service.check_out, activity_id, body, principal, session, now, request)


@router.post(
    f"{ATTENDANCE}:close",
    summary="Close the check-ins never checked out, at the activity's end",
    responses=problem_responses(404, 409),
)
def close_attendance(
    activity_id: str, principal: ActivitiesWrite, session: SessionDep, now: NowDep
) -> list[AttendancePublic]:
    """VOL-CHECKIN-1: after the activity, each open check-in becomes a record ending at the
    activity's end, flagged `no_check_out` (or stays open, flagged `not_recorded`)."""
    rows = service.close_missing(
        session=session, principal=principal, activity_id=activity_id, now=now
    )
    return [_public(r) for r in rows]


@router.get(
    f"{ATTENDANCE}-refusals",
    summary="The refused check-ins and check-outs of an activity, for review",
    responses=problem_responses(404),
)
def list_refusals(
    activity_id: str, principal: ActivitiesWrite, session: SessionDep, page: PageDep
) -> Page[AttendanceRefusalPublic]:
    """VOL-CHECKIN-1: every refused attempt (an expired or foreign code, outside the window or
    the geofence, a check-out without a check-in) with its rule IDs and source address."""
    result = service.refusals(
        session=session, principal=principal, activity_id=activity_id, page=page
    )
    return page_of(AttendanceRefusalPublic, result)


@router.get(
    "/activities/{activity_id}/roster",
    summary="The roster of an activity: enrolled, checked in and out, hours, flags",
    responses=problem_responses(404),
)
def roster(
    activity_id: str, principal: ActivitiesWrite, session: SessionDep, page: PageDep
) -> Page[RosterLinePublic]:
    """VOL-CHECKIN-1: a page of enrolments, each with the masked name, attendance, service record
    and flags, in one call."""
    result = service.roster(
        session=session, principal=principal, activity_id=activity_id, page=page
    )
    items = [_line(line) for line in result.items]
    return Page(items=items, next_cursor=result.next_cursor, total=result.total)
