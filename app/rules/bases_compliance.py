"""A base's yearly duties: opening, activities, theme, report, national events, liaison
(Att. 3 Arts. 4, 6–8, 19), and the checks on the records they are computed from.

`assess_year` is called once per base for the city dashboard, thousands of times per request:
it only loops over the records it is given and builds a handful of small objects.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel

from app.domain.bases import (
    NATIONAL_EVENTS,
    Activity,
    ActivityFacts,
    AnnualReport,
    BasePolicy,
    MonthFigures,
    MonthlyStat,
    OpeningClass,
    ScienceBase,
)
from app.domain.common import (
    Finding,
    MessageParam,
    Observance,
    RuleResult,
    Severity,
    local_date,
)
from app.domain.messages import N_


class ComplianceStatus(StrEnum):
    """Where one yearly duty stands."""

    MET = "met"
    UNMET = "unmet"
    AT_RISK = "at_risk"
    PENDING = "pending"
    ADVISORY = "advisory"


class ComplianceItem(BaseModel):
    """One duty of one year: its rule, what was achieved and what is required."""

    rule: str
    measure: str
    status: ComplianceStatus
    actual: int | str | None = None
    required: int | str | None = None
    #: An English template (`N_`), filled in with `params` when the shell renders it.
    message: str
    params: dict[str, MessageParam] = {}
    days_late: int | None = None


#: The `required` values of a compliance item that are words rather than a figure or a date:
#: English templates the shell renders like the message.
REQUIRED_WORDS = frozenset(
    {
        N_("public or institution"),
        N_("one work theme"),
        N_("a liaison with phone or email"),
    }
)


class Compliance(BaseModel):
    """Every yearly duty of a base, as of a date; `final` once the year is over."""

    base_id: str
    year: int
    evaluated_on: date
    final: bool
    opening_class: OpeningClass
    months_reported: int
    items: list[ComplianceItem]

    @property
    def ok(self) -> bool:
        """True when no duty is unmet or at risk."""
        return not any(
            i.status in (ComplianceStatus.UNMET, ComplianceStatus.AT_RISK) for i in self.items
        )


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """The length of a calendar month."""
    if month == 2 and calendar.isleap(year):
        return 29
    return _MONTH_DAYS[month - 1]


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def validate_monthly_stat(
    stat: MonthlyStat, *, today: date, accredited_on: date | None = None
) -> RuleResult:
    """BASE-OPEN-4: a month's figures are possible and not in the future.

    Decision: in the current month the open days cannot exceed the days elapsed (today included),
    and a month before the base's accreditation month is refused.
    """
    findings: list[Finding] = []

    def bad(field: str, code: str, message: str, **params: MessageParam) -> None:
        findings.append(
            Finding(rule="BASE-OPEN-4", field=field, code=code, message=message, params=params)
        )

    month_ok = 1 <= stat.month <= 12
    year_ok = 1 <= stat.year <= 9999
    if not year_ok:
        bad("year", "year_out_of_range", N_("year {year} is out of range"), year=stat.year)
    if not month_ok:
        bad(
            "month",
            "month_out_of_range",
            N_("month must be 1 to 12, got {month}"),
            month=stat.month,
        )
    if stat.visitors < 0:
        bad(
            "visitors",
            "visitors_negative",
            N_("visitors cannot be negative, got {visitors}"),
            visitors=stat.visitors,
        )
    if stat.open_days < 0:
        bad(
            "open_days",
            "open_days_negative",
            N_("open days cannot be negative, got {open_days}"),
            open_days=stat.open_days,
        )
    if not (month_ok and year_ok):
        return RuleResult(findings=findings)
    period = f"{stat.year}-{stat.month:02d}"
    if (stat.year, stat.month) > (today.year, today.month):
        bad("month", "future", N_("{month} is in the future"), month=period)
        return RuleResult(findings=findings)
    limit = days_in_month(stat.year, stat.month)
    if (stat.year, stat.month) == (today.year, today.month):
        limit = today.day
    if stat.open_days > limit:
        bad(
            "open_days",
            "open_days_exceed_month",
            N_("{open_days} open days in {month}, at most {limit} possible"),
            open_days=stat.open_days,
            month=period,
            limit=limit,
        )
    if accredited_on is not None and (stat.year, stat.month) < (
        accredited_on.year,
        accredited_on.month,
    ):
        bad(
            "month",
            "before_accreditation",
            N_("the base was accredited on {accredited_on}, after this month"),
            accredited_on=accredited_on.isoformat(),
        )
    return RuleResult(findings=findings)


def check_activity(activity: Activity, *, today: date) -> RuleResult:
    """BASE-ACT-1, BASE-EVENT-1, BASE-ARCHIVE-1: an activity is complete, held, and evidenced."""
    a = activity
    findings: list[Finding] = []
    if _blank(a.title):
        findings.append(
            Finding(
                rule="BASE-ACT-1",
                field="title",
                code="title_required",
                message=N_("a title is required"),
            )
        )
    if _blank(a.form):
        findings.append(
            Finding(
                rule="BASE-ACT-1",
                field="form",
                code="form_required",
                message=N_("the form (lecture, ...) is required"),
            )
        )
    if a.participants < 0:
        findings.append(
            Finding(
                rule="BASE-ACT-1",
                field="participants",
                code="participants_negative",
                message=N_("participants cannot be < 0"),
            )
        )
    if a.held_on > today:
        findings.append(
            Finding(
                rule="BASE-ACT-1",
                field="held_on",
                code="future",
                message=N_("an activity is recorded once held, not before"),
            )
        )
    if a.evidence_count < 1:
        findings.append(
            Finding(
                rule="BASE-ARCHIVE-1",
                field="attachments",
                severity=Severity.WARNING,
                code="evidence_missing",
                message=N_("counts toward BASE-ACT-1 only once evidence is attached"),
            )
        )
    if a.observance is not None and not _fits_event(a.observance, a.held_on):
        findings.append(
            Finding(
                rule="BASE-EVENT-1",
                field="observance",
                severity=Severity.WARNING,
                code="outside_observance",
                message=OUTSIDE_OBSERVANCE[a.observance],
                params={"held_on": a.held_on.isoformat()},
            )
        )
    return RuleResult(findings=findings)


#: BASE-EVENT-1: what an activity dated outside the national science day it names is told; only
#: these days are judged by their dates (`_fits_event`).
OUTSIDE_OBSERVANCE: dict[Observance, str] = {
    Observance.SCIENCE_WORKERS_DAY: N_(
        "{held_on} is outside National Science and Technology Workers' Day (30 May)"
    ),
    Observance.SCI_TECH_WEEK: N_("{held_on} is outside Science and Technology Week (May)"),
    Observance.SCIENCE_DAY: N_("{held_on} is outside National Science Day (September)"),
}


def _fits_event(event: Observance, held_on: date) -> bool:
    # Only the national science days of BASE-EVENT-1 are judged by their dates.
    if event is Observance.SCIENCE_WORKERS_DAY:
        return (held_on.month, held_on.day) == (5, 30)
    if event is Observance.SCI_TECH_WEEK:
        return held_on.month == 5
    if event is Observance.SCIENCE_DAY:
        return held_on.month == 9
    return True


def activity_counts(a: ActivityFacts) -> bool:
    """BASE-ACT-1: an activity counts with its title, form, participants and evidence."""
    return (
        a.participants > 0 and a.evidence_count > 0 and not _blank(a.title) and not _blank(a.form)
    )


def check_class_override(opening_class: OpeningClass, reason: str | None) -> RuleResult:
    """BASE-OPEN-3: an administrator's class is public or institution, with a written reason."""
    findings: list[Finding] = []
    if opening_class is OpeningClass.UNDETERMINED:
        findings.append(
            Finding(
                rule="BASE-OPEN-3",
                field="opening_class",
                code="class_undetermined",
                message=N_("an override sets the class to public or institution"),
            )
        )
    if _blank(reason):
        findings.append(
            Finding(
                rule="BASE-OPEN-3",
                field="reason",
                code="reason_required",
                message=N_("a written reason is required"),
            )
        )
    return RuleResult(findings=findings)


