"""Volunteers and their memberships (VOL-REG-1/2, VOL-ELIG-*, VOL-EXIT-1, VOL-DUTY-1).

One person is one row, matched by a keyed hash of the ID document; ID number, mobile and address
are stored encrypted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    Index,
    String,
    UniqueConstraint,
    cast,
    false,
    func,
    or_,
    true,
)
from sqlmodel import Field, Session, col, select

from app.domain.access import Principal, Role
from app.domain.common import policy_in_force
from app.domain.volunteers import (
    DEFAULT_VOLUNTEER_POLICY,
    Declarations,
    GuardianConsent,
    IdType,
    Membership,
    MembershipAction,
    MembershipStatus,
    Volunteer,
    VolunteerPolicy,
)
from app.errors import NotFound, RuleViolation
from app.i18n import _
from app.repositories.base import (
    Entity,
    PageRequest,
    PageResult,
    Searchable,
    insert_entities,
    name_matches,
    presigned,
    save,
)
from app.repositories.regions import Region
from app.repositories.scope import get_in_scope, list_in_scope, list_rows, rows_in, scope_clause
from app.repositories.types import PERSONAL, Encrypted, UTCDateTime
from app.repositories.volunteers_orgs import OrganizationRow
from app.rules.identity import normalise_mobile
from app.rules.volunteers_eligibility import person_key
from app.rules.volunteers_org import SERVING, check_join
from app.security import personal


class VolunteerRow(Searchable, table=True):
    """A volunteer: one person, whatever the number of organisations joined (VOL-REG-2)."""

    __tablename__ = "volunteers"
    __table_args__ = (Index("ix_volunteers_county_code_id", "county_code", "id"),)
    __resource__ = "volunteer"

    name: str = Field(max_length=100)
    id_type: str = Field(max_length=32)
    id_number: str = Field(sa_type=Encrypted)
    person_hash: str = Field(max_length=64, unique=True)
    mobile: str = Field(sa_type=Encrypted)
    mobile_hash: str = Field(max_length=64, index=True)
    address: str | None = Field(default=None, sa_type=Encrypted)
    birth_date: date = Field(sa_column_kwargs={"info": PERSONAL})
    region_code: str = Field(foreign_key="regions.id", max_length=12)
    county_code: str | None = Field(default=None, max_length=12)
    skills: list[str] = Field(
        default_factory=presigned(list), sa_column=Column(JSON, nullable=False)
    )
    service_targets: list[str] = Field(
        default_factory=presigned(list), sa_column=Column(JSON, nullable=False)
    )
    declarations: dict[str, bool] = Field(
        default_factory=presigned(dict), sa_column=Column(JSON, nullable=False)
    )
    guardian_name: str | None = Field(
        default=None, max_length=100, sa_column_kwargs={"info": PERSONAL}
    )
    guardian_relationship: str | None = Field(
        default=None, max_length=20, sa_column_kwargs={"info": PERSONAL}
    )
    guardian_consent_on: date | None = Field(default=None, sa_column_kwargs={"info": PERSONAL})
    user_id: str | None = Field(default=None, max_length=26, index=True)

    @property
    def owner_id(self) -> str:
        """A volunteer's own events are visible to the volunteer (change feed)."""
        return self.id

    @property
    def guardian(self) -> GuardianConsent | None:
        """VOL-ELIG-2: the guardian's consent on record, if any."""
        if self.guardian_name is None or self.guardian_consent_on is None:
            return None
        return GuardianConsent(
            name=self.guardian_name,
            relationship=self.guardian_relationship or "",
            consented_on=self.guardian_consent_on,
        )

    def to_domain(self) -> Volunteer:
        """The volunteer as the gate and hours rules take it."""
        return Volunteer(
            id=self.id,
            name=self.name,
            birth_date=self.birth_date,
            skills=frozenset(self.skills),
            guardian_consent=self.guardian,
        )

    @classmethod
    def scope_clause(cls, principal: Principal) -> ColumnElement[bool]:
        """City-wide roles all; a county its residents and its organisations' members; an
        organisation admin the members of its subtree; a volunteer itself."""
        if principal.city_wide:
            return true()
        if principal.role is Role.COUNTY_ADMIN:
            members = select(MembershipRow.volunteer_id).where(
                MembershipRow.county_code == principal.county_code
            )
            return or_(col(cls.county_code) == principal.county_code, col(cls.id).in_(members))
        if principal.role is Role.ORG_ADMIN and principal.org_path:
            members = select(MembershipRow.volunteer_id).where(
                col(MembershipRow.org_path).startswith(principal.org_path)
            )
            return col(cls.id).in_(members)
        if principal.role is Role.VOLUNTEER and principal.volunteer_id:
            return col(cls.id) == principal.volunteer_id
        return false()


