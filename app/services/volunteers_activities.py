"""Activities, enrolments through the gate, and accident insurance (VOL-SCOPE-1, VOL-DUTY-2,
VOL-DUTY-3, VOL-ELIG-2, VOL-EXIT-1, VOL-RIGHT-1)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from app.domain.access import Principal, Role
from app.domain.common import SHANGHAI, local_date
from app.domain.notifications import NoticeKind
from app.domain.volunteers import Activity, EnrolmentContext, EnrolmentStatus
from app.errors import Conflict, Forbidden, InvalidInput, RuleViolation
from app.i18n import _
from app.repositories import users
from app.repositories import volunteers as volunteer_repo
from app.repositories import volunteers_activities as repo
from app.repositories import volunteers_orgs as orgs
from app.repositories.regions import require_region
from app.repositories.scope import find_or_404
from app.rules.volunteers_enrolment import (
    can_confirm,
    check_activity,
    check_capacity,
    check_risk_acknowledgement,
    check_withdrawal,
)
from app.services.notifications import notify


def _checked(session: Session, values: Mapping[str, Any], activity_id: str, org_id: str) -> None:
    """VOL-DUTY-2, VOL-DUTY-3, VOL-SCOPE-1: the activity as a whole; a model error is a 422
    naming the field, a rule error a violation listing every unmet rule."""
    if values.get("region_code") is not None:
        require_region(session, values["region_code"], field="region_code")
    fields = {k: v for k, v in values.items() if k in Activity.model_fields}
    try:
        activity = Activity.model_validate(fields | {"id": activity_id, "organization_id": org_id})
    except ValidationError as exc:
        # The model's own checks (end after start, ages in order) have no location: the end.
        errors = [{**e, "loc": e["loc"] or ("ends_at",)} for e in exc.errors()]
        raise InvalidInput.of(errors) from exc
    result = check_activity(activity)
    if not result.ok:
        raise RuleViolation(result.errors)


def create_activity(
    *, session: Session, principal: Principal, organization_id: str, values: Mapping[str, Any]
) -> repo.ActivityRow:
    """VOL-SCOPE-1, VOL-DUTY-2/3: a new activity of an organisation the caller administers; a
    dangerous one discloses its risks before anyone enrols."""
    org = orgs.get_managed_org(session, principal, organization_id)
    _checked(session, values, "new", org.id)
    return repo.add_activity(session, org, values)


def update_activity(
    *, session: Session, activity: repo.ActivityRow, changes: Mapping[str, Any]
) -> repo.ActivityRow:
    """The locked activity checked again as a whole; its capacity never below the enrolments
    already confirmed."""
    current = {f: getattr(activity, f) for f in Activity.model_fields if hasattr(activity, f)}
    _checked(session, current | dict(changes), activity.id, activity.organization_id)
    capacity = check_capacity(
        changes.get("capacity", activity.capacity),
        repo.confirmed_count(session, activity.id, besides=""),
    )
    if not capacity.ok:
        raise RuleViolation(capacity.errors, status=409)
    repo.update_activity(session, activity, changes)
    return activity


def _volunteer_for(session: Session, principal: Principal, volunteer_id: str | None) -> str:
    """Who enrols: a volunteer only itself; an administrator names a volunteer in its scope."""
    if principal.role is Role.VOLUNTEER:
        if volunteer_id not in (None, principal.volunteer_id) or principal.volunteer_id is None:
            raise Forbidden(_("a volunteer enrols only itself"))
        return principal.volunteer_id
    if volunteer_id is None:
        raise InvalidInput.one("volunteer_id", _("name the volunteer to enrol"), "required")
    return volunteer_repo.get_volunteer(session, principal, volunteer_id).id


def enrol(
    *,
    session: Session,
    principal: Principal,
    activity_id: str,
    volunteer_id: str | None,
    now: datetime,
) -> repo.EnrolmentRow:
    """A pending enrolment in an activity that has not ended; the organisation confirms it
    through the gate. An administrator enrols only in its own organisations' activities."""
    if principal.role is Role.VOLUNTEER:
        activity = repo.get_activity(session, activity_id)
    else:
        activity = repo.get_managed_activity(session, principal, activity_id)
    volunteer = _volunteer_for(session, principal, volunteer_id)
    if now >= activity.ends_at:
        raise Conflict(_("the activity has ended"))
    if repo.find_enrolment(session, activity_id, volunteer) is not None:
        raise Conflict(_("already enrolled in this activity"))
    return repo.add_enrolment(session, activity, volunteer)


def acknowledge_risk(
    *, session: Session, principal: Principal, activity_id: str, enrolment_id: str, now: datetime
) -> repo.EnrolmentRow:
    """VOL-DUTY-3: the volunteer itself states it was informed of the activity's risks."""
    row = repo.get_enrolment(session, principal, activity_id, enrolment_id)
    result = check_risk_acknowledgement(row.to_domain())
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    repo.save_enrolment(session, row, {"risk_acknowledged_at": now})
    return row