def month_unreported(
    accredited_on: date, reported_months: Collection[tuple[int, int]], today: date
) -> tuple[int, int] | None:
    """BASE-OPEN-4: the month just ended, as (year, month), when it has no statistics and counts
    (the accreditation month is the first that does, as `assess_year` counts); else None."""
    last = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    if last >= (accredited_on.year, accredited_on.month) and last not in reported_months:
        return last
    return None


def report_days_late(submitted_at: datetime, year: int, policy: BasePolicy) -> int:
    """BASE-REPORT-1: days after the due date (Asia/Shanghai) the report came; 0 when on time."""
    return max(0, (local_date(submitted_at) - policy.report_due(year)).days)


def check_report_open(report: AnnualReport | None) -> RuleResult:
    """BASE-REPORT-1: a submitted report and its archive no longer change (409)."""
    if report is not None and report.submitted_at is not None:
        return RuleResult(
            findings=[
                Finding(
                    rule="BASE-REPORT-1",
                    field="submitted_at",
                    code="report_submitted",
                    message=N_("the report of {year} was submitted and is read-only"),
                    params={"year": report.year},
                )
            ]
        )
    return RuleResult()


def check_report_submission(report: AnnualReport) -> RuleResult:
    """BASE-THEME-1, BASE-REPORT-1: a report is submitted once, with theme, summary and plan."""
    findings: list[Finding] = []
    if report.submitted_at is not None:
        findings.append(
            Finding(
                rule="BASE-REPORT-1",
                field="submitted_at",
                code="report_submitted",
                message=N_("the report of {year} was already submitted"),
                params={"year": report.year},
            )
        )
    if _blank(report.theme):
        findings.append(
            Finding(
                rule="BASE-THEME-1",
                field="theme",
                code="theme_required",
                message=N_("the year's work theme is required"),
            )
        )
    if _blank(report.summary):
        findings.append(
            Finding(
                rule="BASE-REPORT-1",
                field="summary",
                code="summary_required",
                message=N_("the annual summary is required"),
            )
        )
    if _blank(report.next_year_plan):
        findings.append(
            Finding(
                rule="BASE-REPORT-1",
                field="next_year_plan",
                code="next_year_plan_required",
                message=N_("the work plan for {year} is required"),
                params={"year": report.year + 1},
            )
        )
    return RuleResult(findings=findings)


