"""Activities, enrolments and accident insurance (VOL-SCOPE-1, VOL-DUTY-2/3, VOL-RIGHT-1)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, func
from sqlmodel import Field, Session, col, select

from app.domain.access import Principal
from app.domain.common import Observance
from app.domain.volunteers import (
    Activity,
    Enrolment,
    EnrolmentStatus,
    InsurancePolicy,
    RiskLevel,
    ServiceScope,
)
from app.errors import Forbidden, NotFound
from app.i18n import _
from app.repositories.base import (
    Entity,
    PageRequest,
    PageResult,
    Searchable,
    name_matches,
    presigned,
    save,
)
from app.repositories.scope import find_or_404, get_in_scope, list_in_scope, list_rows, rows_in
from app.repositories.types import UTCDateTime
from app.repositories.volunteers import VolunteerRow
from app.repositories.volunteers_orgs import OrganizationRow, get_org, manages


class ActivityRow(Searchable, table=True):
    """A service activity; there is no fee column (VOL-RIGHT-1)."""

    __tablename__ = "volunteer_activities"
    __table_args__ = (
        Index("ix_volunteer_activities_organization_id_id", "organization_id", "id"),
        Index("ix_volunteer_activities_county_code_id", "county_code", "id"),
    )
    __resource__ = "activity"
    __name_column__ = "title"

    organization_id: str = Field(foreign_key="organizations.id", max_length=26)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12)
    title: str = Field(max_length=200)
    scope: int
    observance: str | None = Field(default=None, max_length=32)
    region_code: str | None = Field(default=None, foreign_key="regions.id", max_length=12)
    place: str = Field(default="", max_length=500)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    capacity: int | None = None
    required_skills: list[str] = Field(
        default_factory=presigned(list), sa_column=Column(JSON, nullable=False)
    )
    min_age: int | None = None
    max_age: int | None = None
    minors_allowed: bool = False
    risk: str = Field(default=RiskLevel.NONE.value, max_length=32)
    risk_disclosure: str | None = Field(default=None, max_length=4000)
    major_project: bool = False
    recruitment_id: str | None = Field(default=None, max_length=26, index=True)
    geofence: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))

    def to_domain(self) -> Activity:
        """The activity as the gate takes it."""
        return Activity(
            id=self.id,
            organization_id=self.organization_id,
            title=self.title,
            scope=ServiceScope(self.scope),
            observance=Observance(self.observance) if self.observance else None,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            capacity=self.capacity,
            required_skills=frozenset(self.required_skills),
            min_age=self.min_age,
            max_age=self.max_age,
            minors_allowed=self.minors_allowed,
            risk=RiskLevel(self.risk),
            risk_disclosure=self.risk_disclosure,
            major_project=self.major_project,
        )


class EnrolmentRow(Entity, table=True):
    """A volunteer's enrolment in an activity, with acknowledgement, confirmation, withdrawal."""

    __tablename__ = "volunteer_enrolments"
    __resource__ = "enrolment"
    __parents__ = ("activity_id",)
    __table_args__ = (
        UniqueConstraint("activity_id", "volunteer_id"),
        Index("ix_volunteer_enrolments_activity_id_id", "activity_id", "id"),
        Index("ix_volunteer_enrolments_volunteer_id_id", "volunteer_id", "id"),
        Index("ix_volunteer_enrolments_status_id", "status", "id"),
    )

    activity_id: str = Field(foreign_key="volunteer_activities.id", max_length=26)
    volunteer_id: str = Field(foreign_key="volunteers.id", max_length=26)
    status: str = Field(default=EnrolmentStatus.PENDING.value, max_length=16)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    risk_acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    confirmed_by: str | None = Field(default=None, max_length=26)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawal_reason: str | None = Field(default=None, max_length=2000)
    late_notice: bool = False

    @property
    def owner_id(self) -> str:
        """The volunteer sees its enrolments in the change feed."""
        return self.volunteer_id

    def to_domain(self) -> Enrolment:
        """The enrolment as the gate takes it."""
        return Enrolment(
            id=self.id,
            activity_id=self.activity_id,
            volunteer_id=self.volunteer_id,
            status=EnrolmentStatus(self.status),
            risk_acknowledged_at=self.risk_acknowledged_at,
            withdrawn_at=self.withdrawn_at,
            withdrawal_reason=self.withdrawal_reason,
        )


class InsuranceRow(Entity, table=True):
    """VOL-DUTY-3: a personal accident policy bought by an organisation."""

    __tablename__ = "volunteer_insurance_policies"
    __table_args__ = (
        Index("ix_volunteer_insurance_policies_organization_id_id", "organization_id", "id"),
        Index("ix_volunteer_insurance_policies_activity_id_id", "activity_id", "id"),
    )
    __resource__ = "insurance_policy"

    organization_id: str = Field(foreign_key="organizations.id", max_length=26)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    insurer: str = Field(max_length=100)
    number: str = Field(max_length=100)
    starts_on: date
    ends_on: date
    activity_id: str | None = Field(
        default=None, foreign_key="volunteer_activities.id", max_length=26
    )


