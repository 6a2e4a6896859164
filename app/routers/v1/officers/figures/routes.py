"""Dissemination figures from the app's exports (OFF-STAT-1) and officer metrics (OFF-STAT-2)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query, Request
from starlette.concurrency import run_in_threadpool

from app.domain.common import local_date
from app.domain.officers import GroupBy, OfficerMetricsRankKey
from app.errors import problem_responses
from app.repositories.base import Cursor
from app.routers.bulk import (
    BulkMode,
    BulkResult,
    IncludeOkQuery,
    ModeQuery,
    bulk_openapi,
    read_rows,
)
from app.routers.deps import NowDep, SessionDep
from app.routers.route import resource_router
from app.routers.v1.officers.auth import OfficersRead, OfficersWrite
from app.routers.v1.officers.figures.schemas import (
    OfficerDisseminationBulkRow,
    OfficerDisseminationSheet,
    OfficerMetricsReport,
)
from app.services import officers_figures as service

router = resource_router("officer figures")
BULK_MAX_ROWS = 1_000_000


@router.post(
    "/officer-disseminations:bulk",
    summary="Import daily dissemination figures (JSON, CSV or XLSX)",
    openapi_extra=bulk_openapi(OfficerDisseminationBulkRow),
    responses=problem_responses(413, 415),
)
async def bulk_disseminations(
    request: Request,
    principal: OfficersWrite,
    session: SessionDep,
    now: NowDep,
    mode: ModeQuery = BulkMode.ALL_OR_NOTHING,
    include_ok: IncludeOkQuery = False,
    mapping: Annotated[
        OfficerDisseminationSheet,
        Query(description="The columns of a CSV or XLSX: the template's, or the app's export"),
    ] = OfficerDisseminationSheet.TEMPLATE,
) -> BulkResult:
    """OFF-STAT-1: upsert keyed by officer, day and channel — a re-sent day replaces its figures
    (`updated`, or `matched_existing` when equal) and never doubles them. Unknown or out-of-scope
    accounts, future dates, negative or fractional numbers and repeated keys are row errors."""
    rows = await read_rows(request, max_rows=BULK_MAX_ROWS, mapping=mapping.value)
    return await run_in_threadpool(
        lambda: service.import_figures(
            session=session,
            principal=principal,
            rows=rows,
            mode=mode,
            include_ok=include_ok,
            today=local_date(now),
            max_rows=BULK_MAX_ROWS,
        )
    )


@router.get("/officer-metrics", summary="Officer metrics for a region and period")
def officer_metrics(
    principal: OfficersRead,
    session: SessionDep,
    starts_on: Annotated[date, Query(description="The period's first day")],
    ends_on: Annotated[date, Query(description="The period's last day (included)")],
    region_code: Annotated[
        str | None, Query(pattern=r"^\d{6}(\d{3}){0,2}$", description="A region of any level")
    ] = None,
    officer_id: Annotated[str | None, Query(max_length=26, description="One officer")] = None,
    group_by: Annotated[GroupBy | None, Query()] = None,
    rank_by: Annotated[
        OfficerMetricsRankKey | None, Query(description="Rank regions or months")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Officers per page")] = 100,
    cursor: Annotated[
        Cursor | None, Query(description="From next_cursor (group_by=officer)")
    ] = None,
) -> OfficerMetricsReport:
    """OFF-STAT-1, OFF-STAT-2: registered, certified, active (a share in the period, certified
    by its end), activity rate (null when nobody is certified), shares, reads, shares per active
    officer — of a region or one officer, in total and by county, township, officer (paged) or
    month. A ranking keeps volume and activity beside the head-count."""
    answer = service.officer_metrics(
        session=session,
        principal=principal,
        starts_on=starts_on,
        ends_on=ends_on,
        region_code=region_code,
        officer_id=officer_id,
        group_by=group_by,
        rank_by=rank_by,
        limit=limit,
        cursor=cursor,
    )
    return OfficerMetricsReport.of(
        answer, region_code=region_code, officer_id=officer_id, group_by=group_by, rank_by=rank_by
    )
