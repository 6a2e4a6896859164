"""Dissemination figures (OFF-STAT-1) and the metrics over them (OFF-STAT-2).

Three tables hold the same numbers at three grains:

- `officer_disseminations`: one row per officer, day and channel, as imported (upserted);
- `officer_dissemination_months`: per officer and calendar month (`yyyymm`);
- `officer_dissemination_years`: per officer and calendar year.

Every import adds, in the same transaction, the difference between the new and the replaced
daily rows to the monthly and yearly totals, so they stay exact. A metrics query cuts its period
into whole years, whole months and leftover days (`decompose`) and reads each piece at the
coarsest grain: a county-year reads one row per officer. Imports are serialised (an advisory lock
on PostgreSQL, the write lock on SQLite) because the difference must be taken against the rows
the import replaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    Date,
    Index,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    and_,
    case,
    exists,
    func,
    insert,
    literal,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.selectable import FromClause
from sqlmodel import Field, Session, SQLModel, col

from app.domain.officers import Dissemination, GroupBy, Metrics, Period
from app.repositories.officers import OfficerRow, certified_clause, registered_clause
from app.rules.officer_metrics import Pieces, decompose, metrics_of, months_of

#: PostgreSQL advisory lock key serialising figure imports ("kpfg").
IMPORT_LOCK_KEY = 0x6B706667


class DisseminationRow(SQLModel, table=True):
    """OFF-STAT-1: an officer's shares and reads on one day through one channel."""

    __tablename__ = "officer_disseminations"
    __table_args__ = (Index("ix_officer_disseminations_day", "day"),)

    officer_id: str = Field(foreign_key="officers.id", primary_key=True, max_length=26)
    day: date = Field(primary_key=True)
    channel: str = Field(primary_key=True, max_length=16)
    shares: int = Field(sa_type=Integer)
    reads: int = Field(sa_type=Integer)


class MonthTotalRow(SQLModel, table=True):
    """OFF-STAT-1: an officer's totals for a calendar month, kept exact by every import."""

    __tablename__ = "officer_dissemination_months"

    month: int = Field(primary_key=True)
    officer_id: str = Field(foreign_key="officers.id", primary_key=True, max_length=26, index=True)
    shares: int = Field(sa_type=BigInteger)
    reads: int = Field(sa_type=BigInteger)


class YearTotalRow(SQLModel, table=True):
    """OFF-STAT-1: an officer's totals for a calendar year, kept exact by every import."""

    __tablename__ = "officer_dissemination_years"

    year: int = Field(primary_key=True)
    officer_id: str = Field(foreign_key="officers.id", primary_key=True, max_length=26, index=True)
    shares: int = Field(sa_type=BigInteger)
    reads: int = Field(sa_type=BigInteger)


#: The per-request staging table; never part of the schema (a temporary table).
_staging_metadata = MetaData()
STAGING = Table(
    "officer_dissemination_staging",
    _staging_metadata,
    Column("row_no", Integer, primary_key=True),
    Column("officer_id", String(26), nullable=False),
    Column("day", Date, nullable=False),
    Column("month", Integer, nullable=False),
    Column("year", Integer, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("shares", Integer, nullable=False),
    Column("reads", Integer, nullable=False),
    Column("old_shares", Integer),
    Column("old_reads", Integer),
    prefixes=["TEMPORARY"],
)


#: Rows per INSERT statement when staging on SQLite: one statement carries many rows.
STAGE_BATCH = 500
_STAGE_INSERT = (
    "INSERT INTO officer_dissemination_staging "
    "(row_no, officer_id, day, month, year, channel, shares, reads) VALUES "
)
_STAGE_COPY = (
    "COPY officer_dissemination_staging "
    "(row_no, officer_id, day, month, year, channel, shares, reads) FROM STDIN"
)


def _stage_sql(rows: int) -> str:
    return _STAGE_INSERT + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?)"] * rows)


@dataclass(frozen=True)
class StagedFigure:
    """A good row of an import: its number in the request, the officer and the figure."""

    row_no: int
    officer_id: str
    figure: Dissemination


