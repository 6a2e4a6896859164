"""Officer activity plans (OFF-PLAN-1) of communities, townships, villages, schools, bases and
e-stations."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, Session, col

from app.domain.access import Principal
from app.domain.officers import ActivityPlan, ActivityPlanOwnerKind
from app.repositories.base import Entity, PageRequest, PageResult, save
from app.repositories.scope import get_in_scope, list_in_scope


class ActivityPlanRow(Entity, table=True):
    """OFF-PLAN-1: an activity plan for officers made by a community, township, school, ..."""

    __tablename__ = "officer_activity_plans"
    __resource__ = "officer_activity_plan"

    owner_kind: str = Field(max_length=16, index=True)
    owner_name: str = Field(max_length=50)
    region_code: str = Field(foreign_key="regions.id", max_length=12)
    county_code: str = Field(max_length=12, index=True)
    title: str = Field(max_length=200)
    starts_on: date
    ends_on: date
    description: str = Field(default="", max_length=5000)


def get_activity_plan(
    session: Session, principal: Principal, activity_plan_id: str
) -> ActivityPlanRow:
    """An activity plan in scope, or 404."""
    return get_in_scope(session, principal, ActivityPlanRow, activity_plan_id)


def list_activity_plans(
    session: Session,
    principal: Principal,
    *,
    page: PageRequest,
    owner_kind: ActivityPlanOwnerKind | None,
    active_on: date | None,
) -> PageResult[ActivityPlanRow]:
    """Activity plans in scope, by owner kind and by a day they cover."""
    where = (
        []
        if active_on is None
        else [
            col(ActivityPlanRow.starts_on) <= active_on,
            col(ActivityPlanRow.ends_on) >= active_on,
        ]
    )
    return list_in_scope(
        session,
        principal,
        ActivityPlanRow,
        page,
        *where,
        equal={"owner_kind": owner_kind},
    )


def create_activity_plan(
    session: Session, *, plan: ActivityPlan, county_code: str
) -> ActivityPlanRow:
    """OFF-PLAN-1: record an activity plan."""
    row = ActivityPlanRow(**plan.model_dump(), county_code=county_code)
    return save(session, row)