class MembershipRow(Entity, table=True):
    """A volunteer's membership of one organisation, with its own status (VOL-EXIT-1)."""

    __tablename__ = "volunteer_memberships"
    __resource__ = "volunteer_membership"
    __parents__ = ("volunteer_id",)
    __table_args__ = (UniqueConstraint("volunteer_id", "organization_id"),)

    volunteer_id: str = Field(foreign_key="volunteers.id", max_length=26, index=True)
    organization_id: str = Field(foreign_key="organizations.id", max_length=26, index=True)
    status: str = Field(max_length=16, index=True)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)

    @property
    def owner_id(self) -> str:
        """The volunteer sees its memberships in the change feed."""
        return self.volunteer_id

    def to_domain(self) -> Membership:
        """The membership as the rules take it."""
        return Membership(
            organization_id=self.organization_id, status=MembershipStatus(self.status)
        )


class MembershipEventRow(Entity, table=True):
    """VOL-EXIT-1: one step of a membership, with reason, decider and time."""

    __tablename__ = "volunteer_membership_events"

    membership_id: str = Field(foreign_key="volunteer_memberships.id", max_length=26, index=True)
    action: str = Field(max_length=16)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    reason: str = Field(default="", max_length=2000)
    decided_by: str | None = Field(default=None, max_length=26)
    decided_at: datetime = Field(sa_type=UTCDateTime)


#: Every version of the volunteer policy; a new one is appended with its `effective_on`.
POLICIES: list[VolunteerPolicy] = [DEFAULT_VOLUNTEER_POLICY]


def policy_on(day: date) -> VolunteerPolicy:
    """The volunteer policy in force on a day."""
    return policy_in_force(POLICIES, day)


def person_hash(id_type: IdType, id_number: str) -> str:
    """VOL-REG-2: the keyed hash that finds one person without decrypting anything."""
    return personal.ring().blind_index(person_key(id_type, id_number))


def get_volunteer(
    session: Session, principal: Principal, volunteer_id: str, *, lock: bool = False
) -> VolunteerRow:
    """A volunteer in the caller's scope, or 404."""
    return get_in_scope(session, principal, VolunteerRow, volunteer_id, lock=lock)


def counties_of(session: Session, codes: Iterable[str]) -> dict[str, str | None]:
    """The county of each known region code among `codes`, in one query."""
    wanted = list(set(codes))
    rows = session.exec(
        select(Region.id, Region.county_code).where(col(Region.id).in_(wanted))
    ).all()
    return dict(rows)


def list_volunteers(
    session: Session,
    principal: Principal,
    *,
    page: PageRequest,
    organization_id: str | None,
    county_code: str | None,
    skill: str | None,
    q: str | None = None,
) -> PageResult[VolunteerRow]:
    """Volunteers in scope, filtered by organisation, county, skill and name (`q`)."""
    where: list[ColumnElement[bool]] = [name_matches(VolunteerRow, q)]
    if organization_id is not None:
        members = select(MembershipRow.volunteer_id).where(
            MembershipRow.organization_id == organization_id
        )
        where.append(col(VolunteerRow.id).in_(members))
    if skill is not None:
        # Skills are stored as a JSON list; a whole element is its JSON string, quotes included,
        # so matching that text in the database keeps pages full and `total` exact.
        element = json.dumps(skill.strip().casefold())
        skills_text = func.lower(cast(col(VolunteerRow.skills), String))
        where.append(skills_text.contains(element, autoescape=True))
    return list_in_scope(
        session, principal, VolunteerRow, page, *where, equal={"county_code": county_code}
    )


def names_of(session: Session, volunteer_ids: Iterable[str]) -> dict[str, str]:
    """The names of these volunteers, in one query."""
    wanted = list(set(volunteer_ids))
    if not wanted:
        return {}
    stmt = select(VolunteerRow.id, VolunteerRow.name).where(col(VolunteerRow.id).in_(wanted))
    return dict(session.exec(stmt).all())


#: The most volunteers one desk lookup answers (a mobile may be a family's).
LOOKUP_LIMIT = 20


def lookup(
    session: Session,
    principal: Principal,
    *,
    id_type: IdType,
    id_number: str | None,
    mobile: str | None,
) -> list[VolunteerRow]:
    """Volunteers in the caller's scope with exactly this ID document or mobile, matched by
    keyed hash: nothing is decrypted to search."""
    if id_number is not None:
        match = col(VolunteerRow.person_hash) == person_hash(id_type, id_number)
    else:
        mobile_hash = personal.ring().blind_index(normalise_mobile(mobile or ""))
        match = col(VolunteerRow.mobile_hash) == mobile_hash
    stmt = (
        select(VolunteerRow)
        .where(match, scope_clause(principal, VolunteerRow))
        .order_by(col(VolunteerRow.id))
        .limit(LOOKUP_LIMIT)
    )
    return list(session.exec(stmt))


