"""Volunteer organisations: placement in the hierarchy, leaders, registration, findings.

VOL-ORG-1..5.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from app.domain.access import Principal, Role
from app.domain.common import RuleResult
from app.domain.volunteers import (
    DEFAULT_VOLUNTEER_POLICY,
    LeaderRole,
    OrgKind,
    OrgLevel,
    OrgNode,
    SocialRegistration,
)
from app.errors import Forbidden, InvalidInput, RuleViolation, pydantic_message
from app.i18n import _
from app.repositories import volunteers as volunteer_repo
from app.repositories import volunteers_orgs as orgs
from app.repositories.base import save
from app.rules.volunteers_org import check_leadership, check_placement, organization_findings


def _place(node: OrgNode, session: Session) -> None:
    result = check_placement(node, orgs.all_nodes(session))
    if not result.ok:
        raise RuleViolation(result.errors)


def create_organization(
    *,
    session: Session,
    principal: Principal,
    name: str,
    kind: OrgKind,
    level: OrgLevel,
    parent_id: str | None,
    region_code: str | None,
    person_in_charge: str,
) -> orgs.OrganizationRow:
    """VOL-ORG-2: a new organisation under a parent the caller administers (roots: the city
    only), at an allowed level; a county administrator creates its own county's."""
    parent = None if parent_id is None else orgs.get_org(session, parent_id)
    if parent is None and principal.role is not Role.CITY_ADMIN:
        raise Forbidden(_("only the city administrator creates a top organisation"))
    county = orgs.county_of(session, region_code)
    # A county admin may hang its county's team under the city team it does not administer.
    county_own = principal.role is Role.COUNTY_ADMIN and county == principal.county_code
    if parent is not None and not orgs.manages(principal, parent) and not county_own:
        raise Forbidden(_("the parent organisation is administered by someone else"))
    if principal.role is Role.COUNTY_ADMIN and county != principal.county_code:
        raise Forbidden(_("a county administrator creates organisations of its own county"))
    org = orgs.new_org(
        name=name,
        kind=kind,
        level=level,
        parent=parent,
        region_code=region_code,
        county_code=county,
        person_in_charge=person_in_charge,
    )
    _place(org.node(), session)
    save(session, org)
    return org


def update_organization(
    *,
    session: Session,
    principal: Principal,
    org: orgs.OrganizationRow,
    changes: dict[str, Any],
) -> orgs.OrganizationRow:
    """Rename, change the person in charge, or move under another parent (VOL-ORG-2: no cycle,
    an allowed level, a new parent the caller administers)."""
    for field in ("name", "person_in_charge"):
        if field in changes:
            setattr(org, field, changes[field])
    parent_id = changes.get("parent_id", org.parent_id)
    if parent_id != org.parent_id:
        parent = None if parent_id is None else orgs.get_org(session, parent_id)
        if parent is None and principal.role is not Role.CITY_ADMIN:
            raise Forbidden(_("only the city administrator makes a top organisation"))
        if parent is not None and not orgs.manages(principal, parent):
            raise Forbidden(_("the new parent is administered by someone else"))
        _place(OrgNode(id=org.id, level=OrgLevel(org.level), parent_id=parent_id), session)
        orgs.move_org(session, org, parent)
    save(session, org)
    return org


def record_registration(
    *, session: Session, org: orgs.OrganizationRow, registration: dict[str, Any]
) -> orgs.OrganizationRow:
    """VOL-ORG-5: status, date and number; a registered organisation needs both."""
    try:
        checked = SocialRegistration.model_validate(registration)
    except ValidationError as exc:
        problems = "; ".join(pydantic_message(e) for e in exc.errors())
        raise InvalidInput.one("number", problems, "registration_incomplete") from exc
    org.registration_status = checked.status.value
    org.registered_on = checked.registered_on
    org.registration_number = checked.number
    save(session, org)
    return org


def add_leader(
    *,
    session: Session,
    principal: Principal,
    organization_id: str,
    role: LeaderRole,
    name: str,
    title: str,
    volunteer_id: str | None,
) -> orgs.LeaderRow:
    """VOL-ORG-3: a second captain (or city secretary-general) is refused with 409."""
    org = orgs.get_managed_org(session, principal, organization_id, lock=True)
    roles = [*orgs.leader_roles(session, org.id), role]
    result = check_leadership(OrgLevel(org.level), roles, DEFAULT_VOLUNTEER_POLICY)
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    return orgs.add_leader(
        session, org, role=role, name=name, title=title, volunteer_id=volunteer_id
    )


def leader(*, session: Session, organization_id: str, leader_id: str) -> orgs.LeaderRow:
    """VOL-ORG-3: one post of an organisation's leadership."""
    return orgs.get_leader(session, orgs.get_org(session, organization_id), leader_id)


def remove_leader(
    *, session: Session, principal: Principal, organization_id: str, leader_id: str
) -> None:
    """The post is vacated; the findings show what the leadership now lacks."""
    org = orgs.get_managed_org(session, principal, organization_id)
    orgs.remove_leader(session, orgs.get_leader(session, org, leader_id))


def findings_of(*, session: Session, organization_id: str) -> RuleResult:
    """VOL-ORG-2..5: placement, leadership, county team size, registration."""
    org = orgs.get_org(session, organization_id)
    return organization_findings(
        node=org.node(),
        kind=OrgKind(org.kind),
        nodes=orgs.all_nodes(session),
        roles=orgs.leader_roles(session, org.id),
        active_members=volunteer_repo.count_members(session, org.id),
        registration=org.registration(),
        policy=DEFAULT_VOLUNTEER_POLICY,
    )
