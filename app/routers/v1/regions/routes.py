"""The region tree: read by anyone signed in, extended by the city administrator."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from app.errors import problem_responses
from app.repositories import regions
from app.repositories.regions import RegionLevel
from app.routers.deps import PageDep, SessionDep, set_etag
from app.routers.pages import Page, created, page_of
from app.routers.route import resource_router
from app.routers.v1.regions.auth import RegionsRead, RegionsWrite
from app.routers.v1.regions.schemas import RegionCreate, RegionPublic

router = resource_router("regions")


@router.get("/regions", summary="List regions")
def list_regions(
    _principal: RegionsRead,
    session: SessionDep,
    page: PageDep,
    parent_code: Annotated[str | None, Query(max_length=12)] = None,
    level: Annotated[RegionLevel | None, Query()] = None,
) -> Page[RegionPublic]:
    """Regions filtered by parent and level; every signed-in caller may read the tree."""
    result = regions.list_regions(session, page=page, parent_code=parent_code, level=level)
    return page_of(RegionPublic, result)


@router.get("/regions/{region_code}", summary="Read a region", responses=problem_responses(404))
def get_region(
    region_code: str, _principal: RegionsRead, session: SessionDep, response: Response
) -> RegionPublic:
    """One region by its code."""
    region = regions.get_region(session, region_code)
    set_etag(response, region)
    return RegionPublic.model_validate(region, from_attributes=True)


@router.post(
    "/regions",
    status_code=201,
    summary="Add a township or village",
    responses=problem_responses(409),
)
def create_region(
    body: RegionCreate, _principal: RegionsWrite, session: SessionDep, response: Response
) -> RegionPublic:
    """The city administrator adds the lower levels of the tree."""
    region = regions.add_region(
        session, code=body.code, name=body.name, parent_code=body.parent_code
    )
    return created(response, f"/api/v1/regions/{region.id}", region, RegionPublic)
