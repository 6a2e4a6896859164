"""Accredited bases and their yearly records: monthly statistics, activities, annual reports,
announcements and opening-class history; and the loader behind the compliance dashboard.

BASE-CAT-1, BASE-OPEN-3, BASE-OPEN-4, BASE-ACT-1, BASE-REPORT-1, BASE-LIAISON-1, BASE-REVIEW-1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, NamedTuple, TypedDict

from sqlalchemy import ColumnElement, Index, UniqueConstraint, and_, false, func, or_, true
from sqlalchemy import select as sa_select
from sqlmodel import Field, Session, col, select

from app.domain.access import Principal, Role
from app.domain.bases import (
    Activity,
    AnnualReport,
    BaseCategory,
    BaseStatus,
    Liaison,
    MonthlyStat,
    OpeningClass,
    OpeningClassOverride,
    ScienceBase,
)
from app.domain.common import SHANGHAI, Observance
from app.errors import Conflict, NotFound
from app.i18n import _
from app.repositories.attachments import AttachmentRow, OwnerType
from app.repositories.base import (
    Entity,
    PageRequest,
    PageResult,
    Searchable,
    name_matches,
    paginate,
    save,
    where_equal,
)
from app.repositories.bases_applications import region_clause
from app.repositories.bases_common import ALL, page_under
from app.repositories.scope import get_in_scope, scope_clause, scoped
from app.repositories.types import Encrypted, UTCDateTime


class BaseScope(TypedDict):
    """The columns a record of a base copies from it, which scope the record."""

    base_id: str
    county_code: str | None


class BaseRow(Searchable, table=True):
    """An accredited base (科普教育基地) and its standing."""

    __tablename__ = "bases"
    __resource__ = "base"
    # Lists are keyset pages ordered by id: an equality filter (category, class, a county's
    # scope) followed by id reads one page of the index instead of sorting every match.
    __table_args__ = (
        Index("ix_bases_category_id", "category", "id"),
        Index("ix_bases_opening_class_id", "opening_class", "id"),
        Index("ix_bases_county_code_id", "county_code", "id"),
    )

    name: str = Field(max_length=200)
    category: str = Field(max_length=16)
    subtype: str | None = Field(default=None, max_length=100)
    opening_class: str = Field(max_length=16)
    class_override_reason: str | None = Field(default=None, max_length=1000)
    class_overridden_by: str | None = Field(default=None, max_length=26)
    class_overridden_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    region_code: str = Field(foreign_key="regions.id", max_length=12, index=True)
    county_code: str | None = Field(default=None, max_length=12)
    address: str = Field(default="", max_length=500)
    opening_hours: str = Field(default="", max_length=500)
    contact_phone: str = Field(default="", max_length=50)
    credit_code: str | None = Field(default=None, max_length=18)
    liaison_name: str = Field(default="", max_length=100)
    liaison_phone: str | None = Field(default=None, sa_type=Encrypted)
    liaison_email: str = Field(default="", max_length=200)
    application_id: str = Field(foreign_key="base_applications.id", max_length=26, unique=True)
    accredited_on: date = Field(index=True)
    plaque_number: str = Field(max_length=64, unique=True)
    status: str = Field(default=BaseStatus.ACCREDITED.value, max_length=16, index=True)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lapses_on: date | None = Field(default=None, index=True)
    evaluation_due_on: date = Field(index=True)

    @property
    def base_id(self) -> str:
        """A base's own events belong to it (change feed scope)."""
        return self.id

    def owner_scope(self) -> BaseScope:
        """The scope columns of a record of this base: its id and county."""
        return {"base_id": self.id, "county_code": self.county_code}

    @classmethod
    def scope_clause(cls, principal: Principal) -> ColumnElement[bool]:
        """City-wide roles all; a county its county; base staff its own base."""
        if principal.city_wide:
            return true()
        if principal.role is Role.COUNTY_ADMIN:
            return col(cls.county_code) == principal.county_code
        if principal.role is Role.BASE_STAFF and principal.base_id:
            return col(cls.id) == principal.base_id
        return false()

    @property
    def revoked(self) -> bool:
        """BASE-REVOKE-1..6: the title was revoked (the stored flag; lapsing is a rule's)."""
        return self.status == BaseStatus.REVOKED.value

    def to_domain(self, status: BaseStatus) -> ScienceBase:
        """The base as the rule functions take it, with the status the rule gave it."""
        override = None
        if self.class_override_reason is not None:
            override = OpeningClassOverride(
                opening_class=OpeningClass(self.opening_class),
                reason=self.class_override_reason,
                decided_by=self.class_overridden_by,
                decided_at=self.class_overridden_at,
            )
        liaison = Liaison(
            name=self.liaison_name, phone=self.liaison_phone or "", email=self.liaison_email
        )
        return ScienceBase(
            id=self.id,
            name=self.name,
            category=BaseCategory(self.category),
            subtype=self.subtype,
            opening_class_override=override,
            liaison=liaison,
            accredited_on=self.accredited_on,
            status=status,
        )


