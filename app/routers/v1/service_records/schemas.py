"""The API models of service records and certificates (names unique in the spec)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.domain.common import Day, Instant, Moment
from app.domain.files import ARCHIVE_KINDS, AttachmentKind
from app.domain.volunteers import CertificateStatus, ServiceRecordSource, ServiceRecordStatus
from app.errors import Violation
from app.repositories.volunteers_records import ServiceRecordRow
from app.routers.files import kinds_schema
from app.rules.volunteers_hours import hours_from_seconds, record_seconds

Id = Annotated[str, Field(max_length=26)]
#: VOL-SELF-1: the kinds of file kept as the evidence of hours.
EvidenceKind = Annotated[AttachmentKind, kinds_schema(ARCHIVE_KINDS)]


class ServiceRecordCreate(BaseModel):
    """VOL-HOURS-1: hours served under a confirmed enrolment, `[starts_at, ends_at)`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "enrolment_id": "01JD81C3D4E5F6G7H8J9KMNPQR",
                    "starts_at": "2026-07-10T09:00:00+08:00",
                    "ends_at": "2026-07-10T12:30:00+08:00",
                }
            ]
        },
    )

    enrolment_id: Id
    starts_at: Instant
    ends_at: Instant


class ServiceRecordCorrection(BaseModel):
    """VOL-HOURS-1: new times and why; the old ones are kept."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "starts_at": "2026-07-10T09:30:00+08:00",
                    "ends_at": "2026-07-10T12:30:00+08:00",
                    "reason": "签到表显示9时30分到岗",
                }
            ]
        },
    )

    starts_at: Instant
    ends_at: Instant
    reason: str = Field(max_length=2000)


class ServiceRecordVoid(BaseModel):
    """VOL-HOURS-1: why a service record no longer counts."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "重复登记，与另一条记录相同"}]}
    )

    reason: str = Field(max_length=2000)


class ServiceRecordRevisionPublic(BaseModel):
    """A record's times before a correction."""

    starts_at: Moment
    ends_at: Moment
    reason: str
    revised_at: Moment
    revised_by: str


class ServiceRecordDeclaration(BaseModel):
    """VOL-SELF-1: hours the calling volunteer served in an activity it enrolled in,
    `[starts_at, ends_at)`, and what it did; evidence is attached to the record afterwards."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "activity_id": "01JD81C3D4E5F6G7H8J9KMNPQR",
                    "starts_at": "2026-07-10T09:00:00+08:00",
                    "ends_at": "2026-07-10T12:00:00+08:00",
                    "description": "现场签到码无法扫描，协助讲解防灾减灾展板三小时",
                }
            ]
        },
    )

    activity_id: Id
    starts_at: Instant
    ends_at: Instant
    description: str = Field(min_length=1, max_length=2000, pattern=r"\S")


class ServiceRecordPublic(BaseModel):
    """A service record with its hours, how it came to be, its evidence and its corrections."""

    id: str
    volunteer_id: str
    activity_id: str
    enrolment_id: str
    organization_id: str
    starts_at: Moment
    ends_at: Moment
    hours: float = Field(description="To the hundredth, rounded down (VOL-HONOUR-1)")
    status: ServiceRecordStatus
    source: ServiceRecordSource
    description: str | None = Field(description="The volunteer's account (declared hours)")
    evidence_count: int = Field(description="Files attached as evidence (VOL-SELF-1)")
    confirmed_at: Moment | None
    void_reason: str | None = Field(description="Why it was voided, or its declaration rejected")
    revisions: list[ServiceRecordRevisionPublic]
    version: int

    @classmethod
    def of(cls, row: ServiceRecordRow, evidence_count: int) -> ServiceRecordPublic:
        """The public view of a record carrying `evidence_count` files."""
        domain = row.to_domain()
        return cls(
            id=row.id,
            volunteer_id=row.volunteer_id,
            activity_id=row.activity_id,
            enrolment_id=row.enrolment_id,
            organization_id=row.organization_id,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            hours=float(hours_from_seconds(record_seconds(domain))),
            status=domain.status,
            source=domain.source,
            description=row.description,
            evidence_count=evidence_count,
            confirmed_at=row.confirmed_at,
            void_reason=row.void_reason,
            revisions=[ServiceRecordRevisionPublic(**r.model_dump()) for r in domain.revisions],
            version=row.version,
        )


class ServiceRecordsConfirm(BaseModel):
    """VOL-HOURS-1: the records to confirm at once (a roster after an activity)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"service_record_ids": ["01JD80A1B2C3D4E5F6G7H8J9KM"]}]},
    )

    service_record_ids: list[Annotated[str, Field(max_length=26)]] = Field(
        min_length=1, max_length=1000
    )


class ServiceRecordRefusal(BaseModel):
    """A record the batch did not confirm, with every reason."""

    service_record_id: str
    violations: list[Violation]


class ServiceRecordConfirmations(BaseModel):
    """What a batch confirmation did: the records confirmed and each one refused."""

    confirmed: list[ServiceRecordPublic]
    refused: list[ServiceRecordRefusal]


class VolunteerCertificateCreate(BaseModel):
    """VOL-DUTY-4: a certificate from an organisation's (and its sub-organisations') confirmed
    records, optionally of the days `starts_on` to `ends_on` (both included)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "organization_id": "01JD7Y3Q8K2M4N6P8R0T2V4X6Z",
                    "starts_on": "2026-01-01",
                    "ends_on": "2026-12-31",
                }
            ]
        },
    )

    organization_id: Id
    starts_on: Day | None = None
    ends_on: Day | None = None


class VolunteerCertificateVoid(BaseModel):
    """VOL-DUTY-4: why a certificate is void; public verification shows it."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "时长登记有误，已重新出具"}]}
    )

    reason: str = Field(max_length=2000)


class VolunteerCertificateEntryPublic(BaseModel):
    """One line of a certificate."""

    activity_title: str
    served_on: Day
    hours: float


class VolunteerCertificatePublic(BaseModel):
    """VOL-DUTY-4: a certificate as issued; the ID number is always masked."""

    id: str
    number: str
    volunteer_id: str
    organization_id: str
    issued_on: Day
    volunteer_name: str
    id_number_masked: str
    organization_name: str
    person_in_charge: str
    total_hours: float
    entries: list[VolunteerCertificateEntryPublic]
    starts_on: Day
    ends_on: Day
    status: CertificateStatus
    void_reason: str | None
    verify_url: str


class VolunteerCertificateVerification(BaseModel):
    """VOL-DUTY-4: what anyone holding the number sees; no more than needed to verify it."""

    number: str
    volunteer_name_masked: str
    total_hours: float
    organization_name: str
    issued_on: Day
    starts_on: Day = Field(description="The first day of service it covers")
    ends_on: Day = Field(description="The last day of service it covers")
    status: CertificateStatus
    void_reason: str | None
