"""Service records and certificates: recording, declaring (with evidence), confirming,
correcting and voiding hours; issuing, voiding and publicly verifying certificates
(VOL-HOURS-1, VOL-SELF-1, VOL-DUTY-3, VOL-DUTY-4)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from app.domain.access import Principal, Role
from app.domain.common import Finding, local_date
from app.domain.files import ARCHIVE_KINDS
from app.domain.messages import N_
from app.domain.notifications import NoticeKind
from app.domain.volunteers import PublicCertificate, ServiceRecordSource, ServiceRecordStatus
from app.errors import NotFound, RuleViolation
from app.i18n import _
from app.repositories import attachments, users
from app.repositories import volunteers as volunteer_repo
from app.repositories import volunteers_activities as activities
from app.repositories import volunteers_orgs as orgs
from app.repositories import volunteers_records as repo
from app.repositories.attachments import OwnerType
from app.repositories.scope import find_or_404, get_in_scope
from app.rules.volunteers_hours import (
    CERTIFICATE_ALPHABET,
    CERTIFICATE_BODY_LENGTH,
    apply_correction,
    build_certificate,
    certificate_number,
    check_certificate,
    check_certificate_void,
    check_change,
    check_confirmation,
    check_declaration,
    check_service_record,
    hours_from_seconds,
    is_valid_certificate_number,
    public_certificate,
    record_seconds,
    served_between,
)
from app.services.attachments import Owner
from app.services.notifications import notify
from app.services.volunteers_activities import enrolment_context

#: VOL-SELF-1: why the evidence of a record no longer changes, by the record's status.
_EVIDENCE_CLOSED: dict[str, str] = {
    ServiceRecordStatus.CONFIRMED.value: N_(
        "evidence changes only while the record awaits confirmation; it is confirmed"
    ),
    ServiceRecordStatus.VOIDED.value: N_(
        "evidence changes only while the record awaits confirmation; it is voided"
    ),
}


def _hours_findings(
    session: Session,
    *,
    enrolment: activities.EnrolmentRow,
    activity: activities.ActivityRow,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    record_id: str | None,
) -> list[Finding]:
    """VOL-HOURS-1, VOL-DUTY-3: every rule the times break. The volunteer row is locked so two
    concurrent records of one volunteer cannot both pass the overlap check."""
    volunteer = find_or_404(session, volunteer_repo.VolunteerRow, enrolment.volunteer_id, lock=True)
    result = check_service_record(
        volunteer=volunteer.to_domain(),
        activity=activity.to_domain(),
        enrolment=enrolment.to_domain(),
        starts_at=starts_at,
        ends_at=ends_at,
        others=[r.to_domain() for r in repo.records_of(session, volunteer.id)],
        context=enrolment_context(session, volunteer.id, today=local_date(now), confirmed=0),
        now=now,
        record_id=record_id,
    )
    return list(result.errors)


def _refuse(findings: list[Finding]) -> None:
    """409 with every unmet rule, if any."""
    if findings:
        raise RuleViolation(findings, status=409)


def create_record(
    *,
    session: Session,
    principal: Principal,
    enrolment_id: str,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
) -> repo.ServiceRecordRow:
    """VOL-HOURS-1: hours inside the activity, without overlap, under a confirmed enrolment of an
    organisation the caller administers; refused for the gate's reasons too (VOL-DUTY-3)."""
    enrolment = get_in_scope(session, principal, activities.EnrolmentRow, enrolment_id)
    activity = activities.get_activity(session, enrolment.activity_id)
    return record_hours(
        session,
        enrolment=enrolment,
        activity=activity,
        starts_at=starts_at,
        ends_at=ends_at,
        now=now,
        by=principal.user_id,
        source=ServiceRecordSource.STAFF,
    )


def record_hours(
    session: Session,
    *,
    enrolment: activities.EnrolmentRow,
    activity: activities.ActivityRow,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    by: str | None,
    source: ServiceRecordSource,
) -> repo.ServiceRecordRow:
    """VOL-HOURS-1, VOL-DUTY-3: a record of typed or checked times (VOL-CHECKIN-1), refused
    (409) for every unmet rule."""
    _refuse(
        _hours_findings(
            session,
            enrolment=enrolment,
            activity=activity,
            starts_at=starts_at,
            ends_at=ends_at,
            now=now,
            record_id=None,
        )
    )
    return repo.add_record(
        session,
        enrolment=enrolment,
        activity=activity,
        starts_at=starts_at,
        ends_at=ends_at,
        by=by,
        source=source,
    )


