"""Service records, certificates and their public verification (VOL-HOURS-1, VOL-DUTY-4)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from fastapi import Query, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlmodel import Session, select

from app.domain.access import Principal, Role
from app.domain.common import local_date
from app.domain.volunteers import (
    CertificateStatus,
    EnrolmentStatus,
    PublicCertificate,
    ServiceRecordStatus,
)
from app.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RuleViolation,
    problem_responses,
)
from app.repositories import volunteers as volunteer_repo
from app.repositories import volunteers_activities as activities
from app.repositories import volunteers_orgs as orgs
from app.repositories import volunteers_records as repo
from app.routers.deps import NowDep, PageDep, SessionDep, allow, set_etag
from app.routers.pages import Page
from app.routers.route import resource_router
from app.routers.v1.activities import enrolment_context
from app.routers.v1.volunteers import CertificatePublic, certificate_public
from app.routers.v1.volunteers_pdf import render_certificate
from app.rules.volunteers_hours import (
    apply_correction,
    check_change,
    check_confirmation,
    check_service_record,
    hours_from_seconds,
    is_valid_certificate_number,
    public_certificate,
    record_seconds,
)

router = resource_router("service-records")
public_router = resource_router("public", public=True)
Manager = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN)]
Reader = Annotated[
    Principal,
    allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.AUDITOR, Role.VOLUNTEER),
]


class RecordCreate(BaseModel):
    """VOL-HOURS-1: hours served under a confirmed enrolment."""

    model_config = ConfigDict(extra="forbid")

    enrolment_id: str = Field(max_length=26)
    starts_at: AwareDatetime
    ends_at: AwareDatetime


class RecordCorrection(BaseModel):
    """VOL-HOURS-1: new times and why; the old ones are kept."""

    model_config = ConfigDict(extra="forbid")

    starts_at: AwareDatetime
    ends_at: AwareDatetime
    reason: str = Field(max_length=2000)


class ReasonBody(BaseModel):
    """Why a record or certificate is voided."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=2000)


class RevisionPublic(BaseModel):
    """A record's times before a correction."""

    starts_at: datetime
    ends_at: datetime
    reason: str
    revised_at: datetime
    revised_by: str


class RecordPublic(BaseModel):
    """A service record with its hours and correction history."""

    id: str
    volunteer_id: str
    activity_id: str
    enrolment_id: str
    organization_id: str
    starts_at: datetime
    ends_at: datetime
    hours: Decimal
    status: ServiceRecordStatus
    confirmed_at: datetime | None
    void_reason: str | None
    revisions: list[RevisionPublic]
    version: int


def to_public(row: repo.ServiceRecordRow) -> RecordPublic:
    """The public view of a record."""
    domain = row.to_domain()
    return RecordPublic(
        id=row.id,
        volunteer_id=row.volunteer_id,
        activity_id=row.activity_id,
        enrolment_id=row.enrolment_id,
        organization_id=row.organization_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        hours=hours_from_seconds(record_seconds(domain)),
        status=ServiceRecordStatus(row.status),
        confirmed_at=row.confirmed_at,
        void_reason=row.void_reason,
        revisions=[RevisionPublic(**r.model_dump()) for r in domain.revisions],
        version=row.version,
    )


def _managed(session: Session, principal: Principal, organization_id: str) -> None:
    if not orgs.manages(principal, orgs.get_org(session, organization_id)):
        raise Forbidden("this record belongs to an organisation administered by someone else")


def _check(
    session: Session,
    *,
    enrolment: activities.EnrolmentRow,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    record_id: str | None,
) -> None:
    """VOL-HOURS-1, VOL-DUTY-3: 409 with every unmet rule. The volunteer row is locked so two
    concurrent records of one volunteer cannot both pass the overlap check."""
    volunteer = session.exec(
        select(volunteer_repo.VolunteerRow)
        .where(volunteer_repo.VolunteerRow.id == enrolment.volunteer_id)
        .with_for_update()
    ).one()
    activity = activities.get_activity(session, enrolment.activity_id)
    others = [r.to_domain() for r in repo.records_of(session, volunteer.id)]
    result = check_service_record(
        volunteer=volunteer.to_domain(),
        activity=activity.to_domain(),
        enrolment=enrolment.to_domain(),
        starts_at=starts_at,
        ends_at=ends_at,
        others=others,
        context=enrolment_context(session, volunteer.id, today=local_date(now), confirmed=0),
        now=now,
        record_id=record_id,
    )
    if not result.ok:
        raise RuleViolation(result.errors, status=409)


