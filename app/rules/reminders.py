"""PLAT-NOTIFY-1: the reminders a base is due today, computed from the rules that judge it —
the report's due date (BASE-REPORT-1), the months reported (BASE-OPEN-4), the year's compliance
(`at_risk`), the rectification deadlines (BASE-REVOKE-3) and the evaluation schedule
(BASE-EVAL-1) — never from a second copy of their thresholds.

Each reminder has a key naming its event and offset: the job may run any number of times a day
and a person hears of each once. A reminder whose day was missed (the job did not run) is sent
at the next run, under the nearest offset not yet passed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from pydantic import BaseModel, ConfigDict

from app.domain.bases import RectificationNotice
from app.domain.notifications import NoticeKind
from app.rules.bases_compliance import Compliance, ComplianceStatus, month_unreported
from app.rules.bases_evaluation import EvaluationSchedule

#: Days before the report's due date a reminder goes (BASE-REPORT-1, issue 14).
REPORT_OFFSETS = (30, 7, 1)
#: Decision: days before a rectification deadline, and before an evaluation falls due.
NOTICE_OFFSETS = (7, 1)
EVALUATION_OFFSETS = (90, 30, 7)


class Reminder(BaseModel):
    """One reminder: what, under which rule, by when, about which resource, and for whom
    besides the base's own staff (`county`: its county's administrators too)."""

    model_config = ConfigDict(frozen=True)

    kind: NoticeKind
    rule: str
    due_on: date
    key: str
    resource_path: str
    variables: dict[str, str]
    county: bool = False


def offset_due(days_left: int, offsets: Iterable[int]) -> int | None:
    """The offset a reminder `days_left` days before its date goes under: the nearest offset at
    or above `days_left` (so a missed day is caught up), none before the first or after the day."""
    fitting = [o for o in offsets if days_left <= o]
    return min(fitting) if fitting and days_left >= 0 else None


def base_reminders(
    *,
    base_id: str,
    name: str,
    accredited_on: date,
    compliance: Compliance,
    report_due: date,
    report_submitted: bool,
    reported_months: Collection[tuple[int, int]],
    schedule: EvaluationSchedule,
    notices: Iterable[RectificationNotice],
    today: date,
) -> list[Reminder]:
    """Every reminder the base is due `today`: `compliance` is the current year's, and
    `reported_months` the (year, month) pairs with statistics."""
    path = f"/api/v1/bases/{base_id}"
    year = compliance.year
    out: list[Reminder] = []
    offset = offset_due((report_due - today).days, REPORT_OFFSETS)
    if not report_submitted and offset is not None:
        out.append(
            Reminder(
                kind=NoticeKind.REPORT_DUE,
                rule="BASE-REPORT-1",
                due_on=report_due,
                key=f"report_due:{base_id}:{year}:{offset}",
                resource_path=f"{path}/annual-reports/{year}",
                variables={
                    "base_name": name,
                    "year": str(year),
                    "due_on": report_due.isoformat(),
                    "days": str((report_due - today).days),
                },
            )
        )
    last_month = month_unreported(accredited_on, reported_months, today)
    if last_month is not None:
        month = f"{last_month[0]}-{last_month[1]:02d}"
        out.append(
            Reminder(
                kind=NoticeKind.STATISTICS_MISSING,
                rule="BASE-OPEN-4",
                due_on=today,
                key=f"statistics_missing:{base_id}:{month}",
                resource_path=f"{path}/monthly-stats/{last_month[0]}/{last_month[1]}",
                variables={"base_name": name, "month": month},
            )
        )
    at_risk = [i for i in compliance.items if i.status is ComplianceStatus.AT_RISK]
    if at_risk:
        out.append(
            Reminder(
                kind=NoticeKind.BASE_AT_RISK,
                rule=at_risk[0].rule,
                due_on=date(year, 12, 31),
                key=f"base_at_risk:{base_id}:{today:%Y-%m}",
                resource_path=f"{path}/compliance/{year}",
                variables={"base_name": name, "items": "、".join(i.rule for i in at_risk)},
                county=True,
            )
        )
    for notice in notices:
        offset = offset_due((notice.deadline - today).days, NOTICE_OFFSETS)
        if notice.outcome is None and offset is not None:
            out.append(
                Reminder(
                    kind=NoticeKind.RECTIFICATION_DUE,
                    rule="BASE-REVOKE-3",
                    due_on=notice.deadline,
                    key=f"rectification_due:{notice.id}:{offset}",
                    resource_path=f"{path}/rectification-notices/{notice.id}",
                    variables={"base_name": name, "due_on": notice.deadline.isoformat()},
                    county=True,
                )
            )
    offset = offset_due((schedule.due_on - today).days, EVALUATION_OFFSETS)
    if schedule.lapses_on is None and offset is not None:
        out.append(
            Reminder(
                kind=NoticeKind.EVALUATION_DUE,
                rule="BASE-EVAL-1",
                due_on=schedule.due_on,
                key=f"evaluation_due:{base_id}:{schedule.due_on}:{offset}",
                resource_path=f"{path}/evaluations",
                variables={"base_name": name, "due_on": schedule.due_on.isoformat()},
                county=True,
            )
        )
    return out
