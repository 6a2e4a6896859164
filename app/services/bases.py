"""Use cases of accredited bases: keeping the profile, monthly statistics, activities, annual
reports and the yearly compliance (BASE-OPEN-1..4, BASE-ACT-1, BASE-ARCHIVE-1, BASE-THEME-1,
BASE-REPORT-1, BASE-EVENT-1, BASE-LIAISON-1, BASE-EVAL-1, BASE-REVOKE-1..6).

Each function loads what its rule needs, asks the rule, and writes; a refusal is a
`RuleViolation` carrying the rule's findings. Nothing here commits: the request's unit of work
does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from app.domain.access import Principal, Role
from app.domain.bases import Activity, BaseStatus, MonthlyStat, OpeningClass
from app.domain.common import Finding, RuleResult, Severity
from app.domain.messages import N_
from app.errors import FieldError, Forbidden, InvalidInput, RuleViolation
from app.i18n import _
from app.repositories import bases
from app.repositories.base import VersionCheck
from app.repositories.bases import (
    ActivityRow,
    AnnualReportRow,
    BaseRow,
    MonthlyStatRow,
    YearRecords,
)
from app.repositories.bases_policies import policy_for_year
from app.routers.bulk import BulkMode, BulkResult, RowResult, RowStatus, row_error, summarise
from app.rules.bases_compliance import (
    Compliance,
    ComplianceStatus,
    activity_counts,
    assess_year,
    check_activity,
    check_class_override,
    check_report_open,
    check_report_submission,
    report_days_late,
    validate_monthly_stat,
)
from app.rules.bases_evaluation import base_status, evaluation_overdue
from app.rules.bases_revocation import check_records_open


@dataclass(frozen=True)
class Standing:
    """BASE-EVAL-1, BASE-REVOKE-1..6: a base's status today and whether its evaluation is
    overdue."""

    status: BaseStatus
    evaluation_overdue: bool


@dataclass(frozen=True)
class ActivityView:
    """An activity, its evidence count, whether it counts (BASE-ACT-1), and what it lacks."""

    row: ActivityRow
    evidence_count: int
    counts: bool
    warnings: list[Finding]


@dataclass(frozen=True)
class ReportView:
    """An annual report with its due date under the year's policy (BASE-REPORT-1)."""

    row: AnnualReportRow
    due_on: date


@dataclass(frozen=True)
class BaseCompliance:
    """One base's duties of one year, with the base's status today."""

    base: BaseRow
    status: BaseStatus
    compliance: Compliance


@dataclass(frozen=True)
class Dashboard:
    """Every base in scope for one year, the policy used, and counts per rule and status."""

    year: int
    policy_effective_on: date
    items: list[BaseCompliance]
    by_rule: dict[str, dict[ComplianceStatus, int]]


def refuse(result: RuleResult, status: int) -> None:
    """Raise the result's refusing findings, if any, as a rule violation with `status`."""
    if not result.ok:
        raise RuleViolation(result.errors, status=status)


def status_of(base: BaseRow, today: date) -> BaseStatus:
    """The base's status today, by the one rule that defines it."""
    return base_status(revoked=base.revoked, lapses_on=base.lapses_on, today=today)


def standing(base: BaseRow, today: date) -> Standing:
    """The base's status today and whether its evaluation is overdue (BASE-EVAL-1)."""
    return Standing(
        status=status_of(base, today),
        evaluation_overdue=evaluation_overdue(
            lapses_on=base.lapses_on, due_on=base.evaluation_due_on, today=today
        ),
    )


def open_base(session: Session, principal: Principal, base_id: str, *, today: date) -> BaseRow:
    """A base in scope whose records may still change: not revoked (BASE-REVOKE-1..6, 409)."""
    base = bases.get_base(session, principal, base_id)
    refuse(check_records_open(status_of(base, today)), 409)
    return base


def update_base(
    session: Session,
    *,
    principal: Principal,
    base_id: str,
    values: dict[str, Any],
    now: datetime,
    today: date,
    check_version: VersionCheck,
) -> BaseRow:
    """Keep contact and liaison current (BASE-LIAISON-1); the city administrator alone sets the
    opening class, with a written reason (BASE-OPEN-3)."""
    base = open_base(session, principal, base_id, today=today)
    check_version(base)
    new_class = values.pop("opening_class", None)
    reason = values.pop("opening_class_reason", None)
    if new_class is not None or reason is not None:
        if principal.role is not Role.CITY_ADMIN:
            raise Forbidden(_("only the city administrator sets the opening class"))
        refuse(check_class_override(new_class or OpeningClass.UNDETERMINED, reason), 422)
        bases.change_class(
            session,
            base,
            to=OpeningClass(new_class),
            reason=str(reason).strip(),
            actor_id=principal.user_id,
            now=now,
        )
    return bases.update_base(session, base, values)


