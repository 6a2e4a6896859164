"""A base's monthly statistics: open days and visitors (BASE-OPEN-4)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from app.domain.bases import MonthlyStat
from app.domain.common import local_date
from app.errors import FieldError, problem_responses
from app.repositories import bases
from app.routers import bulk
from app.routers.deps import NowDep, PageDep, SessionDep, check_if_match
from app.routers.pages import Page, page_of, upserted
from app.routers.route import resource_router
from app.routers.v1.bases.auth import BasesRead, BasesWrite
from app.routers.v1.bases.schemas import (
    BaseMonthlyStatBulkRow,
    BaseMonthlyStatPublic,
    BaseMonthlyStatPut,
)
from app.services import bases as service

router = resource_router("bases")
#: Ten years of months, and room for a file kept by hand.
BULK_MAX_ROWS = 600


@router.put(
    "/bases/{base_id}/monthly-stats/{year}/{month}",
    summary="Report or correct a month's statistics",
    responses=problem_responses(404, 409, 412),
)
def put_base_monthly_stat(
    base_id: str,
    year: int,
    month: int,
    body: BaseMonthlyStatPut,
    principal: BasesWrite,
    session: SessionDep,
    now: NowDep,
    request: Request,
    response: Response,
) -> BaseMonthlyStatPublic:
    """BASE-OPEN-4: an idempotent upsert of one month; impossible or future figures are refused
    with `violations`, and a month is corrected, never duplicated."""
    saved, created = service.put_monthly_stat(
        session,
        principal=principal,
        base_id=base_id,
        stat=MonthlyStat(year=year, month=month, open_days=body.open_days, visitors=body.visitors),
        today=local_date(now),
        check_version=lambda r: check_if_match(request, r),
    )
    location = f"/api/v1/bases/{base_id}/monthly-stats/{year}/{month}"
    upserted(response, location, saved, created=created)
    return BaseMonthlyStatPublic.model_validate(saved, from_attributes=True)


@router.get(
    "/bases/{base_id}/monthly-stats",
    summary="A base's monthly statistics",
    responses=problem_responses(404),
)
def list_base_monthly_stats(
    base_id: str,
    principal: BasesRead,
    session: SessionDep,
    page: PageDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[BaseMonthlyStatPublic]:
    """The months reported, in the order they were first reported."""
    row = bases.get_base(session, principal, base_id)
    return page_of(BaseMonthlyStatPublic, bases.list_stats(session, row.id, year, page))


def _stat_row(raw: dict[str, Any]) -> MonthlyStat | list[FieldError]:
    try:
        row = BaseMonthlyStatBulkRow.model_validate(raw)
    except ValidationError as exc:
        return bulk.field_errors(exc)
    return MonthlyStat(
        year=row.year, month=row.month, open_days=row.open_days, visitors=row.visitors
    )


@router.post(
    "/bases/{base_id}/monthly-stats:bulk",
    summary="Report or correct many months at once (JSON, CSV or XLSX)",
    openapi_extra=bulk.bulk_openapi(BaseMonthlyStatBulkRow),
    responses=problem_responses(404, 409, 413, 415),
)
async def bulk_base_monthly_stats(
    base_id: str,
    request: Request,
    principal: BasesWrite,
    session: SessionDep,
    now: NowDep,
    mode: bulk.ModeQuery = bulk.BulkMode.ALL_OR_NOTHING,
    include_ok: bulk.IncludeOkQuery = False,
) -> bulk.BulkResult:
    """BASE-OPEN-4: each month `created`, `updated` (a correction), `matched_existing` or
    `error`, checked as one month's `PUT` is; a month given twice is an error. A retried upload
    changes nothing twice."""
    rows = await bulk.read_rows(request, max_rows=BULK_MAX_ROWS, mapping="base-monthly-stats")
    return await run_in_threadpool(
        service.import_monthly_stats,
        session,
        principal=principal,
        base_id=base_id,
        rows=[_stat_row(r) for r in rows],
        mode=mode,
        include_ok=include_ok,
        today=local_date(now),
    )
