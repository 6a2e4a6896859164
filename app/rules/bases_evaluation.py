"""The city association's oversight of bases: the three-yearly evaluation and the term of
accreditation (Art. 24), inspections (Art. 20) and recommendations upward (Arts. 20, 21)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from pydantic import BaseModel

from app.domain.bases import (
    BasePolicy,
    BaseStatus,
    Evaluation,
    EvaluationOutcome,
    ProductForm,
    PromotionKind,
)
from app.domain.common import Finding, MessageParam, RuleResult
from app.domain.messages import N_


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class EvaluationSchedule(BaseModel):
    """BASE-EVAL-1: the current term of accreditation and its evaluation."""

    term_number: int
    term_starts_on: date
    due_on: date
    window_opens_on: date
    term_years: list[int]
    lapses_on: date | None
    status: BaseStatus
    overdue: bool


def evaluation_schedule(
    accredited_on: date, evaluations: Iterable[Evaluation], policy: BasePolicy, today: date
) -> EvaluationSchedule:
    """BASE-EVAL-1: terms run `evaluation_term_years` from accreditation; each passed evaluation
    renews for one more term from the end of the current one, a failed one ends the
    accreditation at the end of the current term, and an evaluation not done by the end of its
    term is overdue (the base stays accredited, flagged).
    """
    term_years = policy.evaluation_term_years
    term = 0
    lapses_on: date | None = None
    for e in sorted(evaluations, key=lambda e: e.evaluated_on):
        if e.outcome is EvaluationOutcome.FAIL:
            lapses_on = add_years(accredited_on, term_years * (term + 1))
            break
        term += 1
    start = add_years(accredited_on, term_years * term)
    due = add_years(accredited_on, term_years * (term + 1))
    return EvaluationSchedule(
        term_number=term + 1,
        term_starts_on=start,
        due_on=due,
        window_opens_on=due - timedelta(days=policy.evaluation_window_days),
        term_years=list(range(start.year, start.year + term_years)),
        lapses_on=lapses_on,
        status=base_status(revoked=False, lapses_on=lapses_on, today=today),
        overdue=evaluation_overdue(lapses_on=lapses_on, due_on=due, today=today),
    )


def evaluation_due(
    accredited_on: date, evaluations: Iterable[Evaluation], policy: BasePolicy
) -> date:
    """BASE-EVAL-1: the date by which the current term's evaluation is due."""
    return evaluation_schedule(accredited_on, evaluations, policy, accredited_on).due_on


def check_evaluation(
    accredited_on: date,
    evaluations: Iterable[Evaluation],
    evaluated_on: date,
    policy: BasePolicy,
    today: date,
) -> RuleResult:
    """BASE-EVAL-1: a new evaluation falls in the current term's window and is not in the future.

    Decision: the window opens `evaluation_window_days` before the term ends, so no term is
    evaluated twice; after a failed evaluation there is no further one.
    """
    evaluations = list(evaluations)
    schedule = evaluation_schedule(accredited_on, evaluations, policy, today)
    findings: list[Finding] = []

    def bad(code: str, message: str, **params: MessageParam) -> None:
        findings.append(
            Finding(
                rule="BASE-EVAL-1", field="evaluated_on", code=code, message=message, params=params
            )
        )

    if evaluated_on > today:
        bad("future", N_("an evaluation is recorded once done, not before"))
    if schedule.lapses_on is not None:
        bad(
            "evaluation_failed",
            N_("a failed evaluation ends the accreditation on {lapses_on}"),
            lapses_on=schedule.lapses_on.isoformat(),
        )
    elif evaluated_on < schedule.window_opens_on:
        bad(
            "window_not_open",
            N_("term {term} ends on {due_on}; its evaluation opens on {opens_on}"),
            term=schedule.term_number,
            due_on=schedule.due_on.isoformat(),
            opens_on=schedule.window_opens_on.isoformat(),
        )
    if any(e.evaluated_on > evaluated_on for e in evaluations):
        bad("later_evaluation", N_("a later evaluation is already recorded"))
    return RuleResult(findings=findings)


def base_status(*, revoked: bool, lapses_on: date | None, today: date) -> BaseStatus:
    """BASE-EVAL-1, BASE-REVOKE-1..6: revoked, lapsed from the end of a failed term, or
    accredited. The one definition: the base's row, its answers and the list filters'
    SQL (proved equal in tests/perf/test_bases_equivalence.py) all follow it."""
    if revoked:
        return BaseStatus.REVOKED
    if lapses_on is not None and lapses_on <= today:
        return BaseStatus.LAPSED
    return BaseStatus.ACCREDITED


def evaluation_overdue(*, lapses_on: date | None, due_on: date, today: date) -> bool:
    """BASE-EVAL-1: the term ended without an evaluation; the base is flagged, never lapsed."""
    return lapses_on is None and today > due_on


def check_inspection(inspected_on: date, note: str, *, today: date) -> RuleResult:
    """BASE-INSPECT-1: an inspection is recorded once done, with what was found."""
    findings: list[Finding] = []
    if inspected_on > today:
        findings.append(
            Finding(
                rule="BASE-INSPECT-1",
                field="inspected_on",
                code="future",
                message=N_("an inspection is recorded once done, not before"),
            )
        )
    if not note.strip():
        findings.append(
            Finding(
                rule="BASE-INSPECT-1",
                field="note",
                code="note_required",
                message=N_("record what was found"),
            )
        )
    return RuleResult(findings=findings)


#: BASE-PROMOTE-1: what the recommendation of a base no longer accredited is told, by its status.
NOT_RECOMMENDABLE: dict[BaseStatus, str] = {
    BaseStatus.LAPSED: N_("a lapsed base cannot be recommended"),
    BaseStatus.REVOKED: N_("a revoked base cannot be recommended"),
}


def check_promotion(
    kind: PromotionKind, product_form: ProductForm | None, status: BaseStatus
) -> RuleResult:
    """BASE-PROMOTE-1: only an accredited base is recommended; a product names its form."""
    findings: list[Finding] = []
    if status is not BaseStatus.ACCREDITED:
        findings.append(
            Finding(
                rule="BASE-PROMOTE-1",
                field="status",
                code="not_accredited",
                message=NOT_RECOMMENDABLE[status],
            )
        )
    if kind is PromotionKind.SCIENCE_PRODUCT and product_form is None:
        findings.append(
            Finding(
                rule="BASE-PROMOTE-1",
                field="product_form",
                code="product_form_required",
                message=N_("a science product names its form (broadcast, film, chart, book, ...)"),
            )
        )
    if kind is not PromotionKind.SCIENCE_PRODUCT and product_form is not None:
        findings.append(
            Finding(
                rule="BASE-PROMOTE-1",
                field="product_form",
                code="product_form_not_allowed",
                message=N_("only a science product has a form"),
            )
        )
    return RuleResult(findings=findings)
