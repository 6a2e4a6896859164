"""Volunteers: registration (one, in bulk), the list, reads and updates.

VOL-REG-1/2, VOL-ELIG-1/2, VOL-DUTY-1 (masking and audited reveals).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response
from pydantic import TypeAdapter
from starlette.concurrency import run_in_threadpool

from app.domain.common import NameSort, local_date
from app.errors import problem_responses
from app.repositories import volunteers as repo
from app.repositories.reveal import reveal as audit_reveal
from app.routers import bulk
from app.routers.deps import NowDep, PageDep, SessionDep, check_if_match, set_etag
from app.routers.lists import NameQuery, SortQuery
from app.routers.pages import Page, mark_created
from app.routers.route import resource_router
from app.routers.v1.volunteers.auth import VolunteersManage, VolunteersRead, VolunteersSelfServe
from app.routers.v1.volunteers.schemas import (
    VolunteerBulkRow,
    VolunteerCreate,
    VolunteerLookup,
    VolunteerLookupResult,
    VolunteerPublic,
    VolunteerUpdate,
    parse_bulk_row,
    volunteer_public,
    volunteer_values,
)
from app.services import volunteers as service

router = resource_router("volunteers")

#: What `reveal=true` shows of a volunteer (VOL-DUTY-1).
VOLUNTEER_PERSONAL_FIELDS = ("id_number", "mobile", "address", "birth_date")
BULK_MAX_ROWS = 10_000


@router.post(
    "/volunteers",
    status_code=201,
    summary="Register a volunteer",
    responses=problem_responses(409),
)
def create_volunteer(
    body: VolunteerCreate,
    principal: VolunteersManage,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> VolunteerPublic:
    """VOL-REG-1: every problem at once (422 with violations); an existing person is a 409."""
    row = service.register_volunteer(
        session=session,
        principal=principal,
        registration=body.registration(),
        organization_id=body.organization_id,
        now=now,
    )
    mark_created(response, f"/api/v1/volunteers/{row.id}", row)
    return volunteer_public(row, reveal=False, today=local_date(now))


@router.post(
    "/volunteers:bulk",
    summary="Register an organisation's volunteers in bulk (JSON, CSV or XLSX)",
    openapi_extra=bulk.bulk_openapi(VolunteerBulkRow),
    responses=problem_responses(409, 413, 415),
)
async def bulk_register(
    request: Request,
    principal: VolunteersManage,
    session: SessionDep,
    now: NowDep,
    organization_id: Annotated[str, Query(max_length=26)],
    mode: bulk.ModeQuery = bulk.BulkMode.ALL_OR_NOTHING,
    include_ok: bulk.IncludeOkQuery = False,
) -> bulk.BulkResult:
    """VOL-REG-2: each row `created` or `matched_existing` (by ID document) or `error`; every row
    joins the organisation; a retried import creates nothing twice."""
    rows = await bulk.read_rows(request, max_rows=BULK_MAX_ROWS, mapping="volunteers")
    # The rows are parsed lazily, inside the import (off the event loop, collector paused).
    return await run_in_threadpool(
        service.register_many,
        session=session,
        principal=principal,
        organization_id=organization_id,
        rows=map(parse_bulk_row, rows),
        mode=mode,
        include_ok=include_ok,
        now=now,
    )


#: Validates and serialises a whole page in one call, instead of a model per volunteer that
#: FastAPI would dump, validate again and serialise.
_VOLUNTEER_PAGE = TypeAdapter(Page[VolunteerPublic])


@router.get(
    "/volunteers",
    summary="List volunteers in the caller's scope",
    response_model=Page[VolunteerPublic],
)
def list_volunteers(
    principal: VolunteersRead,
    session: SessionDep,
    page: PageDep,
    now: NowDep,
    organization_id: Annotated[str | None, Query(max_length=26)] = None,
    county_code: Annotated[str | None, Query(max_length=12)] = None,
    skill: Annotated[str | None, Query(max_length=50)] = None,
    q: NameQuery = None,
    sort: SortQuery[NameSort] = None,
) -> Response:
    """Volunteers the caller may see, always masked (reveal one at a time)."""
    result = repo.list_volunteers(
        session,
        principal,
        page=page.sorted_by(sort),
        organization_id=organization_id,
        county_code=county_code,
        skill=skill,
        q=q,
    )
    today = local_date(now)
    adult_age = repo.policy_on(today).adult_age
    body = {
        "items": [
            volunteer_values(v, reveal=False, today=today, adult_age=adult_age)
            for v in result.items
        ],
        "next_cursor": result.next_cursor,
        "total": result.total,
    }
    content = _VOLUNTEER_PAGE.dump_json(_VOLUNTEER_PAGE.validate_python(body))
    return Response(content=content, media_type="application/json")


@router.get(
    "/volunteers/{volunteer_id}", summary="Read a volunteer", responses=problem_responses(404)
)
def get_volunteer(
    volunteer_id: str,
    principal: VolunteersRead,
    session: SessionDep,
    now: NowDep,
    response: Response,
    reveal: Annotated[bool, Query(description="Show full personal data (audited)")] = False,
) -> VolunteerPublic:
    """One volunteer, masked; `reveal=true` shows personal data and writes an audit event."""
    row = repo.get_volunteer(session, principal, volunteer_id)
    if reveal:
        audit_reveal(session, principal, row, VOLUNTEER_PERSONAL_FIELDS)
    set_etag(response, row)
    return volunteer_public(row, reveal=reveal, today=local_date(now))


@router.post(
    "/volunteers:lookup",
    summary="Look a volunteer up at the desk by full ID number or mobile",
)
def lookup_volunteers(
    body: VolunteerLookup, principal: VolunteersManage, session: SessionDep, now: NowDep
) -> VolunteerLookupResult:
    """VOL-DUTY-1: an exact match through the keyed hash (nothing decrypted to search), in the
    caller's scope, answered masked; each volunteer found is audited like a reveal, with what
    it was looked up by. A POST, so the number is in no URL or access log."""
    rows = repo.lookup(
        session, principal, id_type=body.id_type, id_number=body.id_number, mobile=body.mobile
    )
    by = "id_number" if body.id_number is not None else "mobile"
    for row in rows:
        audit_reveal(session, principal, row, (by,), looked_up_by=by)
    today = local_date(now)
    return VolunteerLookupResult(
        items=[volunteer_public(r, reveal=False, today=today) for r in rows]
    )


@router.patch(
    "/volunteers/{volunteer_id}",
    summary="Update a volunteer",
    responses=problem_responses(404, 412),
)
def update_volunteer(
    volunteer_id: str,
    body: VolunteerUpdate,
    principal: VolunteersSelfServe,
    session: SessionDep,
    now: NowDep,
    request: Request,
    response: Response,
) -> VolunteerPublic:
    """Contact details, skills and the guardian's consent; the volunteer may edit itself."""
    row = repo.get_volunteer(session, principal, volunteer_id)
    check_if_match(request, row)
    row = service.update_volunteer(
        session=session,
        row=row,
        changes=body.model_dump(exclude_unset=True),
        guardian=body.guardian,
    )
    set_etag(response, row)
    return volunteer_public(row, reveal=False, today=local_date(now))