def find_by_person(session: Session, hashes: Iterable[str]) -> dict[str, VolunteerRow]:
    """Existing volunteers by person hash, in one query."""
    wanted = list(set(hashes))
    if not wanted:
        return {}
    rows = session.exec(select(VolunteerRow).where(col(VolunteerRow.person_hash).in_(wanted)))
    return {r.person_hash: r for r in rows}


def volunteer_values(
    *,
    name: str,
    id_type: IdType,
    id_number: str,
    mobile: str,
    address: str | None,
    birth_date: date,
    region_code: str,
    county_code: str | None,
    skills: Sequence[str],
    service_targets: Sequence[str],
    declarations: Declarations,
    guardian: GuardianConsent | None,
    user_id: str | None = None,
) -> dict[str, Any]:
    """The column values of a volunteer from checked, normalised values (a row or a bulk insert)."""
    ring = personal.ring()
    return {
        "name": name.strip(),
        "id_type": id_type.value,
        "id_number": id_number,
        "person_hash": person_hash(id_type, id_number),
        "mobile": mobile,
        "mobile_hash": ring.blind_index(mobile),
        "address": address,
        "birth_date": birth_date,
        "region_code": region_code,
        "county_code": county_code,
        "skills": [s.strip() for s in skills if s.strip()],
        "service_targets": [s.strip() for s in service_targets if s.strip()],
        "declarations": declarations.model_dump(),
        "guardian_name": guardian.name if guardian else None,
        "guardian_relationship": guardian.relationship if guardian else None,
        "guardian_consent_on": guardian.consented_on if guardian else None,
        "user_id": user_id,
    }