@router.post(
    "/service-records",
    status_code=201,
    summary="Record service hours",
    responses=problem_responses(404, 409),
)
def create_record(
    body: RecordCreate, principal: Manager, session: SessionDep, now: NowDep, response: Response
) -> RecordPublic:
    """VOL-HOURS-1: inside the activity, no overlap, confirmed enrolment; refused for the gate's
    reasons (VOL-DUTY-3: a dangerous activity needs acknowledgement and insurance)."""
    enrolment = session.get(activities.EnrolmentRow, body.enrolment_id)
    if enrolment is None:
        raise NotFound(f"enrolment {body.enrolment_id} not found")
    activity = activities.get_activity(session, enrolment.activity_id)
    _managed(session, principal, activity.organization_id)
    _check(
        session,
        enrolment=enrolment,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        now=now,
        record_id=None,
    )
    row = repo.ServiceRecordRow(
        volunteer_id=enrolment.volunteer_id,
        activity_id=activity.id,
        enrolment_id=enrolment.id,
        organization_id=activity.organization_id,
        org_path=activity.org_path,
        county_code=activity.county_code,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        recorded_by=principal.user_id,
    )
    session.add(row)
    session.flush()
    response.headers["Location"] = f"/api/v1/service-records/{row.id}"
    set_etag(response, row)
    return to_public(row)


