"""The public directory of accredited bases: no login (Art. 18 向社会公布; BASE-REVOKE-1..6 and
BASE-EVAL-1: revoked and lapsed bases are not listed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from app.domain.bases import BaseCategory, BaseStatus
from app.domain.common import NameSort, local_date
from app.errors import problem_responses
from app.repositories import bases, regions
from app.routers.deps import NowDep, PageDep, SessionDep, set_etag
from app.routers.lists import NameQuery, SortQuery
from app.routers.pages import Page, page_map
from app.routers.route import resource_router
from app.routers.v1.bases.schemas import (
    REGION_PATTERN,
    PublicBase,
    PublicBaseAnnouncement,
    PublicBaseDetail,
)

router = resource_router("public", public=True)


@router.get("/public/bases", summary="The public directory of accredited bases")
def list_public_bases(
    session: SessionDep,
    page: PageDep,
    now: NowDep,
    category: Annotated[BaseCategory | None, Query()] = None,
    region_code: Annotated[
        str | None, Query(pattern=REGION_PATTERN, description="A region of any level")
    ] = None,
    q: NameQuery = None,
    sort: SortQuery[NameSort] = None,
) -> Page[PublicBase]:
    """Accredited bases only, by category, a region of any level and name; no login."""
    if region_code is not None:
        regions.require_region(session, region_code, field="query.region_code")
    result = bases.list_bases(
        session,
        None,
        page=page.sorted_by(sort),
        today=local_date(now),
        category=category,
        region_code=region_code,
        status=BaseStatus.ACCREDITED,
        q=q,
    )
    return page_map(PublicBase.of, result)


@router.get(
    "/public/bases/{base_id}",
    summary="An accredited base of the public directory",
    responses=problem_responses(404),
)
def get_public_base(
    base_id: str, session: SessionDep, now: NowDep, response: Response
) -> PublicBaseDetail:
    """One accredited base; a revoked or lapsed base is 404 here."""
    row = bases.get_public_base(session, base_id, local_date(now))
    set_etag(response, row)
    return PublicBaseDetail(
        **PublicBase.of(row).model_dump(),
        announcements=[
            PublicBaseAnnouncement.model_validate(a, from_attributes=True)
            for a in bases.announcements(session, row.id).items
        ],
    )