def create_volunteers(session: Session, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Insert many volunteers (`volunteer_values`) and their change events; their ids in order."""
    return insert_entities(session, VolunteerRow, rows, owner_key="id")


def add_volunteer(session: Session, values: dict[str, Any]) -> VolunteerRow:
    """Insert one volunteer from `volunteer_values`."""
    row = VolunteerRow(**values)
    return save(session, row)


def link_user(session: Session, row: VolunteerRow, user_id: str) -> None:
    """The login of a self-registered volunteer."""
    row.user_id = user_id
    save(session, row)


#: Fields of a volunteer that an update sets as given.
PLAIN_FIELDS = ("name", "address", "skills", "service_targets")


def update_volunteer(
    session: Session,
    row: VolunteerRow,
    changes: dict[str, Any],
    *,
    guardian: GuardianConsent | None,
) -> VolunteerRow:
    """Apply checked, normalised changes: `mobile` (with its blind index), the plain fields and,
    when `guardian` is among `changes`, the guardian's consent."""
    if "mobile" in changes:
        row.mobile = changes["mobile"]
        row.mobile_hash = personal.ring().blind_index(row.mobile)
    for field in PLAIN_FIELDS:
        if field in changes:
            setattr(row, field, changes[field])
    if "guardian" in changes:
        row.guardian_name = guardian.name if guardian else None
        row.guardian_relationship = guardian.relationship if guardian else None
        row.guardian_consent_on = guardian.consented_on if guardian else None
    return save(session, row)


# --- memberships ------------------------------------------------------------------------------


def memberships_of(session: Session, volunteer_ids: Iterable[str]) -> list[MembershipRow]:
    """Every membership of these volunteers, in one query."""
    return rows_in(session, MembershipRow, "volunteer_id", volunteer_ids)


def get_membership(session: Session, volunteer_id: str, membership_id: str) -> MembershipRow:
    """One membership of a volunteer (already checked in scope), or 404."""
    row = session.get(MembershipRow, membership_id)
    if row is None or row.volunteer_id != volunteer_id:
        raise NotFound(_("membership {id} not found", id=membership_id))
    return row


def membership_in(
    session: Session, volunteer_id: str, organization_id: str
) -> MembershipRow | None:
    """The membership of a volunteer in one organisation, if any."""
    return session.exec(
        select(MembershipRow).where(
            MembershipRow.volunteer_id == volunteer_id,
            MembershipRow.organization_id == organization_id,
        )
    ).first()


def list_memberships(
    session: Session, volunteer_id: str, page: PageRequest
) -> PageResult[MembershipRow]:
    """One page of a volunteer's memberships (the volunteer already checked in scope)."""
    return list_rows(session, MembershipRow, page, equal={"volunteer_id": volunteer_id})


def history(session: Session, membership_ids: Iterable[str]) -> list[MembershipEventRow]:
    """VOL-EXIT-1: the steps of these memberships, oldest first."""
    return rows_in(session, MembershipEventRow, "membership_id", membership_ids)


def join(
    session: Session,
    *,
    volunteer_id: str,
    org: OrganizationRow,
    status: MembershipStatus,
    existing: MembershipRow | None,
    by: str | None,
    at: datetime,
    reason: str = "",
) -> MembershipRow:
    """VOL-REG-2, VOL-EXIT-1: a membership in `status`; a former one (left, exited, rejected)
    is reopened, an expelled or live one refused."""
    return join_many(
        session, [(volunteer_id, existing)], org=org, status=status, by=by, at=at, reason=reason
    )[0]


def serve(
    session: Session, *, volunteer_id: str, org: OrganizationRow, by: str, at: datetime, reason: str
) -> None:
    """VOL-REG-2: make the volunteer an active member of `org`, unless it already serves there;
    an expelled one is refused (VOL-EXIT-1)."""
    existing = membership_in(session, volunteer_id, org.id)
    if existing is None or MembershipStatus(existing.status) not in SERVING:
        join(
            session,
            volunteer_id=volunteer_id,
            org=org,
            status=MembershipStatus.ACTIVE,
            existing=existing,
            by=by,
            at=at,
            reason=reason,
        )


def join_many(
    session: Session,
    joiners: Sequence[tuple[str, MembershipRow | None]],
    *,
    org: OrganizationRow,
    status: MembershipStatus,
    by: str | None,
    at: datetime,
    reason: str = "",
) -> list[MembershipRow]:
    """`join` for many volunteers at once (bulk registration): one flush, then the history."""
    rows: list[tuple[MembershipRow, str | None]] = []
    for volunteer_id, existing in joiners:
        result = check_join(MembershipStatus(existing.status) if existing else None)
        if not result.ok:
            raise RuleViolation(result.errors, status=409)
        row = existing or MembershipRow(
            volunteer_id=volunteer_id,
            status=status.value,
            **org.owner_scope(),
        )
        rows.append((row, existing.status if existing else None))
        row.status = status.value
        session.add(row)
    session.flush()
    session.add_all(
        [
            MembershipEventRow(
                membership_id=row.id,
                action="join",
                from_status=previous,
                to_status=status.value,
                reason=reason,
                decided_by=by,
                decided_at=at,
            )
            for row, previous in rows
        ]
    )
    return [row for row, _ in rows]


def join_new(
    session: Session,
    volunteer_ids: Sequence[str],
    *,
    org: OrganizationRow,
    status: MembershipStatus,
    by: str | None,
    at: datetime,
    reason: str = "",
) -> None:
    """`join_many` for volunteers with no membership of `org` yet (bulk registration): the
    memberships, their change events and their history written in bulk."""
    result = check_join(None)
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    ids = insert_entities(
        session,
        MembershipRow,
        [
            {
                "volunteer_id": volunteer_id,
                "organization_id": org.id,
                "status": status.value,
                "org_path": org.path,
                "county_code": org.county_code,
            }
            for volunteer_id in volunteer_ids
        ],
        owner_key="volunteer_id",
    )
    insert_entities(
        session,
        MembershipEventRow,
        [
            {
                "membership_id": membership_id,
                "action": "join",
                "from_status": None,
                "to_status": status.value,
                "reason": reason,
                "decided_by": by,
                "decided_at": at,
            }
            for membership_id in ids
        ],
    )


def record_step(
    session: Session,
    membership: MembershipRow,
    *,
    action: MembershipAction,
    to_status: MembershipStatus,
    reason: str | None,
    by: str | None,
    at: datetime,
) -> MembershipRow:
    """VOL-EXIT-1: a decided step of a membership, written with its reason, decider and time."""
    session.add(
        MembershipEventRow(
            membership_id=membership.id,
            action=action.value,
            from_status=membership.status,
            to_status=to_status.value,
            reason=(reason or "").strip(),
            decided_by=by,
            decided_at=at,
        )
    )
    membership.status = to_status.value
    return save(session, membership)


def count_members(session: Session, org_id: str) -> int:
    """VOL-ORG-4: members who serve (active or warned)."""
    stmt = select(func.count()).where(
        MembershipRow.organization_id == org_id,
        col(MembershipRow.status).in_([MembershipStatus.ACTIVE, MembershipStatus.WARNED]),
    )
    return int(session.exec(stmt).one())
