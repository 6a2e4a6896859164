"""Volunteer organisations: hierarchy, leaders, registration and findings (VOL-ORG-1..5)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from app.domain.access import Principal, Role
from app.domain.common import Finding, RuleResult
from app.domain.volunteers import (
    DEFAULT_VOLUNTEER_POLICY,
    LeaderRole,
    OrgKind,
    OrgLevel,
    SocialRegistration,
    SocialRegistrationStatus,
)
from app.errors import InvalidInput, RuleViolation, problem_responses
from app.repositories import volunteers as volunteer_repo
from app.repositories import volunteers_orgs as orgs
from app.routers.deps import AnyUser, PageDep, SessionDep, allow, check_if_match, set_etag
from app.routers.pages import Page
from app.routers.route import resource_router
from app.rules.volunteers_org import check_leadership, organization_findings

router = resource_router("organizations")
Manager = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN)]
Reader = Annotated[
    Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.AUDITOR)
]


class RegistrationPublic(BaseModel):
    """VOL-ORG-5: registration as a social organisation (社会团体登记)."""

    model_config = ConfigDict(extra="forbid")

    status: SocialRegistrationStatus = SocialRegistrationStatus.NOT_REGISTERED
    registered_on: date | None = None
    number: str | None = Field(default=None, min_length=1, max_length=50)


class OrganizationPublic(BaseModel):
    """An organisation as the API shows it."""

    id: str
    name: str
    kind: OrgKind
    level: OrgLevel
    parent_id: str | None
    path: str
    region_code: str | None
    county_code: str | None
    person_in_charge: str
    registration: RegistrationPublic
    version: int
    created_at: datetime
    updated_at: datetime


class OrganizationTree(OrganizationPublic):
    """An organisation with its sub-organisations."""

    children: list[OrganizationTree] = []


class OrganizationCreate(BaseModel):
    """A new organisation (VOL-ORG-1 kind, VOL-ORG-2 level and parent)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    kind: OrgKind
    level: OrgLevel
    parent_id: str | None = Field(default=None, max_length=26)
    region_code: str | None = Field(default=None, pattern=r"^[0-9]{6}([0-9]{3}){0,2}$")
    person_in_charge: str = Field(default="", max_length=100)


