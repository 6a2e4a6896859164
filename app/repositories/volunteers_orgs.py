"""Volunteer organisations and their leaders: the hierarchy as a materialised path (VOL-ORG-*)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TypedDict

from sqlalchemy import ColumnElement, Index, Table, false, func, literal, true, update
from sqlmodel import Field, Session, SQLModel, col, select

from app.domain.access import Principal, Role
from app.domain.volunteers import (
    LeaderRole,
    OrgKind,
    OrgLevel,
    OrgNode,
    SocialRegistration,
    SocialRegistrationStatus,
)
from app.errors import NotFound
from app.i18n import _
from app.repositories import regions
from app.repositories.base import Entity, PageRequest, PageResult, Searchable, name_matches, save
from app.repositories.scope import find_or_404, get_in_scope, list_rows


class OrgScope(TypedDict):
    """The columns a row owned by an organisation copies from it, which scope the row."""

    organization_id: str
    org_path: str
    county_code: str | None


class OrganizationRow(Searchable, table=True):
    """An organisation; `path` is `/root/…/id/`, the prefix that scopes organisation admins."""

    __tablename__ = "organizations"
    __table_args__ = (
        Index("ix_organizations_parent_id_id", "parent_id", "id"),
        Index("ix_organizations_level_id", "level", "id"),
        Index("ix_organizations_county_code_id", "county_code", "id"),
    )
    __resource__ = "organization"

    name: str = Field(max_length=200)
    kind: str = Field(max_length=32)
    level: str = Field(max_length=32)
    parent_id: str | None = Field(default=None, foreign_key="organizations.id", max_length=26)
    path: str = Field(max_length=512, index=True)
    region_code: str | None = Field(default=None, foreign_key="regions.id", max_length=12)
    county_code: str | None = Field(default=None, max_length=12)
    person_in_charge: str = Field(default="", max_length=100)
    registration_status: str = Field(
        default=SocialRegistrationStatus.NOT_REGISTERED.value, max_length=32
    )
    registered_on: date | None = None
    registration_number: str | None = Field(default=None, max_length=50)

    @property
    def org_path(self) -> str:
        """The feed scopes an organisation's events by its own path."""
        return self.path

    def owner_scope(self) -> OrgScope:
        """The scope columns of a row this organisation owns: its id, path and county (the path
        is rewritten by `move_org`)."""
        return {"organization_id": self.id, "org_path": self.path, "county_code": self.county_code}

    def node(self) -> OrgNode:
        """The organisation as the hierarchy rules see it."""
        return OrgNode(id=self.id, level=OrgLevel(self.level), parent_id=self.parent_id)

    @classmethod
    def scope_clause(cls, principal: Principal) -> ColumnElement[bool]:
        """The organisations the caller administers: the city all, a county those of its county,
        an organisation admin its own subtree. Every signed-in caller reads any organisation
        (`find_or_404`); this scope is the one of changing it."""
        if principal.role is Role.CITY_ADMIN:
            return true()
        if principal.role is Role.COUNTY_ADMIN:
            return col(cls.county_code) == principal.county_code
        if principal.role is Role.ORG_ADMIN and principal.org_path:
            return col(cls.path).startswith(principal.org_path)
        return false()

    def registration(self) -> SocialRegistration:
        """VOL-ORG-5: the social-organisation registration."""
        return SocialRegistration(
            status=SocialRegistrationStatus(self.registration_status),
            registered_on=self.registered_on,
            number=self.registration_number,
        )


class LeaderRow(Entity, table=True):
    """VOL-ORG-3: one post of an organisation's leadership."""

    __tablename__ = "organization_leaders"
    __resource__ = "organization_leader"
    __parents__ = ("organization_id",)

    organization_id: str = Field(foreign_key="organizations.id", max_length=26, index=True)
    role: str = Field(max_length=32)
    name: str = Field(max_length=100)
    title: str = Field(default="", max_length=200)
    volunteer_id: str | None = Field(default=None, foreign_key="volunteers.id", max_length=26)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)


def manages(principal: Principal, org: OrganizationRow) -> bool:
    """Whether the caller administers this organisation: the city, its county, or an ancestor."""
    if principal.role is Role.CITY_ADMIN:
        return True
    if principal.role is Role.COUNTY_ADMIN:
        return org.county_code is not None and org.county_code == principal.county_code
    if principal.role is Role.ORG_ADMIN:
        return bool(principal.org_path) and org.path.startswith(principal.org_path or "")
    return False


def managed_clause(principal: Principal, model: Any) -> ColumnElement[bool]:
    """The rows of organisations the caller administers (`org_path`/`county_code` columns), or
    everything for city-wide readers."""
    if principal.city_wide:
        return true()
    columns = model.__table__.c
    if principal.role is Role.COUNTY_ADMIN:
        return columns.county_code == principal.county_code  # type: ignore[no-any-return]
    if principal.role is Role.ORG_ADMIN and principal.org_path:
        return columns.org_path.startswith(principal.org_path)  # type: ignore[no-any-return]
    return false()


def get_org(session: Session, org_id: str) -> OrganizationRow:
    """Any organisation (organisations are not personal data: every signed-in caller reads them)."""
    return find_or_404(session, OrganizationRow, org_id)


