"""A base's public science activities and their evidence (BASE-ACT-1, BASE-EVENT-1,
BASE-ARCHIVE-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from app.domain.bases import Activity
from app.domain.common import local_date
from app.errors import problem_responses
from app.repositories import attachments as attachment_repo
from app.repositories import bases
from app.repositories.attachments import OwnerType
from app.routers import files as answers
from app.routers.deps import (
    NowDep,
    PageDep,
    SessionDep,
    set_etag,
)
from app.routers.pages import Page, mark_created, page_map
from app.routers.route import resource_router
from app.routers.v1.bases.auth import BasesRead, BasesWrite
from app.routers.v1.bases.schemas import (
    ArchiveAttachmentKind,
    BaseActivityCreate,
    BaseActivityPublic,
)
from app.services import bases as service
from app.services import bases_attachments as attachments
from app.services.attachments import Owner

router = resource_router("bases")


@router.post(
    "/bases/{base_id}/activities",
    status_code=201,
    summary="Record an activity",
    responses=problem_responses(404, 409),
)
def create_base_activity(
    base_id: str,
    body: BaseActivityCreate,
    principal: BasesWrite,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> BaseActivityPublic:
    """BASE-ACT-1: an activity once held; it counts once evidence is attached (BASE-ARCHIVE-1)."""
    view = service.record_activity(
        session,
        principal=principal,
        base_id=base_id,
        activity=Activity(**body.model_dump(exclude={"description"})),
        description=body.description,
        today=local_date(now),
    )
    mark_created(response, f"/api/v1/bases/{base_id}/activities/{view.row.id}", view.row)
    return BaseActivityPublic.of(view)


@router.get(
    "/bases/{base_id}/activities",
    summary="A base's activities",
    responses=problem_responses(404),
)
def list_base_activities(
    base_id: str,
    principal: BasesRead,
    session: SessionDep,
    page: PageDep,
    now: NowDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[BaseActivityPublic]:
    """Activities, optionally of one year, each with its evidence count."""
    row = bases.get_base(session, principal, base_id)
    result = bases.list_activities(session, row.id, page=page, year=year)
    counts = attachment_repo.counts(session, OwnerType.ACTIVITY, (a.id for a in result.items))
    today = local_date(now)
    return page_map(
        lambda a: BaseActivityPublic.of(service.activity_view(a, counts.get(a.id, 0), today)),
        result,
    )


@router.get(
    "/bases/{base_id}/activities/{activity_id}",
    summary="Read an activity",
    responses=problem_responses(404),
)
def get_base_activity(
    base_id: str,
    activity_id: str,
    principal: BasesRead,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> BaseActivityPublic:
    """One activity."""
    row = bases.get_base(session, principal, base_id)
    activity = bases.get_activity(session, row.id, activity_id)
    count = attachment_repo.counts(session, OwnerType.ACTIVITY, [activity.id]).get(activity.id, 0)
    set_etag(response, activity)
    return BaseActivityPublic.of(service.activity_view(activity, count, local_date(now)))


# --- evidence ------------------------------------------------------------------------------------


def _activity_to_read(
    base_id: str, activity_id: str, principal: BasesRead, session: SessionDep, now: NowDep
) -> Owner:
    """An activity of a base in the caller's scope."""
    today = local_date(now)
    return attachments.activity_owner(
        session, principal, base_id, activity_id, writing=False, today=today
    )


def _activity_to_write(
    base_id: str, activity_id: str, principal: BasesWrite, session: SessionDep, now: NowDep
) -> Owner:
    """An activity of a base in scope that is not revoked."""
    today = local_date(now)
    return attachments.activity_owner(
        session, principal, base_id, activity_id, writing=True, today=today
    )


answers.attachment_routes(
    router,
    path="/bases/{base_id}/activities/{activity_id}/attachments",
    name="base_activity",
    read=_activity_to_read,
    write=_activity_to_write,
    writers=BasesWrite,
    kinds=ArchiveAttachmentKind,
    texts=answers.AttachmentTexts(
        add=(
            "Attach evidence to an activity",
            "BASE-ARCHIVE-1: photos, video, documents and statistics; type judged by content.",
        ),
        list=("List the evidence of an activity", "The files, in upload order."),
        content=(
            "Download an activity's evidence",
            "The file's bytes with its checked media type.",
        ),
        remove=("Remove an activity's evidence", "Not from a revoked base."),
    ),
)