@router.get("/service-records", summary="List service records")
def list_records(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    volunteer_id: Annotated[str | None, Query(max_length=26)] = None,
    activity_id: Annotated[str | None, Query(max_length=26)] = None,
    status: Annotated[ServiceRecordStatus | None, Query()] = None,
) -> Page[RecordPublic]:
    """Records in scope: an organisation's, a county's, or a volunteer's own."""
    result = repo.list_records(
        session,
        principal,
        page=page,
        volunteer_id=volunteer_id,
        activity_id=activity_id,
        status=status,
    )
    return Page(
        items=[to_public(r) for r in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.get(
    "/service-records/{record_id}",
    summary="Read a service record",
    responses=problem_responses(404),
)
def get_record(
    record_id: str, principal: Reader, session: SessionDep, response: Response
) -> RecordPublic:
    """One record with its corrections."""
    row = repo.get_record(session, principal, record_id)
    set_etag(response, row)
    return to_public(row)


def _managed_record(
    session: Session, principal: Principal, record_id: str
) -> repo.ServiceRecordRow:
    row = repo.get_record(session, principal, record_id)
    _managed(session, principal, row.organization_id)
    return row


@router.post(
    "/service-records/{record_id}/confirm",
    summary="Confirm a service record",
    responses=problem_responses(404, 409),
)
def confirm_record(
    record_id: str, principal: Manager, session: SessionDep, now: NowDep
) -> RecordPublic:
    """VOL-HOURS-1: only confirmed records count."""
    row = _managed_record(session, principal, record_id)
    result = check_confirmation(row.to_domain())
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    row.status = ServiceRecordStatus.CONFIRMED.value
    row.confirmed_at = now
    row.confirmed_by = principal.user_id
    session.add(row)
    session.flush()
    return to_public(row)


@router.post(
    "/service-records/{record_id}/correct",
    summary="Correct a service record",
    responses=problem_responses(404, 409),
)
def correct_record(
    record_id: str,
    body: RecordCorrection,
    principal: Manager,
    session: SessionDep,
    now: NowDep,
) -> RecordPublic:
    """VOL-HOURS-1: new times with a reason, the old kept; the record awaits confirmation."""
    row = _managed_record(session, principal, record_id)
    result = check_change(row.to_domain(), body.reason)
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    enrolment = session.get(activities.EnrolmentRow, row.enrolment_id)
    if enrolment is None or enrolment.status != EnrolmentStatus.CONFIRMED:
        raise Conflict("the enrolment is no longer confirmed")
    _check(
        session,
        enrolment=enrolment,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        now=now,
        record_id=row.id,
    )
    row.apply(
        apply_correction(
            row.to_domain(),
            starts_at=body.starts_at,
            ends_at=body.ends_at,
            reason=body.reason.strip(),
            at=now,
            by=principal.user_id,
        )
    )
    session.add(row)
    session.flush()
    return to_public(row)


@router.post(
    "/service-records/{record_id}/void",
    summary="Void a service record",
    responses=problem_responses(404, 409),
)
def void_record(
    record_id: str, body: ReasonBody, principal: Manager, session: SessionDep
) -> RecordPublic:
    """VOL-HOURS-1: a voided record never counts; the reason is kept."""
    row = _managed_record(session, principal, record_id)
    result = check_change(row.to_domain(), body.reason)
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    row.status = ServiceRecordStatus.VOIDED.value
    row.void_reason = body.reason.strip()
    session.add(row)
    session.flush()
    return to_public(row)


@router.get("/certificates", summary="List certificates")
def list_certificates(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    volunteer_id: Annotated[str | None, Query(max_length=26)] = None,
) -> Page[CertificatePublic]:
    """Certificates in scope; a volunteer sees its own."""
    result = repo.list_certificates(session, principal, page=page, volunteer_id=volunteer_id)
    return Page(
        items=[certificate_public(c) for c in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.get(
    "/certificates/{certificate_id}",
    summary="Read a certificate",
    responses=problem_responses(404),
)
def get_certificate(
    certificate_id: str, principal: Reader, session: SessionDep, response: Response
) -> CertificatePublic:
    """VOL-DUTY-4: the certificate as issued, with its status."""
    row = repo.get_certificate(session, principal, certificate_id)
    set_etag(response, row)
    return certificate_public(row)


@router.get(
    "/certificates/{certificate_id}/pdf",
    summary="Download a certificate as PDF",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The certificate"},
        **problem_responses(404, 503),
    },
)
def get_certificate_pdf(certificate_id: str, principal: Reader, session: SessionDep) -> Response:
    """VOL-DUTY-4: the same content as a PDF with the Chinese text embedded."""
    row = repo.get_certificate(session, principal, certificate_id)
    public = certificate_public(row)
    pdf = render_certificate(row.to_domain(), verify_url=public.verify_url)
    return Response(
        content=pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{public.number}.pdf"'},
    )


@router.post(
    "/certificates/{certificate_id}/void",
    summary="Void a certificate",
    responses=problem_responses(404, 409),
)
def void_certificate(
    certificate_id: str,
    body: ReasonBody,
    principal: Manager,
    session: SessionDep,
    now: NowDep,
) -> CertificatePublic:
    """VOL-DUTY-4: public verification then says the certificate is void, and why."""
    row = repo.get_certificate(session, principal, certificate_id)
    _managed(session, principal, row.organization_id)
    if row.status == CertificateStatus.VOID:
        raise Conflict("the certificate is already void")
    if not body.reason.strip():
        raise InvalidInput.one("reason", "a void gives its reason", "missing")
    row.status = CertificateStatus.VOID.value
    row.void_reason = body.reason.strip()
    row.voided_at = now
    session.add(row)
    session.flush()
    return certificate_public(row)


@public_router.get(
    "/public/certificates/{number}",
    summary="Verify a certificate by its number (no login)",
    responses=problem_responses(404),
)
def verify_certificate(number: str, session: SessionDep) -> PublicCertificate:
    """VOL-DUTY-4: masked name, hours, issuer, date and status; nothing else."""
    normalised = number.strip().upper()
    row = (
        repo.find_certificate(session, normalised) if is_valid_certificate_number(number) else None
    )
    if row is None:
        raise NotFound("no certificate has this number")
    return public_certificate(row.to_domain())
