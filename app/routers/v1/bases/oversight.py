"""The city association's oversight of a base: the three-yearly evaluation (BASE-EVAL-1),
inspections (BASE-INSPECT-1) and recommendations upward (BASE-PROMOTE-1)."""

from __future__ import annotations

from fastapi import Response

from app.domain.common import local_date
from app.errors import problem_responses
from app.repositories import bases, bases_oversight
from app.routers.deps import NowDep, PageDep, SessionDep, set_etag
from app.routers.pages import Page, created, page_of
from app.routers.route import resource_router
from app.routers.v1.bases.auth import BasesOversee, BasesRead
from app.routers.v1.bases.schemas import (
    BaseCompliancePublic,
    BaseEvaluationCreate,
    BaseEvaluationPrefill,
    BaseEvaluationPublic,
    BaseInspectionCreate,
    BaseInspectionPublic,
    BasePromotionCreate,
    BasePromotionPublic,
)
from app.services import bases_oversight as service

router = resource_router("bases")


@router.get(
    "/bases/{base_id}/evaluations/prefill",
    summary="The current term and its yearly compliance, for an evaluation",
    responses=problem_responses(404),
)
def get_base_evaluation_prefill(
    base_id: str, principal: BasesRead, session: SessionDep, now: NowDep
) -> BaseEvaluationPrefill:
    """BASE-EVAL-1: the term, its due date and window, and the compliance of its years."""
    p = service.prefill(session, principal=principal, base_id=base_id, today=local_date(now))
    return BaseEvaluationPrefill(
        schedule=p.schedule, summaries=[BaseCompliancePublic.of(s) for s in p.summaries]
    )


@router.post(
    "/bases/{base_id}/evaluations",
    status_code=201,
    summary="Record a comprehensive evaluation",
    responses=problem_responses(404, 409),
)
def create_base_evaluation(
    base_id: str,
    body: BaseEvaluationCreate,
    principal: BasesOversee,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> BaseEvaluationPublic:
    """BASE-EVAL-1: a pass renews the term for three years; a fail ends the accreditation at the
    term's end. Stored with the yearly compliance summaries of the term."""
    saved = service.record_evaluation(
        session,
        principal=principal,
        base_id=base_id,
        outcome=body.outcome,
        reason=body.reason,
        evaluated_on=body.evaluated_on,
        today=local_date(now),
    )
    location = f"/api/v1/bases/{base_id}/evaluations/{saved.id}"
    return created(response, location, saved, BaseEvaluationPublic)


@router.get(
    "/bases/{base_id}/evaluations",
    summary="A base's evaluations",
    responses=problem_responses(404),
)
def list_base_evaluations(
    base_id: str, principal: BasesRead, session: SessionDep, page: PageDep
) -> Page[BaseEvaluationPublic]:
    """Every evaluation, in the order recorded."""
    row = bases.get_base(session, principal, base_id)
    return page_of(BaseEvaluationPublic, bases_oversight.list_evaluations(session, row.id, page))


@router.get(
    "/bases/{base_id}/evaluations/{evaluation_id}",
    summary="Read an evaluation",
    responses=problem_responses(404),
)
def get_base_evaluation(
    base_id: str,
    evaluation_id: str,
    principal: BasesRead,
    session: SessionDep,
    response: Response,
) -> BaseEvaluationPublic:
    """One evaluation with the yearly compliance it was based on."""
    row = bases.get_base(session, principal, base_id)
    evaluation = bases_oversight.get_evaluation(session, row.id, evaluation_id)
    set_etag(response, evaluation)
    return BaseEvaluationPublic.model_validate(evaluation, from_attributes=True)


@router.post(
    "/bases/{base_id}/inspections",
    status_code=201,
    summary="Record an inspection",
    responses=problem_responses(404, 409),
)
def create_base_inspection(
    base_id: str,
    body: BaseInspectionCreate,
    principal: BasesOversee,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> BaseInspectionPublic:
    """BASE-INSPECT-1: a scheduled or unscheduled inspection, with a note of what it found."""
    saved = service.record_inspection(
        session,
        principal=principal,
        base_id=base_id,
        inspected_on=body.inspected_on,
        kind=body.kind,
        inspectors=body.inspectors,
        note=body.note,
        today=local_date(now),
    )
    return created(response, f"/api/v1/bases/{base_id}/inspections", saved, BaseInspectionPublic)


@router.get(
    "/bases/{base_id}/inspections",
    summary="A base's inspections",
    responses=problem_responses(404),
)
def list_base_inspections(
    base_id: str, principal: BasesRead, session: SessionDep, page: PageDep
) -> Page[BaseInspectionPublic]:
    """Every inspection, in the order recorded."""
    row = bases.get_base(session, principal, base_id)
    return page_of(BaseInspectionPublic, bases_oversight.inspections(session, row.id, page))


@router.post(
    "/bases/{base_id}/promotions",
    status_code=201,
    summary="Recommend a base or its science product upward",
    responses=problem_responses(404, 409),
)
def create_base_promotion(
    base_id: str,
    body: BasePromotionCreate,
    principal: BasesOversee,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> BasePromotionPublic:
    """BASE-PROMOTE-1: to national or autonomous-region accreditation, or a product to the
    regional awards; only for an accredited base."""
    saved = service.recommend(
        session,
        principal=principal,
        base_id=base_id,
        kind=body.kind,
        product_form=body.product_form,
        title=body.title,
        note=body.note,
        recommended_on=body.recommended_on,
        today=local_date(now),
    )
    return created(response, f"/api/v1/bases/{base_id}/promotions", saved, BasePromotionPublic)


@router.get(
    "/bases/{base_id}/promotions",
    summary="A base's recommendations upward",
    responses=problem_responses(404),
)
def list_base_promotions(
    base_id: str, principal: BasesRead, session: SessionDep, page: PageDep
) -> Page[BasePromotionPublic]:
    """Every recommendation, in the order recorded."""
    row = bases.get_base(session, principal, base_id)
    return page_of(BasePromotionPublic, bases_oversight.promotions(session, row.id, page))