def get_managed_org(
    session: Session, principal: Principal, org_id: str, *, lock: bool = False
) -> OrganizationRow:
    """An organisation the caller administers (`OrganizationRow.scope_clause`), else 404."""
    return get_in_scope(session, principal, OrganizationRow, org_id, lock=lock)


def all_nodes(session: Session) -> dict[str, OrgNode]:
    """Every organisation as a hierarchy node (hundreds at most), for placement checks."""
    rows = session.exec(
        select(OrganizationRow.id, OrganizationRow.level, OrganizationRow.parent_id)
    ).all()
    return {i: OrgNode(id=i, level=OrgLevel(lv), parent_id=p) for i, lv, p in rows}


def list_orgs(
    session: Session,
    *,
    page: PageRequest,
    parent_id: str | None,
    level: OrgLevel | None,
    county_code: str | None,
    q: str | None = None,
) -> PageResult[OrganizationRow]:
    """Organisations filtered by parent, level, county and name (`q`)."""
    return list_rows(
        session,
        OrganizationRow,
        page,
        name_matches(OrganizationRow, q),
        equal={"parent_id": parent_id, "level": level, "county_code": county_code},
    )


def subtree(session: Session, org: OrganizationRow) -> list[OrganizationRow]:
    """The organisation and everything under it, parents before children."""
    rows = session.exec(
        select(OrganizationRow).where(col(OrganizationRow.path).startswith(org.path))
    ).all()
    return sorted(rows, key=lambda r: (r.path.count("/"), r.id))


def county_of(session: Session, region_code: str | None) -> str | None:
    """The county of an organisation's region, if it names one."""
    return None if region_code is None else regions.county_of(session, region_code)


def new_org(
    *,
    name: str,
    kind: OrgKind,
    level: OrgLevel,
    parent: OrganizationRow | None,
    region_code: str | None,
    county_code: str | None,
    person_in_charge: str,
) -> OrganizationRow:
    """An organisation not yet stored, its path below `parent`'s (placement is checked on it)."""
    org = OrganizationRow(
        name=name,
        kind=kind.value,
        level=level.value,
        parent_id=parent.id if parent else None,
        path="",
        region_code=region_code,
        county_code=county_code,
        person_in_charge=person_in_charge,
    )
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    return org


#: Tables whose rows copy their organisation's path, rewritten when an organisation moves. The
#: change feed keeps the path an event had when it happened: events are never rewritten.
def _path_tables() -> list[Table]:
    return [
        t
        for t in SQLModel.metadata.sorted_tables
        if "org_path" in t.c and t.name != "change_events"
    ]


def move_org(session: Session, org: OrganizationRow, parent: OrganizationRow | None) -> None:
    """VOL-ORG-2: re-parent an (already checked) organisation and rewrite every copied path."""
    old = org.path
    new = f"{parent.path if parent else '/'}{org.id}/"
    for row in subtree(session, org):
        row.path = new + row.path[len(old) :]
        session.add(row)
    org.parent_id = parent.id if parent else None
    session.flush()
    for table in _path_tables():
        session.execute(
            update(table)
            .where(table.c.org_path.startswith(old))
            .values(org_path=literal(new) + func.substr(table.c.org_path, len(old) + 1))
        )


def names_of(session: Session, org_ids: Iterable[str]) -> dict[str, str]:
    """The names of these organisations, in one query."""
    wanted = list(set(org_ids))
    if not wanted:
        return {}
    stmt = select(OrganizationRow.id, OrganizationRow.name).where(
        col(OrganizationRow.id).in_(wanted)
    )
    return dict(session.exec(stmt).all())


def leaders(session: Session, org_id: str) -> list[LeaderRow]:
    """The leaders of one organisation, in the order they were named."""
    return list(
        session.exec(
            select(LeaderRow).where(LeaderRow.organization_id == org_id).order_by(col(LeaderRow.id))
        ).all()
    )


def list_leaders(session: Session, org_id: str, page: PageRequest) -> PageResult[LeaderRow]:
    """One page of an organisation's leaders, in the order they were named."""
    return list_rows(session, LeaderRow, page, equal={"organization_id": org_id})


def leader_roles(session: Session, org_id: str) -> list[LeaderRole]:
    """VOL-ORG-3: the posts held in one organisation."""
    return [LeaderRole(r.role) for r in leaders(session, org_id)]


def add_leader(
    session: Session,
    org: OrganizationRow,
    *,
    role: LeaderRole,
    name: str,
    title: str,
    volunteer_id: str | None,
) -> LeaderRow:
    """Name a leader (the leadership check has run on the result)."""
    row = LeaderRow(
        **org.owner_scope(),
        role=role.value,
        name=name,
        title=title,
        volunteer_id=volunteer_id,
    )
    return save(session, row)


def remove_leader(session: Session, row: LeaderRow) -> None:
    """Vacate a post."""
    session.delete(row)
    session.flush()


def get_leader(session: Session, org: OrganizationRow, leader_id: str) -> LeaderRow:
    """One leader of this organisation, or 404."""
    row = session.get(LeaderRow, leader_id)
    if row is None or row.organization_id != org.id:
        raise NotFound(_("leader {id} not found", id=leader_id))
    return row
