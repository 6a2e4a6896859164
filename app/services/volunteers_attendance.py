"""On-site attendance (VOL-CHECKIN-1): the code on the captain's screen, check-in and check-out
by the volunteer, closing what was never checked out, and the roster of an activity.

Every refused attempt is kept for anti-fraud review, in its own commit, before the refusal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from app.domain.access import Principal
from app.domain.common import Finding, local_date
from app.domain.messages import N_
from app.domain.personal import mask_name
from app.domain.volunteers import (
    AttendanceFlag,
    EnrolmentStatus,
    Geofence,
    GeofencePolicy,
    ServiceRecordSource,
)
from app.errors import Forbidden, RuleViolation
from app.i18n import _
from app.repositories import volunteers as volunteer_repo
from app.repositories import volunteers_activities as activities
from app.repositories import volunteers_attendance as repo
from app.repositories import volunteers_records as records
from app.repositories.base import PageRequest, PageResult
from app.repositories.scope import find_or_404
from app.rules.volunteers_checkin import (
    DEFAULT_CHECKIN_POLICY,
    RULE,
    attendance_window,
    check_scan,
    current_code,
    inside_geofence,
    served_period,
)
from app.rules.volunteers_enrolment import gate_findings
from app.security import personal
from app.services.volunteers_activities import enrolment_context
from app.services.volunteers_records import record_hours

POLICY = DEFAULT_CHECKIN_POLICY


def _secret(activity_id: str) -> bytes:
    return personal.ring().derive("check-in", activity_id)


@dataclass(frozen=True)
class IssuedCode:
    """The code on the captain's screen, until when it is shown, and what its QR encodes."""

    code: str
    valid_until: datetime
    payload: str


def issue_code(
    *, session: Session, principal: Principal, activity_id: str, now: datetime
) -> IssuedCode:
    """VOL-CHECKIN-1: the current code of an activity the caller runs, inside its window."""
    activity = activities.get_managed_activity(session, principal, activity_id)
    opens, closes = attendance_window(activity.starts_at, activity.ends_at, POLICY)
    if not opens <= now <= closes:
        outside = Finding(
            rule=RULE,
            code="outside_window",
            field="at",
            message=N_("attendance is taken from {opens} to {closes}"),
            params={"opens": opens.isoformat(), "closes": closes.isoformat()},
        )
        raise RuleViolation([outside], status=409)
    code, until = current_code(_secret(activity.id), now, POLICY)
    return IssuedCode(code=code, valid_until=until, payload=f"kepu-checkin:{activity.id}:{code}")


def _fence(
    activity: activities.ActivityRow, position: tuple[float, float] | None
) -> tuple[list[Finding], list[str]]:
    """VOL-CHECKIN-1: outside the activity's geofence, or with no position where it has one, an
    attempt is refused (and kept for review like every refusal) or, under the `flag` policy,
    accepted and flagged `outside_geofence`. Returns the refusals and the flags."""
    if activity.geofence is None:
        return [], []
    fence = Geofence.model_validate(activity.geofence)
    if position is None:
        refusal = Finding(
            rule=RULE,
            code="position_required",
            field="position",
            message=N_("this activity takes attendance only with the position"),
        )
    elif not inside_geofence(fence.centre, fence.radius_m, position):
        refusal = Finding(
            rule=RULE,
            code="outside_geofence",
            field="position",
            message=N_("the position is more than {radius} m from the activity"),
            params={"radius": fence.radius_m},
        )
    else:
        return [], []
    if fence.outside is GeofencePolicy.FLAG:
        return [], [AttendanceFlag.OUTSIDE_GEOFENCE.value]
    return [refusal], []


def _scan(
    activity: activities.ActivityRow, code: str, now: datetime, *, checking_out: bool
) -> list[Finding]:
    result = check_scan(
        secret=_secret(activity.id),
        code=code,
        at=now,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        checking_out=checking_out,
        policy=POLICY,
    )
    return list(result.errors)


def _refused(
    session: Session,
    *,
    activity: activities.ActivityRow,
    volunteer_id: str,
    action: str,
    findings: Sequence[Finding],
    source: str | None,
) -> RuleViolation:
    repo.add_refusal(
        session,
        activity=activity,
        volunteer_id=volunteer_id,
        action=action,
        rules=[f.rule for f in findings],
        source=source,
    )
    # Kept although the request is refused: the attempt is what the review looks at.
    session.commit()
    return RuleViolation(list(findings), status=409)


