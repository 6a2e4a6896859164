"""Officer training (OFF-TRAIN-1), activity plans (OFF-PLAN-1) and county reports (OFF-CASE-1)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, UniqueConstraint, func, or_, true
from sqlmodel import Field, Session, col, select

from app.domain.access import Principal
from app.domain.officers import (
    ActivityPlan,
    CaseKind,
    CaseStatus,
    TrainingLevel,
    TrainingPlan,
    TrainingSession,
)
from app.errors import Conflict, NotFound
from app.repositories.base import Entity, PageRequest, PageResult, paginate
from app.repositories.officers import OfficerRow
from app.repositories.scope import convention_clause, scope_clause, scoped
from app.repositories.types import UTCDateTime


class TrainingPlanRow(Entity, table=True):
    """OFF-TRAIN-1: a county's officer training plan for one year (one per county and year)."""

    __tablename__ = "officer_training_plans"
    __resource__ = "officer_training_plan"
    __table_args__ = (UniqueConstraint("county_code", "year"),)

    county_code: str = Field(max_length=12, index=True)
    year: int
    title: str = Field(max_length=200)
    planned_sessions: int
    planned_trainees: int = 0
    notes: str = Field(default="", max_length=2000)

    def to_domain(self) -> TrainingPlan:
        """The plan as the rules take it."""
        return TrainingPlan(
            county_code=self.county_code,
            year=self.year,
            title=self.title,
            planned_sessions=self.planned_sessions,
            planned_trainees=self.planned_trainees,
            notes=self.notes,
        )


class TrainingSessionRow(Entity, table=True):
    """OFF-TRAIN-1: a session held; county sessions carry their county, city exchanges none."""

    __tablename__ = "officer_training_sessions"
    __resource__ = "officer_training_session"

    level: str = Field(max_length=16, index=True)
    region_code: str = Field(foreign_key="regions.id", max_length=12)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    plan_id: str | None = Field(
        default=None, foreign_key="officer_training_plans.id", max_length=26, index=True
    )
    title: str = Field(max_length=200)
    held_on: date = Field(index=True)
    location: str = Field(default="", max_length=200)
    hours: float = 1.0

    def to_domain(self) -> TrainingSession:
        """The session as the rules take it."""
        return TrainingSession(
            level=TrainingLevel(self.level),
            region_code=self.region_code,
            title=self.title,
            held_on=self.held_on,
            location=self.location,
            hours=self.hours,
        )

    @classmethod
    def scope_clause(cls, principal: Principal) -> ColumnElement[bool]:
        """County administrators see their county's sessions and every city exchange session."""
        if principal.city_wide:
            return true()
        return or_(
            convention_clause(principal, cls), col(cls.level) == TrainingLevel.CITY_EXCHANGE.value
        )


class AttendanceRow(Entity, table=True):
    """OFF-TRAIN-1: an officer attended a session; the officer's county scopes the row."""

    __tablename__ = "officer_training_attendances"
    __resource__ = "officer_training_attendance"
    __table_args__ = (UniqueConstraint("session_id", "officer_id"),)

    session_id: str = Field(foreign_key="officer_training_sessions.id", max_length=26, index=True)
    officer_id: str = Field(foreign_key="officers.id", max_length=26, index=True)
    county_code: str = Field(max_length=12, index=True)


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


class CaseRow(Entity, table=True):
    """OFF-CASE-1: a typical case, problem or suggestion from a county, and the city's handling."""

    __tablename__ = "officer_cases"
    __resource__ = "officer_case"

    county_code: str = Field(max_length=12, index=True)
    kind: str = Field(max_length=16, index=True)
    title: str = Field(max_length=200)
    body: str = Field(max_length=20000)
    status: str = Field(default=CaseStatus.SUBMITTED.value, max_length=16, index=True)
    submitted_at: datetime = Field(sa_type=UTCDateTime, index=True)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    replied_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    featured_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reply: str | None = Field(default=None, max_length=20000)
    handled_by: str | None = Field(default=None, max_length=26)


R = TypeVar("R", bound=Entity)


def _get(session: Session, principal: Principal, model: type[R], item_id: str) -> R:
    row = session.exec(
        scoped(select(model), principal, model).where(col(model.id) == item_id)
    ).first()
    if row is None:
        raise NotFound(f"{model.__resource__ or 'item'} {item_id} not found")
    return row


def get_plan(session: Session, principal: Principal, plan_id: str) -> TrainingPlanRow:
    """A training plan in scope, or 404."""
    return _get(session, principal, TrainingPlanRow, plan_id)


