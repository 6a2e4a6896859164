"""Volunteer organisations: hierarchy, leaders, registration and findings (VOL-ORG-1..5)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from app.domain.common import NameSort
from app.domain.volunteers import OrgLevel
from app.errors import FindingPublic, problem_responses
from app.repositories import volunteers_orgs as orgs
from app.routers.deps import PageDep, SessionDep, check_if_match, set_etag
from app.routers.lists import NameQuery, SortQuery
from app.routers.pages import Page, created, mark_created, page_map, page_of
from app.routers.route import resource_router
from app.routers.v1.volunteers.auth import (
    OrganizationsAudit,
    OrganizationsManage,
    OrganizationsRead,
)
from app.routers.v1.volunteers.schemas import (
    OrganizationCreate,
    OrganizationFindingsPublic,
    OrganizationLeaderCreate,
    OrganizationLeaderPublic,
    OrganizationPublic,
    OrganizationRegistration,
    OrganizationTreePublic,
    OrganizationUpdate,
    organization_public,
)
from app.services import organizations as service

router = resource_router("organizations")
ORGANIZATION = "/organizations/{organization_id}"


def _managed_as_read(
    session: SessionDep, principal: OrganizationsManage, organization_id: str, request: Request
) -> orgs.OrganizationRow:
    """The organisation the caller administers, 412 when `If-Match` names another version."""
    org = orgs.get_managed_org(session, principal, organization_id)
    check_if_match(request, org)
    return org


@router.get("/organizations", summary="List volunteer organisations")
def list_organizations(
    _principal: OrganizationsRead,
    session: SessionDep,
    page: PageDep,
    parent_id: Annotated[str | None, Query(max_length=26)] = None,
    level: Annotated[OrgLevel | None, Query()] = None,
    county_code: Annotated[str | None, Query(max_length=12)] = None,
    q: NameQuery = None,
    sort: SortQuery[NameSort] = None,
) -> Page[OrganizationPublic]:
    """Organisations, which every signed-in caller may read (a volunteer chooses one)."""
    result = orgs.list_orgs(
        session,
        page=page.sorted_by(sort),
        parent_id=parent_id,
        level=level,
        county_code=county_code,
        q=q,
    )
    return page_map(organization_public, result)


@router.post(
    "/organizations",
    status_code=201,
    summary="Create a volunteer organisation",
    responses=problem_responses(409),
)
def create_organization(
    body: OrganizationCreate,
    principal: OrganizationsManage,
    session: SessionDep,
    response: Response,
) -> OrganizationPublic:
    """VOL-ORG-2: under a parent the caller administers, at an allowed level, without cycles."""
    org = service.create_organization(
        session=session,
        principal=principal,
        name=body.name,
        kind=body.kind,
        level=body.level,
        parent_id=body.parent_id,
        region_code=body.region_code,
        person_in_charge=body.person_in_charge,
    )
    mark_created(response, f"/api/v1/organizations/{org.id}", org)
    return organization_public(org)


@router.get(ORGANIZATION, summary="Read an organisation", responses=problem_responses(404))
def get_organization(
    organization_id: str, _principal: OrganizationsRead, session: SessionDep, response: Response
) -> OrganizationPublic:
    """One organisation."""
    org = orgs.get_org(session, organization_id)
    set_etag(response, org)
    return organization_public(org)


@router.patch(
    ORGANIZATION,
    summary="Update or move an organisation",
    responses=problem_responses(404, 409, 412),
)
def update_organization(
    organization_id: str,
    body: OrganizationUpdate,
    principal: OrganizationsManage,
    session: SessionDep,
    request: Request,
    response: Response,
) -> OrganizationPublic:
    """Rename, change the person in charge, or move under another parent (VOL-ORG-2)."""
    org = _managed_as_read(session, principal, organization_id, request)
    org = service.update_organization(
        session=session, principal=principal, org=org, changes=body.model_dump(exclude_unset=True)
    )
    set_etag(response, org)
    return organization_public(org)


@router.get(
    f"{ORGANIZATION}/tree",
    summary="Read an organisation with all its sub-organisations",
    responses=problem_responses(404),
)
def get_organization_tree(
    organization_id: str, _principal: OrganizationsRead, session: SessionDep
) -> OrganizationTreePublic:
    """VOL-ORG-2: the subtree below an organisation, nested."""
    rows = orgs.subtree(session, orgs.get_org(session, organization_id))
    nodes = {r.id: OrganizationTreePublic(**organization_public(r).model_dump()) for r in rows}
    for row in rows:
        if row.id != organization_id and row.parent_id in nodes:
            nodes[row.parent_id].children.append(nodes[row.id])
    return nodes[organization_id]


@router.put(
    f"{ORGANIZATION}/registration",
    summary="Record the social-organisation registration",
    responses=problem_responses(404, 412),
)
def put_registration(
    organization_id: str,
    body: OrganizationRegistration,
    principal: OrganizationsManage,
    session: SessionDep,
    request: Request,
    response: Response,
) -> OrganizationPublic:
    """VOL-ORG-5: status, date and number; a registered organisation needs both."""
    org = _managed_as_read(session, principal, organization_id, request)
    org = service.record_registration(session=session, org=org, registration=body.model_dump())
    set_etag(response, org)
    return organization_public(org)


@router.get(
    f"{ORGANIZATION}/leaders",
    summary="List an organisation's leaders",
    responses=problem_responses(404),
)
def list_leaders(
    organization_id: str, _principal: OrganizationsRead, session: SessionDep, page: PageDep
) -> Page[OrganizationLeaderPublic]:
    """VOL-ORG-3: captain, vice-captains, secretaries-general."""
    orgs.get_org(session, organization_id)
    return page_of(OrganizationLeaderPublic, orgs.list_leaders(session, organization_id, page))


@router.post(
    f"{ORGANIZATION}/leaders",
    status_code=201,
    summary="Name a leader of an organisation",
    responses=problem_responses(404, 409),
)
def add_leader(
    organization_id: str,
    body: OrganizationLeaderCreate,
    principal: OrganizationsManage,
    session: SessionDep,
    response: Response,
) -> OrganizationLeaderPublic:
    """VOL-ORG-3: a second captain (or city secretary-general) is refused with 409."""
    row = service.add_leader(
        session=session,
        principal=principal,
        organization_id=organization_id,
        role=body.role,
        name=body.name,
        title=body.title,
        volunteer_id=body.volunteer_id,
    )
    location = f"/api/v1/organizations/{organization_id}/leaders/{row.id}"
    return created(response, location, row, OrganizationLeaderPublic)


@router.get(
    f"{ORGANIZATION}/leaders/{{leader_id}}",
    summary="Read one leader of an organisation",
    responses=problem_responses(404),
)
def get_leader(
    organization_id: str,
    leader_id: str,
    _principal: OrganizationsRead,
    session: SessionDep,
    response: Response,
) -> OrganizationLeaderPublic:
    """VOL-ORG-3: one post, who holds it and with what title."""
    row = service.leader(session=session, organization_id=organization_id, leader_id=leader_id)
    set_etag(response, row)
    return OrganizationLeaderPublic.model_validate(row)


@router.delete(
    f"{ORGANIZATION}/leaders/{{leader_id}}",
    status_code=204,
    summary="Remove a leader",
    responses=problem_responses(404),
)
def remove_leader(
    organization_id: str, leader_id: str, principal: OrganizationsManage, session: SessionDep
) -> None:
    """The post is vacated; the findings show what the leadership now lacks."""
    service.remove_leader(
        session=session, principal=principal, organization_id=organization_id, leader_id=leader_id
    )


@router.get(
    f"{ORGANIZATION}/findings",
    summary="Check an organisation against the rules",
    responses=problem_responses(404),
)
def get_findings(
    organization_id: str, _principal: OrganizationsAudit, session: SessionDep
) -> OrganizationFindingsPublic:
    """VOL-ORG-2..5: placement, leadership, county team size, registration."""
    result = service.findings_of(session=session, organization_id=organization_id)
    return OrganizationFindingsPublic(ok=result.ok, findings=FindingPublic.of(result.findings))