class BaseRecord(Entity):
    """A record of one base, scoped by the base's county (`BaseRow.owner_scope` fills both)."""

    __parents__ = ("base_id",)

    base_id: str = Field(foreign_key="bases.id", max_length=26, index=True)
    county_code: str | None = Field(default=None, max_length=12)


class ClassChangeRow(Entity, table=True):
    """BASE-OPEN-3: every change of a base's opening class, with who, when and why."""

    __tablename__ = "base_class_changes"

    base_id: str = Field(foreign_key="bases.id", max_length=26, index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    actor_id: str | None = Field(default=None, max_length=26)
    from_class: str = Field(max_length=16)
    to_class: str = Field(max_length=16)
    reason: str = Field(max_length=1000)


class AnnouncementRow(BaseRecord, table=True):
    """BASE-REVIEW-1: the public announcement of an accreditation."""

    __tablename__ = "base_announcements"
    __resource__ = "base_announcement"

    announced_at: datetime = Field(sa_type=UTCDateTime)
    title: str = Field(max_length=200)
    body: str = Field(max_length=4000)


class MonthlyStatRow(Entity, table=True):
    """BASE-OPEN-4: one month's open days and visitors; one row per base and month."""

    __tablename__ = "base_monthly_stats"
    __resource__ = "base_monthly_stat"
    __parents__ = ("base_id", "year", "month")
    __table_args__ = (UniqueConstraint("base_id", "year", "month"),)

    base_id: str = Field(foreign_key="bases.id", max_length=26)
    county_code: str | None = Field(default=None, max_length=12)
    year: int = Field(index=True)
    month: int
    open_days: int
    visitors: int

    def to_domain(self) -> MonthlyStat:
        """The month as the rule functions take it."""
        return MonthlyStat(
            year=self.year, month=self.month, open_days=self.open_days, visitors=self.visitors
        )


class ActivityRow(BaseRecord, table=True):
    """BASE-ACT-1, BASE-EVENT-1: a public science activity of a base."""

    __tablename__ = "base_activities"
    __resource__ = "base_activity"

    held_on: date = Field(index=True)
    title: str = Field(max_length=200)
    form: str = Field(max_length=100)
    participants: int
    national_event: str | None = Field(default=None, max_length=32)
    free_or_discounted: bool = False
    description: str = Field(default="", max_length=4000)
    created_by: str | None = Field(default=None, max_length=26)

    def to_domain(self, evidence_count: int) -> Activity:
        """The activity as the rule functions take it."""
        return Activity(
            held_on=self.held_on,
            title=self.title,
            form=self.form,
            participants=self.participants,
            evidence_count=evidence_count,
            observance=Observance(self.national_event) if self.national_event else None,
            free_or_discounted=self.free_or_discounted,
        )


class AnnualReportRow(Entity, table=True):
    """BASE-THEME-1, BASE-REPORT-1: a year's theme, summary and next-year plan."""

    __tablename__ = "base_annual_reports"
    __resource__ = "base_annual_report"
    __parents__ = ("base_id", "year")
    __table_args__ = (UniqueConstraint("base_id", "year"),)

    base_id: str = Field(foreign_key="bases.id", max_length=26)
    county_code: str | None = Field(default=None, max_length=12)
    year: int = Field(index=True)
    theme: str = Field(default="", max_length=200)
    summary: str = Field(default="", max_length=20000)
    next_year_plan: str = Field(default="", max_length=20000)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_by: str | None = Field(default=None, max_length=26)
    days_late: int | None = None

    def to_domain(self) -> AnnualReport:
        """The report as the rule functions take it."""
        return AnnualReport(
            year=self.year,
            theme=self.theme,
            summary=self.summary,
            next_year_plan=self.next_year_plan,
            submitted_at=self.submitted_at,
        )


# --- bases -------------------------------------------------------------------------------------


def create_base(session: Session, *, fields: dict[str, Any]) -> BaseRow:
    """A newly accredited base."""
    row = BaseRow(**fields)
    return save(session, row)


def next_plaque_number(session: Session, year: int, prefix: str) -> str:
    """The next plaque number of a year: `<prefix>〔YEAR〕NNN`."""
    count = session.exec(
        select(func.count()).where(
            col(BaseRow.accredited_on) >= date(year, 1, 1),
            col(BaseRow.accredited_on) <= date(year, 12, 31),
        )
    ).one()
    return f"{prefix}〔{year}〕{int(count) + 1:03d}"


def add_announcement(
    session: Session, base: BaseRow, *, at: datetime, title: str, body: str
) -> AnnouncementRow:
    """Publish the accreditation."""
    row = AnnouncementRow(**base.owner_scope(), announced_at=at, title=title, body=body)
    return save(session, row)


def announcements(
    session: Session, base_id: str, page: PageRequest | None = None
) -> PageResult[AnnouncementRow]:
    """A page of a base's announcements (all of them without `page`), oldest first."""
    return page_under(session, AnnouncementRow, base_id, page or PageRequest(limit=ALL))


def get_base(session: Session, principal: Principal, base_id: str) -> BaseRow:
    """A base in the caller's scope, or 404."""
    return get_in_scope(session, principal, BaseRow, base_id)


def status_clause(status: BaseStatus, today: date) -> ColumnElement[bool]:
    """The SQL of `app.rules.bases_evaluation.base_status` (BASE-EVAL-1, BASE-REVOKE-1..6), so
    a status filter reads an index; tests/perf/test_bases_equivalence.py proves the two equal."""
    revoked = col(BaseRow.status) == BaseStatus.REVOKED.value
    lapsed = and_(col(BaseRow.lapses_on).is_not(None), col(BaseRow.lapses_on) <= today)
    if status is BaseStatus.REVOKED:
        return revoked
    if status is BaseStatus.LAPSED:
        return and_(~revoked, lapsed)
    return and_(~revoked, or_(col(BaseRow.lapses_on).is_(None), col(BaseRow.lapses_on) > today))


def list_bases(
    session: Session,
    principal: Principal | None,
    *,
    page: PageRequest,
    today: date,
    category: BaseCategory | None = None,
    opening_class: OpeningClass | None = None,
    region_code: str | None = None,
    status: BaseStatus | None = None,
    evaluation_due_before: date | None = None,
    q: str | None = None,
) -> PageResult[BaseRow]:
    """Bases in scope (all for the public directory, which passes no principal), filtered
    (`q` by name)."""
    stmt = select(BaseRow).where(name_matches(BaseRow, q))
    if principal is not None:
        stmt = scoped(stmt, principal, BaseRow)
    stmt = where_equal(stmt, BaseRow, {"category": category, "opening_class": opening_class})
    if region_code is not None:
        stmt = stmt.where(region_clause(col(BaseRow.region_code), region_code))
    if status is not None:
        stmt = stmt.where(status_clause(status, today))
    if evaluation_due_before is not None:
        stmt = stmt.where(col(BaseRow.evaluation_due_on) < evaluation_due_before)
    return paginate(session, stmt, col(BaseRow.id), page)


def get_public_base(session: Session, base_id: str, today: date) -> BaseRow:
    """An accredited base of the public directory, or 404 (revoked and lapsed ones are gone)."""
    row = session.exec(
        select(BaseRow).where(BaseRow.id == base_id, status_clause(BaseStatus.ACCREDITED, today))
    ).first()
    if row is None:
        raise NotFound(_("base {id} not found", id=base_id))
    return row


def change_class(
    session: Session,
    base: BaseRow,
    *,
    to: OpeningClass,
    reason: str,
    actor_id: str,
    now: datetime,
) -> ClassChangeRow:
    """BASE-OPEN-3: the administrator's override, kept in the class history."""
    change = ClassChangeRow(
        base_id=base.id,
        at=now,
        actor_id=actor_id,
        from_class=base.opening_class,
        to_class=to.value,
        reason=reason,
    )
    base.opening_class = to.value
    base.class_override_reason = reason
    base.class_overridden_by = actor_id
    base.class_overridden_at = now
    session.add(change)
    session.add(base)
    return change


def class_history(session: Session, base_id: str, page: PageRequest) -> PageResult[ClassChangeRow]:
    """A page of the overrides of a base's opening class, oldest first."""
    return page_under(session, ClassChangeRow, base_id, page)


def update_base(session: Session, base: BaseRow, values: dict[str, Any]) -> BaseRow:
    """Store new contact and liaison values of a base."""
    for name, value in values.items():
        setattr(base, name, value)
    return save(session, base)


def set_evaluation_term(
    session: Session, base: BaseRow, *, due_on: date, lapses_on: date | None
) -> None:
    """BASE-EVAL-1: the due date of the current term and, after a failed evaluation, the day
    the accreditation lapses."""
    base.evaluation_due_on = due_on
    base.lapses_on = lapses_on
    save(session, base)


# --- monthly statistics ------------------------------------------------------------------------


def get_stat(session: Session, base_id: str, year: int, month: int) -> MonthlyStatRow | None:
    """One month of a base, if reported."""
    return session.exec(
        select(MonthlyStatRow).where(
            MonthlyStatRow.base_id == base_id,
            MonthlyStatRow.year == year,
            MonthlyStatRow.month == month,
        )
    ).first()


def put_stat(
    session: Session, base: BaseRow, *, year: int, month: int, open_days: int, visitors: int
) -> tuple[MonthlyStatRow, bool]:
    """BASE-OPEN-4: create or correct a month (never a second row); True when created."""
    row = get_stat(session, base.id, year, month)
    created = row is None
    if row is None:
        row = MonthlyStatRow(
            **base.owner_scope(),
            year=year,
            month=month,
            open_days=open_days,
            visitors=visitors,
        )
    else:
        row.open_days = open_days
        row.visitors = visitors
    save(session, row)
    return row, created


def list_stats(
    session: Session, base_id: str, year: int | None, page: PageRequest
) -> PageResult[MonthlyStatRow]:
    """A page of a base's months, optionally of one year, in the order they were first
    reported."""
    where = [] if year is None else [col(MonthlyStatRow.year) == year]
    return page_under(session, MonthlyStatRow, base_id, page, *where)


# --- activities ----------------------------------------------------------------------------------


def add_activity(
    session: Session, base: BaseRow, *, fields: dict[str, Any], created_by: str
) -> ActivityRow:
    """Record an activity held by the base."""
    row = ActivityRow(**fields, **base.owner_scope(), created_by=created_by)
    return save(session, row)


def get_activity(session: Session, base_id: str, activity_id: str) -> ActivityRow:
    """One activity of a base, or 404."""
    row = session.exec(
        select(ActivityRow).where(ActivityRow.id == activity_id, ActivityRow.base_id == base_id)
    ).first()
    if row is None:
        raise NotFound(_("activity {id} not found", id=activity_id))
    return row


def list_activities(
    session: Session, base_id: str, *, page: PageRequest, year: int | None
) -> PageResult[ActivityRow]:
    """A base's activities, optionally of one year."""
    stmt = select(ActivityRow).where(ActivityRow.base_id == base_id)
    if year is not None:
        stmt = stmt.where(
            col(ActivityRow.held_on) >= date(year, 1, 1),
            col(ActivityRow.held_on) <= date(year, 12, 31),
        )
    return paginate(session, stmt, col(ActivityRow.id), page)


# --- annual reports ------------------------------------------------------------------------------


def get_report(session: Session, base_id: str, year: int) -> AnnualReportRow | None:
    """A base's report of a year, if started."""
    return session.exec(
        select(AnnualReportRow).where(
            AnnualReportRow.base_id == base_id, AnnualReportRow.year == year
        )
    ).first()


def put_report(
    session: Session, base: BaseRow, *, year: int, theme: str, summary: str, next_year_plan: str
) -> tuple[AnnualReportRow, bool]:
    """Create or edit an unsubmitted report; True when created."""
    row = get_report(session, base.id, year)
    created = row is None
    if row is None:
        row = AnnualReportRow(**base.owner_scope(), year=year)
    elif row.submitted_at is not None:
        raise Conflict(_("the report of {year} was submitted and can no longer change", year=year))
    row.theme = theme
    row.summary = summary
    row.next_year_plan = next_year_plan
    save(session, row)
    return row, created


def find_report(session: Session, base_id: str, year: int) -> AnnualReportRow:
    """A base's report of a year, or 404."""
    report = get_report(session, base_id, year)
    if report is None:
        raise NotFound(_("no report of {year}", year=year))
    return report


def list_reports(session: Session, base_id: str, page: PageRequest) -> PageResult[AnnualReportRow]:
    """A page of a base's reports, in the order they were started."""
    return page_under(session, AnnualReportRow, base_id, page)


def submit_report(
    session: Session, report: AnnualReportRow, *, at: datetime, by: str, days_late: int
) -> AnnualReportRow:
    """BASE-REPORT-1: the server's time of submission and the days late."""
    report.submitted_at = at
    report.submitted_by = by
    report.days_late = days_late
    return save(session, report)


# --- compliance ----------------------------------------------------------------------------------


class MonthRecord(NamedTuple):
    """A reported month as the dashboard reads it: a plain tuple, not a model."""

    year: int
    month: int
    open_days: int
    visitors: int


class ActivityRecord(NamedTuple):
    """An activity and its evidence count as the dashboard reads them."""

    held_on: date
    title: str
    form: str
    participants: int
    observance: Observance | None
    free_or_discounted: bool
    evidence_count: int


_EVENTS: dict[str | None, Observance] = {e.value: e for e in Observance}


@dataclass
class YearRecords:
    """What `assess_year` needs of one base for one year."""

    stats: list[MonthRecord] = field(default_factory=list)
    activities: list[ActivityRecord] = field(default_factory=list)
    report: AnnualReport | None = None


def _year_start_instant(year: int) -> datetime:
    return datetime.combine(date(year, 1, 1), time(), tzinfo=SHANGHAI)


def records_for(
    session: Session, base_ids: Any, years: Iterable[int]
) -> dict[tuple[str, int], YearRecords]:
    """Statistics, activities (with their evidence counts) and reports of the given bases and
    years, in three queries whatever the number of bases; `base_ids` may be a subquery.

    The dashboard reads thousands of rows per request: plain Core rows become tuples (no ORM
    rows, no models), and only the selected activities' evidence is counted, by index."""
    years = sorted(set(years))
    out: dict[tuple[str, int], YearRecords] = defaultdict(YearRecords)
    if not years:
        return out
    # Core statements skip the session's autoflush: flush what the request may have changed.
    session.flush()
    conn = session.connection()
    s = MonthlyStatRow
    stats = sa_select(
        col(s.base_id), col(s.year), col(s.month), col(s.open_days), col(s.visitors)
    ).where(col(s.base_id).in_(base_ids), col(s.year).in_(years))
    for base_id, year, month, open_days, visitors in conn.execute(stats).all():
        out[(base_id, year)].stats.append(MonthRecord(year, month, open_days, visitors))
    a, t = ActivityRow, AttachmentRow
    evidence = (
        sa_select(func.count())
        .where(col(t.owner_id) == col(a.id), col(t.owner_type) == OwnerType.ACTIVITY.value)
        .scalar_subquery()
    )
    acts = sa_select(
        col(a.base_id),
        col(a.held_on),
        col(a.title),
        col(a.form),
        col(a.participants),
        col(a.national_event),
        col(a.free_or_discounted),
        evidence,
    ).where(
        col(a.base_id).in_(base_ids),
        col(a.held_on) >= date(years[0], 1, 1),
        col(a.held_on) <= date(years[-1], 12, 31),
    )
    wanted = set(years)
    for base_id, held_on, title, form, participants, event, free, n in conn.execute(acts).all():
        if held_on.year in wanted:
            out[(base_id, held_on.year)].activities.append(
                ActivityRecord(held_on, title, form, participants, _EVENTS.get(event), free, n)
            )
    r = AnnualReportRow
    reports = sa_select(
        col(r.base_id),
        col(r.year),
        col(r.theme),
        col(r.summary),
        col(r.next_year_plan),
        col(r.submitted_at),
    ).where(col(r.base_id).in_(base_ids), col(r.year).in_(years))
    for base_id, year, theme, summary, plan, submitted_at in conn.execute(reports).all():
        out[(base_id, year)].report = AnnualReport(
            year=year,
            theme=theme,
            summary=summary,
            next_year_plan=plan,
            submitted_at=submitted_at,
        )
    return out


def bases_for_year(
    session: Session, principal: Principal, *, year: int, region_code: str | None
) -> tuple[list[BaseRow], dict[tuple[str, int], YearRecords]]:
    """The bases in scope that were accredited during `year` (accredited by its end, neither
    revoked nor lapsed before it began), and their records of that year: four queries in all."""
    conditions: list[ColumnElement[bool]] = [
        col(BaseRow.accredited_on) <= date(year, 12, 31),
        or_(
            col(BaseRow.revoked_at).is_(None), col(BaseRow.revoked_at) >= _year_start_instant(year)
        ),
        or_(col(BaseRow.lapses_on).is_(None), col(BaseRow.lapses_on) > date(year, 1, 1)),
        scope_clause(principal, BaseRow),
    ]
    if region_code is not None:
        conditions.append(region_clause(col(BaseRow.region_code), region_code))
    bases = list(session.exec(select(BaseRow).where(*conditions).order_by(col(BaseRow.id))))
    ids = select(BaseRow.id).where(*conditions)
    return bases, records_for(session, ids, [year])


def accredited_bases(session: Session, today: date) -> list[BaseRow]:
    """Every base accredited today (neither revoked nor lapsed), in id order."""
    stmt = select(BaseRow).where(status_clause(BaseStatus.ACCREDITED, today))
    return list(session.exec(stmt.order_by(col(BaseRow.id))))
