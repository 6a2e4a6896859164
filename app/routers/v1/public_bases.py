"""The public directory of accredited bases: no login (Art. 18 向社会公布; BASE-REVOKE-1..6 and
BASE-EVAL-1: revoked and lapsed bases are not listed)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Query, Response
from pydantic import BaseModel

from app.domain.bases import BaseCategory, BaseStatus
from app.domain.common import local_date
from app.errors import problem_responses
from app.repositories import bases
from app.repositories.bases import BaseRow
from app.routers.deps import NowDep, PageDep, SessionDep, set_etag
from app.routers.pages import Page
from app.routers.route import resource_router
from app.routers.v1.base_applications import REGION_PATTERN

router = resource_router("public", public=True)


class Announcement(BaseModel):
    """The accreditation announcement."""

    announced_at: datetime
    title: str
    body: str


class PublicBase(BaseModel):
    """What anyone may know of an accredited base."""

    id: str
    name: str
    category: BaseCategory
    category_label: str
    subtype: str | None
    region_code: str
    address: str
    opening_hours: str
    contact_phone: str
    accredited_on: date
    plaque_number: str


class PublicBaseDetail(PublicBase):
    """An accredited base with its announcement."""

    announcements: list[Announcement]


def _public(row: BaseRow) -> PublicBase:
    category = BaseCategory(row.category)
    return PublicBase(
        id=row.id,
        name=row.name,
        category=category,
        category_label=category.label,
        subtype=row.subtype,
        region_code=row.region_code,
        address=row.address,
        opening_hours=row.opening_hours,
        contact_phone=row.contact_phone,
        accredited_on=row.accredited_on,
        plaque_number=row.plaque_number,
    )


@router.get("/public/bases", summary="The public directory of accredited bases")
def list_public_bases(
    session: SessionDep,
    page: PageDep,
    now: NowDep,
    category: Annotated[BaseCategory | None, Query()] = None,
    region_code: Annotated[str | None, Query(pattern=REGION_PATTERN)] = None,
) -> Page[PublicBase]:
    """Accredited bases only, by category and region; no login."""
    result = bases.list_bases(
        session,
        None,
        page=page,
        today=local_date(now),
        category=category,
        region_code=region_code,
        status=BaseStatus.ACCREDITED,
    )
    return Page(
        items=[_public(b) for b in result.items], next_cursor=result.next_cursor, total=result.total
    )


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
        **_public(row).model_dump(),
        announcements=[
            Announcement.model_validate(a, from_attributes=True)
            for a in bases.announcements(session, row.id)
        ],
    )
