"""A volunteer's confirmed hours and star level (VOL-HOURS-1, VOL-HONOUR-1)."""

from __future__ import annotations

from app.domain.common import local_date
from app.errors import problem_responses
from app.routers.deps import NowDep, SessionDep, VolunteerItself
from app.routers.route import resource_router
from app.routers.v1.volunteers.auth import VolunteersRead
from app.routers.v1.volunteers.schemas import VolunteerHoursPublic, hours_public
from app.services import volunteers as service

router = resource_router("volunteers")


@router.get(
    "/volunteers/{volunteer_id}/hours",
    summary="A volunteer's confirmed hours and star level",
    responses=problem_responses(404),
)
def get_hours(
    volunteer_id: str, principal: VolunteersRead, session: SessionDep, now: NowDep
) -> VolunteerHoursPublic:
    """VOL-HOURS-1, VOL-HONOUR-1: totals by year and organisation; stars from confirmed hours."""
    hours = service.hours_of(
        session=session, principal=principal, volunteer_id=volunteer_id, today=local_date(now)
    )
    return hours_public(volunteer_id, hours)


@router.get("/me/hours", summary="My confirmed hours and star level (a volunteer)")
def get_my_hours(
    principal: VolunteerItself, session: SessionDep, now: NowDep
) -> VolunteerHoursPublic:
    """VOL-HOURS-1, VOL-HONOUR-1: the calling volunteer's totals and stars; its records, with
    their status, are `GET /service-records`."""
    volunteer_id = principal.volunteer_id or ""
    hours = service.hours_of(
        session=session, principal=principal, volunteer_id=volunteer_id, today=local_date(now)
    )
    return hours_public(volunteer_id, hours)
