"""The review of an application: the panel and its opinions, the inspection and acceptance
(考核验收), and the city administrator's decision (BASE-REVIEW-1). Decisions are colon verbs:
`:approve`, `:reject` and `:return`, the last two with their reason."""

from __future__ import annotations

from fastapi import Response

from app.domain.bases import ApplicationAction
from app.errors import problem_responses
from app.repositories import bases_applications
from app.routers.deps import ContextDep, NowDep, PageDep, SessionDep, set_etag
from app.routers.pages import Page, created, page_of
from app.routers.route import resource_router
from app.routers.v1.bases.auth import ApplicationsDecide, ApplicationsRead, ApplicationsReview
from app.routers.v1.bases.schemas import (
    BaseApplicationDecisionCreate,
    BaseApplicationInspectionCreate,
    BaseApplicationInspectionPublic,
    BaseApplicationOpinionCreate,
    BaseApplicationPublic,
    BaseApplicationReviewerCreate,
    BaseApplicationReviewPublic,
)
from app.services import bases_applications as service

router = resource_router("base-applications")


@router.post(
    "/base-applications/{application_id}/reviewers",
    status_code=201,
    summary="Assign a reviewer",
    responses=problem_responses(404, 409),
)
def assign_base_application_reviewer(
    application_id: str,
    body: BaseApplicationReviewerCreate,
    principal: ApplicationsDecide,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> BaseApplicationReviewPublic:
    """Adds a member of the review panel; the first assignment starts the review
    (BASE-REVIEW-1)."""
    review = service.assign_reviewer(
        session,
        principal=principal,
        application_id=application_id,
        reviewer_id=body.reviewer_id,
        now=now,
    )
    location = f"/api/v1/base-applications/{application_id}/reviewers/{review.id}"
    return created(response, location, review, BaseApplicationReviewPublic)


@router.get(
    "/base-applications/{application_id}/reviewers",
    summary="List an application's reviewers and opinions",
    responses=problem_responses(404),
)
def list_base_application_reviewers(
    application_id: str, principal: ApplicationsRead, session: SessionDep, page: PageDep
) -> Page[BaseApplicationReviewPublic]:
    """The panel and its opinions; a reviewer sees only its own."""
    row = bases_applications.get_application(session, principal, application_id)
    result = bases_applications.reviews(session, principal, row.id, page)
    return page_of(BaseApplicationReviewPublic, result)


@router.post(
    "/base-applications/{application_id}/opinions",
    status_code=201,
    summary="Record the caller's review opinion",
    responses=problem_responses(404, 409),
)
def record_base_application_opinion(
    application_id: str,
    body: BaseApplicationOpinionCreate,
    principal: ApplicationsReview,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> BaseApplicationReviewPublic:
    """One opinion per assigned reviewer: scores for every criterion, a recommendation and a
    note, or a declination with its reason (BASE-REVIEW-1)."""
    review = service.respond(
        session,
        principal=principal,
        application_id=application_id,
        declined=body.declined,
        reason=body.reason,
        scores=body.scores,
        recommendation=body.recommendation,
        note=body.note,
        now=now,
    )
    set_etag(response, review)
    return BaseApplicationReviewPublic.model_validate(review, from_attributes=True)


@router.post(
    "/base-applications/{application_id}/inspections",
    status_code=201,
    summary="Record the inspection and acceptance",
    responses=problem_responses(404, 409),
)
def record_base_application_inspection(
    application_id: str,
    body: BaseApplicationInspectionCreate,
    principal: ApplicationsDecide,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> BaseApplicationInspectionPublic:
    """The 考核验收 of an application under review; an approval needs a passed one
    (BASE-REVIEW-1)."""
    inspection = service.inspect(
        session,
        principal=principal,
        application_id=application_id,
        fields=body.model_dump(),
        now=now,
    )
    location = f"/api/v1/base-applications/{application_id}/inspections"
    return created(response, location, inspection, BaseApplicationInspectionPublic)


@router.get(
    "/base-applications/{application_id}/inspections",
    summary="List an application's inspections",
    responses=problem_responses(404),
)
def list_base_application_inspections(
    application_id: str, principal: ApplicationsRead, session: SessionDep, page: PageDep
) -> Page[BaseApplicationInspectionPublic]:
    """The inspections recorded, oldest first."""
    row = bases_applications.get_application(session, principal, application_id)
    result = bases_applications.inspections(session, row.id, page)
    return page_of(BaseApplicationInspectionPublic, result)


def _decide(
    session: SessionDep,
    principal: ApplicationsDecide,
    ctx: ContextDep,
    now: NowDep,
    response: Response,
    decision: tuple[str, ApplicationAction, str],
) -> BaseApplicationPublic:
    application_id, action, reason = decision
    row = service.decide(
        session,
        principal=principal,
        application_id=application_id,
        action=action,
        reason=reason,
        now=now,
        settings=ctx.settings,
    )
    set_etag(response, row)
    return BaseApplicationPublic.of(row)


@router.post(
    "/base-applications/{application_id}:approve",
    summary="Approve an application",
    responses=problem_responses(404, 409),
)
def approve_base_application(
    application_id: str,
    principal: ApplicationsDecide,
    session: SessionDep,
    now: NowDep,
    ctx: ContextDep,
    response: Response,
) -> BaseApplicationPublic:
    """BASE-REVIEW-1: after a passed inspection, creates the base with its accreditation date,
    plaque number and public announcement (the association's name and the title it confers
    are the settings `association_name` and `base_title`)."""
    decision = (application_id, ApplicationAction.APPROVE, "")
    return _decide(session, principal, ctx, now, response, decision)


@router.post(
    "/base-applications/{application_id}:reject",
    summary="Reject an application",
    responses=problem_responses(404, 409),
)
def reject_base_application(
    application_id: str,
    body: BaseApplicationDecisionCreate,
    principal: ApplicationsDecide,
    session: SessionDep,
    now: NowDep,
    ctx: ContextDep,
    response: Response,
) -> BaseApplicationPublic:
    """BASE-REVIEW-1: a submitted or reviewed application is rejected, with its reason."""
    decision = (application_id, ApplicationAction.REJECT, body.reason)
    return _decide(session, principal, ctx, now, response, decision)


@router.post(
    "/base-applications/{application_id}:return",
    summary="Return an application for changes",
    responses=problem_responses(404, 409),
)
def return_base_application(
    application_id: str,
    body: BaseApplicationDecisionCreate,
    principal: ApplicationsDecide,
    session: SessionDep,
    now: NowDep,
    ctx: ContextDep,
    response: Response,
) -> BaseApplicationPublic:
    """BASE-REVIEW-1: the applicant may edit and submit again; the reason says what to change."""
    decision = (application_id, ApplicationAction.RETURN, body.reason)
    return _decide(session, principal, ctx, now, response, decision)
