"""Service records and certificates (VOL-HOURS-1, VOL-DUTY-4)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, Session, col, select

from app.domain.access import Principal
from app.domain.volunteers import (
    Certificate,
    CertificateStatus,
    ServiceRecord,
    ServiceRecordRevision,
    ServiceRecordSource,
    ServiceRecordStatus,
)
from app.repositories.base import Entity, PageRequest, PageResult, presigned, save
from app.repositories.scope import get_in_scope, list_in_scope
from app.repositories.types import UTCDateTime
from app.repositories.volunteers_activities import ActivityRow, EnrolmentRow
from app.repositories.volunteers_orgs import OrganizationRow


class ServiceRecordRow(Entity, table=True):
    """VOL-HOURS-1: hours one volunteer served in one activity; corrections kept as revisions."""

    __tablename__ = "volunteer_service_records"
    __table_args__ = (
        Index("ix_volunteer_service_records_volunteer_id_id", "volunteer_id", "id"),
        Index("ix_volunteer_service_records_activity_id_id", "activity_id", "id"),
        Index("ix_volunteer_service_records_status_id", "status", "id"),
    )
    __resource__ = "service_record"

    volunteer_id: str = Field(foreign_key="volunteers.id", max_length=26)
    activity_id: str = Field(foreign_key="volunteer_activities.id", max_length=26)
    enrolment_id: str = Field(foreign_key="volunteer_enrolments.id", max_length=26, index=True)
    organization_id: str = Field(foreign_key="organizations.id", max_length=26, index=True)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default=ServiceRecordStatus.RECORDED.value, max_length=16)
    source: str = Field(default=ServiceRecordSource.STAFF.value, max_length=16)
    #: VOL-SELF-1: the volunteer's account of what it did, for hours it declares.
    description: str | None = Field(default=None, max_length=2000)
    recorded_by: str | None = Field(default=None, max_length=26)
    confirmed_by: str | None = Field(default=None, max_length=26)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    void_reason: str | None = Field(default=None, max_length=2000)
    revisions: list[dict[str, Any]] = Field(
        default_factory=presigned(list), sa_column=Column(JSON, nullable=False)
    )

    @property
    def owner_id(self) -> str:
        """The volunteer sees its records in the change feed."""
        return self.volunteer_id

    def to_domain(self) -> ServiceRecord:
        """The record as the hours rules take it."""
        return ServiceRecord(
            id=self.id,
            volunteer_id=self.volunteer_id,
            activity_id=self.activity_id,
            organization_id=self.organization_id,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            status=ServiceRecordStatus(self.status),
            source=ServiceRecordSource(self.source),
            revisions=tuple(ServiceRecordRevision.model_validate(r) for r in self.revisions),
        )

    def apply(self, record: ServiceRecord) -> None:
        """Take the times, status and revisions of a corrected domain record."""
        self.starts_at = record.starts_at
        self.ends_at = record.ends_at
        self.status = record.status.value
        self.revisions = [r.model_dump(mode="json") for r in record.revisions]


class CertificateRow(Entity, table=True):
    """VOL-DUTY-4: an issued certificate; its content is frozen at issue."""

    __tablename__ = "volunteer_certificates"
    __table_args__ = (Index("ix_volunteer_certificates_volunteer_id_id", "volunteer_id", "id"),)
    __resource__ = "certificate"

    number: str = Field(max_length=32, unique=True)
    volunteer_id: str = Field(foreign_key="volunteers.id", max_length=26)
    organization_id: str = Field(foreign_key="organizations.id", max_length=26, index=True)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    issued_on: date
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(default=CertificateStatus.VALID.value, max_length=16)
    void_reason: str | None = Field(default=None, max_length=2000)
    voided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def owner_id(self) -> str:
        """The volunteer sees its certificates in the change feed."""
        return self.volunteer_id

    def to_domain(self) -> Certificate:
        """The certificate with its current status."""
        return Certificate.model_validate(
            {**self.content, "status": self.status, "void_reason": self.void_reason}
        )


def records_of(
    session: Session,
    volunteer_id: str,
    *,
    organization_ids: list[str] | None = None,
    lock: bool = False,
) -> list[ServiceRecordRow]:
    """Every record of a volunteer (optionally of some organisations), oldest first."""
    stmt = select(ServiceRecordRow).where(ServiceRecordRow.volunteer_id == volunteer_id)
    if organization_ids is not None:
        stmt = stmt.where(col(ServiceRecordRow.organization_id).in_(organization_ids))
    stmt = stmt.order_by(col(ServiceRecordRow.starts_at), col(ServiceRecordRow.id))
    return list(session.exec(stmt.with_for_update() if lock else stmt).all())


def get_record(
    session: Session, principal: Principal, record_id: str, *, lock: bool = False
) -> ServiceRecordRow:
    """A service record in the caller's scope, or 404."""
    return get_in_scope(session, principal, ServiceRecordRow, record_id, lock=lock)