#: A checked row ready to store: row number, officer id, day, channel code, shares, reads.
StagedRow = tuple[int, str, date, str, int, int]


@dataclass(frozen=True)
class ImportOutcome:
    """Which staged rows were new, changed an existing figure, or repeated it unchanged."""

    created: set[int]
    updated: set[int]
    unchanged: set[int]


def officer_keys(session: Session, accounts: Sequence[str]) -> dict[str, tuple[str, str]]:
    """`app_account_id → (officer id, county code)` for the accounts that exist."""
    found: dict[str, tuple[str, str]] = {}
    unique = list(dict.fromkeys(accounts))
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # One array parameter: 100,000 accounts in one statement, no 5,000-parameter IN lists
        # to compile and plan (3.4 s -> 0.3 s for 100,000).
        matched = connection.exec_driver_sql(
            "SELECT app_account_id, id, county_code FROM officers "
            "WHERE app_account_id = ANY(%(accounts)s)",
            {"accounts": unique},
        )
        return {account: (oid, county) for account, oid, county in matched}
    for start in range(0, len(unique), 5000):
        chunk = unique[start : start + 5000]
        rows = session.execute(
            select(
                col(OfficerRow.app_account_id), col(OfficerRow.id), col(OfficerRow.county_code)
            ).where(col(OfficerRow.app_account_id).in_(chunk))
        )
        found.update({account: (oid, county) for account, oid, county in rows})
    return found


