"""Service hours, star levels and certificates.

VOL-HOURS-1 (records), VOL-HONOUR-1 (stars), VOL-DUTY-4 (certificates).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal

from pydantic import BaseModel, ConfigDict

from app.domain.common import Finding, RuleResult, local_date
from app.domain.messages import N_
from app.domain.personal import mask_id_number, mask_name
from app.domain.volunteers import (
    Activity,
    Certificate,
    CertificateEntry,
    CertificateStatus,
    Enrolment,
    EnrolmentContext,
    EnrolmentStatus,
    PublicCertificate,
    ServiceRecord,
    ServiceRecordRevision,
    ServiceRecordSource,
    ServiceRecordStatus,
    Volunteer,
    VolunteerPolicy,
)
from app.rules.volunteers_enrolment import gate_findings

_HOUR = Decimal(3600)
_CENT = Decimal("0.01")
#: VOL-HOURS-1: why a record that is not `recorded` is not confirmed, by its status.
_NOT_RECORDED: dict[ServiceRecordStatus, tuple[str, str]] = {
    ServiceRecordStatus.CONFIRMED: ("already_confirmed", N_("the record is already confirmed")),
    ServiceRecordStatus.VOIDED: ("voided", N_("the record is voided")),
}


def overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    """Two half-open spans share time; spans that only touch at an end do not."""
    return a[0] < b[1] and b[0] < a[1]


def check_service_record(
    *,
    volunteer: Volunteer,
    activity: Activity,
    enrolment: Enrolment,
    starts_at: datetime,
    ends_at: datetime,
    others: Iterable[ServiceRecord],
    context: EnrolmentContext,
    now: datetime,
    record_id: str | None = None,
) -> RuleResult:
    """VOL-HOURS-1, VOL-DUTY-3: hours for a confirmed enrolment, inside the activity, no overlap.

    `others` are the volunteer's other records (any activity); `record_id` names the record being
    corrected so it does not overlap itself. The enrolment gate is checked again, so a dangerous
    activity without acknowledgement or insurance records no hours.
    """
    findings: list[Finding] = []
    if enrolment.status is not EnrolmentStatus.CONFIRMED:
        findings.append(
            Finding(
                rule="VOL-HOURS-1",
                code="enrolment_not_confirmed",
                message=N_("hours are recorded for confirmed enrolments only"),
            )
        )
    if ends_at <= starts_at:
        findings.append(
            Finding(
                rule="VOL-HOURS-1",
                code="order",
                message=N_("a record ends after it starts"),
                field="ends_at",
            )
        )
    elif starts_at < activity.starts_at or ends_at > activity.ends_at:
        findings.append(
            Finding(
                rule="VOL-HOURS-1",
                code="outside_activity",
                message=N_("outside the activity's time {starts_at} – {ends_at}"),
                params={
                    "starts_at": activity.starts_at.isoformat(),
                    "ends_at": activity.ends_at.isoformat(),
                },
                field="starts_at",
            )
        )
    else:
        findings += [
            Finding(
                rule="VOL-HOURS-1",
                code="overlap",
                message=N_("overlaps record {record} ({starts_at} – {ends_at})"),
                params={
                    "record": other.id,
                    "starts_at": other.starts_at.isoformat(),
                    "ends_at": other.ends_at.isoformat(),
                },
                field="starts_at",
            )
            for other in others
            if other.id != record_id
            and other.volunteer_id == volunteer.id
            and other.status is not ServiceRecordStatus.VOIDED
            and overlaps((starts_at, ends_at), (other.starts_at, other.ends_at))
        ]
    findings += gate_findings(volunteer, activity, enrolment, context, now)
    return RuleResult(findings=findings)


def check_confirmation(record: ServiceRecord, *, evidence: int) -> RuleResult:
    """VOL-HOURS-1: the organisation confirms a recorded record once, a voided one never;
    VOL-SELF-1: hours the volunteer declared are confirmed only with `evidence` (files) beside."""
    findings: list[Finding] = []
    if record.status is not ServiceRecordStatus.RECORDED:
        code, message = _NOT_RECORDED[record.status]
        findings.append(Finding(rule="VOL-HOURS-1", code=code, message=message))
    if record.source is ServiceRecordSource.DECLARATION and evidence < 1:
        findings.append(
            Finding(
                rule="VOL-SELF-1",
                code="evidence_required",
                message=N_("declared hours are confirmed only with their evidence attached"),
                field="attachments",
            )
        )
    return RuleResult(findings=findings)


def check_declaration(*, enrolled: bool, ends_at: datetime, now: datetime) -> RuleResult:
    """VOL-SELF-1: a volunteer declares hours already served, in an activity it enrolled in."""
    findings: list[Finding] = []
    if not enrolled:
        findings.append(
            Finding(
                rule="VOL-SELF-1",
                code="not_enrolled",
                message=N_("hours are declared only for an activity one is enrolled in"),
                field="activity_id",
            )
        )
    if ends_at > now:
        findings.append(
            Finding(
                rule="VOL-SELF-1",
                code="not_yet_served",
                message=N_("declared hours are hours already served: they end before now"),
                field="ends_at",
            )
        )
    return RuleResult(findings=findings)


def check_change(record: ServiceRecord, reason: str | None) -> RuleResult:
    """VOL-HOURS-1: a correction or a void says why, and a voided record stays as it is."""
    findings: list[Finding] = []
    if record.status is ServiceRecordStatus.VOIDED:
        findings.append(
            Finding(rule="VOL-HOURS-1", code="voided", message=N_("the record is voided"))
        )
    if not (reason or "").strip():
        findings.append(
            Finding(
                rule="VOL-HOURS-1",
                code="reason_required",
                message=N_("a change gives its reason"),
                field="reason",
            )
        )
    return RuleResult(findings=findings)


def apply_correction(
    record: ServiceRecord,
    *,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    at: datetime,
    by: str,
) -> ServiceRecord:
    """VOL-HOURS-1: new times, the old ones kept as a revision; the record awaits confirmation.

    Decision: a corrected record counts again only once the organisation confirms it.
    """
    revision = ServiceRecordRevision(
        starts_at=record.starts_at,
        ends_at=record.ends_at,
        reason=reason,
        revised_at=at,
        revised_by=by,
    )
    return record.model_copy(
        update={
            "starts_at": starts_at,
            "ends_at": ends_at,
            "status": ServiceRecordStatus.RECORDED,
            "revisions": (*record.revisions, revision),
        }
    )


def record_seconds(record: ServiceRecord) -> int:
    """The length of a record in whole seconds."""
    return int((record.ends_at - record.starts_at).total_seconds())


def hours_from_seconds(seconds: int) -> Decimal:
    """Hours to the hundredth, rounded down so that a total is never overstated (VOL-HONOUR-1)."""
    return (Decimal(seconds) / _HOUR).quantize(_CENT, rounding=ROUND_DOWN)


def confirmed_hours(records: Iterable[ServiceRecord]) -> Decimal:
    """VOL-HOURS-1: the hours of confirmed records only."""
    return hours_from_seconds(
        sum(record_seconds(r) for r in records if r.status is ServiceRecordStatus.CONFIRMED)
    )


def star_level(hours: Decimal, policy: VolunteerPolicy) -> int:
    """VOL-HONOUR-1: stars earned by confirmed hours (100/300/600/1,000/1,500 h by default)."""
    return sum(1 for threshold in policy.star_thresholds_hours if hours >= threshold)


class HoursTotal(BaseModel):
    """VOL-HOURS-1: confirmed hours of one year in one organisation."""

    model_config = ConfigDict(frozen=True)

    year: int
    organization_id: str
    hours: Decimal
    records: int


def hours_totals(records: Iterable[ServiceRecord]) -> list[HoursTotal]:
    """VOL-HOURS-1: confirmed hours by year (of the local start date) and organisation."""
    seconds: dict[tuple[int, str], int] = {}
    counts: dict[tuple[int, str], int] = {}
    for record in records:
        if record.status is not ServiceRecordStatus.CONFIRMED:
            continue
        key = (local_date(record.starts_at).year, record.organization_id)
        seconds[key] = seconds.get(key, 0) + record_seconds(record)
        counts[key] = counts.get(key, 0) + 1
    return [
        HoursTotal(year=y, organization_id=o, hours=hours_from_seconds(s), records=counts[(y, o)])
        for (y, o), s in sorted(seconds.items())
    ]


# --- Certificates (VOL-DUTY-4) ----------------------------------------------------------------

#: Crockford base32: no I, L, O or U, so a number read aloud or retyped is not misread.
CERTIFICATE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CERTIFICATE_PREFIX = "KJZY"
CERTIFICATE_BODY_LENGTH = 10
_CERTIFICATE_TAIL = f"[{CERTIFICATE_ALPHABET}]{{{CERTIFICATE_BODY_LENGTH + 1}}}"
_CERTIFICATE = re.compile(rf"{CERTIFICATE_PREFIX}-([0-9]{{4}})-({_CERTIFICATE_TAIL})", re.ASCII)


def _luhn_sum(text: str, double_first: bool) -> int:
    n = len(CERTIFICATE_ALPHABET)
    total, double = 0, double_first
    for ch in reversed(text):
        addend = CERTIFICATE_ALPHABET.index(ch) * (2 if double else 1)
        total += addend // n + addend % n
        double = not double
    return total


def certificate_check_char(year: int, body: str) -> str:
    """VOL-DUTY-4: the Luhn mod 32 check character over the year and the random body."""
    n = len(CERTIFICATE_ALPHABET)
    return CERTIFICATE_ALPHABET[(n - _luhn_sum(f"{year:04d}{body}", True) % n) % n]


def certificate_number(year: int, body: str) -> str:
    """VOL-DUTY-4: `KJZY-<year>-<10 random base32 characters><check character>`.

    The body comes from the caller's random source, so numbers cannot be guessed in sequence.
    """
    if len(body) != CERTIFICATE_BODY_LENGTH or any(c not in CERTIFICATE_ALPHABET for c in body):
        raise ValueError(f"a body is {CERTIFICATE_BODY_LENGTH} Crockford base32 characters")
    return f"{CERTIFICATE_PREFIX}-{year:04d}-{body}{certificate_check_char(year, body)}"


def is_valid_certificate_number(number: str) -> bool:
    """VOL-DUTY-4: the format and the check character hold (a mistyped number is caught)."""
    match = _CERTIFICATE.fullmatch(number.strip().upper())
    if match is None:
        return False
    year, tail = match.group(1), match.group(2)
    return _luhn_sum(f"{year}{tail}", False) % len(CERTIFICATE_ALPHABET) == 0


def served_between(
    records: Iterable[ServiceRecord], starts_on: date | None, ends_on: date | None
) -> list[ServiceRecord]:
    """VOL-DUTY-4: the records whose local start date lies in `[starts_on, ends_on]` (both days
    included; an open end is no limit), for a certificate of a period."""
    return [
        r
        for r in records
        if (starts_on is None or local_date(r.starts_at) >= starts_on)
        and (ends_on is None or local_date(r.starts_at) <= ends_on)
    ]


def check_certificate(records: Iterable[ServiceRecord]) -> RuleResult:
    """VOL-DUTY-4: a certificate is issued from at least one confirmed record."""
    if any(r.status is ServiceRecordStatus.CONFIRMED for r in records):
        return RuleResult()
    return RuleResult(
        findings=[
            Finding(
                rule="VOL-DUTY-4",
                code="no_confirmed_record",
                message=N_("no confirmed service record to certify"),
            )
        ]
    )


def build_certificate(
    *,
    number: str,
    issued_on: date,
    volunteer_name: str,
    id_number: str,
    organization_name: str,
    person_in_charge: str,
    records: Iterable[ServiceRecord],
    activity_titles: Mapping[str, str],
) -> Certificate:
    """VOL-DUTY-4: the certificate's content from the confirmed records; the ID number masked."""
    confirmed = sorted(
        (r for r in records if r.status is ServiceRecordStatus.CONFIRMED),
        key=lambda r: r.starts_at,
    )
    if not confirmed:
        raise ValueError("VOL-DUTY-4: no confirmed service record to certify")
    entries = tuple(
        CertificateEntry(
            activity_title=activity_titles[r.activity_id],
            served_on=local_date(r.starts_at),
            hours=hours_from_seconds(record_seconds(r)),
        )
        for r in confirmed
    )
    return Certificate(
        number=number,
        issued_on=issued_on,
        volunteer_name=volunteer_name,
        id_number_masked=mask_id_number(id_number),
        organization_name=organization_name,
        person_in_charge=person_in_charge,
        total_hours=confirmed_hours(confirmed),
        entries=entries,
        starts_on=entries[0].served_on,
        ends_on=entries[-1].served_on,
    )


def check_certificate_void(certificate: Certificate, reason: str | None) -> RuleResult:
    """VOL-DUTY-4: a void says why (public verification shows it); a void certificate stays so."""
    findings: list[Finding] = []
    if certificate.status is CertificateStatus.VOID:
        findings.append(
            Finding(
                rule="VOL-DUTY-4",
                code="already_void",
                message=N_("the certificate is already void"),
            )
        )
    if not (reason or "").strip():
        findings.append(
            Finding(
                rule="VOL-DUTY-4",
                code="reason_required",
                message=N_("a void gives its reason"),
                field="reason",
            )
        )
    return RuleResult(findings=findings)


def public_certificate(certificate: Certificate) -> PublicCertificate:
    """VOL-DUTY-4, VOL-DUTY-1: what public verification shows: masked name, hours, issuer, date."""
    return PublicCertificate(
        number=certificate.number,
        volunteer_name_masked=mask_name(certificate.volunteer_name),
        total_hours=certificate.total_hours,
        organization_name=certificate.organization_name,
        issued_on=certificate.issued_on,
        starts_on=certificate.starts_on,
        ends_on=certificate.ends_on,
        status=certificate.status,
        void_reason=certificate.void_reason,
    )
