"""Rectification notices and the revocation of a base's title (BASE-REVOKE-1..6). The
revocation is the colon verb `POST /bases/{base_id}:revoke`, readable afterwards as the
sub-resource `/bases/{base_id}/revocation`."""

from __future__ import annotations

from fastapi import Response

from app.domain.common import local_date
from app.errors import NotFound, problem_responses
from app.i18n import _
from app.repositories import bases, bases_oversight
from app.routers.deps import NowDep, PageDep, SessionDep, set_etag
from app.routers.pages import Page, created, page_of
from app.routers.route import resource_router
from app.routers.v1.bases.auth import BasesOversee, BasesRead
from app.routers.v1.bases.schemas import (
    BaseRectificationNoticeClose,
    BaseRectificationNoticeCreate,
    BaseRectificationNoticePublic,
    BaseRevocationCreate,
    BaseRevocationPublic,
)
from app.services import bases_oversight as service

router = resource_router("bases")


@router.post(
    "/bases/{base_id}/rectification-notices",
    status_code=201,
    summary="Issue a rectification notice",
    responses=problem_responses(404, 409),
)
def create_base_rectification_notice(
    base_id: str,
    body: BaseRectificationNoticeCreate,
    principal: BasesOversee,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> BaseRectificationNoticePublic:
    """BASE-REVOKE-3: what must be rectified, and a due date after today."""
    notice = service.issue_notice(
        session,
        principal=principal,
        base_id=base_id,
        reason=body.reason,
        due_on=body.due_on,
        now=now,
        today=local_date(now),
    )
    location = f"/api/v1/bases/{base_id}/rectification-notices/{notice.id}"
    return created(response, location, notice, BaseRectificationNoticePublic)


@router.get(
    "/bases/{base_id}/rectification-notices",
    summary="A base's rectification notices",
    responses=problem_responses(404),
)
def list_base_rectification_notices(
    base_id: str, principal: BasesRead, session: SessionDep, page: PageDep
) -> Page[BaseRectificationNoticePublic]:
    """Every notice, in the order issued."""
    row = bases.get_base(session, principal, base_id)
    result = bases_oversight.list_notices(session, row.id, page)
    return page_of(BaseRectificationNoticePublic, result)


@router.get(
    "/bases/{base_id}/rectification-notices/{notice_id}",
    summary="Read a rectification notice",
    responses=problem_responses(404),
)
def get_base_rectification_notice(
    base_id: str, notice_id: str, principal: BasesRead, session: SessionDep, response: Response
) -> BaseRectificationNoticePublic:
    """One notice and how it ended."""
    row = bases.get_base(session, principal, base_id)
    notice = bases_oversight.get_notice(session, row.id, notice_id)
    set_etag(response, notice)
    return BaseRectificationNoticePublic.model_validate(notice, from_attributes=True)


@router.post(
    "/bases/{base_id}/rectification-notices/{notice_id}:close",
    summary="Close a rectification notice",
    responses=problem_responses(404, 409),
)
def close_base_rectification_notice(
    base_id: str,
    notice_id: str,
    body: BaseRectificationNoticeClose,
    principal: BasesOversee,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> BaseRectificationNoticePublic:
    """BASE-REVOKE-3: rectified at any time, not rectified only after the due date; once."""
    notice = service.close_notice(
        session,
        principal=principal,
        base_id=base_id,
        notice_id=notice_id,
        outcome=body.outcome,
        note=body.note,
        now=now,
    )
    set_etag(response, notice)
    return BaseRectificationNoticePublic.model_validate(notice, from_attributes=True)


@router.post(
    "/bases/{base_id}:revoke",
    status_code=201,
    summary="Revoke a base",
    responses=problem_responses(404, 409),
)
def revoke_base(
    base_id: str,
    body: BaseRevocationCreate,
    principal: BasesOversee,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> BaseRevocationPublic:
    """BASE-REVOKE-1..6: effective at once, the base leaves the public directory; 409 with
    `violations` when a ground's precondition fails or the base is already revoked. The
    revocation is then at `Location`, `/bases/{base_id}/revocation`."""
    revocation = service.revoke(
        session,
        principal=principal,
        base_id=base_id,
        grounds=body.grounds,
        evidence=body.evidence,
        reason=body.reason,
        now=now,
        today=local_date(now),
    )
    location = f"/api/v1/bases/{base_id}/revocation"
    return created(response, location, revocation, BaseRevocationPublic)


@router.get(
    "/bases/{base_id}/revocation",
    summary="Read a base's revocation",
    responses=problem_responses(404),
)
def get_base_revocation(
    base_id: str, principal: BasesRead, session: SessionDep, response: Response
) -> BaseRevocationPublic:
    """The revocation, or 404 when the base is not revoked."""
    row = bases.get_base(session, principal, base_id)
    revocation = bases_oversight.revocation_of(session, row.id)
    if revocation is None:
        raise NotFound(_("the base is not revoked"))
    set_etag(response, revocation)
    return BaseRevocationPublic.model_validate(revocation, from_attributes=True)
