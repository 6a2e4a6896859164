"""Officer activity plans (OFF-PLAN-1) of communities, townships, villages, schools, bases and
e-stations."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query, Response

from app.domain.officers import ActivityPlan, ActivityPlanOwnerKind
from app.errors import problem_responses
from app.repositories import officers_activity_plans as repo
from app.routers.deps import PageDep, SessionDep, set_etag
from app.routers.pages import Page, mark_created, page_map
from app.routers.route import resource_router
from app.routers.v1.officers.activity_plans.schemas import (
    OfficerActivityPlanCreate,
    OfficerActivityPlanPublic,
)
from app.routers.v1.officers.auth import OfficersRead, OfficersWrite
from app.services import officers_activity_plans as service

router = resource_router("officer activity plans")


@router.post("/activity-plans", status_code=201, summary="Record an officer activity plan")
def create_activity_plan(
    body: OfficerActivityPlanCreate,
    principal: OfficersWrite,
    session: SessionDep,
    response: Response,
) -> OfficerActivityPlanPublic:
    """OFF-PLAN-1: a plan in the caller's county, its region at the owner's level."""
    row = service.create_activity_plan(
        session=session, principal=principal, plan=ActivityPlan(**body.model_dump())
    )
    mark_created(response, f"/api/v1/activity-plans/{row.id}", row)
    return OfficerActivityPlanPublic.of(row)


@router.get("/activity-plans", summary="List activity plans")
def list_activity_plans(
    principal: OfficersRead,
    session: SessionDep,
    page: PageDep,
    owner_kind: Annotated[ActivityPlanOwnerKind | None, Query()] = None,
    active_on: Annotated[date | None, Query(description="Plans covering this day")] = None,
) -> Page[OfficerActivityPlanPublic]:
    """Plans in scope, by owner kind and by a day they cover."""
    result = repo.list_activity_plans(
        session, principal, page=page, owner_kind=owner_kind, active_on=active_on
    )
    return page_map(OfficerActivityPlanPublic.of, result)


@router.get(
    "/activity-plans/{activity_plan_id}",
    summary="Read an activity plan",
    responses=problem_responses(404),
)
def get_activity_plan(
    activity_plan_id: str, principal: OfficersRead, session: SessionDep, response: Response
) -> OfficerActivityPlanPublic:
    """One plan in scope."""
    row = repo.get_activity_plan(session, principal, activity_plan_id)
    set_etag(response, row)
    return OfficerActivityPlanPublic.of(row)