class InsuredRow(Entity, table=True):
    """VOL-DUTY-3: a volunteer insured by a policy."""

    __tablename__ = "volunteer_insurance_insured"
    __table_args__ = (UniqueConstraint("policy_id", "volunteer_id"),)

    policy_id: str = Field(foreign_key="volunteer_insurance_policies.id", max_length=26, index=True)
    volunteer_id: str = Field(foreign_key="volunteers.id", max_length=26, index=True)


def get_activity(session: Session, activity_id: str, *, lock: bool = False) -> ActivityRow:
    """Any activity (activities are published for volunteers to enrol), or 404."""
    return find_or_404(session, ActivityRow, activity_id, lock=lock)


def get_managed_activity(
    session: Session, principal: Principal, activity_id: str, *, lock: bool = False
) -> ActivityRow:
    """An activity of an organisation the caller administers: 404 if absent, 403 if another's.

    Activities are published to every signed-in caller, so the 403 confirms nothing hidden."""
    row = get_activity(session, activity_id, lock=lock)
    if not manages(principal, get_org(session, row.organization_id)):
        raise Forbidden(_("this activity belongs to an organisation administered by someone else"))
    return row


def add_activity(session: Session, org: OrganizationRow, values: Mapping[str, Any]) -> ActivityRow:
    """A new activity of `org`, placed in its county and path."""
    row = ActivityRow(**values, **org.owner_scope())
    return save(session, row)


def _save(session: Session, row: Entity, changes: Mapping[str, Any]) -> None:
    for field, value in changes.items():
        setattr(row, field, value)
    save(session, row)


def update_activity(session: Session, row: ActivityRow, changes: Mapping[str, Any]) -> None:
    """Write the changed fields of an activity."""
    _save(session, row, changes)


def list_activities(
    session: Session,
    *,
    page: PageRequest,
    organization_id: str | None,
    county_code: str | None,
    starts_after: datetime | None,
    scope: ServiceScope | None,
    q: str | None = None,
) -> PageResult[ActivityRow]:
    """Activities filtered by organisation, county, start, scope category and title (`q`)."""
    where = [name_matches(ActivityRow, q)]
    if starts_after is not None:
        where.append(col(ActivityRow.starts_at) >= starts_after)
    return list_rows(
        session,
        ActivityRow,
        page,
        *where,
        equal={"organization_id": organization_id, "county_code": county_code, "scope": scope},
    )


def list_public_activities(
    session: Session,
    *,
    page: PageRequest,
    now: datetime,
    county_code: str | None,
    starts_from: datetime | None,
    starts_before: datetime | None,
    scope: ServiceScope | None,
    minors_allowed: bool | None,
) -> PageResult[ActivityRow]:
    """Activities not yet begun, open to enrolment, by county, start, category and whether
    minors may take part."""
    where = [col(ActivityRow.starts_at) > now]
    if starts_from is not None:
        where.append(col(ActivityRow.starts_at) >= starts_from)
    if starts_before is not None:
        where.append(col(ActivityRow.starts_at) < starts_before)
    return list_rows(
        session,
        ActivityRow,
        page,
        *where,
        equal={"county_code": county_code, "scope": scope, "minors_allowed": minors_allowed},
    )


def get_enrolment(
    session: Session, principal: Principal, activity_id: str, enrolment_id: str
) -> EnrolmentRow:
    """One enrolment of an activity in the caller's scope (the organisation's, or the volunteer's
    own); 404 otherwise, also for another county's."""
    row = get_in_scope(session, principal, EnrolmentRow, enrolment_id)
    if row.activity_id != activity_id:
        raise NotFound(_("enrolment {id} not found", id=enrolment_id))
    return row


def find_enrolment(session: Session, activity_id: str, volunteer_id: str) -> EnrolmentRow | None:
    """The enrolment of this volunteer in this activity, if any."""
    return session.exec(
        select(EnrolmentRow).where(
            EnrolmentRow.activity_id == activity_id, EnrolmentRow.volunteer_id == volunteer_id
        )
    ).first()


def add_enrolment(session: Session, activity: ActivityRow, volunteer_id: str) -> EnrolmentRow:
    """A pending enrolment, in the activity's county and organisation path."""
    row = EnrolmentRow(
        activity_id=activity.id,
        volunteer_id=volunteer_id,
        org_path=activity.org_path,
        county_code=activity.county_code,
    )
    return save(session, row)


