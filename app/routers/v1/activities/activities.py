"""Activities: published to every signed-in caller, run by their organisations (VOL-SCOPE-1,
VOL-DUTY-2, VOL-DUTY-3, VOL-RIGHT-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from app.domain.common import Instant
from app.domain.volunteers import ServiceScope, VolunteerActivitySort
from app.errors import problem_responses
from app.repositories import volunteers_activities as repo
from app.routers.deps import AnyUser, PageDep, SessionDep, check_if_match, set_etag
from app.routers.lists import NameQuery, SortQuery
from app.routers.pages import Page, created, page_of
from app.routers.route import resource_router
from app.routers.v1.activities.auth import ActivitiesWrite
from app.routers.v1.activities.schemas import (
    VolunteerActivityCreate,
    VolunteerActivityPublic,
    VolunteerActivityUpdate,
)
from app.services import volunteers_activities as service

router = resource_router("activities")


@router.post(
    "/activities", status_code=201, summary="Create an activity", responses=problem_responses(409)
)
def create_activity(
    body: VolunteerActivityCreate,
    principal: ActivitiesWrite,
    session: SessionDep,
    response: Response,
) -> VolunteerActivityPublic:
    """VOL-SCOPE-1, VOL-DUTY-2/3: a dangerous activity discloses its risks before enrolment."""
    row = service.create_activity(
        session=session,
        principal=principal,
        organization_id=body.organization_id,
        values=body.model_dump(exclude={"organization_id"}),
    )
    return created(response, f"/api/v1/activities/{row.id}", row, VolunteerActivityPublic)


@router.get("/activities", summary="List activities")
def list_activities(
    _principal: AnyUser,
    session: SessionDep,
    page: PageDep,
    organization_id: Annotated[str | None, Query(max_length=26)] = None,
    county_code: Annotated[str | None, Query(max_length=12)] = None,
    starts_after: Annotated[Instant | None, Query()] = None,
    scope: Annotated[ServiceScope | None, Query()] = None,
    q: NameQuery = None,
    sort: SortQuery[VolunteerActivitySort] = None,
) -> Page[VolunteerActivityPublic]:
    """Activities, published to every signed-in caller so volunteers can enrol."""
    result = repo.list_activities(
        session,
        page=page.sorted_by(sort),
        organization_id=organization_id,
        county_code=county_code,
        starts_after=starts_after,
        scope=scope,
        q=q,
    )
    return page_of(VolunteerActivityPublic, result)


@router.get(
    "/activities/{activity_id}", summary="Read an activity", responses=problem_responses(404)
)
def get_activity(
    activity_id: str, _principal: AnyUser, session: SessionDep, response: Response
) -> VolunteerActivityPublic:
    """One activity, with its risks disclosed (VOL-DUTY-2)."""
    row = repo.get_activity(session, activity_id)
    set_etag(response, row)
    return VolunteerActivityPublic.model_validate(row, from_attributes=True)


@router.patch(
    "/activities/{activity_id}",
    summary="Update an activity",
    responses=problem_responses(404, 409, 412),
)
def update_activity(
    activity_id: str,
    body: VolunteerActivityUpdate,
    principal: ActivitiesWrite,
    session: SessionDep,
    request: Request,
    response: Response,
) -> VolunteerActivityPublic:
    """Checked again as a whole; capacity never below the confirmed enrolments."""
    row = repo.get_managed_activity(session, principal, activity_id, lock=True)
    check_if_match(request, row)
    service.update_activity(
        session=session, activity=row, changes=body.model_dump(exclude_unset=True)
    )
    set_etag(response, row)
    return VolunteerActivityPublic.model_validate(row, from_attributes=True)
