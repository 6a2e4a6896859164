"""Dissemination figures from the app's exports (OFF-STAT-1) and officer metrics (OFF-STAT-2)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, and_
from sqlmodel import Session, col
from starlette.concurrency import run_in_threadpool

from app.domain.access import Principal, Role
from app.domain.common import Finding, local_date
from app.domain.officers import Channel, GroupBy, Metrics, Period, RankKey
from app.errors import FieldError, InvalidInput, problem_responses
from app.ids import new_id
from app.repositories import officers as officers_repo
from app.repositories import officers_figures as repo
from app.repositories.base import decode_cursor, encode_cursor, record_event
from app.repositories.scope import scope_clause
from app.routers.bulk import (
    BulkMode,
    BulkResult,
    RowResult,
    RowStatus,
    bulk_openapi,
    read_rows,
    summarise,
)
from app.routers.deps import NowDep, SessionDep, allow
from app.routers.route import resource_router
from app.rules.officer_metrics import rank, sum_metrics
from app.rules.officers import parse_dissemination_rows

router = resource_router("officer figures")
Manager = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN)]
Reader = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.AUDITOR)]
#: JSON and XLSX bodies are parsed whole; CSV row by row.
BULK_MAX_ROWS = 1_000_000
#: The longest period a metrics query may span (about ten years).
MAX_PERIOD_DAYS = 3660


class DisseminationBulkRow(BaseModel):
    """One row of `POST /officer-disseminations:bulk`; the channel as code or Chinese label."""

    app_account_id: str
    date: str = Field(description="YYYY-MM-DD, not after today in Asia/Shanghai")
    channel: Channel
    shares: int = Field(ge=0)
    reads: int = Field(ge=0)


class MetricsPublic(BaseModel):
    """OFF-STAT-1/2: a group's head-count, activity and volume; rates are null when undefined."""

    key: str
    name: str | None = None
    rank: int | None = None
    registered: int
    certified: int
    active: int
    activity_rate: float | None
    shares: int
    reads: int
    shares_per_active: float | None


class MetricsReport(BaseModel):
    """OFF-STAT-2: the total of the population and, when grouped, every group."""

    region_code: str | None
    period_from: date = Field(serialization_alias="from")
    period_to: date = Field(serialization_alias="to")
    group_by: GroupBy | None
    rank_by: RankKey | None
    total: MetricsPublic
    groups: list[MetricsPublic]
    next_cursor: str | None = None


def _csv_rows(body: bytes) -> Iterator[dict[str, str]]:
    """CSV rows one at a time, so a large import is never held as one list of dicts."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput.one("body", "CSV must be UTF-8", "encoding") from exc
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    for cells in reader:
        if any(cells):
            yield dict(zip(header, [c.strip() for c in cells], strict=False))


@router.post(
    "/officer-disseminations:bulk",
    summary="Import daily dissemination figures (JSON, CSV or XLSX)",
    openapi_extra=bulk_openapi(DisseminationBulkRow),
    responses=problem_responses(413, 415),
)
async def bulk_disseminations(
    request: Request,
    principal: Manager,
    session: SessionDep,
    now: NowDep,
    mode: Annotated[BulkMode, Query()] = BulkMode.ALL_OR_NOTHING,
    include_ok: Annotated[bool, Query(description="List every row, not only errors")] = False,
) -> BulkResult:
    """OFF-STAT-1: upsert keyed by officer, day and channel — a re-sent day replaces its figures
    (`updated`, or `matched_existing` when equal) and never doubles them. Unknown or out-of-scope
    accounts, future dates, negative or fractional numbers and repeated keys are row errors."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "text/csv":
        body = await request.body()
        rows: Any = _csv_rows(body)
    else:
        rows = await read_rows(request, max_rows=BULK_MAX_ROWS)
    return await run_in_threadpool(_import, session, principal, rows, mode, include_ok, now)


def _import(
    session: Session,
    principal: Principal,
    rows: Any,
    mode: BulkMode,
    include_ok: bool,
    now: datetime,
) -> BulkResult:
    checked = parse_dissemination_rows(rows, today=local_date(now), limit=BULK_MAX_ROWS)
    if checked.total > BULK_MAX_ROWS:
        raise InvalidInput.one("rows", f"at most {BULK_MAX_ROWS} rows per request", "too_many")
    if not checked.total:
        raise InvalidInput.one("rows", "no rows", "empty")
    keys = repo.officer_keys(session, [row[1] for row in checked.good])
    findings = checked.findings
    repeats = checked.repeats
    staged: list[repo.StagedRow] = []
    for index, account, day, channel, shares, reads in checked.good:
        officer = keys.get(account)
        in_scope = officer is not None and (
            principal.city_wide or officer[1] == principal.county_code
        )
        if officer is not None and in_scope and index not in repeats:
            staged.append((index + 1, officer[0], day, channel, shares, reads))
            continue
        findings[index] = [repeats[index]] if index in repeats else []
        if not in_scope:
            findings[index].append(
                Finding(
                    rule="OFF-STAT-1",
                    field="app_account_id",
                    message="no officer with this app account id in your scope",
                )
            )
    errors = [
        RowResult(
            row=index + 1,
            status=RowStatus.ERROR,
            errors=[
                FieldError(field=f.field or "row", message=f.message, code=f.rule)
                for f in findings[index]
            ],
        )
        for index in sorted(findings)
    ]
    if errors and mode is BulkMode.ALL_OR_NOTHING:
        summarise(mode, errors, include_ok=False)  # raises the 422 naming every bad row
    outcome = repo.import_rows(session, staged)
    if staged:
        days = [row[2] for row in staged]
        record_event(
            session,
            resource="officer_dissemination_import",
            resource_id=new_id(),
            op="create",
            diff={
                "rows": len(staged),
                "created": len(outcome.created),
                "updated": len(outcome.updated),
                "matched_existing": len(outcome.unchanged),
                "from": min(days).isoformat(),
                "to": max(days).isoformat(),
            },
            county_code=None if principal.city_wide else principal.county_code,
        )
    listed = errors
    if include_ok:
        statuses = (
            [(n, RowStatus.CREATED) for n in outcome.created]
            + [(n, RowStatus.UPDATED) for n in outcome.updated]
            + [(n, RowStatus.MATCHED_EXISTING) for n in outcome.unchanged]
        )
        listed = sorted(
            errors + [RowResult(row=n, status=s) for n, s in statuses], key=lambda r: r.row
        )
    return BulkResult(
        mode=mode,
        applied=True,
        total=checked.total,
        created=len(outcome.created),
        updated=len(outcome.updated),
        matched_existing=len(outcome.unchanged),
        errors=len(errors),
        rows=listed,
    )