def declare_hours(
    *,
    session: Session,
    principal: Principal,
    activity_id: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str,
    now: datetime,
) -> repo.ServiceRecordRow:
    """VOL-SELF-1: the calling volunteer declares hours it served in an activity it enrolled
    in; the record awaits its organisation's confirmation, which needs evidence attached. Every
    rule an administrator's record meets applies too (VOL-HOURS-1, VOL-DUTY-3); 409 lists them
    all."""
    volunteer_id = principal.volunteer_id or ""
    activity = activities.get_activity(session, activity_id)
    enrolment = activities.find_enrolment(session, activity.id, volunteer_id)
    findings = list(
        check_declaration(enrolled=enrolment is not None, ends_at=ends_at, now=now).errors
    )
    if enrolment is None:  # the times are judged against an enrolment only
        raise RuleViolation(findings, status=409)
    findings += _hours_findings(
        session,
        enrolment=enrolment,
        activity=activity,
        starts_at=starts_at,
        ends_at=ends_at,
        now=now,
        record_id=None,
    )
    _refuse(findings)
    return repo.add_record(
        session,
        enrolment=enrolment,
        activity=activity,
        starts_at=starts_at,
        ends_at=ends_at,
        by=principal.user_id,
        source=ServiceRecordSource.DECLARATION,
        description=description.strip(),
    )


def evidence_owner(
    session: Session, principal: Principal, record_id: str, *, writing: bool
) -> Owner:
    """VOL-SELF-1: the files of a record in scope; to write, while it awaits confirmation, and a
    volunteer only on the hours it declared itself (409 otherwise)."""
    row = repo.get_record(session, principal, record_id)
    if writing:
        findings: list[Finding] = []
        if row.status != ServiceRecordStatus.RECORDED.value:
            findings.append(
                Finding(
                    rule="VOL-SELF-1",
                    code="not_awaiting_confirmation",
                    message=_EVIDENCE_CLOSED[row.status],
                )
            )
        if principal.role is Role.VOLUNTEER and row.source != ServiceRecordSource.DECLARATION:
            findings.append(
                Finding(
                    rule="VOL-SELF-1",
                    code="not_own_declaration",
                    message=N_("a volunteer attaches evidence to the hours it declared itself"),
                )
            )
        _refuse(findings)
    url = f"/api/v1/service-records/{row.id}/attachments"
    return Owner(
        OwnerType.SERVICE_RECORD,
        row.id,
        None,
        row.county_code,
        url,
        ARCHIVE_KINDS,
        org_path=row.org_path,
    )


def evidence_counts(session: Session, record_ids: Iterable[str]) -> dict[str, int]:
    """How many files each record carries as evidence, in one query (VOL-SELF-1)."""
    return attachments.counts(session, OwnerType.SERVICE_RECORD, record_ids)


def confirm_record(
    *, session: Session, principal: Principal, record_id: str, now: datetime
) -> repo.ServiceRecordRow:
    """VOL-HOURS-1: the organisation confirms a recorded record; only confirmed records count."""
    row = repo.get_record(session, principal, record_id, lock=True)
    evidence = evidence_counts(session, [row.id]).get(row.id, 0)
    result = check_confirmation(row.to_domain(), evidence=evidence)
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    repo.confirm_record(session, row, by=principal.user_id, at=now)
    _tell_volunteer(session, row, NoticeKind.HOURS_CONFIRMED, now=now)
    return row


@dataclass(frozen=True)
class Confirmations:
    """A batch confirmation: the records confirmed, and each refused one with every reason."""

    confirmed: list[repo.ServiceRecordRow]
    refused: list[tuple[str, list[Finding]]]


def confirm_records(
    *, session: Session, principal: Principal, record_ids: Sequence[str], now: datetime
) -> Confirmations:
    """VOL-HOURS-1: confirm many records at once (a roster after an activity); each refused
    one is answered with its reasons and the others are confirmed."""
    confirmed: list[repo.ServiceRecordRow] = []
    refused: list[tuple[str, list[Finding]]] = []
    wanted = list(dict.fromkeys(record_ids))
    evidence = evidence_counts(session, wanted)
    for record_id in wanted:
        try:
            row = repo.get_record(session, principal, record_id, lock=True)
        except NotFound:
            missing = Finding(
                rule="VOL-HOURS-1",
                code="not_found",
                field="service_record_id",
                message=N_("no such record in scope"),
            )
            refused.append((record_id, [missing]))
            continue
        result = check_confirmation(row.to_domain(), evidence=evidence.get(row.id, 0))
        if not result.ok:
            refused.append((record_id, list(result.errors)))
            continue
        repo.confirm_record(session, row, by=principal.user_id, at=now)
        _tell_volunteer(session, row, NoticeKind.HOURS_CONFIRMED, now=now)
        confirmed.append(row)
    return Confirmations(confirmed=confirmed, refused=refused)


