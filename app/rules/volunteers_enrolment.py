"""Activities and the enrolment gate.

VOL-EXIT-1, VOL-ELIG-2, VOL-DUTY-2, VOL-DUTY-3 (the gate), VOL-RIGHT-1 (withdrawal),
VOL-SCOPE-1 (activities).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.domain.common import Finding, Observance, RuleResult, Severity, local_date
from app.domain.messages import N_
from app.domain.volunteers import (
    OBSERVANCE_FIXED_DAYS,
    Activity,
    Enrolment,
    EnrolmentContext,
    EnrolmentStatus,
    InsurancePolicy,
    MembershipStatus,
    RiskLevel,
    ServiceScope,
    Volunteer,
    VolunteerPolicy,
)
from app.rules.volunteers_eligibility import age_on

#: Not a rule of the measures: an activity's own limit on confirmed enrolments.
CAPACITY_RULE = "VOL-CAPACITY"
_LAST_INSTANT = timedelta(microseconds=1)
#: VOL-SCOPE-1: what an activity off its observance's fixed day is told, by the observance.
_OFF_DAY: dict[Observance, str] = {
    Observance.LEI_FENG_DAY: N_("Lei Feng Day falls on 5 March, outside the activity's dates"),
    Observance.SCIENCE_WORKERS_DAY: N_(
        "Science and Technology Workers' Day falls on 30 May, outside the activity's dates"
    ),
    Observance.VOLUNTEER_DAY: N_(
        "International Volunteer Day falls on 5 December, outside the activity's dates"
    ),
}
#: How many uncovered days a finding names before it only counts the rest.
_SHOWN_DAYS = 5


def activity_days(activity: Activity) -> list[date]:
    """The calendar days (Asia/Shanghai) the activity touches; its end instant is exclusive."""
    first = local_date(activity.starts_at)
    last = local_date(activity.ends_at - _LAST_INSTANT)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def check_activity(activity: Activity) -> RuleResult:
    """VOL-DUTY-2, VOL-DUTY-3, VOL-SCOPE-1: what an activity must state before anyone enrols.

    A dangerous activity discloses its risks; a category-4 activity names its observance; a
    fixed-day observance (学雷锋日, 科技工作者日, 国际志愿者日) off its day is only pointed out.
    """
    findings: list[Finding] = []
    if activity.risk is RiskLevel.PERSONAL_DANGER and not (activity.risk_disclosure or "").strip():
        findings.append(
            Finding(
                rule="VOL-DUTY-3",
                code="risk_disclosure_required",
                message=N_("an activity with personal danger must disclose its risks"),
                field="risk_disclosure",
            )
        )
    if activity.scope is ServiceScope.MAJOR_EVENTS and activity.observance is None:
        findings.append(
            Finding(
                rule="VOL-SCOPE-1",
                code="observance_required",
                message=N_("category 4 (major events) names the observance"),
                field="observance",
            )
        )
    event = activity.observance
    fixed = OBSERVANCE_FIXED_DAYS.get(event) if event is not None else None
    if (
        event is not None
        and fixed is not None
        and all((d.month, d.day) != fixed for d in activity_days(activity))
    ):
        findings.append(
            Finding(
                rule="VOL-SCOPE-1",
                code="observance_off_day",
                message=_OFF_DAY[event],
                severity=Severity.ADVISORY,
                field="observance",
            )
        )
    return RuleResult(findings=findings)


def uncovered_days(
    activity: Activity, volunteer_id: str, insurance: tuple[InsurancePolicy, ...]
) -> list[date]:
    """VOL-DUTY-3: the activity's days on which no policy insures the volunteer for it."""
    covering = [
        p
        for p in insurance
        if volunteer_id in p.insured_volunteer_ids
        and (p.activity_id is None or p.activity_id == activity.id)
    ]
    return [
        day
        for day in activity_days(activity)
        if not any(p.starts_on <= day <= p.ends_on for p in covering)
    ]