def _status(actual: int, required: int, *, final: bool, reachable: int | None) -> ComplianceStatus:
    if actual >= required:
        return ComplianceStatus.MET
    if final:
        return ComplianceStatus.UNMET
    if reachable is not None and reachable < required:
        return ComplianceStatus.AT_RISK
    return ComplianceStatus.PENDING


def _pro_rata(threshold: int, months: int) -> int:
    """Decision (BASE-OPEN-1/2, BASE-ACT-1): the accreditation year's threshold, rounded up."""
    return -(-threshold * months // 12)


def assess_year(
    base: ScienceBase,
    year: int,
    stats: Iterable[MonthFigures],
    activities: Iterable[ActivityFacts],
    report: AnnualReport | None,
    policy: BasePolicy,
    today: date,
) -> Compliance:
    """BASE-OPEN-1, BASE-OPEN-2, BASE-OPEN-3, BASE-OPEN-4, BASE-ACT-1, BASE-THEME-1,
    BASE-REPORT-1, BASE-EVENT-1, BASE-LIAISON-1: one item per duty of `year`, as of `today`.

    Records of other years are ignored. In the accreditation year only the months from the
    accreditation month count and the thresholds are pro rata (decision, docs/bases.md).
    """
    accredited = base.accredited_on
    if year < accredited.year:
        raise ValueError(f"base {base.id} was accredited in {accredited.year}, after {year}")
    first_month = accredited.month if year == accredited.year else 1
    months = 13 - first_month
    final = year < today.year
    # Months before `current` are closed: their reports are what the base achieved.
    current = 13 if final else (today.month if year == today.year else 1)

    open_days = 0
    visitors = 0
    reported: dict[int, int] = {}
    for s in stats:
        if s.year == year and s.month >= first_month:
            open_days += s.open_days
            visitors += s.visitors
            reported[s.month] = s.open_days
    reachable = 0
    for m in range(first_month, 13):
        # An unreported closed month may still be reported: count it as fully open, so that
        # at_risk is never raised on a base that can still make it.
        full = days_in_month(year, m)
        reachable += reported.get(m, full) if m < current else full

    items: list[ComplianceItem] = []
    opening_class = base.opening_class
    progress: dict[str, MessageParam] = {"open_days": open_days, "visitors": visitors}
    if opening_class is OpeningClass.UNDETERMINED:
        items.append(
            ComplianceItem(
                rule="BASE-OPEN-3",
                measure="opening_class",
                status=ComplianceStatus.UNMET,
                actual=OpeningClass.UNDETERMINED.value,
                required=N_("public or institution"),
                message=(
                    N_(
                        "class undetermined: the city administrator must set it "
                        "({open_days} open days, {visitors} visitors)"
                    )
                    if final
                    else N_(
                        "class undetermined: the city administrator must set it "
                        "(year to date: {open_days} open days, {visitors} visitors)"
                    )
                ),
                params=progress,
            )
        )
    else:
        public = opening_class is OpeningClass.PUBLIC
        rule = "BASE-OPEN-1" if public else "BASE-OPEN-2"
        need_days = _pro_rata(
            policy.public_min_open_days if public else policy.institution_min_open_days, months
        )
        status = _status(open_days, need_days, final=final, reachable=reachable)
        if final:
            message = N_(
                "{open_days} open days, {visitors} visitors; {required} open days required"
            )
        elif status is ComplianceStatus.AT_RISK:
            message = N_(
                "year to date: {open_days} open days, {visitors} visitors; {required} open days "
                "required; at most {reachable} still reachable"
            )
        else:
            message = N_(
                "year to date: {open_days} open days, {visitors} visitors; {required} open days "
                "required"
            )
        items.append(
            ComplianceItem(
                rule=rule,
                measure="open_days",
                status=status,
                actual=open_days,
                required=need_days,
                message=message,
                params={**progress, "required": need_days, "reachable": reachable},
            )
        )
        if public:
            need_visitors = _pro_rata(policy.public_min_visitors, months)
            items.append(
                ComplianceItem(
                    rule="BASE-OPEN-1",
                    measure="visitors",
                    status=_status(visitors, need_visitors, final=final, reachable=None),
                    actual=visitors,
                    required=need_visitors,
                    message=(
                        N_(
                            "{open_days} open days, {visitors} visitors; "
                            "{required} visitors required"
                        )
                        if final
                        else N_(
                            "year to date: {open_days} open days, {visitors} visitors; "
                            "{required} visitors required"
                        )
                    ),
                    params={**progress, "required": need_visitors},
                )
            )

    counted = 0
    uncounted = 0
    events: set[Observance] = set()
    for a in activities:
        d = a.held_on
        if d.year != year or d.month < first_month or d > today:
            continue
        if activity_counts(a):
            counted += 1
        else:
            uncounted += 1
        event = a.observance
        if event is not None and a.free_or_discounted and event in NATIONAL_EVENTS:
            events.add(event)
    need_acts = _pro_rata(policy.min_activities, months)
    items.append(
        ComplianceItem(
            rule="BASE-ACT-1",
            measure="activities",
            status=_status(counted, need_acts, final=final, reachable=None),
            actual=counted,
            required=need_acts,
            message=(
                N_(
                    "{counted} of {required} public science activities "
                    "({uncounted} more lack participants or evidence)"
                )
                if uncounted
                else N_("{counted} of {required} public science activities")
            ),
            params={"counted": counted, "required": need_acts, "uncounted": uncounted},
        )
    )

    due = policy.report_due(year)
    report_required = accredited <= due
    if report is not None and report.year != year:
        raise ValueError(f"report of {report.year} given for {year}")
    items.append(_theme_item(report, report_required=report_required, final=final))
    items.append(_report_item(report, due=due, report_required=report_required, today=today))

    missing = [e.label for e in NATIONAL_EVENTS if e not in events]
    items.append(
        ComplianceItem(
            rule="BASE-EVENT-1",
            measure="national_events",
            status=ComplianceStatus.ADVISORY if missing else ComplianceStatus.MET,
            actual=len(events),
            required=len(NATIONAL_EVENTS),
            message=(
                N_("free or discounted opening recorded for every national event")
                if not missing
                else N_("no free or discounted opening recorded for: {events}")
            ),
            params={"events": "、".join(missing)} if missing else {},
        )
    )

    liaison = base.liaison
    named = liaison is not None and not _blank(liaison.name)
    reachable_liaison = liaison is not None and not (
        _blank(liaison.phone) and _blank(liaison.email)
    )
    items.append(
        ComplianceItem(
            rule="BASE-LIAISON-1",
            measure="liaison",
            status=ComplianceStatus.MET if named and reachable_liaison else ComplianceStatus.UNMET,
            actual=liaison.name if named and liaison is not None else None,
            required=N_("a liaison with phone or email"),
            message=(
                N_("liaison named with contact details")
                if named and reachable_liaison
                else N_("name a liaison (联络员) with a phone number or email")
            ),
        )
    )
    return Compliance(
        base_id=base.id,
        year=year,
        evaluated_on=today,
        final=final,
        opening_class=opening_class,
        months_reported=len(reported),
        items=items,
    )


def _theme_item(
    report: AnnualReport | None, *, report_required: bool, final: bool
) -> ComplianceItem:
    theme = report.theme.strip() if report is not None else ""
    if theme:
        status, message = ComplianceStatus.MET, N_("theme: {theme}")
    elif not report_required:
        status, message = (
            ComplianceStatus.ADVISORY,
            N_("not due: accredited after this year's report due date"),
        )
    elif final:
        status, message = ComplianceStatus.UNMET, N_("no work theme was set for the year")
    else:
        status, message = (
            ComplianceStatus.PENDING,
            N_("set the year's work theme in its annual report"),
        )
    return ComplianceItem(
        rule="BASE-THEME-1",
        measure="theme",
        status=status,
        actual=theme or None,
        required=N_("one work theme"),
        message=message,
        params={"theme": theme} if theme else {},
    )


def _report_item(
    report: AnnualReport | None, *, due: date, report_required: bool, today: date
) -> ComplianceItem:
    submitted = report.submitted_at if report is not None else None
    actual: str | None = None
    days_late: int | None = None
    if submitted is not None:
        day = local_date(submitted)
        actual = day.isoformat()
        days_late = max(0, (day - due).days)
        if days_late == 0:
            status, message = ComplianceStatus.MET, N_("submitted on time on {submitted_on}")
        else:
            status = ComplianceStatus.UNMET
            message = N_("submitted on {submitted_on}, {days_late} days late (accepted)")
    elif not report_required:
        status, message = (
            ComplianceStatus.ADVISORY,
            N_("not due: accredited after this year's report due date"),
        )
    elif today <= due:
        status, message = ComplianceStatus.PENDING, N_("due on or before {due_on}")
    else:
        days_late = (today - due).days
        status, message = ComplianceStatus.UNMET, N_("not submitted, {days_late} days overdue")
    return ComplianceItem(
        rule="BASE-REPORT-1",
        measure="report",
        status=status,
        actual=actual,
        required=due.isoformat(),
        message=message,
        params={"submitted_on": actual, "days_late": days_late, "due_on": due.isoformat()},
        days_late=days_late,
    )
