"""Information officers (OFF-REG-1): the register, one by one or in bulk, masked mobiles."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.domain.access import Principal, Role
from app.domain.common import Finding, local_date
from app.domain.officers import (
    AppAccountId,
    CertificationStatus,
    Mobile,
    Name,
    Officer,
    OfficerStatus,
    Period,
    RegionCode,
    SourceGroup,
)
from app.domain.personal import PersonalKind, mask
from app.errors import FieldError, InvalidInput, RuleViolation, problem_responses
from app.repositories import officers as repo
from app.repositories.officers_figures import active_clause
from app.repositories.reveal import reveal as audit_reveal
from app.routers.bulk import (
    BulkMode,
    BulkResult,
    RowResult,
    RowStatus,
    bulk_openapi,
    read_rows,
    summarise,
)
from app.routers.deps import (
    ContextDep,
    NowDep,
    PageDep,
    SessionDep,
    allow,
    check_if_match,
    set_etag,
)
from app.routers.pages import Page
from app.routers.route import resource_router
from app.rules.officers import check_officer, parse_officer_row, repeated_keys

router = resource_router("officers")
Manager = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN)]
Reader = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.AUDITOR)]
#: Roles with a need to know an officer's full mobile number (reads are audited).
BULK_MAX_ROWS = 20_000
#: Officer fields a PATCH may clear.
NULLABLE = frozenset({"certified_on", "registered_on", "left_on"})


class OfficerPublic(BaseModel):
    """An officer; the mobile number is masked unless revealed."""

    id: str
    name: str
    mobile: str
    revealed: bool
    region_code: str
    county_code: str
    township_code: str
    source_group: SourceGroup
    source_group_label: str
    app_account_id: str
    certification_status: CertificationStatus
    certified_on: date | None
    registered_on: date | None
    status: OfficerStatus
    left_on: date | None
    version: int
    created_at: datetime
    updated_at: datetime


class OfficerCreate(BaseModel):
    """OFF-REG-1: a new officer. Without a status, a certification date means certified and a
    leaving date means left."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    mobile: Mobile
    region_code: RegionCode = Field(description="Township (9 digits) or village (12 digits)")
    source_group: SourceGroup
    app_account_id: AppAccountId
    certification_status: CertificationStatus | None = None
    certified_on: date | None = None
    registered_on: date | None = None
    status: OfficerStatus | None = None
    left_on: date | None = None

    def officer(self) -> Officer:
        """The officer, statuses derived from the dates where not given."""
        fields = self.model_dump()
        if self.certification_status is None:
            fields["certification_status"] = (
                CertificationStatus.CERTIFIED
                if self.certified_on is not None
                else CertificationStatus.REGISTERED
            )
        if self.status is None:
            fields["status"] = OfficerStatus.LEFT if self.left_on else OfficerStatus.ACTIVE
        return Officer(**fields)


class OfficerUpdate(BaseModel):
    """Fields to change; the result must still be a consistent record (OFF-REG-1)."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    mobile: Mobile | None = None
    region_code: RegionCode | None = None
    source_group: SourceGroup | None = None
    app_account_id: AppAccountId | None = None
    certification_status: CertificationStatus | None = None
    certified_on: date | None = None
    registered_on: date | None = None
    status: OfficerStatus | None = None
    left_on: date | None = None


class OfficerBulkRow(BaseModel):
    """One row of `POST /officers:bulk` (CSV/XLSX header names); codes or Chinese labels."""

    name: str
    mobile: str
    region_code: str
    source_group: str = Field(description="Code or label, e.g. farmer_herder or 农牧民")
    app_account_id: str
    certification_status: str | None = None
    certified_on: date | None = None
    registered_on: date | None = None
    status: str | None = None
    left_on: date | None = None


def to_public(row: repo.OfficerRow, *, reveal: bool = False) -> OfficerPublic:
    """The public view of an officer."""
    group = SourceGroup(row.source_group)
    return OfficerPublic(
        id=row.id,
        name=row.name,
        mobile=row.mobile if reveal else mask(PersonalKind.PHONE, row.mobile) or "",
        revealed=reveal,
        region_code=row.region_code,
        county_code=row.county_code,
        township_code=row.township_code,
        source_group=group,
        source_group_label=group.label,
        app_account_id=row.app_account_id,
        certification_status=CertificationStatus(row.certification_status),
        certified_on=row.certified_on,
        registered_on=row.registered_on,
        status=OfficerStatus(row.status),
        left_on=row.left_on,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _placement(session: Session, principal: Principal, region_code: str) -> repo.Placement:
    """The officer's county and township; 422 when unknown, not township/village, or outside
    the caller's county."""
    placement = repo.place(session, [region_code]).get(region_code)
    if placement is None:
        raise InvalidInput.one("region_code", "not a known township or village", "unknown_region")
    if not principal.city_wide and placement.county_code != principal.county_code:
        raise InvalidInput.one("region_code", "outside your county", "out_of_scope")
    return placement


