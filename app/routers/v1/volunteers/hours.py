"""A volunteer's confirmed hours and star level, and the certificates issued from them.

VOL-HOURS-1, VOL-HONOUR-1, VOL-DUTY-4.
"""

from __future__ import annotations

from fastapi import Response

from app.domain.common import local_date
from app.errors import problem_responses
from app.routers.deps import NowDep, SessionDep, set_etag
from app.routers.route import resource_router
from app.routers.v1.volunteers.auth import VolunteersManage, VolunteersRead
from app.routers.v1.volunteers.schemas import (
    CertificateCreate,
    CertificatePublic,
    VolunteerHoursPublic,
    certificate_public,
    hours_public,
)
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


@router.post(
    "/volunteers/{volunteer_id}/certificates",
    status_code=201,
    summary="Issue a service record certificate",
    responses=problem_responses(404, 409),
)
def issue_certificate(
    volunteer_id: str,
    body: CertificateCreate,
    principal: VolunteersManage,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> CertificatePublic:
    """VOL-DUTY-4: from the confirmed records of the organisation and its sub-organisations."""
    row = service.issue_certificate(
        session=session,
        principal=principal,
        volunteer_id=volunteer_id,
        organization_id=body.organization_id,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        now=now,
    )
    response.headers["Location"] = f"/api/v1/certificates/{row.id}"
    set_etag(response, row)
    return certificate_public(row)
