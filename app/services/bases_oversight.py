"""Use cases of the city association's oversight of bases: the three-yearly evaluation
(BASE-EVAL-1), inspections (BASE-INSPECT-1), recommendations upward (BASE-PROMOTE-1),
rectification notices and revocation (BASE-REVOKE-1..6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from app.domain.access import Principal
from app.domain.bases import (
    EvaluationOutcome,
    InspectionKind,
    NoticeOutcome,
    ProductForm,
    PromotionKind,
    RevocationGround,
)
from app.domain.common import RuleResult
from app.repositories import bases, bases_oversight
from app.repositories.bases import BaseRow
from app.repositories.bases_oversight import (
    BaseInspectionRow,
    EvaluationRow,
    NoticeRow,
    PromotionRow,
    RevocationRow,
)
from app.repositories.bases_policies import policy_on
from app.rules.bases_evaluation import (
    EvaluationSchedule,
    check_evaluation,
    check_inspection,
    check_promotion,
    evaluation_schedule,
)
from app.rules.bases_revocation import check_notice, check_notice_close, check_revocation
from app.services.bases import BaseCompliance, assess, open_base, refuse, status_of


@dataclass(frozen=True)
class Prefill:
    """BASE-EVAL-1: the current term, its window, and the compliance of its years so far."""

    schedule: EvaluationSchedule
    summaries: list[BaseCompliance]


def schedule_of(session: Session, base: BaseRow, today: date) -> EvaluationSchedule:
    """BASE-EVAL-1: the base's current term and when its evaluation is due."""
    evaluations = [e.to_domain() for e in bases_oversight.evaluations(session, base.id)]
    return evaluation_schedule(
        base.accredited_on, evaluations, policy_on(session, base.accredited_on), today
    )


def _term_summaries(
    session: Session, base: BaseRow, schedule: EvaluationSchedule, today: date
) -> list[BaseCompliance]:
    years = [y for y in schedule.term_years if base.accredited_on.year <= y <= today.year]
    return assess(session, base, years, today)


def prefill(session: Session, *, principal: Principal, base_id: str, today: date) -> Prefill:
    """BASE-EVAL-1: the term, its due date and window, and the compliance of its years."""
    base = bases.get_base(session, principal, base_id)
    schedule = schedule_of(session, base, today)
    return Prefill(schedule, _term_summaries(session, base, schedule, today))


def record_evaluation(
    session: Session,
    *,
    principal: Principal,
    base_id: str,
    outcome: EvaluationOutcome,
    reason: str,
    evaluated_on: date | None,
    today: date,
) -> EvaluationRow:
    """BASE-EVAL-1: a pass renews the term for three years; a fail ends the accreditation at
    the term's end. Stored with the yearly compliance summaries of the term."""
    base = open_base(session, principal, base_id, today=today)
    on = evaluated_on or today
    evaluations = [e.to_domain() for e in bases_oversight.evaluations(session, base.id)]
    policy = policy_on(session, base.accredited_on)
    refuse(check_evaluation(base.accredited_on, evaluations, on, policy, today), 422)
    schedule = evaluation_schedule(base.accredited_on, evaluations, policy, today)
    summaries = _term_summaries(session, base, schedule, today)
    saved = bases_oversight.add_evaluation(
        session,
        base,
        fields={
            "evaluated_on": on,
            "outcome": outcome.value,
            "findings": reason,
            "term_number": schedule.term_number,
            "term_start": schedule.term_starts_on,
            "term_end": schedule.due_on,
            "summaries": [summary(s) for s in summaries],
        },
        evaluated_by=principal.user_id,
    )
    after = schedule_of(session, base, today)
    bases.set_evaluation_term(session, base, due_on=after.due_on, lapses_on=after.lapses_on)
    return saved


def summary(item: BaseCompliance) -> dict[str, object]:
    """The stored summary of one year's compliance, in the shape the API answers it."""
    base, c = item.base, item.compliance
    return {
        "base_id": base.id,
        "name": base.name,
        "region_code": base.region_code,
        "county_code": base.county_code,
        "status": item.status.value,
        **c.model_dump(mode="json", include={"year", "evaluated_on", "final", "months_reported"}),
        "opening_class": c.opening_class.value,
        "ok": c.ok,
        "items": [i.model_dump(mode="json") for i in c.items],
    }


