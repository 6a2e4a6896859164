"""PLAT-NOTIFY-1, the reminder rules: offsets at their edges, and each kind of reminder from the
rule that judges it (the report's due date, the months reported, the year's compliance, the
rectification deadlines, the evaluation schedule)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.domain.bases import BaseStatus, OpeningClass, RectificationNotice
from app.domain.notifications import NoticeKind
from app.rules.bases_compliance import Compliance, ComplianceItem, ComplianceStatus
from app.rules.bases_evaluation import EvaluationSchedule
from app.rules.reminders import REPORT_OFFSETS, base_reminders, offset_due

TODAY = date(2026, 6, 5)


@pytest.mark.parametrize(
    ("days_left", "offset"),
    [(31, None), (30, 30), (8, 30), (7, 7), (2, 7), (1, 1), (0, 1), (-1, None)],
)
def test_plat_notify_1_a_reminder_goes_under_the_nearest_offset_not_passed(
    days_left: int, offset: int | None
) -> None:
    assert offset_due(days_left, REPORT_OFFSETS) == offset


def _compliance(*statuses: ComplianceStatus) -> Compliance:
    return Compliance(
        base_id="b1",
        year=2026,
        evaluated_on=TODAY,
        final=False,
        opening_class=OpeningClass.PUBLIC,
        months_reported=4,
        items=[
            ComplianceItem(rule=f"BASE-OPEN-{n}", measure="m", status=s, message="")
            for n, s in enumerate(statuses, start=1)
        ],
    )


def _schedule(due_on: date, lapses_on: date | None = None) -> EvaluationSchedule:
    return EvaluationSchedule(
        term_number=1,
        term_starts_on=date(2024, 3, 15),
        due_on=due_on,
        window_opens_on=due_on,
        term_years=[2024, 2025, 2026],
        lapses_on=lapses_on,
        status=BaseStatus.ACCREDITED,
        overdue=False,
    )


def _kinds(**changes: object) -> list[NoticeKind]:
    arguments: dict[str, object] = {
        "base_id": "b1",
        "name": "红山科技馆",
        "accredited_on": date(2024, 3, 15),
        "compliance": _compliance(ComplianceStatus.MET),
        "report_due": date(2026, 11, 10),
        "report_submitted": False,
        "reported_months": {(2026, m) for m in range(1, 6)},
        "schedule": _schedule(date(2027, 3, 15)),
        "notices": [],
        "today": TODAY,
    }
    arguments.update(changes)
    return [r.kind for r in base_reminders(**arguments)]  # type: ignore[arg-type]


def test_plat_notify_1_a_base_in_good_standing_is_reminded_of_nothing() -> None:
    assert _kinds() == []


def test_plat_notify_1_the_last_month_unreported_is_reminded_from_the_accreditation_month() -> None:
    assert _kinds(reported_months={(2026, 4)}) == [NoticeKind.STATISTICS_MISSING]
    assert _kinds(reported_months=set(), accredited_on=date(2026, 6, 1)) == []
    assert _kinds(reported_months=set(), accredited_on=date(2026, 5, 31)) == [
        NoticeKind.STATISTICS_MISSING
    ]


def test_plat_notify_1_a_duty_at_risk_is_reminded_as_the_compliance_rule_judges_it() -> None:
    risky = _compliance(ComplianceStatus.MET, ComplianceStatus.AT_RISK)
    assert _kinds(compliance=risky) == [NoticeKind.BASE_AT_RISK]
    assert _kinds(compliance=_compliance(ComplianceStatus.PENDING)) == []


def test_plat_notify_1_an_open_rectification_notice_is_reminded_7_and_1_days_before() -> None:
    def notice(deadline: date, outcome: object = None) -> RectificationNotice:
        return RectificationNotice.model_validate(
            {
                "id": "n1",
                "issued_at": datetime(2026, 5, 1, tzinfo=UTC),
                "deadline": deadline,
                "outcome": outcome,
            }
        )

    assert _kinds(notices=[notice(date(2026, 6, 13))]) == []
    assert _kinds(notices=[notice(date(2026, 6, 12))]) == [NoticeKind.RECTIFICATION_DUE]
    assert _kinds(notices=[notice(date(2026, 6, 12), "rectified")]) == []


def test_plat_notify_1_the_evaluation_is_reminded_90_days_before_unless_it_lapses() -> None:
    assert _kinds(schedule=_schedule(date(2026, 9, 4))) == []
    assert _kinds(schedule=_schedule(date(2026, 9, 3))) == [NoticeKind.EVALUATION_DUE]
    lapsing = _schedule(date(2026, 9, 3), lapses_on=date(2026, 9, 3))
    assert _kinds(schedule=lapsing) == []


def test_plat_notify_1_a_submitted_report_is_not_reminded() -> None:
    near = {"today": date(2026, 11, 3)}
    assert NoticeKind.REPORT_DUE in _kinds(**near)
    assert NoticeKind.REPORT_DUE not in _kinds(report_submitted=True, **near)