def create_plan(session: Session, *, plan: TrainingPlan) -> TrainingPlanRow:
    """OFF-TRAIN-1: a county's plan for a year; 409 when the county has one for that year."""
    taken = session.exec(
        select(TrainingPlanRow).where(
            TrainingPlanRow.county_code == plan.county_code, TrainingPlanRow.year == plan.year
        )
    ).first()
    if taken is not None:
        raise Conflict(f"county {plan.county_code} already has a plan for {plan.year}")
    row = TrainingPlanRow(**plan.model_dump())
    session.add(row)
    session.flush()
    return row


def list_plans(
    session: Session, principal: Principal, *, page: PageRequest, year: int | None
) -> PageResult[TrainingPlanRow]:
    """Training plans in scope, optionally of one year."""
    stmt = scoped(select(TrainingPlanRow), principal, TrainingPlanRow)
    if year is not None:
        stmt = stmt.where(TrainingPlanRow.year == year)
    return paginate(session, stmt, col(TrainingPlanRow.id), page)


def get_session_row(session: Session, principal: Principal, session_id: str) -> TrainingSessionRow:
    """A training session in scope, or 404."""
    return _get(session, principal, TrainingSessionRow, session_id)


def create_session(
    session: Session, *, training: TrainingSession, county_code: str | None, plan_id: str | None
) -> TrainingSessionRow:
    """OFF-TRAIN-1: record a session held."""
    row = TrainingSessionRow(**training.model_dump(), county_code=county_code, plan_id=plan_id)
    session.add(row)
    session.flush()
    return row


def list_sessions(
    session: Session,
    principal: Principal,
    *,
    page: PageRequest,
    year: int | None,
    level: TrainingLevel | None,
) -> PageResult[TrainingSessionRow]:
    """Training sessions in scope, by year and level."""
    stmt = scoped(select(TrainingSessionRow), principal, TrainingSessionRow)
    if year is not None:
        stmt = stmt.where(
            col(TrainingSessionRow.held_on).between(date(year, 1, 1), date(year, 12, 31))
        )
    if level is not None:
        stmt = stmt.where(TrainingSessionRow.level == level.value)
    return paginate(session, stmt, col(TrainingSessionRow.id), page)


def add_attendance(
    session: Session, *, training: TrainingSessionRow, officers: Sequence[OfficerRow]
) -> list[AttendanceRow]:
    """OFF-TRAIN-1: mark officers present; an officer already recorded is left as is."""
    present = set(
        session.exec(
            select(AttendanceRow.officer_id).where(AttendanceRow.session_id == training.id)
        ).all()
    )
    added = [
        AttendanceRow(session_id=training.id, officer_id=o.id, county_code=o.county_code)
        for o in officers
        if o.id not in present
    ]
    session.add_all(added)
    session.flush()
    return added


def attendees(
    session: Session, principal: Principal, *, session_ids: Sequence[str]
) -> dict[str, list[OfficerRow]]:
    """The officers (in the caller's scope) present at each session, one query."""
    if not session_ids:
        return {}
    rows = session.exec(
        select(AttendanceRow.session_id, OfficerRow)
        .join(OfficerRow, col(OfficerRow.id) == col(AttendanceRow.officer_id))
        .where(
            col(AttendanceRow.session_id).in_(session_ids),
            scope_clause(principal, AttendanceRow),
        )
        .order_by(col(OfficerRow.id))
    ).all()
    found: dict[str, list[OfficerRow]] = {sid: [] for sid in session_ids}
    for sid, officer in rows:
        found[sid].append(officer)
    return found


def remove_attendance(session: Session, *, training: TrainingSessionRow, officer_id: str) -> None:
    """Strike an officer off a session's attendance, or 404."""
    row = session.exec(
        select(AttendanceRow).where(
            AttendanceRow.session_id == training.id, AttendanceRow.officer_id == officer_id
        )
    ).first()
    if row is None:
        raise NotFound(f"officer {officer_id} is not on the attendance of this session")
    session.delete(row)
    session.flush()


def officer_sessions(session: Session, *, officer_id: str) -> list[TrainingSessionRow]:
    """The sessions an officer attended, most recent first."""
    return list(
        session.exec(
            select(TrainingSessionRow)
            .join(AttendanceRow, col(AttendanceRow.session_id) == col(TrainingSessionRow.id))
            .where(AttendanceRow.officer_id == officer_id)
            .order_by(col(TrainingSessionRow.held_on).desc(), col(TrainingSessionRow.id))
        ).all()
    )


def year_sessions(session: Session, *, county_code: str, year: int) -> list[TrainingSessionRow]:
    """The year's county sessions of a county and the city sessions its officers attended."""
    attended = select(AttendanceRow.session_id).where(AttendanceRow.county_code == county_code)
    return list(
        session.exec(
            select(TrainingSessionRow)
            .where(
                col(TrainingSessionRow.held_on).between(date(year, 1, 1), date(year, 12, 31)),
                or_(
                    col(TrainingSessionRow.county_code) == county_code,
                    col(TrainingSessionRow.id).in_(attended),
                ),
            )
            .order_by(col(TrainingSessionRow.held_on), col(TrainingSessionRow.id))
        ).all()
    )


