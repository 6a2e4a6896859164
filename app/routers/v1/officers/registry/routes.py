"""Information officers (OFF-REG-1): the register, one by one or in bulk, masked mobiles."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query, Request, Response
from starlette.concurrency import run_in_threadpool

from app.domain.common import NameStatusSort, local_date
from app.domain.officers import OfficerStatus, Period, SourceGroup
from app.errors import InvalidInput, problem_responses
from app.i18n import _
from app.repositories import officers as repo
from app.repositories.officers_figures import active_clause
from app.routers.bulk import (
    BulkMode,
    BulkResult,
    IncludeOkQuery,
    ModeQuery,
    bulk_openapi,
    read_rows,
)
from app.routers.deps import NowDep, PageDep, SessionDep, check_if_match, set_etag
from app.routers.lists import NameQuery, SortQuery
from app.routers.pages import Page, mark_created, page_map
from app.routers.route import resource_router
from app.routers.v1.officers.auth import OfficersRead, OfficersWrite
from app.routers.v1.officers.registry.schemas import (
    OfficerBulkRow,
    OfficerCreate,
    OfficerPublic,
    OfficerUpdate,
)
from app.services import officers as service

router = resource_router("officers")
BULK_MAX_ROWS = 20_000


@router.post(
    "/officers",
    status_code=201,
    summary="Register an officer",
    responses=problem_responses(409),
)
def create_officer(
    body: OfficerCreate,
    principal: OfficersWrite,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> OfficerPublic:
    """OFF-REG-1: a county registers one of its officers; the app account id is unique (409)."""
    row = service.register_officer(
        session=session, principal=principal, officer=body.officer(), today=local_date(now)
    )
    mark_created(response, f"/api/v1/officers/{row.id}", row)
    return OfficerPublic.of(row)


@router.get("/officers", summary="List officers")
def list_officers(
    principal: OfficersRead,
    session: SessionDep,
    page: PageDep,
    region_code: Annotated[
        str | None, Query(pattern=r"^\d{6}(\d{3}){0,2}$", description="A region of any level")
    ] = None,
    source_group: Annotated[SourceGroup | None, Query()] = None,
    certified: Annotated[bool | None, Query()] = None,
    status: Annotated[OfficerStatus | None, Query()] = None,
    mobile: Annotated[str | None, Query(pattern=r"^1[3-9]\d{9}$")] = None,
    active_starts_on: Annotated[
        date | None,
        Query(description="Active in [active_starts_on, active_ends_on] (OFF-STAT-2)"),
    ] = None,
    active_ends_on: Annotated[date | None, Query()] = None,
    q: NameQuery = None,
    sort: SortQuery[NameStatusSort] = None,
) -> Page[OfficerPublic]:
    """Officers in scope by region (any level), source group, certification, status, exact
    mobile, and activity in a period (certified by its end with a share inside it)."""
    active = None
    if (active_starts_on is None) != (active_ends_on is None):
        raise InvalidInput.one(
            "query.active_ends_on", _("give both active_starts_on and active_ends_on"), "pair"
        )
    if active_starts_on is not None and active_ends_on is not None:
        if active_ends_on < active_starts_on:
            raise InvalidInput.one("query.active_ends_on", _("before active_starts_on"), "order")
        active = active_clause(Period(start=active_starts_on, end=active_ends_on))
    if region_code is not None:
        repo.check_region_in_scope(session, principal, region_code)
    result = repo.list_officers(
        session,
        principal,
        page=page.sorted_by(sort),
        region_code=region_code,
        source_group=source_group,
        certified=certified,
        status=status,
        mobile=mobile,
        active_ids=active,
        q=q,
    )
    return page_map(OfficerPublic.of, result)


@router.get("/officers/{officer_id}", summary="Read an officer", responses=problem_responses(404))
def get_officer(
    officer_id: str,
    principal: OfficersRead,
    session: SessionDep,
    response: Response,
    reveal: Annotated[bool, Query(description="Show the full mobile number (audited)")] = False,
) -> OfficerPublic:
    """One officer; `reveal=true` shows the mobile number to administrators and audits it."""
    row = service.read_officer(
        session=session, principal=principal, officer_id=officer_id, revealed=reveal
    )
    set_etag(response, row)
    return OfficerPublic.of(row, revealed=reveal)


@router.patch(
    "/officers/{officer_id}",
    summary="Update an officer",
    responses=problem_responses(404, 409, 412),
)
def update_officer(
    officer_id: str,
    body: OfficerUpdate,
    principal: OfficersWrite,
    session: SessionDep,
    now: NowDep,
    request: Request,
    response: Response,
) -> OfficerPublic:
    """OFF-REG-1: change fields (honours If-Match); the record must stay consistent."""
    row = repo.get_officer(session, principal, officer_id)
    check_if_match(request, row)
    changes = body.model_dump(exclude_unset=True)
    service.update_officer(
        session=session, principal=principal, row=row, changes=changes, today=local_date(now)
    )
    set_etag(response, row)
    return OfficerPublic.of(row)


@router.post(
    "/officers:bulk",
    summary="Register or update officers in bulk (JSON, CSV or XLSX)",
    openapi_extra=bulk_openapi(OfficerBulkRow),
    responses=problem_responses(409, 413, 415),
)
async def bulk_officers(
    request: Request,
    principal: OfficersWrite,
    session: SessionDep,
    now: NowDep,
    mode: ModeQuery = BulkMode.ALL_OR_NOTHING,
    include_ok: IncludeOkQuery = False,
) -> BulkResult:
    """OFF-REG-1: rows matched by app account id — `created`, `updated`, `matched_existing`
    (nothing changed) or `error`; a retried import changes nothing twice."""
    rows = await read_rows(request, max_rows=BULK_MAX_ROWS, mapping="officers")
    return await run_in_threadpool(
        lambda: service.import_officers(
            session=session,
            principal=principal,
            rows=rows,
            mode=mode,
            include_ok=include_ok,
            today=local_date(now),
        )
    )
