"""The three-yearly comprehensive evaluation and the term of accreditation (BASE-EVAL-1)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.bases import (
    DEFAULT_BASE_POLICY,
    BaseStatus,
    Evaluation,
    EvaluationOutcome,
    ProductForm,
    PromotionKind,
)
from app.rules.bases_evaluation import (
    add_years,
    base_status,
    check_evaluation,
    check_inspection,
    check_promotion,
    evaluation_due,
    evaluation_overdue,
    evaluation_schedule,
)

ACCREDITED = date(2022, 6, 1)
PASS, FAIL = EvaluationOutcome.PASS, EvaluationOutcome.FAIL


def ev(day: date, outcome: EvaluationOutcome = PASS) -> Evaluation:
    return Evaluation(evaluated_on=day, outcome=outcome)


def test_base_eval_1_first_evaluation_is_due_three_years_after_accreditation() -> None:
    assert evaluation_due(ACCREDITED, [], DEFAULT_BASE_POLICY) == date(2025, 6, 1)
    s = evaluation_schedule(ACCREDITED, [], DEFAULT_BASE_POLICY, date(2024, 1, 1))
    assert (s.term_number, s.term_starts_on, s.term_years) == (1, ACCREDITED, [2022, 2023, 2024])
    assert s.window_opens_on == date(2024, 6, 1)


@pytest.mark.parametrize(
    ("today", "overdue"), [(date(2025, 6, 1), False), (date(2025, 6, 2), True)]
)
def test_base_eval_1_evaluation_not_done_by_term_end_is_overdue(today: date, overdue: bool) -> None:
    """BASE-EVAL-1: overdue is flagged; the base stays accredited."""
    s = evaluation_schedule(ACCREDITED, [], DEFAULT_BASE_POLICY, today)
    assert s.overdue is overdue
    assert s.status is BaseStatus.ACCREDITED


def test_base_eval_1_passed_evaluation_renews_for_three_years_from_term_end() -> None:
    """BASE-EVAL-1: a pass renews for 3 years, counted from the term's end even when done early."""
    s = evaluation_schedule(
        ACCREDITED, [ev(date(2025, 3, 1))], DEFAULT_BASE_POLICY, date(2025, 7, 1)
    )
    assert (s.term_number, s.term_starts_on, s.due_on) == (2, date(2025, 6, 1), date(2028, 6, 1))
    assert not s.overdue
    assert s.status is BaseStatus.ACCREDITED


def test_base_eval_1_late_pass_does_not_move_the_next_due_date() -> None:
    s = evaluation_schedule(
        ACCREDITED, [ev(date(2025, 12, 1))], DEFAULT_BASE_POLICY, date(2025, 12, 2)
    )
    assert s.due_on == date(2028, 6, 1)


@pytest.mark.parametrize(
    ("today", "status"),
    [(date(2025, 5, 31), BaseStatus.ACCREDITED), (date(2025, 6, 1), BaseStatus.LAPSED)],
)
def test_base_eval_1_failed_evaluation_lapses_at_the_end_of_the_term(
    today: date, status: BaseStatus
) -> None:
    """BASE-EVAL-1: 不给予连续认定资格 — the title ends with the term, not at once."""
    s = evaluation_schedule(ACCREDITED, [ev(date(2025, 3, 1), FAIL)], DEFAULT_BASE_POLICY, today)
    assert s.lapses_on == date(2025, 6, 1)
    assert s.status is status
    assert not s.overdue


def test_base_eval_1_leap_day_accreditation_ends_on_28_february() -> None:
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert evaluation_due(date(2024, 2, 29), [], DEFAULT_BASE_POLICY) == date(2027, 2, 28)
    # Terms are counted from accreditation, so the next one returns to 29 February.
    assert evaluation_due(date(2024, 2, 29), [ev(date(2027, 1, 1))] * 3, DEFAULT_BASE_POLICY) == (
        date(2036, 2, 29)
    )