def enrolment_context(
    session: Session, volunteer_id: str, *, today: date, confirmed: int
) -> EnrolmentContext:
    """What the gate reads besides the volunteer, the activity and the enrolment."""
    return EnrolmentContext(
        memberships=tuple(
            m.to_domain() for m in volunteer_repo.memberships_of(session, [volunteer_id])
        ),
        insurance=repo.insurance_for(session, volunteer_id),
        confirmed_count=confirmed,
        policy=volunteer_repo.policy_on(today),
    )


def confirm_enrolment(
    *, session: Session, principal: Principal, activity_id: str, enrolment_id: str, now: datetime
) -> repo.EnrolmentRow:
    """VOL-EXIT-1, VOL-ELIG-2, VOL-DUTY-2, VOL-DUTY-3 and capacity: 409 lists every unmet rule.

    The activity row is locked first, so concurrent confirmations never exceed its capacity;
    an enrolment in the caller's scope is one of the organisations it administers."""
    activity = repo.get_activity(session, activity_id, lock=True)
    row = repo.get_enrolment(session, principal, activity_id, enrolment_id)
    if row.status == EnrolmentStatus.CONFIRMED:
        return row
    volunteer = find_or_404(session, volunteer_repo.VolunteerRow, row.volunteer_id)
    context = enrolment_context(
        session,
        volunteer.id,
        today=local_date(now),
        confirmed=repo.confirmed_count(session, activity_id, besides=row.id),
    )
    result = can_confirm(volunteer.to_domain(), activity.to_domain(), row.to_domain(), context, now)
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    repo.save_enrolment(
        session,
        row,
        {
            "status": EnrolmentStatus.CONFIRMED.value,
            "confirmed_at": now,
            "confirmed_by": principal.user_id,
        },
    )
    notify(
        session,
        user_ids=users.active_user_ids(session, volunteer_ids=[row.volunteer_id]),
        kind=NoticeKind.ENROLMENT_CONFIRMED,
        variables={
            "activity_title": activity.title,
            "starts_at": f"{activity.starts_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}",
        },
        resource_path=f"/api/v1/activities/{activity.id}/enrolments/{row.id}",
        dedupe_key=f"enrolment_confirmed:{row.id}",
        now=now,
    )
    return row


def withdraw(
    *,
    session: Session,
    principal: Principal,
    activity_id: str,
    enrolment_id: str,
    reason: str,
    now: datetime,
) -> repo.EnrolmentRow:
    """VOL-RIGHT-1: when and why; notice under the policy's hours before the start is marked
    late."""
    row = repo.get_enrolment(session, principal, activity_id, enrolment_id)
    activity = repo.get_activity(session, activity_id)
    result = check_withdrawal(
        row.to_domain(),
        activity.to_domain(),
        reason,
        now,
        volunteer_repo.policy_on(local_date(now)),
    )
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    repo.save_enrolment(
        session,
        row,
        {
            "status": EnrolmentStatus.WITHDRAWN.value,
            "withdrawn_at": now,
            "withdrawal_reason": reason.strip(),
            "late_notice": bool(result.findings),
        },
    )
    return row


def _check_insured(session: Session, volunteer_ids: Sequence[str], field: str) -> None:
    unknown = repo.unknown_volunteers(session, volunteer_ids)
    for index, volunteer_id in enumerate(volunteer_ids):
        if volunteer_id in unknown:
            raise InvalidInput.one(f"{field}[{index}]", _("unknown volunteer"), "unknown")


def create_policy(
    *,
    session: Session,
    principal: Principal,
    organization_id: str,
    insurer: str,
    number: str,
    starts_on: date,
    ends_on: date,
    activity_id: str | None,
    insured_volunteer_ids: Sequence[str],
) -> repo.InsuranceRow:
    """VOL-DUTY-3: a policy of an organisation the caller administers; its dates are inclusive,
    and one tied to an activity covers only that activity."""
    org = orgs.get_managed_org(session, principal, organization_id)
    if ends_on < starts_on:
        raise InvalidInput.one("ends_on", _("must not be before starts_on"), "order")
    if activity_id is not None:
        repo.get_activity(session, activity_id)
    _check_insured(session, insured_volunteer_ids, "insured_volunteer_ids")
    row = repo.add_policy(
        session,
        org,
        insurer=insurer,
        number=number,
        starts_on=starts_on,
        ends_on=ends_on,
        activity_id=activity_id,
    )
    repo.insure(session, row, insured_volunteer_ids)
    return row


def add_insured(
    *, session: Session, principal: Principal, policy_id: str, volunteer_ids: Sequence[str]
) -> repo.InsuranceRow:
    """VOL-DUTY-3: more volunteers insured by a policy; those already insured stay as they are."""
    row = repo.get_policy(session, principal, policy_id)
    _check_insured(session, volunteer_ids, "volunteer_ids")
    repo.insure(session, row, volunteer_ids)
    return row