def danger_findings(
    activity: Activity,
    enrolment: Enrolment,
    insurance: tuple[InsurancePolicy, ...],
    now: datetime,
) -> list[Finding]:
    """VOL-DUTY-3: for a `personal_danger` activity, the risk acknowledged and every day insured."""
    if activity.risk is not RiskLevel.PERSONAL_DANGER:
        return []
    findings: list[Finding] = []
    acknowledged = enrolment.risk_acknowledged_at
    if acknowledged is None or acknowledged > now:
        findings.append(
            Finding(
                rule="VOL-DUTY-3",
                code="risk_not_acknowledged",
                message=N_("the volunteer has not acknowledged the activity's risks"),
                field="risk_acknowledged_at",
            )
        )
    missing = uncovered_days(activity, enrolment.volunteer_id, insurance)
    if missing:
        shown = ", ".join(d.isoformat() for d in missing[:_SHOWN_DAYS])
        more = len(missing) - _SHOWN_DAYS
        findings.append(
            Finding(
                rule="VOL-DUTY-3",
                code="uninsured",
                message=N_("no personal accident insurance on {days} and {more} more")
                if more > 0
                else N_("no personal accident insurance on {days}"),
                params={"days": shown, "more": max(more, 0)},
                field="insurance",
            )
        )
    return findings


def suitability_findings(
    volunteer: Volunteer, activity: Activity, policy: VolunteerPolicy
) -> list[Finding]:
    """VOL-ELIG-2, VOL-DUTY-2: age on every day of the activity, and the skills it requires.

    Age never falls, so the youngest age is the one on the first day and the oldest on the last.
    """
    days = activity_days(activity)
    youngest = age_on(volunteer.birth_date, days[0])
    oldest = age_on(volunteer.birth_date, days[-1])
    first = days[0].isoformat()
    findings: list[Finding] = []
    if youngest < policy.min_age:
        findings.append(
            Finding(
                rule="VOL-ELIG-2",
                code="under_min_age",
                message=N_("aged {age} on {day}: under {min_age} cannot serve"),
                params={"age": youngest, "day": first, "min_age": policy.min_age},
            )
        )
    elif youngest < policy.adult_age:
        if not activity.minors_allowed:
            findings.append(
                Finding(
                    rule="VOL-ELIG-2",
                    code="minors_not_allowed",
                    message=N_("aged {age} on {day}: the activity is not open to minors"),
                    params={"age": youngest, "day": first},
                )
            )
        if volunteer.guardian_consent is None:
            findings.append(
                Finding(
                    rule="VOL-ELIG-2",
                    code="guardian_consent_required",
                    message=N_("aged {age} on {day}: no guardian's consent on record"),
                    params={"age": youngest, "day": first},
                )
            )
    if activity.min_age is not None and youngest < activity.min_age:
        findings.append(
            Finding(
                rule="VOL-DUTY-2",
                code="below_activity_min_age",
                message=N_("aged {age} on {day}; the activity asks at least {min_age}"),
                params={"age": youngest, "day": first, "min_age": activity.min_age},
            )
        )
    if activity.max_age is not None and oldest > activity.max_age:
        findings.append(
            Finding(
                rule="VOL-DUTY-2",
                code="above_activity_max_age",
                message=N_("aged {age} on {day}; the activity asks at most {max_age}"),
                params={"age": oldest, "day": days[-1].isoformat(), "max_age": activity.max_age},
            )
        )
    missing = sorted(activity.required_skills - volunteer.skills)
    if missing:
        findings.append(
            Finding(
                rule="VOL-DUTY-2",
                code="skills_missing",
                message=N_("missing required skills: {skills}"),
                params={"skills": ", ".join(missing)},
            )
        )
    return findings


def gate_findings(
    volunteer: Volunteer,
    activity: Activity,
    enrolment: Enrolment,
    context: EnrolmentContext,
    now: datetime,
) -> list[Finding]:
    """VOL-EXIT-1, VOL-ELIG-2, VOL-DUTY-2, VOL-DUTY-3: what must hold to serve in the activity.

    Checked when an enrolment is confirmed and again when hours are recorded.
    """
    if enrolment.volunteer_id != volunteer.id or enrolment.activity_id != activity.id:
        raise ValueError("the enrolment belongs to another volunteer or activity")
    findings: list[Finding] = []
    if any(
        m.organization_id == activity.organization_id and m.status is MembershipStatus.EXPELLED
        for m in context.memberships
    ):
        findings.append(
            Finding(
                rule="VOL-EXIT-1",
                code="expelled",
                message=N_("expelled by the organisation running this activity"),
            )
        )
    findings += suitability_findings(volunteer, activity, context.policy)
    findings += danger_findings(activity, enrolment, context.insurance, now)
    return findings


