"""The region tree: read by anyone signed in, extended by the city administrator."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Query, Response
from pydantic import BaseModel, ConfigDict, Field

from app.domain.access import Principal, Role
from app.errors import problem_responses
from app.repositories import regions
from app.routers.deps import AnyUser, PageDep, SessionDep, allow, set_etag
from app.routers.pages import Page
from app.routers.route import resource_router

router = resource_router("regions")


class RegionPublic(BaseModel):
    """A region of the tree."""

    code: str
    name: str
    level: regions.RegionLevel
    parent_code: str | None
    county_code: str | None
    updated_at: datetime


class RegionCreate(BaseModel):
    """A township (9-digit code) under a county or a village (12-digit code) under a township."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^\d{9}(\d{3})?$")
    name: str = Field(min_length=1, max_length=100)
    parent_code: str = Field(pattern=r"^\d{6,12}$")


def _public(region: regions.Region) -> RegionPublic:
    return RegionPublic(
        code=region.id,
        name=region.name,
        level=regions.RegionLevel(region.level),
        parent_code=region.parent_code,
        county_code=region.county_code,
        updated_at=region.updated_at,
    )


@router.get("/regions", summary="List regions")
def list_regions(
    _principal: AnyUser,
    session: SessionDep,
    page: PageDep,
    parent_code: Annotated[str | None, Query(max_length=12)] = None,
    level: Annotated[regions.RegionLevel | None, Query()] = None,
) -> Page[RegionPublic]:
    """Regions filtered by parent and level; every signed-in caller may read the tree."""
    result = regions.list_regions(session, page=page, parent_code=parent_code, level=level)
    return Page(
        items=[_public(r) for r in result.items], next_cursor=result.next_cursor, total=result.total
    )


@router.get("/regions/{code}", summary="Read a region", responses=problem_responses(404))
def get_region(
    code: str, _principal: AnyUser, session: SessionDep, response: Response
) -> RegionPublic:
    """One region by code."""
    region = regions.get_region(session, code)
    set_etag(response, region)
    return _public(region)


@router.post(
    "/regions",
    status_code=201,
    summary="Add a township or village",
    responses=problem_responses(409),
)
def create_region(
    body: RegionCreate,
    _principal: Annotated[Principal, allow(Role.CITY_ADMIN)],
    session: SessionDep,
    response: Response,
) -> RegionPublic:
    """The city administrator adds the lower levels of the tree."""
    region = regions.add_region(
        session, code=body.code, name=body.name, parent_code=body.parent_code
    )
    response.headers["Location"] = f"/api/v1/regions/{region.id}"
    set_etag(response, region)
    return _public(region)