class OrganizationUpdate(BaseModel):
    """Name, person in charge, or a new parent (the hierarchy check runs again)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    person_in_charge: str | None = Field(default=None, max_length=100)
    parent_id: str | None = Field(default=None, max_length=26)


class LeaderCreate(BaseModel):
    """VOL-ORG-3: a post and who holds it."""

    model_config = ConfigDict(extra="forbid")

    role: LeaderRole
    name: str = Field(min_length=1, max_length=100)
    title: str = Field(default="", max_length=200)
    volunteer_id: str | None = Field(default=None, max_length=26)


class LeaderPublic(BaseModel):
    """A leader of an organisation."""

    id: str
    organization_id: str
    role: LeaderRole
    name: str
    title: str
    volunteer_id: str | None
    created_at: datetime


class FindingsPublic(BaseModel):
    """Every finding about an organisation: errors, warnings and advisories, with rule IDs."""

    ok: bool
    findings: list[Finding]


def to_public(org: orgs.OrganizationRow) -> OrganizationPublic:
    """The public view of an organisation row."""
    return OrganizationPublic(
        id=org.id,
        name=org.name,
        kind=OrgKind(org.kind),
        level=OrgLevel(org.level),
        parent_id=org.parent_id,
        path=org.path,
        region_code=org.region_code,
        county_code=org.county_code,
        person_in_charge=org.person_in_charge,
        registration=RegistrationPublic(
            status=SocialRegistrationStatus(org.registration_status),
            registered_on=org.registered_on,
            number=org.registration_number,
        ),
        version=org.version,
        created_at=org.created_at,
        updated_at=org.updated_at,
    )


def _leader(row: orgs.LeaderRow) -> LeaderPublic:
    return LeaderPublic(
        id=row.id,
        organization_id=row.organization_id,
        role=LeaderRole(row.role),
        name=row.name,
        title=row.title,
        volunteer_id=row.volunteer_id,
        created_at=row.created_at,
    )


@router.get("/organizations", summary="List volunteer organisations")
def list_organizations(
    _principal: AnyUser,
    session: SessionDep,
    page: PageDep,
    parent_id: Annotated[str | None, Query(max_length=26)] = None,
    level: Annotated[OrgLevel | None, Query()] = None,
    county_code: Annotated[str | None, Query(max_length=12)] = None,
) -> Page[OrganizationPublic]:
    """Organisations, which every signed-in caller may read (a volunteer chooses one)."""
    result = orgs.list_orgs(
        session, page=page, parent_id=parent_id, level=level, county_code=county_code
    )
    return Page(
        items=[to_public(o) for o in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.post(
    "/organizations",
    status_code=201,
    summary="Create a volunteer organisation",
    responses=problem_responses(409),
)
def create_organization(
    body: OrganizationCreate, principal: Manager, session: SessionDep, response: Response
) -> OrganizationPublic:
    """VOL-ORG-2: under a parent the caller administers, at an allowed level, without cycles."""
    org = orgs.create_org(
        session,
        principal,
        name=body.name,
        kind=body.kind,
        level=body.level,
        parent_id=body.parent_id,
        region_code=body.region_code,
        person_in_charge=body.person_in_charge,
    )
    response.headers["Location"] = f"/api/v1/organizations/{org.id}"
    set_etag(response, org)
    return to_public(org)


@router.get(
    "/organizations/{org_id}", summary="Read an organisation", responses=problem_responses(404)
)
def get_organization(
    org_id: str, _principal: AnyUser, session: SessionDep, response: Response
) -> OrganizationPublic:
    """One organisation."""
    org = orgs.get_org(session, org_id)
    set_etag(response, org)
    return to_public(org)


@router.patch(
    "/organizations/{org_id}",
    summary="Update or move an organisation",
    responses=problem_responses(404, 409, 412),
)
def update_organization(
    org_id: str,
    body: OrganizationUpdate,
    principal: Manager,
    session: SessionDep,
    request: Request,
    response: Response,
) -> OrganizationPublic:
    """Rename, change the person in charge, or move under another parent (VOL-ORG-2)."""
    org = orgs.get_managed_org(session, principal, org_id)
    check_if_match(request, org)
    changes = body.model_dump(exclude_unset=True)
    for field in ("name", "person_in_charge"):
        if field in changes:
            if changes[field] is None:
                raise InvalidInput.one(field, "may not be null", "null")
            setattr(org, field, changes[field])
    if "parent_id" in changes and changes["parent_id"] != org.parent_id:
        orgs.move_org(session, principal, org, changes["parent_id"])
    session.add(org)
    session.flush()
    set_etag(response, org)
    return to_public(org)


@router.get(
    "/organizations/{org_id}/tree",
    summary="Read an organisation with all its sub-organisations",
    responses=problem_responses(404),
)
def get_organization_tree(
    org_id: str, _principal: AnyUser, session: SessionDep
) -> OrganizationTree:
    """VOL-ORG-2: the subtree below an organisation, nested."""
    rows = orgs.subtree(session, orgs.get_org(session, org_id))
    nodes = {r.id: OrganizationTree(**to_public(r).model_dump()) for r in rows}
    for row in rows:
        if row.id != org_id and row.parent_id in nodes:
            nodes[row.parent_id].children.append(nodes[row.id])
    return nodes[org_id]


@router.put(
    "/organizations/{org_id}/registration",
    summary="Record the social-organisation registration",
    responses=problem_responses(404, 412),
)
def put_registration(
    org_id: str,
    body: RegistrationPublic,
    principal: Manager,
    session: SessionDep,
    request: Request,
    response: Response,
) -> OrganizationPublic:
    """VOL-ORG-5: status, date and number; a registered organisation needs both."""
    org = orgs.get_managed_org(session, principal, org_id)
    check_if_match(request, org)
    try:
        SocialRegistration.model_validate(body.model_dump())
    except ValueError as exc:
        raise InvalidInput.one("number", str(exc), "registration_incomplete") from exc
    org.registration_status = body.status.value
    org.registered_on = body.registered_on
    org.registration_number = body.number
    session.add(org)
    session.flush()
    set_etag(response, org)
    return to_public(org)


@router.get(
    "/organizations/{org_id}/leaders",
    summary="List an organisation's leaders",
    responses=problem_responses(404),
)
def list_leaders(org_id: str, _principal: AnyUser, session: SessionDep) -> list[LeaderPublic]:
    """VOL-ORG-3: captain, vice-captains, secretaries-general."""
    orgs.get_org(session, org_id)
    return [_leader(r) for r in orgs.leaders(session, org_id)]


@router.post(
    "/organizations/{org_id}/leaders",
    status_code=201,
    summary="Name a leader of an organisation",
    responses=problem_responses(404, 409),
)
def add_leader(
    org_id: str, body: LeaderCreate, principal: Manager, session: SessionDep
) -> LeaderPublic:
    """VOL-ORG-3: a second captain (or city secretary-general) is refused with 409."""
    org = orgs.get_managed_org(session, principal, org_id, lock=True)
    roles = [*orgs.leader_roles(session, org_id), body.role]
    result = check_leadership(OrgLevel(org.level), roles, DEFAULT_VOLUNTEER_POLICY)
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    row = orgs.add_leader(
        session,
        org,
        role=body.role,
        name=body.name,
        title=body.title,
        volunteer_id=body.volunteer_id,
    )
    return _leader(row)


@router.delete(
    "/organizations/{org_id}/leaders/{leader_id}",
    status_code=204,
    summary="Remove a leader",
    responses=problem_responses(404),
)
def remove_leader(org_id: str, leader_id: str, principal: Manager, session: SessionDep) -> None:
    """The post is vacated; the findings show what the leadership now lacks."""
    org = orgs.get_managed_org(session, principal, org_id)
    session.delete(orgs.get_leader(session, org, leader_id))


@router.get(
    "/organizations/{org_id}/findings",
    summary="Check an organisation against the rules",
    responses=problem_responses(404),
)
def get_findings(org_id: str, _principal: Reader, session: SessionDep) -> FindingsPublic:
    """VOL-ORG-2..5: placement, leadership, county team size, registration."""
    org = orgs.get_org(session, org_id)
    result: RuleResult = organization_findings(
        node=org.node(),
        kind=OrgKind(org.kind),
        nodes=orgs.all_nodes(session),
        roles=orgs.leader_roles(session, org_id),
        active_members=volunteer_repo.count_members(session, org_id),
        registration=org.registration(),
        policy=DEFAULT_VOLUNTEER_POLICY,
    )
    return FindingsPublic(ok=result.ok, findings=result.findings)