def can_confirm(
    volunteer: Volunteer,
    activity: Activity,
    enrolment: Enrolment,
    context: EnrolmentContext,
    now: datetime,
) -> RuleResult:
    """VOL-EXIT-1, VOL-ELIG-2, VOL-DUTY-2, VOL-DUTY-3, VOL-RIGHT-1: every reason not to confirm.

    Besides the gate: a withdrawn enrolment stays withdrawn, and a full activity takes no more.
    """
    findings: list[Finding] = []
    if enrolment.status is EnrolmentStatus.WITHDRAWN:
        findings.append(
            Finding(
                rule="VOL-RIGHT-1",
                code="withdrawn",
                message=N_("the volunteer withdrew from this activity"),
            )
        )
    findings += gate_findings(volunteer, activity, enrolment, context, now)
    if (
        enrolment.status is not EnrolmentStatus.CONFIRMED
        and activity.capacity is not None
        and context.confirmed_count >= activity.capacity
    ):
        findings.append(
            Finding(
                rule=CAPACITY_RULE,
                code="activity_full",
                message=N_("the activity is full ({capacity} confirmed)"),
                params={"capacity": activity.capacity},
            )
        )
    return RuleResult(findings=findings)


def check_capacity(capacity: int | None, confirmed: int) -> RuleResult:
    """An activity's capacity never falls below the enrolments it has already confirmed."""
    if capacity is None or confirmed <= capacity:
        return RuleResult()
    return RuleResult(
        findings=[
            Finding(
                rule=CAPACITY_RULE,
                code="capacity_below_confirmed",
                message=N_("{confirmed} enrolments are already confirmed"),
                params={"confirmed": confirmed},
                field="capacity",
            )
        ]
    )


def check_risk_acknowledgement(enrolment: Enrolment) -> RuleResult:
    """VOL-DUTY-3: the volunteer acknowledges the risks of an enrolment it has not withdrawn."""
    if enrolment.status is EnrolmentStatus.WITHDRAWN:
        return RuleResult(
            findings=[
                Finding(
                    rule="VOL-DUTY-3",
                    code="withdrawn",
                    message=N_("the enrolment was withdrawn"),
                )
            ]
        )
    return RuleResult()


def check_withdrawal(
    enrolment: Enrolment,
    activity: Activity,
    reason: str | None,
    at: datetime,
    policy: VolunteerPolicy,
) -> RuleResult:
    """VOL-RIGHT-1: a withdrawal says why; one after the activity ended is refused.

    Notice shorter than the policy's hours before the start is accepted but marked as late.
    """
    findings: list[Finding] = []
    if enrolment.status is EnrolmentStatus.WITHDRAWN:
        findings.append(
            Finding(rule="VOL-RIGHT-1", code="already_withdrawn", message=N_("already withdrawn"))
        )
    if not (reason or "").strip():
        findings.append(
            Finding(
                rule="VOL-RIGHT-1",
                code="reason_required",
                message=N_("a withdrawal gives its reason"),
                field="reason",
            )
        )
    if at >= activity.ends_at:
        findings.append(
            Finding(
                rule="VOL-RIGHT-1",
                code="activity_ended",
                message=N_("the activity has ended: nothing to withdraw from"),
            )
        )
    elif at > activity.starts_at - timedelta(hours=policy.withdrawal_notice_hours):
        findings.append(
            Finding(
                rule="VOL-RIGHT-1",
                code="late_notice",
                message=N_("late notice: less than {hours} h before the start"),
                params={"hours": policy.withdrawal_notice_hours},
                severity=Severity.WARNING,
            )
        )
    return RuleResult(findings=findings)