@pytest.mark.parametrize(
    ("evaluations", "on", "today", "ok"),
    [
        ([], date(2024, 6, 1), date(2024, 7, 1), True),
        ([], date(2024, 5, 31), date(2024, 7, 1), False),
        ([], date(2024, 7, 2), date(2024, 7, 1), False),
        ([ev(date(2025, 3, 1))], date(2025, 9, 1), date(2025, 9, 1), False),
        ([ev(date(2025, 3, 1))], date(2027, 6, 2), date(2027, 6, 2), True),
        ([ev(date(2025, 3, 1), FAIL)], date(2025, 4, 1), date(2025, 4, 1), False),
        ([ev(date(2025, 3, 1))], date(2025, 2, 1), date(2025, 4, 1), False),
    ],
)
def test_base_eval_1_new_evaluation_falls_in_the_current_terms_window(
    evaluations: list[Evaluation], on: date, today: date, ok: bool
) -> None:
    """BASE-EVAL-1 (decision): one evaluation per term, in its final year, none after a fail."""
    result = check_evaluation(ACCREDITED, evaluations, on, DEFAULT_BASE_POLICY, today)
    assert result.ok is ok
    assert all(f.rule == "BASE-EVAL-1" for f in result.findings)


@given(st.dates(date(2015, 1, 1), date(2030, 12, 31)), st.integers(0, 5))
def test_base_eval_1_each_pass_moves_the_due_date_by_exactly_one_term(
    accredited: date, passes: int
) -> None:
    due = evaluation_due(accredited, [ev(accredited)] * passes, DEFAULT_BASE_POLICY)
    assert due == add_years(accredited, 3 * (passes + 1))
    assert due > accredited


@pytest.mark.parametrize(
    ("inspected_on", "text", "fields"),
    [
        (date(2025, 6, 1), "展品标签齐全", []),
        (date(2025, 6, 2), "展品标签齐全", ["inspected_on"]),
        (date(2025, 6, 1), " ", ["note"]),
    ],
)
def test_base_inspect_1_inspection_is_recorded_once_done_with_findings(
    inspected_on: date, text: str, fields: list[str]
) -> None:
    result = check_inspection(inspected_on, text, today=date(2025, 6, 1))
    assert [f.field for f in result.findings] == fields
    assert all(f.rule == "BASE-INSPECT-1" for f in result.findings)


@pytest.mark.parametrize(
    ("kind", "form", "status", "fields"),
    [
        (PromotionKind.NATIONAL_BASE, None, BaseStatus.ACCREDITED, []),
        (PromotionKind.REGIONAL_BASE, None, BaseStatus.LAPSED, ["status"]),
        (PromotionKind.SCIENCE_PRODUCT, ProductForm.ANIMATION, BaseStatus.ACCREDITED, []),
        (PromotionKind.SCIENCE_PRODUCT, None, BaseStatus.ACCREDITED, ["product_form"]),
        (
            PromotionKind.NATIONAL_BASE,
            ProductForm.BOOK,
            BaseStatus.REVOKED,
            ["status", "product_form"],
        ),
    ],
)
def test_base_promote_1_only_accredited_bases_are_recommended_upward(
    kind: PromotionKind, form: ProductForm | None, status: BaseStatus, fields: list[str]
) -> None:
    result = check_promotion(kind, form, status)
    assert [f.field for f in result.findings] == fields
    assert all(f.rule == "BASE-PROMOTE-1" for f in result.findings)


@pytest.mark.parametrize(
    ("revoked", "lapses_on", "status"),
    [
        (False, None, BaseStatus.ACCREDITED),
        (False, date(2025, 6, 2), BaseStatus.ACCREDITED),
        (False, date(2025, 6, 1), BaseStatus.LAPSED),
        (True, None, BaseStatus.REVOKED),
        (True, date(2020, 1, 1), BaseStatus.REVOKED),
    ],
)
def test_base_eval_1_status_is_revoked_lapsed_from_its_day_or_accredited(
    revoked: bool, lapses_on: date | None, status: BaseStatus
) -> None:
    """BASE-EVAL-1, BASE-REVOKE-1..6: a failed term lapses on its last day; revocation wins."""
    assert base_status(revoked=revoked, lapses_on=lapses_on, today=date(2025, 6, 1)) is status


@pytest.mark.parametrize(
    ("lapses_on", "due_on", "overdue"),
    [
        (None, date(2025, 6, 1), False),
        (None, date(2025, 5, 31), True),
        (date(2025, 5, 31), date(2025, 5, 31), False),
    ],
)
def test_base_eval_1_overdue_after_the_term_without_evaluation_never_after_a_fail(
    lapses_on: date | None, due_on: date, overdue: bool
) -> None:
    today = date(2025, 6, 1)
    assert evaluation_overdue(lapses_on=lapses_on, due_on=due_on, today=today) is overdue
