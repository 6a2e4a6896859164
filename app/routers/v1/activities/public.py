"""Activities open to enrolment, for anyone (VOL-DUTY-2): no login, no personal data, cached
briefly by anyone like every public read."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from app.domain.common import Day, local_midnight
from app.domain.volunteers import ServiceScope
from app.repositories import volunteers_activities as repo
from app.repositories import volunteers_orgs as orgs
from app.routers.deps import NowDep, PageDep, SessionDep
from app.routers.pages import Page
from app.routers.route import resource_router
from app.routers.v1.activities.schemas import PublicActivity

router = resource_router("public", public=True)
COUNTY = r"^[0-9]{6}$"


@router.get("/public/activities", summary="Activities open to enrolment (no login)")
def list_public_activities(
    session: SessionDep,
    page: PageDep,
    now: NowDep,
    county_code: Annotated[str | None, Query(pattern=COUNTY)] = None,
    starts_on: Annotated[Day | None, Query(description="Starting on or after this day")] = None,
    ends_on: Annotated[Day | None, Query(description="Starting on or before this day")] = None,
    scope: Annotated[ServiceScope | None, Query(description="VOL-SCOPE-1 category")] = None,
    minors_allowed: Annotated[bool | None, Query(description="Open to minors")] = None,
) -> Page[PublicActivity]:
    """VOL-DUTY-2: upcoming activities with what they ask (skills, ages) and the risks they
    disclose; a signed-in volunteer enrols with `POST /activities/{activity_id}/enrolments`."""
    result = repo.list_public_activities(
        session,
        page=page,
        now=now,
        county_code=county_code,
        starts_from=None if starts_on is None else local_midnight(starts_on),
        starts_before=None if ends_on is None else local_midnight(ends_on, after=1),
        scope=scope,
        minors_allowed=minors_allowed,
    )
    names = orgs.names_of(session, [a.organization_id for a in result.items])
    return Page(
        items=[
            PublicActivity.model_validate(
                {**a.model_dump(), "organization_name": names.get(a.organization_id, "")}
            )
            for a in result.items
        ],
        next_cursor=result.next_cursor,
        total=result.total,
    )
