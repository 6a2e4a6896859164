"""Personal accident insurance policies and the volunteers they insure (VOL-DUTY-3)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from app.errors import problem_responses
from app.repositories import volunteers_activities as repo
from app.routers.deps import PageDep, SessionDep, set_etag
from app.routers.pages import Page, mark_created, page_map
from app.routers.route import resource_router
from app.routers.v1.activities.auth import ActivitiesWrite, InsuranceRead
from app.routers.v1.activities.schemas import (
    InsurancePolicyCreate,
    InsurancePolicyPublic,
    InsuredVolunteersAdd,
)
from app.services import volunteers_activities as service

router = resource_router("activities")
POLICY = "/insurance-policies/{insurance_policy_id}"


def _public(row: repo.InsuranceRow, insured: list[str]) -> InsurancePolicyPublic:
    return InsurancePolicyPublic.model_validate(
        {**row.model_dump(), "insured_volunteer_ids": insured}
    )


def _one(session: SessionDep, row: repo.InsuranceRow) -> InsurancePolicyPublic:
    return _public(row, repo.insured_ids(session, [row.id])[row.id])


@router.post(
    "/insurance-policies",
    status_code=201,
    summary="Record a personal accident insurance policy",
    responses=problem_responses(404),
)
def create_policy(
    body: InsurancePolicyCreate,
    principal: ActivitiesWrite,
    session: SessionDep,
    response: Response,
) -> InsurancePolicyPublic:
    """VOL-DUTY-3: coverage dates are inclusive; a policy tied to an activity covers only it."""
    row = service.create_policy(session=session, principal=principal, **body.model_dump())
    mark_created(response, f"/api/v1/insurance-policies/{row.id}", row)
    return _one(session, row)


@router.get("/insurance-policies", summary="List insurance policies")
def list_policies(
    principal: InsuranceRead,
    session: SessionDep,
    page: PageDep,
    organization_id: Annotated[str | None, Query(max_length=26)] = None,
    activity_id: Annotated[str | None, Query(max_length=26)] = None,
) -> Page[InsurancePolicyPublic]:
    """Policies of the organisations the caller administers (the city's for the auditor)."""
    result = repo.list_policies(
        session, principal, page=page, organization_id=organization_id, activity_id=activity_id
    )
    insured = repo.insured_ids(session, [p.id for p in result.items])
    return page_map(lambda p: _public(p, insured[p.id]), result)


@router.get(POLICY, summary="Read an insurance policy", responses=problem_responses(404))
def get_policy(
    insurance_policy_id: str, principal: InsuranceRead, session: SessionDep, response: Response
) -> InsurancePolicyPublic:
    """One policy with its insured volunteers."""
    row = repo.get_policy(session, principal, insurance_policy_id)
    set_etag(response, row)
    return _one(session, row)


@router.post(
    POLICY + "/insured-volunteers",
    summary="Insure more volunteers under a policy",
    responses=problem_responses(404),
)
def add_insured(
    insurance_policy_id: str,
    body: InsuredVolunteersAdd,
    principal: ActivitiesWrite,
    session: SessionDep,
) -> InsurancePolicyPublic:
    """Volunteers already insured by the policy are left as they are."""
    row = service.add_insured(
        session=session,
        principal=principal,
        policy_id=insurance_policy_id,
        volunteer_ids=body.volunteer_ids,
    )
    return _one(session, row)