def _volunteer_id(principal: Principal) -> str:
    if principal.volunteer_id is None:
        raise Forbidden(_("only a volunteer checks in and out"))
    return principal.volunteer_id


def check_in(
    *,
    session: Session,
    principal: Principal,
    activity_id: str,
    code: str,
    position: tuple[float, float] | None,
    now: datetime,
    source: str | None,
) -> repo.AttendanceRow:
    """VOL-CHECKIN-1, VOL-DUTY-2/3, VOL-EXIT-1: the calling volunteer checks in with the code on
    screen, under a confirmed enrolment and the enrolment gate; 409 lists every unmet rule. A
    repeated check-in answers the first."""
    volunteer_id = _volunteer_id(principal)
    activity = activities.get_activity(session, activity_id)
    # The volunteer row is locked so two check-ins of one volunteer cannot both pass.
    volunteer = find_or_404(session, volunteer_repo.VolunteerRow, volunteer_id, lock=True)
    existing = repo.attendance_of(session, activity.id, volunteer_id)
    if existing is not None:
        return existing
    findings = _scan(activity, code, now, checking_out=False)
    enrolment = activities.find_enrolment(session, activity.id, volunteer_id)
    if enrolment is None or enrolment.status != EnrolmentStatus.CONFIRMED.value:
        findings.append(
            Finding(
                rule=RULE,
                code="enrolment_not_confirmed",
                field="enrolment",
                message=N_("no confirmed enrolment of yours in this activity"),
            )
        )
    else:
        context = enrolment_context(session, volunteer_id, today=local_date(now), confirmed=0)
        findings += gate_findings(
            volunteer.to_domain(), activity.to_domain(), enrolment.to_domain(), context, now
        )
    fenced, flags = _fence(activity, position)
    findings += fenced
    if findings or enrolment is None:
        raise _refused(
            session,
            activity=activity,
            volunteer_id=volunteer_id,
            action="check-in",
            findings=findings,
            source=source,
        )
    return repo.check_in(
        session, activity=activity, enrolment=enrolment, at=now, position=position, flags=flags
    )


def check_out(
    *,
    session: Session,
    principal: Principal,
    activity_id: str,
    code: str,
    position: tuple[float, float] | None,
    now: datetime,
    source: str | None,
) -> repo.AttendanceRow:
    """VOL-CHECKIN-1, VOL-HOURS-1: the calling volunteer checks out with the code on screen; the
    time between, clamped to the activity, becomes a `recorded` service record still to be
    confirmed. A check-out without a check-in is refused; a repeated one answers the first."""
    volunteer_id = _volunteer_id(principal)
    activity = activities.get_activity(session, activity_id)
    row = repo.attendance_of(session, activity.id, volunteer_id, lock=True)
    if row is not None and row.service_record_id is not None:
        return row
    findings = _scan(activity, code, now, checking_out=True)
    if row is None:
        findings.append(
            Finding(
                rule=RULE,
                code="no_check_in",
                field="check_in",
                message=N_("no check-in to end"),
            )
        )
    fenced, flags = _fence(activity, position)
    findings += fenced
    if findings or row is None:
        raise _refused(
            session,
            activity=activity,
            volunteer_id=volunteer_id,
            action="check-out",
            findings=findings,
            source=source,
        )
    return _close(session, activity, row, at=now, position=position, flags=flags, by=principal)


def _close(
    session: Session,
    activity: activities.ActivityRow,
    row: repo.AttendanceRow,
    *,
    at: datetime | None,
    position: tuple[float, float] | None,
    flags: list[str],
    by: Principal | None,
) -> repo.AttendanceRow:
    starts_at, ends_at = served_period(row.checked_in_at, at, activity.starts_at, activity.ends_at)
    enrolment = find_or_404(session, activities.EnrolmentRow, row.enrolment_id)
    record = record_hours(
        session,
        enrolment=enrolment,
        activity=activity,
        starts_at=starts_at,
        ends_at=ends_at,
        now=at or activity.ends_at,
        by=by.user_id if by is not None else None,
        source=ServiceRecordSource.ATTENDANCE,
    )
    return repo.check_out(
        session,
        row,
        at=at or activity.ends_at,
        position=position,
        flags=flags,
        service_record_id=record.id,
    )