def put_monthly_stat(
    session: Session,
    *,
    principal: Principal,
    base_id: str,
    stat: MonthlyStat,
    today: date,
    check_version: VersionCheck,
) -> tuple[MonthlyStatRow, bool]:
    """BASE-OPEN-4: report or correct one month; impossible or future figures are refused.
    True when the month was new."""
    base = open_base(session, principal, base_id, today=today)
    refuse(validate_monthly_stat(stat, today=today, accredited_on=base.accredited_on), 422)
    existing = bases.get_stat(session, base.id, stat.year, stat.month)
    if existing is not None:
        check_version(existing)
    return bases.put_stat(
        session,
        base,
        year=stat.year,
        month=stat.month,
        open_days=stat.open_days,
        visitors=stat.visitors,
    )


def import_monthly_stats(
    session: Session,
    *,
    principal: Principal,
    base_id: str,
    rows: Sequence[MonthlyStat | list[FieldError]],
    mode: BulkMode,
    include_ok: bool,
    today: date,
) -> BulkResult:
    """BASE-OPEN-4: many months of one base at once, each as `put_monthly_stat` checks it: a
    month already reported is corrected (`updated`, or `matched_existing` when equal), never
    duplicated; a month given twice is an error on its second row."""
    base = open_base(session, principal, base_id, today=today)
    results: list[RowResult] = []
    writes: list[tuple[int, MonthlyStat]] = []
    first_row: dict[tuple[int, int], int] = {}
    for index, item in enumerate(rows, 1):
        if isinstance(item, list):
            results.append(RowResult(row=index, status=RowStatus.ERROR, errors=item))
            continue
        findings = list(
            validate_monthly_stat(item, today=today, accredited_on=base.accredited_on).findings
        )
        month = (item.year, item.month)
        if month in first_row:
            findings.append(
                Finding(
                    rule="BASE-OPEN-4",
                    code="repeated_month",
                    message=N_("this month is given already in row {row}"),
                    params={"row": first_row[month]},
                    field="month",
                )
            )
        first_row.setdefault(month, index)
        if findings:
            results.append(row_error(index, findings))
            continue
        existing = bases.get_stat(session, base.id, item.year, item.month)
        if existing is None:
            status = RowStatus.CREATED
        elif (existing.open_days, existing.visitors) == (item.open_days, item.visitors):
            status = RowStatus.MATCHED_EXISTING
        else:
            status = RowStatus.UPDATED
        results.append(RowResult(row=index, status=status, id=existing.id if existing else None))
        if status is not RowStatus.MATCHED_EXISTING:
            writes.append((len(results) - 1, item))
    summary = summarise(mode, results, include_ok=include_ok)
    for position, stat in writes:
        saved, _created = bases.put_stat(
            session,
            base,
            year=stat.year,
            month=stat.month,
            open_days=stat.open_days,
            visitors=stat.visitors,
        )
        results[position].id = saved.id
    return summary


def activity_view(row: ActivityRow, evidence_count: int, today: date) -> ActivityView:
    """BASE-ACT-1, BASE-ARCHIVE-1, BASE-EVENT-1: whether the activity counts, and the
    warnings that inform without refusing."""
    activity = row.to_domain(evidence_count)
    warnings = [
        f
        for f in check_activity(activity, today=today).findings
        if f.severity is not Severity.ERROR
    ]
    return ActivityView(row, evidence_count, activity_counts(activity), warnings)


def record_activity(
    session: Session,
    *,
    principal: Principal,
    base_id: str,
    activity: Activity,
    description: str,
    today: date,
) -> ActivityView:
    """BASE-ACT-1: an activity once held; it counts once evidence is attached (BASE-ARCHIVE-1)."""
    base = open_base(session, principal, base_id, today=today)
    refuse(check_activity(activity, today=today), 422)
    fields = activity.model_dump(exclude={"evidence_count", "observance"})
    fields["national_event"] = activity.observance.value if activity.observance else None
    row = bases.add_activity(
        session, base, fields={**fields, "description": description}, created_by=principal.user_id
    )
    return activity_view(row, 0, today)


def report_view(session: Session, row: AnnualReportRow) -> ReportView:
    """The report with the due date of its year's policy."""
    return ReportView(row, policy_for_year(session, row.year).report_due(row.year))