def records_by_id(session: Session, record_ids: Iterable[str]) -> dict[str, ServiceRecordRow]:
    """These service records by id, in one query."""
    wanted = list(set(record_ids))
    if not wanted:
        return {}
    rows = session.exec(select(ServiceRecordRow).where(col(ServiceRecordRow.id).in_(wanted)))
    return {r.id: r for r in rows}


def add_record(
    session: Session,
    *,
    enrolment: EnrolmentRow,
    activity: ActivityRow,
    starts_at: datetime,
    ends_at: datetime,
    by: str | None,
    source: ServiceRecordSource,
    description: str | None = None,
) -> ServiceRecordRow:
    """VOL-HOURS-1: a new record of the enrolment's volunteer in the activity, awaiting
    confirmation, with how it came to be (VOL-CHECKIN-1, VOL-SELF-1)."""
    row = ServiceRecordRow(
        volunteer_id=enrolment.volunteer_id,
        activity_id=activity.id,
        enrolment_id=enrolment.id,
        organization_id=activity.organization_id,
        org_path=activity.org_path,
        county_code=activity.county_code,
        starts_at=starts_at,
        ends_at=ends_at,
        recorded_by=by,
        source=source.value,
        description=description,
    )
    return save(session, row)


def confirm_record(session: Session, row: ServiceRecordRow, *, by: str, at: datetime) -> None:
    """VOL-HOURS-1: the organisation's confirmation; from now on the record counts."""
    row.status = ServiceRecordStatus.CONFIRMED.value
    row.confirmed_at = at
    row.confirmed_by = by
    save(session, row)


def revise_record(session: Session, row: ServiceRecordRow, record: ServiceRecord) -> None:
    """VOL-HOURS-1: the corrected times, status and revisions of the domain record."""
    row.apply(record)
    save(session, row)


def void_record(session: Session, row: ServiceRecordRow, *, reason: str) -> None:
    """VOL-HOURS-1: a voided record never counts; the reason is kept."""
    row.status = ServiceRecordStatus.VOIDED.value
    row.void_reason = reason
    save(session, row)


def list_records(
    session: Session,
    principal: Principal,
    *,
    page: PageRequest,
    volunteer_id: str | None,
    activity_id: str | None,
    status: ServiceRecordStatus | None,
) -> PageResult[ServiceRecordRow]:
    """Service records in scope, filtered by volunteer, activity and status."""
    return list_in_scope(
        session,
        principal,
        ServiceRecordRow,
        page,
        equal={
            "volunteer_id": volunteer_id,
            "activity_id": activity_id,
            "status": None if status is None else status.value,
        },
    )


def get_certificate(
    session: Session, principal: Principal, certificate_id: str, *, lock: bool = False
) -> CertificateRow:
    """A certificate in the caller's scope, or 404."""
    return get_in_scope(session, principal, CertificateRow, certificate_id, lock=lock)


def add_certificate(
    session: Session, *, certificate: Certificate, volunteer_id: str, org: OrganizationRow
) -> CertificateRow:
    """VOL-DUTY-4: an issued certificate, its content frozen as built."""
    row = CertificateRow(
        number=certificate.number,
        volunteer_id=volunteer_id,
        **org.owner_scope(),
        issued_on=certificate.issued_on,
        content=certificate.model_dump(mode="json", exclude={"status", "void_reason"}),
    )
    return save(session, row)


def void_certificate(session: Session, row: CertificateRow, *, reason: str, at: datetime) -> None:
    """VOL-DUTY-4: the certificate is void from now on, and public verification says why."""
    row.status = CertificateStatus.VOID.value
    row.void_reason = reason
    row.voided_at = at
    save(session, row)


def find_certificate(session: Session, number: str) -> CertificateRow | None:
    """VOL-DUTY-4: the certificate with this number, for public verification."""
    return session.exec(select(CertificateRow).where(CertificateRow.number == number)).first()


def list_certificates(
    session: Session, principal: Principal, *, page: PageRequest, volunteer_id: str | None
) -> PageResult[CertificateRow]:
    """Certificates in scope."""
    return list_in_scope(
        session, principal, CertificateRow, page, equal={"volunteer_id": volunteer_id}
    )