def training_counts(session: Session, *, year: int) -> dict[str, tuple[int, int, int]]:
    """OFF-KPI-1: per county, `(county sessions held, attendances, distinct officers trained)`."""
    in_year = col(TrainingSessionRow.held_on).between(date(year, 1, 1), date(year, 12, 31))
    held = dict(
        session.execute(
            select(col(TrainingSessionRow.county_code), func.count())
            .where(in_year, col(TrainingSessionRow.county_code).is_not(None))
            .group_by(col(TrainingSessionRow.county_code))
        ).all()
    )
    attendance = session.execute(
        select(
            col(AttendanceRow.county_code),
            func.count(),
            func.count(func.distinct(AttendanceRow.officer_id)),
        )
        .join(TrainingSessionRow, col(TrainingSessionRow.id) == col(AttendanceRow.session_id))
        .where(in_year)
        .group_by(col(AttendanceRow.county_code))
    ).all()
    counts = {county: (int(n), 0, 0) for county, n in held.items()}
    for county, total, distinct in attendance:
        counts[county] = (counts.get(county, (0, 0, 0))[0], int(total), int(distinct))
    return counts


def get_activity_plan(session: Session, principal: Principal, plan_id: str) -> ActivityPlanRow:
    """An activity plan in scope, or 404."""
    return _get(session, principal, ActivityPlanRow, plan_id)


def list_activity_plans(
    session: Session,
    principal: Principal,
    *,
    page: PageRequest,
    owner_kind: str | None,
    active_on: date | None,
) -> PageResult[ActivityPlanRow]:
    """Activity plans in scope, by owner kind and by a day they cover."""
    stmt = scoped(select(ActivityPlanRow), principal, ActivityPlanRow)
    if owner_kind is not None:
        stmt = stmt.where(ActivityPlanRow.owner_kind == owner_kind)
    if active_on is not None:
        stmt = stmt.where(
            col(ActivityPlanRow.starts_on) <= active_on, col(ActivityPlanRow.ends_on) >= active_on
        )
    return paginate(session, stmt, col(ActivityPlanRow.id), page)


def get_case(session: Session, principal: Principal, case_id: str) -> CaseRow:
    """A case in scope, or 404."""
    return _get(session, principal, CaseRow, case_id)


def list_cases(
    session: Session,
    principal: Principal,
    *,
    page: PageRequest,
    kind: CaseKind | None,
    status: CaseStatus | None,
) -> PageResult[CaseRow]:
    """Cases in scope, by kind and status."""
    stmt = scoped(select(CaseRow), principal, CaseRow)
    if kind is not None:
        stmt = stmt.where(CaseRow.kind == kind.value)
    if status is not None:
        stmt = stmt.where(CaseRow.status == status.value)
    return paginate(session, stmt, col(CaseRow.id), page)


def case_counts(session: Session, *, starts: datetime, ends: datetime) -> dict[str, int]:
    """OFF-KPI-1: cases submitted per county in `[starts, ends)`."""
    rows = session.execute(
        select(col(CaseRow.county_code), func.count())
        .where(col(CaseRow.submitted_at) >= starts, col(CaseRow.submitted_at) < ends)
        .group_by(col(CaseRow.county_code))
    ).all()
    return {county: int(n) for county, n in rows}


def update_plan(session: Session, *, row: TrainingPlanRow, changes: dict[str, object]) -> None:
    """Change a plan's fields."""
    for field, value in changes.items():
        setattr(row, field, value)
    session.add(row)
    session.flush()


def create_activity_plan(
    session: Session, *, plan: ActivityPlan, county_code: str
) -> ActivityPlanRow:
    """OFF-PLAN-1: record an activity plan."""
    row = ActivityPlanRow(**plan.model_dump(), county_code=county_code)
    session.add(row)
    session.flush()
    return row


def create_case(
    session: Session, *, county_code: str, kind: CaseKind, title: str, body: str, at: datetime
) -> CaseRow:
    """OFF-CASE-1: a county's report, submitted now."""
    row = CaseRow(county_code=county_code, kind=kind.value, title=title, body=body, submitted_at=at)
    session.add(row)
    session.flush()
    return row


def handle_case(
    session: Session, *, row: CaseRow, target: CaseStatus, reply: str | None, by: str, at: datetime
) -> None:
    """OFF-CASE-1: record the city's step; replying or featuring also marks the case read."""
    row.status = target.value
    row.handled_by = by
    if row.read_at is None:
        row.read_at = at
    if target is CaseStatus.REPLIED:
        row.reply, row.replied_at = reply, at
    if target is CaseStatus.FEATURED:
        row.featured_at = at
    session.add(row)
    session.flush()