def check_year(base: BaseRow, year: int, today: date) -> None:
    """A year the base was accredited in and that has begun (422 naming `year`)."""
    if year < base.accredited_on.year:
        raise InvalidInput.one(
            "year",
            _("the base was accredited in {year}", year=base.accredited_on.year),
            "before_accreditation",
        )
    if year > today.year:
        raise InvalidInput.one("year", _("{year} has not begun", year=year), "future")


def open_report(report: AnnualReportRow | None) -> None:
    """BASE-REPORT-1: a submitted report and its archive no longer change (409)."""
    refuse(check_report_open(None if report is None else report.to_domain()), 409)


def put_report(
    session: Session,
    *,
    principal: Principal,
    base_id: str,
    year: int,
    texts: dict[str, str],
    today: date,
    check_version: VersionCheck,
) -> tuple[ReportView, bool]:
    """BASE-THEME-1, BASE-REPORT-1: write the theme, summary and plan, until submitted. True
    when the report was new."""
    base = open_base(session, principal, base_id, today=today)
    check_year(base, year, today)
    existing = bases.get_report(session, base.id, year)
    if existing is not None:
        check_version(existing)
        open_report(existing)
    row, created = bases.put_report(session, base, year=year, **texts)
    return report_view(session, row), created


def submit_report(
    session: Session, *, principal: Principal, base_id: str, year: int, now: datetime, today: date
) -> ReportView:
    """BASE-REPORT-1: record the server's time; on time on or before the due date, otherwise
    accepted and marked with the days late."""
    base = open_base(session, principal, base_id, today=today)
    report = bases.find_report(session, base.id, year)
    result = check_report_submission(report.to_domain())
    refuse(RuleResult(findings=[f for f in result.errors if f.field == "submitted_at"]), 409)
    refuse(result, 422)
    days_late = report_days_late(now, year, policy_for_year(session, year))
    bases.submit_report(session, report, at=now, by=principal.user_id, days_late=days_late)
    return report_view(session, report)


def assess(session: Session, base: BaseRow, years: list[int], today: date) -> list[BaseCompliance]:
    """The base's compliance in each of `years` (BASE-OPEN-1..4, BASE-ACT-1, BASE-THEME-1,
    BASE-REPORT-1, BASE-EVENT-1, BASE-LIAISON-1)."""
    status = status_of(base, today)
    domain = base.to_domain(status)
    records = bases.records_for(session, [base.id], years)
    empty = YearRecords()
    out: list[BaseCompliance] = []
    for year in years:
        r = records.get((base.id, year), empty)
        policy = policy_for_year(session, year)
        compliance = assess_year(domain, year, r.stats, r.activities, r.report, policy, today)
        out.append(BaseCompliance(base, status, compliance))
    return out


def compliance_of(
    session: Session, *, principal: Principal, base_id: str, year: int, today: date
) -> BaseCompliance:
    """One base's duties of one year, year-to-date during the year."""
    base = bases.get_base(session, principal, base_id)
    check_year(base, year, today)
    return assess(session, base, [year], today)[0]


def dashboard(
    session: Session, *, principal: Principal, year: int, region_code: str | None, today: date
) -> Dashboard:
    """The city dashboard: one compliance per base in scope, from four queries whatever the
    number of bases."""
    if year > today.year:
        raise InvalidInput.one("query.year", _("{year} has not begun", year=year), "future")
    rows, records = bases.bases_for_year(session, principal, year=year, region_code=region_code)
    policy = policy_for_year(session, year)
    empty = YearRecords()
    items: list[BaseCompliance] = []
    by_rule: dict[str, dict[ComplianceStatus, int]] = {}
    for base in rows:
        r = records.get((base.id, year), empty)
        status = status_of(base, today)
        c = assess_year(
            base.to_domain(status), year, r.stats, r.activities, r.report, policy, today
        )
        for item in c.items:
            counts = by_rule.setdefault(item.rule, {})
            counts[item.status] = counts.get(item.status, 0) + 1
        items.append(BaseCompliance(base, status, c))
    return Dashboard(year, policy.effective_on, items, by_rule)


@dataclass(frozen=True)
class Filings:
    """What a base has filed, as its reminders and its work queue read it: the (year, month)
    pairs with statistics this year and last, and whether this year's report is in."""

    reported_months: frozenset[tuple[int, int]]
    report_submitted: bool


def filings_of(session: Session, base: BaseRow, today: date) -> Filings:
    """A base's statistics of this year and last and its report of this year, in one reading."""
    records = bases.records_for(session, [base.id], [today.year - 1, today.year])
    report = records.get((base.id, today.year))
    return Filings(
        reported_months=frozenset((m.year, m.month) for r in records.values() for m in r.stats),
        report_submitted=bool(report and report.report and report.report.submitted_at),
    )