def save_enrolment(session: Session, row: EnrolmentRow, changes: Mapping[str, Any]) -> None:
    """Write an enrolment's new state (acknowledgement, confirmation or withdrawal)."""
    _save(session, row, changes)


def list_enrolments(
    session: Session,
    principal: Principal,
    *,
    page: PageRequest,
    activity_id: str | None,
    volunteer_id: str | None,
    status: EnrolmentStatus | None,
) -> PageResult[EnrolmentRow]:
    """Enrolments in scope: the organisation's, or the volunteer's own."""
    return list_in_scope(
        session,
        principal,
        EnrolmentRow,
        page,
        equal={
            "activity_id": activity_id,
            "volunteer_id": volunteer_id,
            "status": None if status is None else status.value,
        },
    )


def confirmed_count(session: Session, activity_id: str, *, besides: str) -> int:
    """Confirmed enrolments of an activity other than `besides` (the capacity check)."""
    stmt = select(func.count()).where(
        EnrolmentRow.activity_id == activity_id,
        EnrolmentRow.status == EnrolmentStatus.CONFIRMED.value,
        EnrolmentRow.id != besides,
    )
    return int(session.exec(stmt).one())


def insurance_for(session: Session, volunteer_id: str) -> tuple[InsurancePolicy, ...]:
    """VOL-DUTY-3: every policy insuring the volunteer, as the gate takes them."""
    rows = session.exec(
        select(InsuranceRow)
        .join(InsuredRow, col(InsuredRow.policy_id) == col(InsuranceRow.id))
        .where(InsuredRow.volunteer_id == volunteer_id)
    ).all()
    return tuple(
        InsurancePolicy(
            id=r.id,
            insurer=r.insurer,
            number=r.number,
            starts_on=r.starts_on,
            ends_on=r.ends_on,
            insured_volunteer_ids=frozenset({volunteer_id}),
            activity_id=r.activity_id,
        )
        for r in rows
    )


def get_policy(session: Session, principal: Principal, policy_id: str) -> InsuranceRow:
    """A policy of an organisation the caller administers (or reads city-wide), or 404."""
    return get_in_scope(session, principal, InsuranceRow, policy_id)


def add_policy(
    session: Session,
    org: OrganizationRow,
    *,
    insurer: str,
    number: str,
    starts_on: date,
    ends_on: date,
    activity_id: str | None,
) -> InsuranceRow:
    """A new policy of `org`, placed in its county and path."""
    row = InsuranceRow(
        **org.owner_scope(),
        insurer=insurer,
        number=number,
        starts_on=starts_on,
        ends_on=ends_on,
        activity_id=activity_id,
    )
    return save(session, row)


def unknown_volunteers(session: Session, volunteer_ids: Iterable[str]) -> set[str]:
    """Those of the ids that name no volunteer, in one query."""
    ids = set(volunteer_ids)
    if not ids:
        return set()
    known = session.exec(select(VolunteerRow.id).where(col(VolunteerRow.id).in_(ids))).all()
    return ids - set(known)


def insured_ids(session: Session, policy_ids: Iterable[str]) -> dict[str, list[str]]:
    """The insured volunteers of these policies, in one query."""
    ids = set(policy_ids)
    result: dict[str, list[str]] = {i: [] for i in ids}
    for row in rows_in(session, InsuredRow, "policy_id", ids):
        result[row.policy_id].append(row.volunteer_id)
    return result


def insure(session: Session, policy: InsuranceRow, volunteer_ids: Iterable[str]) -> None:
    """Add volunteers to a policy; those already insured by it are left as they are."""
    already = set(insured_ids(session, [policy.id])[policy.id])
    for volunteer_id in dict.fromkeys(volunteer_ids):
        if volunteer_id not in already:
            session.add(InsuredRow(policy_id=policy.id, volunteer_id=volunteer_id))
    session.flush()


def list_policies(
    session: Session,
    principal: Principal,
    *,
    page: PageRequest,
    organization_id: str | None,
    activity_id: str | None,
) -> PageResult[InsuranceRow]:
    """Policies of the organisations the caller administers."""
    return list_in_scope(
        session,
        principal,
        InsuranceRow,
        page,
        equal={"organization_id": organization_id, "activity_id": activity_id},
    )


def activities_by_id(session: Session, activity_ids: Iterable[str]) -> dict[str, ActivityRow]:
    """These activities by id, in one query."""
    ids = list(set(activity_ids))
    if not ids:
        return {}
    return {a.id: a for a in session.exec(select(ActivityRow).where(col(ActivityRow.id).in_(ids)))}


def activity_titles(session: Session, activity_ids: Iterable[str]) -> dict[str, str]:
    """The titles of these activities, in one query."""
    ids = set(activity_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(ActivityRow.id, ActivityRow.title).where(col(ActivityRow.id).in_(ids))
    ).all()
    return dict(rows)
