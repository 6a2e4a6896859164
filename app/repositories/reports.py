"""The queries behind the exports county staff ask for (issue 15): organisations and bases read
in keyset batches, figures of a batch counted by the database, and service records streamed
(`yield_per`), so that a city-wide year is read in bounded memory.

Figures are counted for a set of organisations given as ids or as a subquery; `by_org` counts
per organisation (key: its id), otherwise for the whole set (key: `""`), each volunteer once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import ColumnElement, Select, case, distinct, false, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.domain.access import Principal, Role
from app.domain.volunteers import (
    MembershipStatus,
    ServiceRecord,
    ServiceRecordSource,
    ServiceRecordStatus,
    ServiceScope,
)
from app.repositories.bases import BaseRow
from app.repositories.regions import Region
from app.repositories.scope import scope_clause
from app.repositories.volunteers import MembershipEventRow, MembershipRow, VolunteerRow
from app.repositories.volunteers_activities import ActivityRow
from app.repositories.volunteers_orgs import OrganizationRow
from app.repositories.volunteers_records import CertificateRow, ServiceRecordRow
from app.rules.reports import year_span

#: Rows read per batch: organisations or bases per page, service records per fetch.
BATCH = 500
#: The memberships that serve (VOL-ORG-4 counts them) and the steps that end one (VOL-EXIT-1).
SERVING = (MembershipStatus.ACTIVE.value, MembershipStatus.WARNED.value)
ENDED = (
    MembershipStatus.EXITED.value,
    MembershipStatus.EXPELLED.value,
    MembershipStatus.LEFT.value,
)
CONFIRMED = ServiceRecordStatus.CONFIRMED.value

#: The tables read county by county in keyset batches.
E = TypeVar("E", BaseRow, OrganizationRow)
#: A set of organisations: their ids, or a subquery selecting them.
Orgs = Collection[str] | Select[Any]
Span = tuple[datetime, datetime]


# --- what a caller may export ----------------------------------------------------------------


def organizations_where(
    principal: Principal, *, county_code: str | None, path: str | None
) -> list[ColumnElement[bool]]:
    """The organisations the caller reports on: city-wide roles every one, a county
    administrator those of its county, an organisation administrator its subtree; narrowed to
    a county and to the subtree at `path`."""
    o = OrganizationRow
    where: list[ColumnElement[bool]] = []
    if principal.role is Role.COUNTY_ADMIN:
        where.append(col(o.county_code) == principal.county_code)
    elif principal.role is Role.ORG_ADMIN:
        prefix = principal.org_path
        where.append(col(o.path).startswith(prefix) if prefix else false())
    elif not principal.city_wide:
        where.append(false())
    if county_code is not None:
        where.append(col(o.county_code) == county_code)
    if path is not None:
        where.append(col(o.path).startswith(path))
    return where


def bases_where(
    principal: Principal, *, year: int, county_code: str | None
) -> list[ColumnElement[bool]]:
    """The bases in scope accredited during `year`: accredited by its end, neither revoked nor
    lapsed before it began (the bases of `bases.bases_for_year`, which the dashboard lists)."""
    b = BaseRow
    start, _end = year_span(year)
    where: list[ColumnElement[bool]] = [
        col(b.accredited_on) <= date(year, 12, 31),
        or_(col(b.revoked_at).is_(None), col(b.revoked_at) >= start),
        or_(col(b.lapses_on).is_(None), col(b.lapses_on) > date(year, 1, 1)),
        scope_clause(principal, b),
    ]
    if county_code is not None:
        where.append(col(b.county_code) == county_code)
    return where


def counties(
    session: Session, model: type[E], where: Sequence[ColumnElement[bool]]
) -> list[str | None]:
    """The counties of the rows selected, city level (no county) first, then by code."""
    column = col(model.county_code)
    found = session.exec(select(column).where(*where).distinct()).all()
    return sorted(found, key=lambda c: (c is not None, c or ""))


def _county_is(model: type[E], county_code: str | None) -> ColumnElement[bool]:
    column = col(model.county_code)
    return column.is_(None) if county_code is None else column == county_code


def batches(
    session: Session,
    model: type[E],
    where: Sequence[ColumnElement[bool]],
    county_code: str | None,
) -> Iterator[list[E]]:
    """The rows selected in one county (or at city level), in id order, `BATCH` at a time: each
    batch is one keyset page read by the index on (county_code, id)."""
    size = BATCH
    last: str | None = None
    while True:
        stmt = select(model).where(*where, _county_is(model, county_code))
        if last is not None:
            stmt = stmt.where(col(model.id) > last)
        rows = list(session.exec(stmt.order_by(col(model.id)).limit(size)))
        if rows:
            yield rows
        if len(rows) < size:
            return
        last = rows[-1].id


def ids_in(model: type[E], where: Sequence[ColumnElement[bool]]) -> Select[Any]:
    """A subquery of the ids of the rows selected."""
    return sa_select(col(model.id)).where(*where)


def in_county(model: type[E], county_code: str | None) -> ColumnElement[bool]:
    """The rows of one county, or of city level when `county_code` is None."""
    return _county_is(model, county_code)


def region_names(session: Session, codes: Collection[str | None]) -> dict[str, str]:
    """The names of these regions, in one query."""
    wanted = [c for c in set(codes) if c is not None]
    if not wanted:
        return {}
    return dict(
        session.exec(select(Region.id, Region.name).where(col(Region.id).in_(wanted))).all()
    )


# --- volunteers of a set of organisations ----------------------------------------------------


def _key(column: Any, by_org: bool) -> list[Any]:
    return [column] if by_org else []


def _counted(session: Session, stmt: Select[Any], by_org: bool) -> dict[str, int]:
    if by_org:
        return {str(k): int(n) for k, n in session.execute(stmt).all()}
    return {"": int(session.execute(stmt).scalar_one())}


def registered_members(orgs: Orgs, ends_at: datetime) -> Any:
    """VOL-EXIT-1: the memberships of the set serving at `ends_at` (active or warned by the last
    step before it), as a subquery of (organization_id, volunteer_id)."""
    m, e = MembershipRow, MembershipEventRow
    ranked = (
        sa_select(
            col(e.membership_id).label("membership_id"),
            col(e.to_status).label("to_status"),
            func.row_number()
            .over(
                partition_by=col(e.membership_id),
                order_by=(col(e.decided_at).desc(), col(e.id).desc()),
            )
            .label("step"),
        )
        .join(m, col(m.id) == col(e.membership_id))
        .where(col(m.organization_id).in_(orgs), col(e.decided_at) < ends_at)
        .subquery()
    )
    return (
        sa_select(
            col(m.organization_id).label("organization_id"),
            col(m.volunteer_id).label("volunteer_id"),
        )
        .join(ranked, ranked.c.membership_id == col(m.id))
        .where(ranked.c.step == 1, ranked.c.to_status.in_(SERVING))
        .subquery()
    )


def registered_counts(
    session: Session, orgs: Orgs, ends_at: datetime, *, by_org: bool
) -> dict[str, int]:
    """VOL-ORG-4, VOL-REG-2: the volunteers serving in the set at `ends_at`."""
    reg = registered_members(orgs, ends_at)
    key = _key(reg.c.organization_id, by_org)
    stmt = sa_select(*key, func.count(distinct(reg.c.volunteer_id))).group_by(*key)
    return _counted(session, stmt, by_org)


def new_counts(session: Session, orgs: Orgs, span: Span, *, by_org: bool) -> dict[str, int]:
    """VOL-REG-2: the volunteers who first became serving members of the set during `span`
    (by the time of the step: a volunteer of the set since an earlier year is not new)."""
    m, e = MembershipRow, MembershipEventRow
    key = _key(col(m.organization_id).label("organization_id"), by_org)
    first = (
        sa_select(*key, col(m.volunteer_id), func.min(col(e.decided_at)).label("first"))
        .join(e, col(e.membership_id) == col(m.id))
        .where(col(m.organization_id).in_(orgs), col(e.to_status).in_(SERVING))
        .group_by(*key, col(m.volunteer_id))
        .subquery()
    )
    outer = _key(first.c.organization_id, by_org) if by_org else []
    stmt = (
        sa_select(*outer, func.count())
        .where(first.c.first >= span[0], first.c.first < span[1])
        .group_by(*outer)
    )
    return _counted(session, stmt, by_org)


def exited_counts(session: Session, orgs: Orgs, span: Span, *, by_org: bool) -> dict[str, int]:
    """VOL-EXIT-1: the volunteers whose membership of the set ended during `span` (exited,
    expelled or left)."""
    m, e = MembershipRow, MembershipEventRow
    key = _key(col(m.organization_id), by_org)
    stmt = (
        sa_select(*key, func.count(distinct(col(m.volunteer_id))))
        .join(e, col(e.membership_id) == col(m.id))
        .where(
            col(m.organization_id).in_(orgs),
            col(e.to_status).in_(ENDED),
            col(e.decided_at) >= span[0],
            col(e.decided_at) < span[1],
        )
        .group_by(*key)
    )
    return _counted(session, stmt, by_org)


def active_counts(session: Session, orgs: Orgs, span: Span, *, by_org: bool) -> dict[str, int]:
    """VOL-HOURS-1: the volunteers with a confirmed record in the set starting during `span`."""
    r = ServiceRecordRow
    key = _key(col(r.organization_id), by_org)
    stmt = (
        sa_select(*key, func.count(distinct(col(r.volunteer_id))))
        .where(
            col(r.organization_id).in_(orgs),
            col(r.status) == CONFIRMED,
            col(r.starts_at) >= span[0],
            col(r.starts_at) < span[1],
        )
        .group_by(*key)
    )
    return _counted(session, stmt, by_org)


def _record(
    rid: str,
    volunteer_id: str,
    activity_id: str,
    org_id: str,
    starts_at: datetime,
    ends_at: datetime,
    source: ServiceRecordSource = ServiceRecordSource.STAFF,
) -> ServiceRecord:
    # Rows of the table, valid when stored: built without validating them again (a city-wide
    # year streams hundreds of thousands).
    return ServiceRecord.model_construct(
        id=rid,
        volunteer_id=volunteer_id,
        activity_id=activity_id,
        organization_id=org_id,
        starts_at=starts_at,
        ends_at=ends_at,
        status=ServiceRecordStatus.CONFIRMED,
        source=source,
        revisions=(),
    )


def _record_columns() -> list[Any]:
    r = ServiceRecordRow
    return [
        col(r.id),
        col(r.volunteer_id),
        col(r.activity_id),
        col(r.organization_id),
        col(r.starts_at),
        col(r.ends_at),
    ]


def _streamed(session: Session, stmt: Select[Any]) -> Iterator[Any]:
    """The rows of `stmt`, fetched `BATCH` at a time (a server-side cursor on PostgreSQL)."""
    yield from session.execute(stmt.execution_options(yield_per=BATCH))


class Membership(NamedTuple):
    """A membership serving at the end of the year, with the county of its organisation."""

    volunteer_id: str
    organization_id: str
    county_code: str | None


def serving_memberships(session: Session, orgs: Orgs, ends_at: datetime) -> Iterator[Membership]:
    """VOL-HONOUR-1: the memberships of the set serving at `ends_at`, streamed in volunteer
    order."""
    reg = registered_members(orgs, ends_at)
    o = OrganizationRow
    stmt = (
        sa_select(reg.c.volunteer_id, reg.c.organization_id, col(o.county_code))
        .join(o, col(o.id) == reg.c.organization_id)
        .order_by(reg.c.volunteer_id, reg.c.organization_id)
    )
    for volunteer_id, org_id, county_code in _streamed(session, stmt):
        yield Membership(volunteer_id, org_id, county_code)


def serving_records(session: Session, orgs: Orgs, ends_at: datetime) -> Iterator[ServiceRecord]:
    """VOL-HONOUR-1: every confirmed record starting before `ends_at` of the volunteers serving
    in the set at `ends_at`, in any organisation (stars are the volunteer's), streamed in
    volunteer order."""
    r = ServiceRecordRow
    reg = registered_members(orgs, ends_at)
    stmt = (
        sa_select(*_record_columns())
        .where(
            col(r.status) == CONFIRMED,
            col(r.starts_at) < ends_at,
            col(r.volunteer_id).in_(sa_select(reg.c.volunteer_id)),
        )
        .order_by(col(r.volunteer_id))
    )
    for row in _streamed(session, stmt):
        yield _record(*row)


# --- what a batch of organisations did -------------------------------------------------------


def confirmed_records(
    session: Session, org_ids: Collection[str], span: Span
) -> Iterator[tuple[str, ServiceRecord]]:
    """VOL-HOURS-1: the confirmed records of these organisations starting during `span`, keyed
    by organisation, streamed."""
    r = ServiceRecordRow
    stmt = sa_select(*_record_columns()).where(
        col(r.organization_id).in_(org_ids),
        col(r.status) == CONFIRMED,
        col(r.starts_at) >= span[0],
        col(r.starts_at) < span[1],
    )
    for row in _streamed(session, stmt):
        record = _record(*row)
        yield record.organization_id, record


class ActivityCount(NamedTuple):
    """The activities of one organisation in one scope category (VOL-SCOPE-1), and how many of
    them are major projects."""

    organization_id: str
    scope: ServiceScope
    activities: int
    major_projects: int


def activity_counts(session: Session, org_ids: Collection[str], span: Span) -> list[ActivityCount]:
    """VOL-SCOPE-1: the activities of these organisations starting during `span`, per
    organisation and scope category."""
    a = ActivityRow
    major = func.sum(case((col(a.major_project), 1), else_=0))
    stmt = (
        sa_select(col(a.organization_id), col(a.scope), func.count(), major)
        .where(
            col(a.organization_id).in_(org_ids),
            col(a.starts_at) >= span[0],
            col(a.starts_at) < span[1],
        )
        .group_by(col(a.organization_id), col(a.scope))
    )
    return [
        ActivityCount(org, ServiceScope(scope), int(n), int(m or 0))
        for org, scope, n, m in session.execute(stmt).all()
    ]


def certificate_counts(session: Session, org_ids: Collection[str], year: int) -> dict[str, int]:
    """VOL-DUTY-4: the valid certificates these organisations issued during `year`."""
    c = CertificateRow
    stmt = (
        sa_select(col(c.organization_id), func.count())
        .where(
            col(c.organization_id).in_(org_ids),
            col(c.status) == "valid",
            col(c.issued_on) >= date(year, 1, 1),
            col(c.issued_on) <= date(year, 12, 31),
        )
        .group_by(col(c.organization_id))
    )
    return {str(k): int(n) for k, n in session.execute(stmt).all()}


# --- the hours sheet -------------------------------------------------------------------------


class HoursLine(NamedTuple):
    """One confirmed record of an hours sheet, with the names it is read by."""

    record: ServiceRecord
    source: ServiceRecordSource
    volunteer_name: str
    id_number: str
    activity_title: str
    organization_name: str


def hours_lines(
    session: Session,
    principal: Principal,
    *,
    activity_id: str | None,
    path: str | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
) -> Iterator[HoursLine]:
    """VOL-HOURS-1: the confirmed records in the caller's scope of one activity or of the
    organisations under `path`, starting in `[starts_at, ends_at)`, in time order, streamed
    (one ordered query: a keyset on two columns would scan the table again for each page)."""
    r, v, a, o = ServiceRecordRow, VolunteerRow, ActivityRow, OrganizationRow
    where: list[ColumnElement[bool]] = [col(r.status) == CONFIRMED, scope_clause(principal, r)]
    if activity_id is not None:
        where.append(col(r.activity_id) == activity_id)
    if path is not None:
        where.append(col(r.org_path).startswith(path))
    if starts_at is not None:
        where.append(col(r.starts_at) >= starts_at)
    if ends_at is not None:
        where.append(col(r.starts_at) < ends_at)
    stmt = (
        sa_select(
            *_record_columns(),
            col(r.source),
            col(v.name),
            col(v.id_number),
            col(a.title),
            col(o.name),
        )
        .join(v, col(v.id) == col(r.volunteer_id))
        .join(a, col(a.id) == col(r.activity_id))
        .join(o, col(o.id) == col(r.organization_id))
        .where(*where)
        .order_by(col(r.starts_at), col(r.id))
    )
    for rid, vid, aid, oid, start, end, source, name, id_number, title, org in _streamed(
        session, stmt
    ):
        kind = ServiceRecordSource(source)
        record = _record(rid, vid, aid, oid, start, end, source=kind)
        yield HoursLine(record, kind, name, id_number, title, org)