def close_missing(
    *, session: Session, principal: Principal, activity_id: str, now: datetime
) -> list[repo.AttendanceRow]:
    """VOL-CHECKIN-1: after an activity, every check-in without a check-out is closed at the
    activity's end and flagged `no_check_out`; one that cannot become a record (VOL-HOURS-1, the
    gate) stays open, flagged `not_recorded`, for the organisation to look at."""
    activity = activities.get_managed_activity(session, principal, activity_id)
    if now <= activity.ends_at:
        running = Finding(
            rule=RULE,
            code="activity_not_ended",
            field="at",
            message=N_("the activity ends at {ends_at}"),
            params={"ends_at": activity.ends_at.isoformat()},
        )
        raise RuleViolation([running], status=409)
    return _close_open(session, activity, repo.open_attendance(session, activity.id), by=principal)


def close_ended(*, session: Session, now: datetime) -> tuple[int, int]:
    """VOL-CHECKIN-1, run by the service itself (`python -m app close-attendance`): once the
    check-out window of an activity has closed, its check-ins without a check-out are closed as
    `close_missing` closes them. One already flagged `not_recorded` waits for the organisation.
    Returns how many were closed and how many stay open."""
    closed = left = 0
    ended_before = now - timedelta(minutes=POLICY.closes_after_minutes)
    for activity in repo.activities_left_open(session, ended_before=ended_before):
        waiting = [
            r
            for r in repo.open_attendance(session, activity.id)
            if AttendanceFlag.NOT_RECORDED.value not in r.flags
        ]
        done = _close_open(session, activity, waiting, by=None)
        closed += len(done)
        left += len(waiting) - len(done)
    return closed, left


def _close_open(
    session: Session,
    activity: activities.ActivityRow,
    rows: list[repo.AttendanceRow],
    *,
    by: Principal | None,
) -> list[repo.AttendanceRow]:
    closed = []
    for row in rows:
        try:
            # record_hours judges before it writes: a refusal leaves nothing half-written.
            closed.append(
                _close(
                    session,
                    activity,
                    row,
                    at=None,
                    position=None,
                    flags=[AttendanceFlag.NO_CHECK_OUT.value],
                    by=by,
                )
            )
        except RuleViolation:
            repo.flag(session, row, AttendanceFlag.NOT_RECORDED.value)
    return closed


def refusals(
    *, session: Session, principal: Principal, activity_id: str, page: PageRequest
) -> PageResult[repo.AttendanceRefusalRow]:
    """VOL-CHECKIN-1: the refused attempts at an activity the caller runs, for review."""
    activity = activities.get_managed_activity(session, principal, activity_id)
    return repo.refusals(session, activity.id, page)


@dataclass(frozen=True)
class RosterLine:
    """One enrolment of an activity with its attendance and hours (VOL-CHECKIN-1)."""

    enrolment: activities.EnrolmentRow
    masked_name: str
    attendance: repo.AttendanceRow | None
    record: records.ServiceRecordRow | None


def roster(
    *, session: Session, principal: Principal, activity_id: str, page: PageRequest
) -> PageResult[RosterLine]:
    """A page of an activity's enrolments, each with the volunteer's masked name, attendance,
    service record and flags, in four queries whatever the page size."""
    activity = activities.get_managed_activity(session, principal, activity_id)
    result = activities.list_enrolments(
        session, principal, page=page, activity_id=activity.id, volunteer_id=None, status=None
    )
    volunteer_ids = [e.volunteer_id for e in result.items]
    names = volunteer_repo.names_of(session, volunteer_ids)
    attended = repo.attendance_by_volunteer(session, activity.id)
    record_ids = [a.service_record_id for a in attended.values() if a.service_record_id]
    kept = records.records_by_id(session, record_ids)
    lines = [
        RosterLine(
            enrolment=e,
            masked_name=mask_name(names.get(e.volunteer_id, "")),
            attendance=attended.get(e.volunteer_id),
            record=kept.get(attended[e.volunteer_id].service_record_id or "")
            if e.volunteer_id in attended
            else None,
        )
        for e in result.items
    ]
    return PageResult(items=lines, next_cursor=result.next_cursor, total=result.total)