def _insert(session: Session, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def import_figures(session: Session, staged: Sequence[StagedFigure]) -> ImportOutcome:
    """OFF-STAT-1: `import_rows` for figures given as domain models."""
    return import_rows(
        session,
        [
            (
                s.row_no,
                s.officer_id,
                s.figure.day,
                s.figure.channel.value,
                s.figure.shares,
                s.figure.reads,
            )
            for s in staged
        ],
    )


def _stage(connection: Connection, rows: Sequence[StagedRow]) -> None:
    """Load the rows into the staging table: `COPY` on PostgreSQL, multi-row INSERTs on SQLite."""
    if connection.dialect.name == "postgresql":
        # Values are checked (codes, ids and numbers): none needs COPY's text escaping.
        lines = [
            f"{n}\t{oid}\t{day}\t{day.year * 100 + day.month}\t{day.year}\t{ch}\t{sh}\t{rd}\n"
            for n, oid, day, ch, sh, rd in rows
        ]
        driver: Any = connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(_STAGE_COPY) as copy:
            for start in range(0, len(lines), 10_000):
                copy.write("".join(lines[start : start + 10_000]))
        return
    values = [
        (n, oid, day.isoformat(), day.year * 100 + day.month, day.year, ch, sh, rd)
        for n, oid, day, ch, sh, rd in rows
    ]
    whole = len(values) - len(values) % STAGE_BATCH
    batches = [
        tuple(v for row in values[i : i + STAGE_BATCH] for v in row)
        for i in range(0, whole, STAGE_BATCH)
    ]
    if batches:
        connection.exec_driver_sql(_stage_sql(STAGE_BATCH), batches)
    if whole < len(values):
        rest = tuple(v for row in values[whole:] for v in row)
        connection.exec_driver_sql(_stage_sql(len(values) - whole), rest)


def import_rows(session: Session, rows: Sequence[StagedRow]) -> ImportOutcome:
    """OFF-STAT-1: upsert the figures keyed by officer, day and channel; keep totals exact.

    Re-sending a day replaces its figures and never adds them twice. Everything happens in the
    session's transaction.
    """
    if not rows:
        return ImportOutcome(set(), set(), set())
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({IMPORT_LOCK_KEY})")
        # Room to group 100,000s of staged rows by officer in memory.
        connection.exec_driver_sql("SET LOCAL work_mem = '64MB'")
    STAGING.drop(connection, checkfirst=True)
    STAGING.create(connection)
    _stage(connection, rows)
    raw = DisseminationRow.__table__  # type: ignore[attr-defined]
    stage = STAGING.c
    first = min(r[2] for r in rows)
    last = max(r[2] for r in rows)
    stored = select(literal(1)).where(raw.c.day.between(first, last)).limit(1)
    existing: Sequence[Any] = []
    # A day imported for the first time (the daily case) replaces nothing: no join needed.
    replacing = connection.execute(stored).first() is not None
    if replacing:
        if postgres:
            # Statistics for the planner: a temporary table has none until analysed.
            connection.exec_driver_sql(f"ANALYZE {STAGING.name}")
        # One join with the daily rows, limited to the import's days (the `day` index), notes
        # what each staged row replaces.
        connection.execute(
            update(STAGING)
            .values(old_shares=raw.c.shares, old_reads=raw.c.reads)
            .where(
                raw.c.day.between(first, last),
                raw.c.officer_id == stage.officer_id,
                raw.c.day == stage.day,
                raw.c.channel == stage.channel,
            )
        )
        existing = connection.execute(
            select(
                stage.row_no,
                (stage.old_shares == stage.shares) & (stage.old_reads == stage.reads),
            ).where(stage.old_shares.is_not(None))
        ).all()
    unchanged = {row_no for row_no, same in existing if same}
    updated = {row_no for row_no, same in existing if not same}
    created = {r[0] for r in rows} - unchanged - updated
    totals: list[tuple[Any, Any]] = [(MonthTotalRow, stage.month), (YearTotalRow, stage.year)]
    for total, grain in totals:
        table = total.__table__
        key = table.primary_key.columns.keys()[0]
        delta = (
            select(
                grain.label(key),
                stage.officer_id,
                func.sum(stage.shares - func.coalesce(stage.old_shares, 0)).label("shares"),
                func.sum(stage.reads - func.coalesce(stage.old_reads, 0)).label("reads"),
            )
            .group_by(grain, stage.officer_id)
            .subquery("delta")
        )
        same = and_(table.c[key] == delta.c[key], table.c.officer_id == delta.c.officer_id)
        # An UPDATE joined with the differences, then an INSERT of the totals not there yet:
        # cheaper than INSERT … ON CONFLICT DO UPDATE, which probes the key for every row first.
        connection.execute(
            update(table)
            .values(shares=table.c.shares + delta.c.shares, reads=table.c.reads + delta.c.reads)
            .where(same)
        )
        connection.execute(
            insert(table).from_select(
                [key, "officer_id", "shares", "reads"],
                select(delta).where(~exists().where(same)),
            )
        )
    columns = ["officer_id", "day", "channel", "shares", "reads"]
    upsert = _insert(session, raw).from_select(
        columns, select(*(stage[c] for c in columns)).where(true())
    )
    if replacing:
        upsert = upsert.on_conflict_do_update(
            index_elements=["officer_id", "day", "channel"],
            set_={"shares": upsert.excluded.shares, "reads": upsert.excluded.reads},
        )
    # Otherwise a plain insert: no stored row shares the days, keys are unique in the request,
    # and the import lock keeps other imports out.
    connection.execute(upsert)
    STAGING.drop(connection)
    return ImportOutcome(created=created, updated=updated, unchanged=unchanged)


def _sources(pieces: Pieces, members: Select[Any]) -> list[Select[Any]]:
    """Selects of `(officer_id, shares, reads)` reading each piece at its grain.

    A span of days covering most of its month is read as the month's total minus the days
    left out (the totals are exact), so at most half a month of daily rows is read per span.
    """
    months = list(pieces.months)
    days: list[tuple[Period, int]] = []
    for span in pieces.days:
        first = span.start.replace(day=1)
        last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
        if (last - first).days + 1 < 2 * ((span.end - span.start).days + 1):
            months.append(first.year * 100 + first.month)
            days += [
                (Period(start=a, end=b), -1)
                for a, b in (
                    (first, span.start - timedelta(days=1)),
                    (span.end + timedelta(days=1), last),
                )
                if a <= b
            ]
        else:
            days.append((span, 1))
    grains: list[tuple[Any, ColumnElement[bool], int]] = []
    if pieces.years:
        grains.append((YearTotalRow, col(YearTotalRow.year).in_(pieces.years), 1))
    if months:
        grains.append((MonthTotalRow, col(MonthTotalRow.month).in_(months), 1))
    grains += [
        (DisseminationRow, col(DisseminationRow.day).between(span.start, span.end), sign)
        for span, sign in days
    ]
    return [
        select(
            model.officer_id.label("officer_id"),
            (model.shares if sign > 0 else -model.shares).label("shares"),
            (model.reads if sign > 0 else -model.reads).label("reads"),
        ).where(where, col(model.officer_id).in_(members))
        for model, where, sign in grains
    ]


def _per_officer(pieces: Pieces, members: Select[Any]) -> tuple[FromClause, ColumnElement[bool]]:
    """Per officer: `(officer_id, shares, reads)` of the pieces, and the clause joining them to
    the register.

    A single year or month is one row per officer in its total table, read as it is; any other
    mix of pieces is summed per officer.
    """
    single: tuple[Any, ColumnElement[bool]] | None = None
    if not pieces.days and len(pieces.years) + len(pieces.months) == 1:
        single = (
            (YearTotalRow, col(YearTotalRow.year) == pieces.years[0])
            if pieces.years
            else (MonthTotalRow, col(MonthTotalRow.month) == pieces.months[0])
        )
    if single is not None:
        model, where = single
        table = model.__table__
        return table, and_(table.c.officer_id == OfficerRow.id, where)
    figures = union_all(*_sources(pieces, members)).subquery("figures")
    per = (
        select(
            figures.c.officer_id,
            func.sum(figures.c.shares).label("shares"),
            func.sum(figures.c.reads).label("reads"),
        )
        .group_by(figures.c.officer_id)
        .subquery("per_officer")
    )
    return per, per.c.officer_id == OfficerRow.id


def _counts(
    registered: ColumnElement[bool], certified: ColumnElement[bool], per: FromClause
) -> list[Any]:
    """OFF-STAT-2: registered ⊇ certified ⊇ active (a share in the bucket), and the volume."""
    return [
        func.sum(case((registered, 1), else_=0)),
        func.sum(case((certified, 1), else_=0)),
        func.sum(case((and_(certified, per.c.shares > 0), 1), else_=0)),
        func.coalesce(func.sum(per.c.shares), 0),
        func.coalesce(func.sum(per.c.reads), 0),
    ]


def measure_groups(
    session: Session,
    *,
    population: ColumnElement[bool],
    period: Period,
    group_by: GroupBy | None,
    after: str | None = None,
    limit: int | None = None,
) -> list[Metrics]:
    """OFF-STAT-1, OFF-STAT-2: the SQL twin of `officer_metrics.group_metrics` (or of `measure`,
    key `total`, when `group_by` is None), read from the pre-aggregated totals.

    `after` and `limit` page through the officers when grouping by officer.
    """
    members = select(col(OfficerRow.id)).where(population)
    if group_by is GroupBy.MONTH:
        return _measure_months(session, population=population, members=members, period=period)
    per, joined = _per_officer(decompose(period), members)
    key: Any = {
        GroupBy.COUNTY: col(OfficerRow.county_code),
        GroupBy.TOWNSHIP: col(OfficerRow.township_code),
        GroupBy.OFFICER: col(OfficerRow.id),
        None: literal("total"),
    }[group_by]
    stmt = (
        select(key, *_counts(registered_clause(period), certified_clause(period), per))
        .select_from(_officers().outerjoin(per, joined))
        .where(population)
    )
    if group_by is not None:
        stmt = stmt.group_by(key).order_by(key)
    if after is not None:
        stmt = stmt.where(col(OfficerRow.id) > after)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [metrics_of(str(row[0]), row[1:]) for row in _execute(session, stmt)]


def _measure_months(
    session: Session, *, population: ColumnElement[bool], members: Select[Any], period: Period
) -> list[Metrics]:
    """One row per calendar month of the period, each measured on its own days.

    Whole months: the head-counts of every month in one pass over the register, activity and
    volume from the month totals joined to the register once. A month cut by the period is
    measured as a period of its own.
    """
    months = {m.start.year * 100 + m.start.month: m for m in months_of(period)}
    whole = {
        bucket: m
        for bucket, m in months.items()
        if m.start.day == 1 and (m.end + timedelta(days=1)).day == 1
    }
    found: dict[int, Sequence[Any]] = {}
    for bucket, m in months.items():
        if bucket not in whole:
            found[bucket] = _as_counts(
                measure_groups(session, population=population, period=m, group_by=None)[0]
            )
    if whole:
        heads = [
            func.sum(case((clause(m), 1), else_=0))
            for m in whole.values()
            for clause in (registered_clause, certified_clause)
        ]
        counted = _execute(session, select(*heads).where(population))[0]
        buckets = union_all(
            *(
                select(
                    literal(bucket).label("bucket"),
                    literal(m.start, Date).label("starts"),
                    literal(m.end, Date).label("ends"),
                )
                for bucket, m in whole.items()
            )
        ).subquery("buckets")
        totals = MonthTotalRow.__table__  # type: ignore[attr-defined]
        certified = and_(
            col(OfficerRow.registered_on).is_(None)
            | (col(OfficerRow.registered_on) <= buckets.c.ends),
            col(OfficerRow.left_on).is_(None) | (col(OfficerRow.left_on) >= buckets.c.starts),
            col(OfficerRow.certified_on) <= buckets.c.ends,
        )
        activity = (
            select(
                totals.c.month,
                func.sum(case((and_(certified, totals.c.shares > 0), 1), else_=0)),
                func.sum(totals.c.shares),
                func.sum(totals.c.reads),
            )
            .select_from(
                totals.join(_officers(), totals.c.officer_id == OfficerRow.id).join(
                    buckets, buckets.c.bucket == totals.c.month
                )
            )
            .where(totals.c.month.in_(list(whole)), population)
            .group_by(totals.c.month)
        )
        active = {int(row[0]): row[1:] for row in _execute(session, activity)}
        for n, bucket in enumerate(whole):
            found[bucket] = (counted[2 * n], counted[2 * n + 1], *active.get(bucket, (0, 0, 0)))
    return [metrics_of(f"{m.start:%Y-%m}", found[bucket]) for bucket, m in months.items()]


def _as_counts(metrics: Metrics) -> tuple[int, int, int, int, int]:
    return metrics.registered, metrics.certified, metrics.active, metrics.shares, metrics.reads


def _officers() -> Any:
    return OfficerRow.__table__  # type: ignore[attr-defined]


def _execute(session: Session, stmt: Select[Any]) -> Sequence[Any]:
    """Run an aggregate; on PostgreSQL with room to hash in memory for this transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection().exec_driver_sql("SET LOCAL work_mem = '64MB'")
    return session.execute(stmt).all()


def active_clause(period: Period) -> ColumnElement[bool]:
    """OFF-STAT-2: officers active in the period (certified by its end, a share inside it)."""
    figures = union_all(*_sources(decompose(period), select(col(OfficerRow.id)))).subquery(
        "figures"
    )
    sharing = (
        select(figures.c.officer_id)
        .group_by(figures.c.officer_id)
        .having(func.sum(figures.c.shares) > 0)
    )
    return and_(certified_clause(period), col(OfficerRow.id).in_(sharing))


def month_totals(
    session: Session, *, population: ColumnElement[bool], year: int
) -> list[tuple[str, int, int, int]]:
    """`(officer id, month 1–12, shares, reads)` of the year for the officers of a population."""
    members = select(col(OfficerRow.id)).where(population)
    rows = session.execute(
        select(
            col(MonthTotalRow.officer_id),
            col(MonthTotalRow.month),
            col(MonthTotalRow.shares),
            col(MonthTotalRow.reads),
        ).where(
            col(MonthTotalRow.month).between(year * 100 + 1, year * 100 + 12),
            col(MonthTotalRow.officer_id).in_(members),
        )
    ).all()
    return [(oid, month % 100, int(shares), int(reads)) for oid, month, shares, reads in rows]