def population(
    session: Session, principal: Principal, region_code: str | None, officer_id: str | None
) -> ColumnElement[bool]:
    """The officers a metrics question is about: one officer, or the region's, in scope."""
    if officer_id is not None:
        officer = officers_repo.get_officer(session, principal, officer_id)
        return col(officers_repo.OfficerRow.id) == officer.id
    clause = scope_clause(principal, officers_repo.OfficerRow)
    if region_code is None:
        return clause
    officers_repo.check_region_in_scope(session, principal, region_code)
    return and_(clause, officers_repo.region_clause(session, region_code))


def period_of(start: date, end: date) -> Period:
    """The period `[from, to]`, or a 422 naming the query parameter."""
    if end < start:
        raise InvalidInput.one("query.to", "before from", "order")
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise InvalidInput.one("query.to", f"a period spans at most {MAX_PERIOD_DAYS} days", "span")
    return Period(start=start, end=end)


def _names(session: Session, group_by: GroupBy | None, keys: list[str]) -> dict[str, str]:
    if group_by in (GroupBy.COUNTY, GroupBy.TOWNSHIP):
        return officers_repo.region_names(session, keys)
    if group_by is GroupBy.OFFICER:
        return officers_repo.officer_names(session, keys)
    return {}


def _public(metrics: Metrics, name: str | None, position: int | None = None) -> MetricsPublic:
    return MetricsPublic(
        key=metrics.key,
        name=name,
        rank=position,
        registered=metrics.registered,
        certified=metrics.certified,
        active=metrics.active,
        activity_rate=metrics.activity_rate,
        shares=metrics.shares,
        reads=metrics.reads,
        shares_per_active=metrics.shares_per_active,
    )


@router.get(
    "/officer-metrics",
    summary="Officer metrics for a region and period",
    response_model_by_alias=True,
)
def officer_metrics(
    principal: Reader,
    session: SessionDep,
    period_from: Annotated[date, Query(alias="from")],
    period_to: Annotated[date, Query(alias="to")],
    region_code: Annotated[str | None, Query(pattern=r"^\d{6}(\d{3}){0,2}$")] = None,
    officer_id: Annotated[str | None, Query(max_length=26, description="One officer")] = None,
    group_by: Annotated[GroupBy | None, Query()] = None,
    rank_by: Annotated[RankKey | None, Query(description="Rank regions or months")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Officers per page")] = 100,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> MetricsReport:
    """OFF-STAT-1, OFF-STAT-2: registered, certified, active (a share in the period, certified
    by its end), activity rate (null when nobody is certified), shares, reads, shares per active
    officer — of a region or one officer, in total and by county, township, officer (paged) or
    month. A ranking keeps volume and activity beside the head-count."""
    period = period_of(period_from, period_to)
    if rank_by is not None and group_by in (None, GroupBy.OFFICER):
        raise InvalidInput.one(
            "query.rank_by", "rank counties, townships or months (group_by)", "rank_group"
        )
    if officer_id is not None and region_code is not None:
        raise InvalidInput.one("query.officer_id", "give a region or an officer", "one_of")
    who = population(session, principal, region_code, officer_id)
    groups: list[Metrics] = []
    next_cursor = None
    if group_by in (GroupBy.COUNTY, GroupBy.TOWNSHIP):
        groups = repo.measure_groups(session, population=who, period=period, group_by=group_by)
        # Counties and townships part the population: its total is the sum of theirs.
        total = sum_metrics("total", groups)
    else:
        total = repo.measure_groups(session, population=who, period=period, group_by=None)[0]
    if group_by is GroupBy.OFFICER:
        after = decode_cursor(cursor) if cursor else None
        groups = repo.measure_groups(
            session, population=who, period=period, group_by=group_by, after=after, limit=limit + 1
        )
        if len(groups) > limit:
            groups = groups[:limit]
            next_cursor = encode_cursor(groups[-1].key)
    elif group_by is GroupBy.MONTH:
        groups = repo.measure_groups(session, population=who, period=period, group_by=group_by)
    names = _names(session, group_by, [g.key for g in groups])
    public = (
        [_public(r, names.get(r.key), r.rank) for r in rank(groups, rank_by)]
        if rank_by is not None
        else [_public(g, names.get(g.key)) for g in groups]
    )
    return MetricsReport(
        region_code=region_code,
        period_from=period.start,
        period_to=period.end,
        group_by=group_by,
        rank_by=rank_by,
        total=_public(total, None),
        groups=public,
        next_cursor=next_cursor,
    )