def correct_record(
    *,
    session: Session,
    principal: Principal,
    record_id: str,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    now: datetime,
) -> repo.ServiceRecordRow:
    """VOL-HOURS-1: new times with a reason, the old ones kept; the record awaits confirmation
    again, and the enrolment must still be confirmed."""
    row = repo.get_record(session, principal, record_id, lock=True)
    result = check_change(row.to_domain(), reason)
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    enrolment = find_or_404(session, activities.EnrolmentRow, row.enrolment_id)
    _refuse(
        _hours_findings(
            session,
            enrolment=enrolment,
            activity=activities.get_activity(session, row.activity_id),
            starts_at=starts_at,
            ends_at=ends_at,
            now=now,
            record_id=row.id,
        )
    )
    corrected = apply_correction(
        row.to_domain(),
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip(),
        at=now,
        by=principal.user_id,
    )
    repo.revise_record(session, row, corrected)
    return row


def void_record(
    *, session: Session, principal: Principal, record_id: str, reason: str, now: datetime
) -> repo.ServiceRecordRow:
    """VOL-HOURS-1: a voided record never counts again; the reason is kept, and the volunteer
    told (PLAT-NOTIFY-1)."""
    row = repo.get_record(session, principal, record_id, lock=True)
    result = check_change(row.to_domain(), reason)
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    repo.void_record(session, row, reason=reason.strip())
    _tell_volunteer(session, row, NoticeKind.HOURS_REJECTED, now=now)
    return row


def _tell_volunteer(
    session: Session, row: repo.ServiceRecordRow, kind: NoticeKind, *, now: datetime
) -> None:
    """PLAT-NOTIFY-1: the volunteer hears that its hours were confirmed or voided."""
    domain = row.to_domain()
    notify(
        session,
        user_ids=users.active_user_ids(session, volunteer_ids=[row.volunteer_id]),
        kind=kind,
        variables={
            "activity_title": activities.get_activity(session, row.activity_id).title,
            "hours": f"{float(hours_from_seconds(record_seconds(domain))):g}",
            "reason": row.void_reason or "",
        },
        resource_path=f"/api/v1/service-records/{row.id}",
        dedupe_key=f"{kind.value}:{row.id}:{row.version}",
        now=now,
    )


def issue_certificate(
    *,
    session: Session,
    principal: Principal,
    volunteer_id: str,
    organization_id: str,
    starts_on: date | None,
    ends_on: date | None,
    now: datetime,
) -> repo.CertificateRow:
    """VOL-DUTY-4: a certificate from the volunteer's confirmed records in the organisation and
    its sub-organisations whose local start date lies in `[starts_on, ends_on]`."""
    volunteer = volunteer_repo.get_volunteer(session, principal, volunteer_id)
    org = orgs.get_managed_org(session, principal, organization_id)
    org_ids = [o.id for o in orgs.subtree(session, org)]
    records = served_between(
        [r.to_domain() for r in repo.records_of(session, volunteer_id, organization_ids=org_ids)],
        starts_on,
        ends_on,
    )
    result = check_certificate(records)
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    today = local_date(now)
    body = "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(CERTIFICATE_BODY_LENGTH))
    certificate = build_certificate(
        number=certificate_number(today.year, body),
        issued_on=today,
        volunteer_name=volunteer.name,
        id_number=volunteer.id_number,
        organization_name=org.name,
        person_in_charge=org.person_in_charge,
        records=records,
        activity_titles=activities.activity_titles(session, {r.activity_id for r in records}),
    )
    return repo.add_certificate(
        session, certificate=certificate, volunteer_id=volunteer.id, org=org
    )


def void_certificate(
    *, session: Session, principal: Principal, certificate_id: str, reason: str, now: datetime
) -> repo.CertificateRow:
    """VOL-DUTY-4: public verification then says the certificate is void, and why."""
    row = repo.get_certificate(session, principal, certificate_id, lock=True)
    result = check_certificate_void(row.to_domain(), reason)
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    repo.void_certificate(session, row, reason=reason.strip(), at=now)
    return row


def verify_certificate(*, session: Session, number: str) -> PublicCertificate:
    """VOL-DUTY-4: what anyone holding the number sees: masked name, hours, issuer, date and
    status; a malformed number is not even looked up."""
    normalised = number.strip().upper()
    row = (
        repo.find_certificate(session, normalised) if is_valid_certificate_number(number) else None
    )
    if row is None:
        raise NotFound(_("no certificate has this number"))
    return public_certificate(row.to_domain())