def record_inspection(
    session: Session,
    *,
    principal: Principal,
    base_id: str,
    inspected_on: date,
    kind: InspectionKind,
    inspectors: str,
    note: str,
    today: date,
) -> BaseInspectionRow:
    """BASE-INSPECT-1: a scheduled or unscheduled inspection, with what it found."""
    base = open_base(session, principal, base_id, today=today)
    refuse(check_inspection(inspected_on, note, today=today), 422)
    return bases_oversight.add_inspection(
        session,
        base,
        fields={
            "inspected_on": inspected_on,
            "kind": kind.value,
            "inspectors": inspectors,
            "findings": note,
        },
        recorded_by=principal.user_id,
    )


def recommend(
    session: Session,
    *,
    principal: Principal,
    base_id: str,
    kind: PromotionKind,
    product_form: ProductForm | None,
    title: str,
    note: str,
    recommended_on: date | None,
    today: date,
) -> PromotionRow:
    """BASE-PROMOTE-1: to national or autonomous-region accreditation, or a product to the
    regional awards; only for an accredited base (409 otherwise)."""
    base = bases.get_base(session, principal, base_id)
    result = check_promotion(kind, product_form, status_of(base, today))
    refuse(RuleResult(findings=[f for f in result.errors if f.field == "status"]), 409)
    refuse(result, 422)
    return bases_oversight.add_promotion(
        session,
        base,
        fields={
            "kind": kind.value,
            "product_form": product_form.value if product_form else None,
            "title": title,
            "note": note,
            "recommended_on": recommended_on or today,
        },
        recommended_by=principal.user_id,
    )


def issue_notice(
    session: Session,
    *,
    principal: Principal,
    base_id: str,
    reason: str,
    due_on: date,
    now: datetime,
    today: date,
) -> NoticeRow:
    """BASE-REVOKE-3: what must be rectified, by a day after today."""
    base = open_base(session, principal, base_id, today=today)
    refuse(check_notice(reason, due_on, now=now), 422)
    return bases_oversight.add_notice(
        session, base, reason=reason, due_on=due_on, issued_at=now, issued_by=principal.user_id
    )


def close_notice(
    session: Session,
    *,
    principal: Principal,
    base_id: str,
    notice_id: str,
    outcome: NoticeOutcome,
    note: str,
    now: datetime,
) -> NoticeRow:
    """BASE-REVOKE-3: rectified at any time, not rectified only after the due date; once."""
    base = bases.get_base(session, principal, base_id)
    notice = bases_oversight.get_notice(session, base.id, notice_id)
    refuse(check_notice_close(notice.to_domain(), outcome, now=now), 409)
    return bases_oversight.close_notice(
        session, notice, outcome=outcome, note=note, closed_at=now, closed_by=principal.user_id
    )


def revoke(
    session: Session,
    *,
    principal: Principal,
    base_id: str,
    grounds: list[RevocationGround],
    evidence: list[str],
    reason: str,
    now: datetime,
    today: date,
) -> RevocationRow:
    """BASE-REVOKE-1..6: effective at once, the base leaves the public directory; 409 when a
    ground's precondition fails or the base is already revoked or lapsed."""
    base = bases.get_base(session, principal, base_id)
    result = check_revocation(
        status=status_of(base, today),
        grounds=grounds,
        evidence=evidence,
        notices=[n.to_domain() for n in bases_oversight.notices(session, base.id)],
        reason=reason,
        now=now,
    )
    refuse(result, 409)
    return bases_oversight.revoke(
        session,
        base,
        grounds=[g.value for g in dict.fromkeys(grounds)],
        evidence=[e for e in evidence if e.strip()],
        reason=reason,
        supporting_notices=result.supporting_notices,
        decided_by=principal.user_id,
        decided_at=now,
    )
