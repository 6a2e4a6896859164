"""Applications for accreditation as a science education base: the draft, its checks, its
submission, history and attachments (BASE-CAT-1, BASE-ELIG-1..8, BASE-APPLY-1, BASE-APPLY-2,
BASE-REVIEW-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from app.domain.bases import ApplicationChannel, ApplicationStatus, BaseCategory
from app.domain.common import NameStatusSort
from app.errors import FindingPublic, problem_responses
from app.repositories import bases_applications, regions
from app.routers import files as answers
from app.routers.deps import (
    NowDep,
    PageDep,
    SessionDep,
    check_if_match,
    set_etag,
)
from app.routers.lists import NameQuery, SortQuery
from app.routers.pages import Page, mark_created, page_map, page_of
from app.routers.route import resource_router
from app.routers.v1.bases.auth import ApplicationsRead, ApplicationsWrite
from app.routers.v1.bases.schemas import (
    REGION_PATTERN,
    ApplicationAttachmentKind,
    BaseApplicationCreate,
    BaseApplicationEligibilityPublic,
    BaseApplicationHistoryPublic,
    BaseApplicationPublic,
    BaseApplicationUpdate,
)
from app.services import bases_applications as service
from app.services import bases_attachments
from app.services.attachments import Owner

router = resource_router("base-applications")


@router.post(
    "/base-applications",
    status_code=201,
    summary="Start an application (draft)",
    responses=problem_responses(409),
)
def create_base_application(
    body: BaseApplicationCreate,
    principal: ApplicationsWrite,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> BaseApplicationPublic:
    """A draft entered by the city association or, for its recommendations, a county."""
    row = service.create_application(
        session, principal=principal, values=body.model_dump(exclude_unset=True), now=now
    )
    mark_created(response, f"/api/v1/base-applications/{row.id}", row)
    return BaseApplicationPublic.of(row)


@router.get("/base-applications", summary="List applications")
def list_base_applications(
    principal: ApplicationsRead,
    session: SessionDep,
    page: PageDep,
    status: Annotated[ApplicationStatus | None, Query()] = None,
    channel: Annotated[ApplicationChannel | None, Query()] = None,
    category: Annotated[BaseCategory | None, Query()] = None,
    region_code: Annotated[
        str | None, Query(pattern=REGION_PATTERN, description="A region of any level")
    ] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="Year of submission")] = None,
    q: NameQuery = None,
    sort: SortQuery[NameStatusSort] = None,
) -> Page[BaseApplicationPublic]:
    """Applications in the caller's scope (a reviewer: its assignments)."""
    if region_code is not None:
        regions.require_region(session, region_code, field="query.region_code")
    result = bases_applications.list_applications(
        session,
        principal,
        page=page.sorted_by(sort),
        status=status,
        channel=channel,
        category=category,
        region_code=region_code,
        year=year,
        q=q,
    )
    return page_map(BaseApplicationPublic.of, result)


@router.get(
    "/base-applications/{application_id}",
    summary="Read an application",
    responses=problem_responses(404),
)
def get_base_application(
    application_id: str, principal: ApplicationsRead, session: SessionDep, response: Response
) -> BaseApplicationPublic:
    """One application in the caller's scope."""
    row = bases_applications.get_application(session, principal, application_id)
    set_etag(response, row)
    return BaseApplicationPublic.of(row)


@router.patch(
    "/base-applications/{application_id}",
    summary="Edit a draft or returned application",
    responses=problem_responses(404, 409, 412),
)
def update_base_application(
    application_id: str,
    body: BaseApplicationUpdate,
    principal: ApplicationsWrite,
    session: SessionDep,
    request: Request,
    response: Response,
) -> BaseApplicationPublic:
    """Only a draft or a returned application changes (BASE-REVIEW-1); honours If-Match."""
    row = service.update_application(
        session,
        principal=principal,
        application_id=application_id,
        values=body.model_dump(exclude_unset=True),
        check_version=lambda r: check_if_match(request, r),
    )
    set_etag(response, row)
    return BaseApplicationPublic.of(row)


@router.get(
    "/base-applications/{application_id}/eligibility",
    summary="Check an application against the conditions",
    responses=problem_responses(404),
)
def get_base_application_eligibility(
    application_id: str, principal: ApplicationsRead, session: SessionDep, now: NowDep
) -> BaseApplicationEligibilityPublic:
    """BASE-ELIG-1..8 with every unmet condition, and the category, materials and channel checks
    submission adds, at any time."""
    e = service.eligibility(session, principal=principal, application_id=application_id, now=now)
    return BaseApplicationEligibilityPublic(
        eligible=e.eligibility.ok,
        unmet=e.eligibility.unmet,
        eligibility=FindingPublic.of(e.eligibility.findings),
        category=FindingPublic.of(e.category.findings),
        materials=FindingPublic.of(e.materials.findings),
        channel=FindingPublic.of(e.channel.findings),
        ready_to_submit=e.ready_to_submit,
    )


@router.post(
    "/base-applications/{application_id}:submit",
    summary="Submit an application",
    responses=problem_responses(404, 409),
)
def submit_base_application(
    application_id: str,
    principal: ApplicationsWrite,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> BaseApplicationPublic:
    """Refused (422 `violations`) while a condition, material, category or channel check fails
    (BASE-ELIG-1..8, BASE-APPLY-1, BASE-APPLY-2, BASE-CAT-1); 409 when not a draft or returned."""
    row = service.submit(session, principal=principal, application_id=application_id, now=now)
    set_etag(response, row)
    return BaseApplicationPublic.of(row)


@router.get(
    "/base-applications/{application_id}/history",
    summary="An application's history",
    responses=problem_responses(404),
)
def get_base_application_history(
    application_id: str, principal: ApplicationsRead, session: SessionDep, page: PageDep
) -> Page[BaseApplicationHistoryPublic]:
    """Every state change and step, oldest first (BASE-REVIEW-1)."""
    row = bases_applications.get_application(session, principal, application_id)
    return page_of(BaseApplicationHistoryPublic, bases_applications.history(session, row.id, page))


# --- attachments ---------------------------------------------------------------------------------


def _application_to_read(
    application_id: str, principal: ApplicationsRead, session: SessionDep
) -> Owner:
    """An application in the caller's scope."""
    return bases_attachments.application_owner(session, principal, application_id, writing=False)


def _application_to_write(
    application_id: str, principal: ApplicationsWrite, session: SessionDep
) -> Owner:
    """An application in scope that is a draft or returned (BASE-REVIEW-1)."""
    return bases_attachments.application_owner(session, principal, application_id, writing=True)


answers.attachment_routes(
    router,
    path="/base-applications/{application_id}/attachments",
    name="base_application",
    read=_application_to_read,
    write=_application_to_write,
    writers=ApplicationsWrite,
    kinds=ApplicationAttachmentKind,
    texts=answers.AttachmentTexts(
        add=(
            "Attach a file to an application",
            "A file of kind `application_form`, `plan`, `photo`, `entrustment_letter` or "
            "`other`; its type is judged by its content (BASE-APPLY-2, BASE-ELIG-1).",
        ),
        list=("List an application's attachments", "The application's files, in upload order."),
        content=(
            "Download an application attachment",
            "The file's bytes with its checked media type.",
        ),
        remove=(
            "Remove an application attachment",
            "Only while the application is a draft or returned.",
        ),
    ),
)
