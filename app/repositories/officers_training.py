"""Officer training (OFF-TRAIN-1): county plans per year, sessions held and who attended."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, UniqueConstraint, func, or_, true
from sqlmodel import Field, Session, col, select

from app.domain.access import Principal
from app.domain.officers import OfficerTrainingLevel, TrainingPlan, TrainingSession
from app.errors import Conflict, NotFound
from app.i18n import _
from app.repositories.base import Entity, PageRequest, PageResult, paginate, save
from app.repositories.officers import OfficerRow
from app.repositories.scope import convention_clause, get_in_scope, list_in_scope, scope_clause


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
            level=OfficerTrainingLevel(self.level),
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
            convention_clause(principal, cls),
            col(cls.level) == OfficerTrainingLevel.CITY_EXCHANGE.value,
        )


class AttendanceRow(Entity, table=True):
    """OFF-TRAIN-1: an officer attended a session; the officer's county scopes the row."""

    __tablename__ = "officer_training_attendances"
    __resource__ = "officer_training_attendance"
    __parents__ = ("session_id", "officer_id")
    __table_args__ = (UniqueConstraint("session_id", "officer_id"),)

    session_id: str = Field(foreign_key="officer_training_sessions.id", max_length=26, index=True)
    officer_id: str = Field(foreign_key="officers.id", max_length=26, index=True)
    county_code: str = Field(max_length=12, index=True)


def _in_year(year: int) -> ColumnElement[bool]:
    return col(TrainingSessionRow.held_on).between(date(year, 1, 1), date(year, 12, 31))


def get_plan(session: Session, principal: Principal, training_plan_id: str) -> TrainingPlanRow:
    """A training plan in scope, or 404."""
    return get_in_scope(session, principal, TrainingPlanRow, training_plan_id)


def create_plan(session: Session, *, plan: TrainingPlan) -> TrainingPlanRow:
    """OFF-TRAIN-1: a county's plan for a year; 409 when the county has one for that year."""
    taken = session.exec(
        select(TrainingPlanRow).where(
            TrainingPlanRow.county_code == plan.county_code, TrainingPlanRow.year == plan.year
        )
    ).first()
    if taken is not None:
        raise Conflict(
            _(
                "county {county} already has a plan for {year}",
                county=plan.county_code,
                year=plan.year,
            )
        )
    row = TrainingPlanRow(**plan.model_dump())
    return save(session, row)


def update_plan(session: Session, *, row: TrainingPlanRow, changes: dict[str, object]) -> None:
    """Change a plan's fields."""
    for field, value in changes.items():
        setattr(row, field, value)
    save(session, row)


def list_plans(
    session: Session, principal: Principal, *, page: PageRequest, year: int | None
) -> PageResult[TrainingPlanRow]:
    """Training plans in scope, optionally of one year."""
    return list_in_scope(session, principal, TrainingPlanRow, page, equal={"year": year})


def get_session_row(
    session: Session, principal: Principal, training_session_id: str
) -> TrainingSessionRow:
    """A training session in scope, or 404."""
    return get_in_scope(session, principal, TrainingSessionRow, training_session_id)


def create_session(
    session: Session, *, training: TrainingSession, county_code: str | None, plan_id: str | None
) -> TrainingSessionRow:
    """OFF-TRAIN-1: record a session held."""
    row = TrainingSessionRow(**training.model_dump(), county_code=county_code, plan_id=plan_id)
    return save(session, row)


def list_sessions(
    session: Session,
    principal: Principal,
    *,
    page: PageRequest,
    year: int | None,
    level: OfficerTrainingLevel | None,
) -> PageResult[TrainingSessionRow]:
    """Training sessions in scope, by year and level."""
    where = [] if year is None else [_in_year(year)]
    return list_in_scope(
        session,
        principal,
        TrainingSessionRow,
        page,
        *where,
        equal={"level": level},
    )


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
        for o in {o.id: o for o in officers}.values()
        if o.id not in present
    ]
    session.add_all(added)
    session.flush()
    return added


def attendance_counts(
    session: Session, principal: Principal, *, session_ids: Sequence[str]
) -> dict[str, int]:
    """How many officers (in the caller's scope) attended each session, one query."""
    if not session_ids:
        return {}
    rows = session.execute(
        select(col(AttendanceRow.session_id), func.count())
        .where(
            col(AttendanceRow.session_id).in_(session_ids),
            scope_clause(principal, AttendanceRow),
        )
        .group_by(col(AttendanceRow.session_id))
    ).all()
    counts = dict.fromkeys(session_ids, 0)
    counts.update({str(sid): int(n) for sid, n in rows})
    return counts


def attendee_page(
    session: Session, principal: Principal, *, training: TrainingSessionRow, page: PageRequest
) -> PageResult[OfficerRow]:
    """One page of the officers (in the caller's scope) present at a session, by officer id."""
    present = select(AttendanceRow.officer_id).where(
        AttendanceRow.session_id == training.id, scope_clause(principal, AttendanceRow)
    )
    stmt = select(OfficerRow).where(col(OfficerRow.id).in_(present))
    return paginate(session, stmt, col(OfficerRow.id), page)


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
        raise NotFound(
            _("officer {officer} is not on the attendance of this session", officer=officer_id)
        )
    session.delete(row)
    session.flush()


def officer_session_page(
    session: Session, principal: Principal, *, officer_id: str, page: PageRequest
) -> PageResult[TrainingSessionRow]:
    """One page of the sessions (in the caller's scope) an officer attended."""
    attended = select(AttendanceRow.session_id).where(AttendanceRow.officer_id == officer_id)
    return list_in_scope(
        session, principal, TrainingSessionRow, page, col(TrainingSessionRow.id).in_(attended)
    )


def year_sessions(session: Session, *, county_code: str, year: int) -> list[TrainingSessionRow]:
    """The year's county sessions of a county and the city sessions its officers attended."""
    attended = select(AttendanceRow.session_id).where(AttendanceRow.county_code == county_code)
    return list(
        session.exec(
            select(TrainingSessionRow)
            .where(
                _in_year(year),
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
    in_year = _in_year(year)
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
