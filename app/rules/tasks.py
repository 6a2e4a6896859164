"""PLAT-NOTIFY-1: a person's work queue. Each task names the rule that makes it due, the date
it is due (the rule's deadline; where the measures set none, the day it arose: first come, first
served) and the API path of the resource to act on."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from app.domain.bases import RectificationNotice
from app.rules.bases_compliance import month_unreported
from app.rules.bases_evaluation import EvaluationSchedule
from app.rules.bases_revocation import notice_expired_unrectified


class TaskKind(StrEnum):
    """What is to be done."""

    REVIEW_OPINION = "review_opinion"
    APPLICATION_DECISION = "application_decision"
    MEMBERSHIP_APPROVAL = "membership_approval"
    HOURS_CONFIRMATION = "hours_confirmation"
    COMPLAINT_HANDLING = "complaint_handling"
    MONTHLY_STATISTICS = "monthly_statistics"
    ANNUAL_REPORT = "annual_report"
    RECTIFICATION = "rectification"
    EVALUATION = "evaluation"
    REVOCATION_CANDIDATE = "revocation_candidate"


#: The rule behind each kind of task.
RULES: dict[TaskKind, str] = {
    TaskKind.REVIEW_OPINION: "BASE-REVIEW-2",
    TaskKind.APPLICATION_DECISION: "BASE-REVIEW-1",
    TaskKind.MEMBERSHIP_APPROVAL: "VOL-EXIT-1",
    TaskKind.HOURS_CONFIRMATION: "VOL-HOURS-1",
    TaskKind.COMPLAINT_HANDLING: "VOL-SUPER-1",
    TaskKind.MONTHLY_STATISTICS: "BASE-OPEN-4",
    TaskKind.ANNUAL_REPORT: "BASE-REPORT-1",
    TaskKind.RECTIFICATION: "BASE-REVOKE-3",
    TaskKind.EVALUATION: "BASE-EVAL-1",
    TaskKind.REVOCATION_CANDIDATE: "BASE-REVOKE-3",
}


class Task(BaseModel):
    """One thing a person must do next."""

    model_config = ConfigDict(frozen=True)

    kind: TaskKind
    rule: str
    due_on: date
    resource_path: str


def task(kind: TaskKind, due_on: date, resource_path: str) -> Task:
    """A task of a kind, with its rule."""
    return Task(kind=kind, rule=RULES[kind], due_on=due_on, resource_path=resource_path)


def ordered(tasks: Iterable[Task]) -> list[Task]:
    """Soonest due first; ties by resource path, so pages are stable."""
    return sorted(tasks, key=lambda t: (t.due_on, t.resource_path, t.kind.value))


def base_staff_tasks(
    *,
    base_id: str,
    accredited_on: date,
    report_due: date,
    report_submitted: bool,
    reported_months: Collection[tuple[int, int]],
    notices: Iterable[RectificationNotice],
    today: date,
) -> list[Task]:
    """A base's own work: last month's statistics once the month has ended (BASE-OPEN-4,
    counted from the accreditation month), this year's report until submitted (BASE-REPORT-1)
    and every open rectification notice (BASE-REVOKE-3)."""
    path = f"/api/v1/bases/{base_id}"
    out: list[Task] = []
    last = month_unreported(accredited_on, reported_months, today)
    if last is not None:
        out.append(
            task(
                TaskKind.MONTHLY_STATISTICS,
                date(today.year, today.month, 1),
                f"{path}/monthly-stats/{last[0]}/{last[1]}",
            )
        )
    if not report_submitted:
        out.append(
            task(TaskKind.ANNUAL_REPORT, report_due, f"{path}/annual-reports/{report_due.year}")
        )
    out += [
        task(TaskKind.RECTIFICATION, n.deadline, f"{path}/rectification-notices/{n.id}")
        for n in notices
        if n.outcome is None
    ]
    return out


def oversight_tasks(
    *,
    base_id: str,
    schedule: EvaluationSchedule,
    notices: Iterable[RectificationNotice],
    today: date,
    now: datetime,
) -> list[Task]:
    """The city's work on one base: its evaluation once the window has opened (BASE-EVAL-1),
    and revocation on ground 3 for each notice expired unrectified (BASE-REVOKE-3)."""
    path = f"/api/v1/bases/{base_id}"
    out: list[Task] = []
    if schedule.lapses_on is None and today >= schedule.window_opens_on:
        out.append(task(TaskKind.EVALUATION, schedule.due_on, f"{path}/evaluations"))
    out += [
        task(TaskKind.REVOCATION_CANDIDATE, n.deadline, f"{path}/revocation")
        for n in notices
        if notice_expired_unrectified(n, now)
    ]
    return out