def _checked(officer: Officer, today: date) -> Officer:
    result = check_officer(officer, today=today)
    if not result.ok:
        raise RuleViolation(result.errors)
    return officer


@router.post(
    "/officers",
    status_code=201,
    summary="Register an officer",
    responses=problem_responses(409),
)
def create_officer(
    body: OfficerCreate, principal: Manager, session: SessionDep, now: NowDep, response: Response
) -> OfficerPublic:
    """OFF-REG-1: a county registers one of its officers; the app account id is unique (409)."""
    officer = _checked(body.officer(), local_date(now))
    row = repo.create_officer(
        session, officer=officer, placement=_placement(session, principal, officer.region_code)
    )
    response.headers["Location"] = f"/api/v1/officers/{row.id}"
    set_etag(response, row)
    return to_public(row)


@router.get("/officers", summary="List officers")
def list_officers(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    region_code: Annotated[str | None, Query(pattern=r"^\d{6}(\d{3}){0,2}$")] = None,
    source_group: Annotated[SourceGroup | None, Query()] = None,
    certified: Annotated[bool | None, Query()] = None,
    status: Annotated[OfficerStatus | None, Query()] = None,
    mobile: Annotated[str | None, Query(pattern=r"^1[3-9]\d{9}$")] = None,
    active_from: Annotated[
        date | None, Query(description="Active in [from, to] (OFF-STAT-2)")
    ] = None,
    active_to: Annotated[date | None, Query()] = None,
) -> Page[OfficerPublic]:
    """Officers in scope by region (any level), source group, certification, status, exact
    mobile, and activity in a period (certified by its end with a share inside it)."""
    active = None
    if (active_from is None) != (active_to is None):
        raise InvalidInput.one("query.active_to", "give both active_from and active_to", "pair")
    if active_from is not None and active_to is not None:
        if active_to < active_from:
            raise InvalidInput.one("query.active_to", "before active_from", "order")
        active = active_clause(Period(start=active_from, end=active_to))
    if region_code is not None:
        repo.check_region_in_scope(session, principal, region_code)
    result = repo.list_officers(
        session,
        principal,
        page=page,
        region_code=region_code,
        source_group=source_group,
        certified=certified,
        status=status,
        mobile=mobile,
        active_ids=active,
    )
    return Page(
        items=[to_public(r) for r in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.get("/officers/{officer_id}", summary="Read an officer", responses=problem_responses(404))
def get_officer(
    officer_id: str,
    principal: Reader,
    session: SessionDep,
    ctx: ContextDep,
    response: Response,
    reveal: Annotated[bool, Query(description="Show the full mobile number (audited)")] = False,
) -> OfficerPublic:
    """One officer; `reveal=true` shows the mobile number to administrators and audits it."""
    row = repo.get_officer(session, principal, officer_id)
    if reveal:
        audit_reveal(session, principal, row, ["mobile"])
    set_etag(response, row)
    return to_public(row, reveal=reveal)


@router.patch(
    "/officers/{officer_id}",
    summary="Update an officer",
    responses=problem_responses(404, 409, 412),
)
def update_officer(
    officer_id: str,
    body: OfficerUpdate,
    principal: Manager,
    session: SessionDep,
    now: NowDep,
    request: Request,
    response: Response,
) -> OfficerPublic:
    """OFF-REG-1: change fields (honours If-Match); the record must stay consistent."""
    row = repo.get_officer(session, principal, officer_id)
    check_if_match(request, row)
    changes = body.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None and field not in NULLABLE:
            raise InvalidInput.one(field, "may not be null", "null")
    officer = _checked(
        Officer.model_validate({**row.to_domain().model_dump(), **changes}), local_date(now)
    )
    repo.update_officer(
        session,
        row=row,
        officer=officer,
        placement=_placement(session, principal, officer.region_code),
    )
    set_etag(response, row)
    return to_public(row)


@router.post(
    "/officers:bulk",
    summary="Register or update officers in bulk (JSON, CSV or XLSX)",
    openapi_extra=bulk_openapi(OfficerBulkRow),
    responses=problem_responses(409, 413, 415),
)
async def bulk_officers(
    request: Request,
    principal: Manager,
    session: SessionDep,
    now: NowDep,
    mode: Annotated[BulkMode, Query()] = BulkMode.ALL_OR_NOTHING,
    include_ok: Annotated[bool, Query(description="List every row, not only errors")] = True,
) -> BulkResult:
    """OFF-REG-1: rows matched by app account id — `created`, `updated`, `matched_existing`
    (nothing changed) or `error`; a retried import changes nothing twice."""
    rows = await read_rows(request, max_rows=BULK_MAX_ROWS)
    return await run_in_threadpool(_bulk, session, principal, rows, mode, include_ok, now)


def _row_error(row: int, findings: list[Finding]) -> RowResult:
    return RowResult(
        row=row,
        status=RowStatus.ERROR,
        errors=[
            FieldError(field=f.field or "row", message=f.message, code=f.rule) for f in findings
        ],
    )


def _bulk(
    session: Session,
    principal: Principal,
    rows: list[dict[str, Any]],
    mode: BulkMode,
    include_ok: bool,
    now: datetime,
) -> BulkResult:
    today = local_date(now)
    parsed = [parse_officer_row(raw, today=today) for raw in rows]
    officers = [p.officer for p in parsed]
    repeats = repeated_keys(
        officers, lambda o: o.app_account_id, rule="OFF-REG-1", field="app_account_id"
    )
    good = [o for o in officers if o is not None]
    placements = repo.place(session, {o.region_code for o in good})
    existing = repo.find_by_accounts(session, [o.app_account_id for o in good])
    results: list[RowResult] = []
    writes: list[tuple[Officer, repo.Placement, repo.OfficerRow | None]] = []
    for index, (item, officer) in enumerate(zip(parsed, officers, strict=True)):
        findings = list(item.result.findings)
        if index in repeats:
            findings.append(repeats[index])
        if officer is None or findings:
            results.append(_row_error(index + 1, findings))
            continue
        placement = placements.get(officer.region_code)
        current = existing.get(officer.app_account_id)
        if placement is None:
            findings.append(
                Finding(
                    rule="OFF-REG-1", field="region_code", message="unknown township or village"
                )
            )
        elif not principal.city_wide and placement.county_code != principal.county_code:
            findings.append(
                Finding(rule="OFF-REG-1", field="region_code", message="outside your county")
            )
        if (
            current is not None
            and not principal.city_wide
            and current.county_code != principal.county_code
        ):
            findings.append(
                Finding(
                    rule="OFF-REG-1",
                    field="app_account_id",
                    message="registered to an officer outside your county",
                )
            )
        if findings or placement is None:
            results.append(_row_error(index + 1, findings))
            continue
        if current is None:
            status = RowStatus.CREATED
        elif current.to_domain() == officer and current.county_code == placement.county_code:
            status = RowStatus.MATCHED_EXISTING
        else:
            status = RowStatus.UPDATED
        results.append(RowResult(row=index + 1, status=status, id=current.id if current else None))
        if status is not RowStatus.MATCHED_EXISTING:
            writes.append((officer, placement, current))
    summary = summarise(mode, results, include_ok=include_ok)
    created = iter(
        repo.create_officers(session, [(o, p) for o, p, current in writes if current is None])
    )
    for officer, placement, current in writes:
        if current is not None:
            repo.update_officer(session, row=current, officer=officer, placement=placement)
    for result in results:
        if result.status is RowStatus.CREATED:
            result.id = next(created).id
    return summary
