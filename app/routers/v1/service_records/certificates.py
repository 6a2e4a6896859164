"""Certificates (志愿服务记录证明): issued from confirmed records, read, downloaded as PDF,
voided, and verified by anyone holding the number (VOL-DUTY-4)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from app.domain.volunteers import Certificate
from app.errors import problem_responses
from app.repositories import volunteers_records as repo
from app.routers.deps import (
    NowDep,
    PageDep,
    PublicUrlDep,
    SessionDep,
    VolunteerItself,
    set_etag,
)
from app.routers.pages import Page, mark_created, page_map
from app.routers.route import resource_router
from app.routers.v1.service_records.auth import RecordsRead, RecordsWrite
from app.routers.v1.service_records.pdf import render_certificate
from app.routers.v1.service_records.schemas import (
    VolunteerCertificateCreate,
    VolunteerCertificateEntryPublic,
    VolunteerCertificatePublic,
    VolunteerCertificateVerification,
    VolunteerCertificateVoid,
)
from app.services import volunteers_records as service

router = resource_router("service-records")
public_router = resource_router("public", public=True)
CERTIFICATE = "/certificates/{certificate_id}"


def verify_url(public_url: str, number: str) -> str:
    """The page a person (or the QR code on the PDF) opens to verify a certificate."""
    return f"{public_url}/verify/{number}"


def _public(row: repo.CertificateRow, public_url: str) -> VolunteerCertificatePublic:
    cert: Certificate = row.to_domain()
    return VolunteerCertificatePublic(
        id=row.id,
        number=cert.number,
        volunteer_id=row.volunteer_id,
        organization_id=row.organization_id,
        issued_on=cert.issued_on,
        volunteer_name=cert.volunteer_name,
        id_number_masked=cert.id_number_masked,
        organization_name=cert.organization_name,
        person_in_charge=cert.person_in_charge,
        total_hours=float(cert.total_hours),
        entries=[
            VolunteerCertificateEntryPublic(
                activity_title=e.activity_title, served_on=e.served_on, hours=float(e.hours)
            )
            for e in cert.entries
        ],
        starts_on=cert.starts_on,
        ends_on=cert.ends_on,
        status=cert.status,
        void_reason=cert.void_reason,
        verify_url=verify_url(public_url, cert.number),
    )


@router.post(
    "/volunteers/{volunteer_id}/certificates",
    status_code=201,
    summary="Issue a service record certificate",
    responses=problem_responses(404, 409),
)
def issue_certificate(
    volunteer_id: str,
    body: VolunteerCertificateCreate,
    principal: RecordsWrite,
    session: SessionDep,
    now: NowDep,
    response: Response,
    public_url: PublicUrlDep,
) -> VolunteerCertificatePublic:
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
    mark_created(response, f"/api/v1/certificates/{row.id}", row)
    return _public(row, public_url)


@router.get("/certificates", summary="List certificates")
def list_certificates(
    principal: RecordsRead,
    session: SessionDep,
    page: PageDep,
    public_url: PublicUrlDep,
    volunteer_id: Annotated[str | None, Query(max_length=26)] = None,
) -> Page[VolunteerCertificatePublic]:
    """Certificates in scope; a volunteer sees its own."""
    result = repo.list_certificates(session, principal, page=page, volunteer_id=volunteer_id)
    return page_map(lambda row: _public(row, public_url), result)


@router.get("/me/certificates", summary="My certificates (a volunteer)")
def list_my_certificates(
    principal: VolunteerItself, session: SessionDep, page: PageDep, public_url: PublicUrlDep
) -> Page[VolunteerCertificatePublic]:
    """VOL-DUTY-4: the calling volunteer's certificates, each with its `verify_url`."""
    result = repo.list_certificates(
        session, principal, page=page, volunteer_id=principal.volunteer_id
    )
    return page_map(lambda row: _public(row, public_url), result)


@router.get(CERTIFICATE, summary="Read a certificate", responses=problem_responses(404))
def get_certificate(
    certificate_id: str,
    principal: RecordsRead,
    session: SessionDep,
    response: Response,
    public_url: PublicUrlDep,
) -> VolunteerCertificatePublic:
    """VOL-DUTY-4: the certificate as issued, with its status."""
    row = repo.get_certificate(session, principal, certificate_id)
    set_etag(response, row)
    return _public(row, public_url)


@router.get(
    CERTIFICATE + "/pdf",
    summary="Download a certificate as PDF",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            "description": "The certificate as one A4 page",
        },
        **problem_responses(404, 503),
    },
)
def get_certificate_pdf(
    certificate_id: str, principal: RecordsRead, session: SessionDep, public_url: PublicUrlDep
) -> Response:
    """VOL-DUTY-4: the same content as a PDF with the Chinese text embedded."""
    row = repo.get_certificate(session, principal, certificate_id)
    pdf = render_certificate(row.to_domain(), verify_url=verify_url(public_url, row.number))
    return Response(
        content=pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{row.number}.pdf"'},
    )


@router.post(
    CERTIFICATE + ":void",
    summary="Void a certificate",
    responses=problem_responses(404, 409),
)
def void_certificate(
    certificate_id: str,
    body: VolunteerCertificateVoid,
    principal: RecordsWrite,
    session: SessionDep,
    now: NowDep,
    public_url: PublicUrlDep,
) -> VolunteerCertificatePublic:
    """VOL-DUTY-4: public verification then says the certificate is void, and why."""
    row = service.void_certificate(
        session=session,
        principal=principal,
        certificate_id=certificate_id,
        reason=body.reason,
        now=now,
    )
    return _public(row, public_url)


@public_router.get(
    "/public/certificates/{certificate_number}",
    summary="Verify a certificate by its number (no login)",
    responses=problem_responses(404),
)
def verify_certificate(
    certificate_number: str, session: SessionDep
) -> VolunteerCertificateVerification:
    """VOL-DUTY-4: masked name, hours, issuer, date and status; nothing else."""
    found = service.verify_certificate(session=session, number=certificate_number)
    return VolunteerCertificateVerification.model_validate(
        found.model_dump() | {"total_hours": float(found.total_hours)}
    )
