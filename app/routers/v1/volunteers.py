"""Volunteers: registration (single, bulk, public), memberships, hours and certificates.

VOL-REG-1/2, VOL-ELIG-1/2, VOL-DUTY-1 (masking and audited reveals), VOL-EXIT-1, VOL-HOURS-1,
VOL-HONOUR-1, VOL-DUTY-4.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from app.domain.access import Principal, Role
from app.domain.common import Finding, local_date
from app.domain.personal import mask_address, mask_id_number, mask_phone
from app.domain.volunteers import (
    Declarations,
    GuardianConsent,
    IdType,
    MembershipAction,
    MembershipStatus,
    VolunteerRegistration,
)
from app.errors import (
    FieldError,
    Forbidden,
    InvalidInput,
    RuleViolation,
    problem_responses,
)
from app.ids import new_id
from app.repositories import regions, users
from app.repositories import volunteers as repo
from app.repositories import volunteers_orgs as orgs
from app.repositories import volunteers_records as records
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
from app.rules.identity import (
    is_valid_mobile,
    normalise_id_number,
    normalise_mobile,
)
from app.rules.volunteers_eligibility import age_on, check_registration, effective_birth_date
from app.rules.volunteers_hours import (
    confirmed_hours,
    hours_totals,
    star_level,
)
from app.security import personal

router = resource_router("volunteers")
public_router = resource_router("public", public=True)

Manager = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN)]
Reader = Annotated[
    Principal,
    allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.AUDITOR, Role.VOLUNTEER),
]
MemberActor = Annotated[
    Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.VOLUNTEER)
]
#: VOL-DUTY-1: roles with a need to know full personal data (a volunteer only its own).
#: What `reveal=true` shows of a volunteer (VOL-DUTY-1).
VOLUNTEER_PERSONAL_FIELDS = ("id_number", "mobile", "address", "birth_date")
BULK_MAX_ROWS = 10_000
DECLARATIONS = tuple(Declarations.model_fields)


class VolunteerFields(BaseModel):
    """VOL-REG-1: what a registration states; checked as a whole, every problem reported."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    id_type: IdType = IdType.RESIDENT_ID
    id_number: str = Field(min_length=1, max_length=40)
    birth_date: date | None = None
    mobile: str = Field(min_length=1, max_length=20)
    region_code: str = Field(min_length=6, max_length=12)
    address: str | None = Field(default=None, max_length=500)
    skills: list[Annotated[str, Field(max_length=50)]] = Field(default=[], max_length=50)
    service_targets: list[Annotated[str, Field(max_length=50)]] = Field(default=[], max_length=50)
    declarations: Declarations = Declarations()
    guardian_consent: GuardianConsent | None = None

    def registration(self) -> VolunteerRegistration:
        """The registration as the eligibility rules take it."""
        return VolunteerRegistration.model_validate(self, from_attributes=True)


class VolunteerCreate(VolunteerFields):
    """A registration by an administrator, joining `organization_id` as an active member."""

    organization_id: str | None = Field(default=None, max_length=26)


class VolunteerBulkRow(BaseModel):
    """One row of a team registration (VOL-REG-2); lists are `;`-separated in CSV and XLSX."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    id_type: IdType = IdType.RESIDENT_ID
    id_number: str = Field(min_length=1, max_length=40)
    birth_date: date | None = None
    mobile: str = Field(min_length=1, max_length=20)
    region_code: str = Field(min_length=6, max_length=12)
    address: str | None = Field(default=None, max_length=500)
    skills: list[str] | str = []
    service_targets: list[str] | str = []
    good_conduct: bool = False
    healthy: bool = False
    law_abiding: bool = False
    supports_science: bool = False
    civil_capacity: bool = False
    guardian_name: str | None = Field(default=None, max_length=100)
    guardian_relationship: str | None = Field(default=None, max_length=20)
    guardian_consent_on: date | None = None

    def fields(self) -> VolunteerFields:
        """The row as a registration."""
        consent = None
        if self.guardian_name and self.guardian_consent_on:
            consent = GuardianConsent(
                guardian_name=self.guardian_name,
                relationship=self.guardian_relationship or "监护人",
                recorded_on=self.guardian_consent_on,
            )
        return VolunteerFields(
            name=self.name,
            id_type=self.id_type,
            id_number=self.id_number,
            birth_date=self.birth_date,
            mobile=self.mobile,
            region_code=self.region_code,
            address=self.address or None,
            skills=_split(self.skills),
            service_targets=_split(self.service_targets),
            declarations=Declarations(**{k: getattr(self, k) for k in DECLARATIONS}),
            guardian_consent=consent,
        )


class PublicRegistration(VolunteerFields):
    """Self-registration by the public: a `volunteer` login and a pending membership."""

    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=10, max_length=256)
    organization_id: str = Field(max_length=26)


class VolunteerUpdate(BaseModel):
    """What may change after registration; the ID document never does (one person, one record)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100)
    mobile: str | None = Field(default=None, min_length=1, max_length=20)
    address: str | None = Field(default=None, max_length=500)
    skills: list[Annotated[str, Field(max_length=50)]] | None = Field(default=None, max_length=50)
    service_targets: list[Annotated[str, Field(max_length=50)]] | None = Field(
        default=None, max_length=50
    )
    guardian_consent: GuardianConsent | None = None


class VolunteerPublic(BaseModel):
    """A volunteer; ID number, mobile and address masked unless revealed (VOL-DUTY-1)."""

    id: str
    name: str
    id_type: IdType
    id_number: str
    mobile: str
    address: str | None
    birth_date: date | None = Field(description="Only when revealed")
    minor: bool
    region_code: str
    county_code: str | None
    skills: list[str]
    service_targets: list[str]
    declarations: Declarations
    guardian_consent: GuardianConsent | None
    revealed: bool
    version: int
    created_at: datetime
    updated_at: datetime


class MembershipEventPublic(BaseModel):
    """VOL-EXIT-1: one step of a membership."""

    action: str
    from_status: MembershipStatus | None
    to_status: MembershipStatus
    reason: str
    decided_by: str | None
    decided_at: datetime


class MembershipPublic(BaseModel):
    """A membership with its history."""

    id: str
    volunteer_id: str
    organization_id: str
    status: MembershipStatus
    history: list[MembershipEventPublic]
    version: int


class MembershipCreate(BaseModel):
    """Join an organisation: active when an administrator adds, pending when the volunteer asks."""

    model_config = ConfigDict(extra="forbid")

    organization_id: str = Field(max_length=26)
    reason: str = Field(default="", max_length=2000)


class MembershipActionBody(BaseModel):
    """VOL-EXIT-1: warn, exit, expel, leave, approve, reject or readmit, with a reason."""

    model_config = ConfigDict(extra="forbid")

    action: MembershipAction
    reason: str | None = Field(default=None, max_length=2000)


class HoursLine(BaseModel):
    """Confirmed hours of one year in one organisation."""

    year: int
    organization_id: str
    hours: Decimal
    records: int


class HoursPublic(BaseModel):
    """VOL-HOURS-1, VOL-HONOUR-1: confirmed hours, by year and organisation, and the star level."""

    volunteer_id: str
    total_hours: Decimal
    star_level: int
    by_year_and_organization: list[HoursLine]


def _cells(raw: dict[str, Any]) -> dict[str, Any]:
    """Spreadsheet cells as the row model takes them: blanks absent, numbers as text."""
    cells: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None or value == "":
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        cells[key] = value
    return cells


def _split(value: list[str] | str) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.replace("；", ";").split(";") if part.strip()]
    return value


def to_public(row: repo.VolunteerRow, *, reveal: bool, today: date) -> VolunteerPublic:
    """The public view; personal data masked unless `reveal` (VOL-DUTY-1)."""
    return VolunteerPublic.model_validate(
        _public_values(row, reveal=reveal, today=today, adult_age=repo.policy_on(today).adult_age)
    )


def _public_values(
    row: repo.VolunteerRow, *, reveal: bool, today: date, adult_age: int
) -> dict[str, Any]:
    """The fields of `VolunteerPublic`, for one model or for a whole page validated at once."""
    return {
        "id": row.id,
        "name": row.name,
        "id_type": row.id_type,
        "id_number": row.id_number if reveal else mask_id_number(row.id_number),
        "mobile": row.mobile if reveal else mask_phone(row.mobile),
        "address": (row.address if reveal else mask_address(row.address)) if row.address else None,
        "birth_date": row.birth_date if reveal else None,
        "minor": age_on(row.birth_date, today) < adult_age,
        "region_code": row.region_code,
        "county_code": row.county_code,
        "skills": row.skills,
        "service_targets": row.service_targets,
        "declarations": row.declarations,
        "guardian_consent": row.guardian_consent,
        "revealed": reveal,
        "version": row.version,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def _problems(
    fields: VolunteerFields, today: date, known_regions: Collection[str]
) -> tuple[list[Finding], date | None]:
    """Every problem of a registration (VOL-REG-1, VOL-ELIG-1, VOL-ELIG-2) and its birth date."""
    registration = fields.registration()
    findings = list(
        check_registration(registration, today=today, policy=repo.policy_on(today)).findings
    )
    if fields.region_code not in known_regions:
        findings.append(
            Finding(rule="VOL-REG-1", message="unknown region code", field="region_code")
        )
    return findings, effective_birth_date(registration)


def _counties(session: Session, codes: set[str]) -> dict[str, str | None]:
    """The county of each known region code among `codes`, in one query."""
    rows = session.exec(
        select(regions.Region.id, regions.Region.county_code).where(
            col(regions.Region.id).in_(codes)
        )
    ).all()
    return dict(rows)


def _new_values(fields: VolunteerFields, birth: date, county: str | None) -> dict[str, Any]:
    return repo.volunteer_values(
        name=fields.name,
        id_type=fields.id_type,
        id_number=normalise_id_number(fields.id_number),
        mobile=normalise_mobile(fields.mobile),
        address=fields.address,
        birth_date=birth,
        region_code=fields.region_code,
        county_code=county,
        skills=fields.skills,
        service_targets=fields.service_targets,
        declarations=fields.declarations,
        guardian_consent=fields.guardian_consent,
    )


def _target_org(
    session: Session, principal: Principal, org_id: str | None
) -> orgs.OrganizationRow | None:
    if org_id is None:
        if principal.role is Role.ORG_ADMIN:
            raise InvalidInput.one("organization_id", "required for an organisation admin")
        return None
    return orgs.get_managed_org(session, principal, org_id)


@router.post(
    "/volunteers",
    status_code=201,
    summary="Register a volunteer",
    responses=problem_responses(409),
)
def create_volunteer(
    body: VolunteerCreate,
    principal: Manager,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> VolunteerPublic:
    """VOL-REG-1: every problem at once (422 with violations); an existing person is a 409."""
    today = local_date(now)
    org = _target_org(session, principal, body.organization_id)
    counties = _counties(session, {body.region_code})
    findings, birth = _problems(body, today, counties.keys())
    if findings or birth is None:
        raise RuleViolation(findings)
    hashed = repo.person_hash(body.id_type, body.id_number)
    if repo.find_by_person(session, [hashed]):
        raise RuleViolation(
            [Finding(rule="VOL-REG-2", message="this person is already registered")], status=409
        )
    row = repo.VolunteerRow(**_new_values(body, birth, counties[body.region_code]))
    session.add(row)
    session.flush()
    if org is not None:
        repo.join(
            session,
            volunteer_id=row.id,
            org=org,
            status=MembershipStatus.ACTIVE,
            existing=None,
            by=principal.user_id,
            at=now,
        )
    response.headers["Location"] = f"/api/v1/volunteers/{row.id}"
    set_etag(response, row)
    return to_public(row, reveal=False, today=today)


@router.post(
    "/volunteers:bulk",
    summary="Register an organisation's volunteers in bulk (JSON, CSV or XLSX)",
    openapi_extra=bulk_openapi(VolunteerBulkRow),
    responses=problem_responses(409, 413, 415),
)
async def bulk_register(
    request: Request,
    principal: Manager,
    session: SessionDep,
    now: NowDep,
    organization_id: Annotated[str, Query(max_length=26)],
    mode: Annotated[BulkMode, Query()] = BulkMode.ALL_OR_NOTHING,
    include_ok: Annotated[bool, Query(description="List every row, not only errors")] = True,
) -> BulkResult:
    """VOL-REG-2: each row `created` or `matched_existing` (by ID document) or `error`; every row
    joins the organisation; a retried import creates nothing twice."""
    rows = await read_rows(request, max_rows=BULK_MAX_ROWS)
    return await run_in_threadpool(
        _bulk, session, principal, organization_id, rows, mode, include_ok, now
    )


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_restore = False


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic collector off while a bulk import builds its rows: it would otherwise walk the
    tens of thousands of live row objects again and again (half the import's time)."""
    global _gc_pauses, _gc_restore
    with _gc_lock:
        _gc_pauses += 1
        if _gc_pauses == 1:
            _gc_restore = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_restore:
                gc.enable()


@_gc_paused()
def _bulk(
    session: Session,
    principal: Principal,
    organization_id: str,
    rows: list[dict[str, Any]],
    mode: BulkMode,
    include_ok: bool,
    now: datetime,
) -> BulkResult:
    today = local_date(now)
    org = orgs.get_managed_org(session, principal, organization_id)
    parsed: list[VolunteerFields | list[FieldError]] = []
    for raw in rows:
        try:
            parsed.append(VolunteerBulkRow.model_validate(_cells(raw)).fields())
        except ValidationError as exc:
            parsed.append(
                [
                    FieldError(
                        field=".".join(str(p) for p in e["loc"]) or "row",
                        message=e["msg"],
                        code=e["type"],
                    )
                    for e in exc.errors()
                ]
            )
    good = [p for p in parsed if isinstance(p, VolunteerFields)]
    counties = _counties(session, {p.region_code for p in good})
    hashes = [
        repo.person_hash(p.id_type, p.id_number) if isinstance(p, VolunteerFields) else ""
        for p in parsed
    ]
    existing = repo.find_by_person(session, [h for h in hashes if h])
    memberships = {
        m.volunteer_id: m
        for m in repo.memberships_of(session, [v.id for v in existing.values()])
        if m.organization_id == org.id
    }
    results: list[RowResult] = []
    seen: dict[str, str] = {h: v.id for h, v in existing.items()}
    new_rows: list[dict[str, Any]] = []
    for index, (item, hashed) in enumerate(zip(parsed, hashes, strict=True), start=1):
        if isinstance(item, list):
            results.append(RowResult(row=index, status=RowStatus.ERROR, errors=item))
            continue
        findings, birth = _problems(item, today, counties.keys())
        member = memberships.get(seen[hashed]) if hashed in seen else None
        if member is not None and member.status == MembershipStatus.EXPELLED:
            findings.append(
                Finding(rule="VOL-EXIT-1", message="expelled by this organisation", field="row")
            )
        if findings or birth is None:
            results.append(
                RowResult(
                    row=index,
                    status=RowStatus.ERROR,
                    errors=[
                        FieldError(field=f.field or "row", message=f.message, code=f.rule)
                        for f in findings
                    ],
                )
            )
            continue
        if hashed in seen:
            results.append(RowResult(row=index, status=RowStatus.MATCHED_EXISTING, id=seen[hashed]))
            continue
        values = _new_values(item, birth, counties[item.region_code])
        values["id"] = seen[hashed] = new_id()
        new_rows.append(values)
        results.append(RowResult(row=index, status=RowStatus.CREATED, id=values["id"]))
    summary = summarise(mode, results, include_ok=include_ok)
    repo.create_volunteers(session, new_rows)
    joined = [r.id for r in results if r.status is not RowStatus.ERROR and r.id]
    newcomers: list[str] = []
    rejoiners: list[tuple[str, repo.MembershipRow | None]] = []
    for volunteer_id in dict.fromkeys(joined):
        member = memberships.get(volunteer_id)
        if member is None:
            newcomers.append(volunteer_id)
        elif member.status in (MembershipStatus.LEFT, MembershipStatus.EXITED):
            rejoiners.append((volunteer_id, member))
        elif member.status in (MembershipStatus.PENDING, MembershipStatus.REJECTED):
            action = (
                MembershipAction.APPROVE
                if member.status == MembershipStatus.PENDING
                else MembershipAction.READMIT
            )
            repo.act(
                session,
                member,
                action=action,
                reason="bulk registration",
                by=principal.user_id,
                at=now,
            )
    by, reason = principal.user_id, "bulk registration"
    active = MembershipStatus.ACTIVE
    repo.join_new(session, newcomers, org=org, status=active, by=by, at=now, reason=reason)
    repo.join_many(session, rejoiners, org=org, status=active, by=by, at=now, reason=reason)
    return summary


#: Validates and serialises a whole page in one call, instead of a model per volunteer that
#: FastAPI would dump, validate again and serialise.
_VOLUNTEER_PAGE = TypeAdapter(Page[VolunteerPublic])


@router.get(
    "/volunteers",
    summary="List volunteers in the caller's scope",
    response_model=Page[VolunteerPublic],
)
def list_volunteers(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    now: NowDep,
    organization_id: Annotated[str | None, Query(max_length=26)] = None,
    county_code: Annotated[str | None, Query(max_length=12)] = None,
    skill: Annotated[str | None, Query(max_length=50)] = None,
) -> Response:
    """Volunteers the caller may see, always masked (reveal one at a time)."""
    result = repo.list_volunteers(
        session,
        principal,
        page=page,
        organization_id=organization_id,
        county_code=county_code,
        skill=skill,
    )
    today = local_date(now)
    adult_age = repo.policy_on(today).adult_age
    body = {
        "items": [
            _public_values(v, reveal=False, today=today, adult_age=adult_age) for v in result.items
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
    principal: Reader,
    ctx: ContextDep,
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
    return to_public(row, reveal=reveal, today=local_date(now))


@router.patch(
    "/volunteers/{volunteer_id}",
    summary="Update a volunteer",
    responses=problem_responses(404, 412),
)
def update_volunteer(
    volunteer_id: str,
    body: VolunteerUpdate,
    principal: MemberActor,
    session: SessionDep,
    now: NowDep,
    request: Request,
    response: Response,
) -> VolunteerPublic:
    """Contact details, skills and guardian consent; the volunteer may edit itself."""
    row = repo.get_volunteer(session, principal, volunteer_id)
    check_if_match(request, row)
    changes = body.model_dump(exclude_unset=True)
    if "mobile" in changes:
        if body.mobile is None or not is_valid_mobile(body.mobile):
            raise InvalidInput.one("mobile", "a mobile number is 11 digits starting 13–19")
        row.mobile = normalise_mobile(body.mobile)
        row.mobile_hash = personal.ring().blind_index(row.mobile)
    for field in ("name", "skills", "service_targets"):
        if field in changes:
            if changes[field] is None:
                raise InvalidInput.one(field, "may not be null", "null")
            setattr(row, field, changes[field])
    if "address" in changes:
        row.address = body.address
    if "guardian_consent" in changes:
        consent = body.guardian_consent
        row.guardian_name = consent.guardian_name if consent else None
        row.guardian_relationship = consent.relationship if consent else None
        row.guardian_consent_on = consent.recorded_on if consent else None
    session.add(row)
    session.flush()
    set_etag(response, row)
    return to_public(row, reveal=False, today=local_date(now))


def _membership(row: repo.MembershipRow, events: list[repo.MembershipEventRow]) -> MembershipPublic:
    return MembershipPublic(
        id=row.id,
        volunteer_id=row.volunteer_id,
        organization_id=row.organization_id,
        status=MembershipStatus(row.status),
        history=[
            MembershipEventPublic(
                action=e.action,
                from_status=MembershipStatus(e.from_status) if e.from_status else None,
                to_status=MembershipStatus(e.to_status),
                reason=e.reason,
                decided_by=e.decided_by,
                decided_at=e.decided_at,
            )
            for e in events
            if e.membership_id == row.id
        ],
        version=row.version,
    )


@router.get(
    "/volunteers/{volunteer_id}/memberships",
    summary="List a volunteer's memberships with their history",
    responses=problem_responses(404),
)
def list_memberships(
    volunteer_id: str, principal: Reader, session: SessionDep
) -> list[MembershipPublic]:
    """VOL-EXIT-1: every organisation joined, its status and each step with reason."""
    repo.get_volunteer(session, principal, volunteer_id)
    rows = repo.memberships_of(session, [volunteer_id])
    events = repo.history(session, [r.id for r in rows])
    return [_membership(r, events) for r in rows]


@router.post(
    "/volunteers/{volunteer_id}/memberships",
    status_code=201,
    summary="Join an organisation",
    responses=problem_responses(404, 409),
)
def create_membership(
    volunteer_id: str,
    body: MembershipCreate,
    principal: MemberActor,
    session: SessionDep,
    now: NowDep,
) -> MembershipPublic:
    """VOL-REG-2: a volunteer asks to join (pending); an administrator adds (active).
    Expelled volunteers are refused (VOL-EXIT-1)."""
    volunteer = repo.get_volunteer(session, principal, volunteer_id)
    if principal.role is Role.VOLUNTEER:
        org = orgs.get_org(session, body.organization_id)
        status = MembershipStatus.PENDING
    else:
        org = orgs.get_managed_org(session, principal, body.organization_id)
        status = MembershipStatus.ACTIVE
    existing = next(
        (m for m in repo.memberships_of(session, [volunteer.id]) if m.organization_id == org.id),
        None,
    )
    row = repo.join(
        session,
        volunteer_id=volunteer.id,
        org=org,
        status=status,
        existing=existing,
        by=principal.user_id,
        at=now,
        reason=body.reason,
    )
    return _membership(row, repo.history(session, [row.id]))


@router.post(
    "/volunteers/{volunteer_id}/memberships/{membership_id}/actions",
    summary="Warn, exit, expel, approve, reject, readmit, or leave",
    responses=problem_responses(404, 409),
)
def membership_action(
    volunteer_id: str,
    membership_id: str,
    body: MembershipActionBody,
    principal: MemberActor,
    session: SessionDep,
    now: NowDep,
) -> MembershipPublic:
    """VOL-EXIT-1: each step with its reason; a volunteer may only leave."""
    repo.get_volunteer(session, principal, volunteer_id)
    membership = repo.get_membership(session, volunteer_id, membership_id)
    if principal.role is Role.VOLUNTEER:
        if body.action is not MembershipAction.LEAVE:
            raise Forbidden("a volunteer may only leave an organisation")
    else:
        org = orgs.get_org(session, membership.organization_id)
        if not orgs.manages(principal, org):
            raise Forbidden("this organisation is administered by someone else")
    row = repo.act(
        session, membership, action=body.action, reason=body.reason, by=principal.user_id, at=now
    )
    return _membership(row, repo.history(session, [row.id]))


@router.get(
    "/volunteers/{volunteer_id}/hours",
    summary="A volunteer's confirmed hours and star level",
    responses=problem_responses(404),
)
def get_hours(
    volunteer_id: str, principal: Reader, session: SessionDep, now: NowDep
) -> HoursPublic:
    """VOL-HOURS-1, VOL-HONOUR-1: totals by year and organisation; stars from confirmed hours."""
    repo.get_volunteer(session, principal, volunteer_id)
    domain = [r.to_domain() for r in records.records_of(session, volunteer_id)]
    total = confirmed_hours(domain)
    return HoursPublic(
        volunteer_id=volunteer_id,
        total_hours=total,
        star_level=star_level(total, repo.policy_on(local_date(now))),
        by_year_and_organization=[HoursLine(**t.model_dump()) for t in hours_totals(domain)],
    )


@public_router.post(
    "/public/volunteer-registrations",
    status_code=201,
    summary="Register as a volunteer (self-registration by the public)",
    responses=problem_responses(409),
)
def self_register(
    body: PublicRegistration,
    ctx: ContextDep,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> VolunteerPublic:
    """VOL-REG-1: creates a `volunteer` login and a pending membership the organisation approves.
    A person already registered is refused (409): their organisation links the login."""
    today = local_date(now)
    org = orgs.get_org(session, body.organization_id)
    counties = _counties(session, {body.region_code})
    findings, birth = _problems(body, today, counties.keys())
    if findings or birth is None:
        raise RuleViolation(findings)
    if repo.find_by_person(session, [repo.person_hash(body.id_type, body.id_number)]):
        raise RuleViolation(
            [Finding(rule="VOL-REG-2", message="this person is already registered")], status=409
        )
    row = repo.VolunteerRow(**_new_values(body, birth, counties[body.region_code]))
    session.add(row)
    session.flush()
    user = users.create_user(
        session,
        username=body.username,
        password_hash=ctx.passwords.hash(body.password),
        role=Role.VOLUNTEER,
        display_name=body.name,
        volunteer_id=row.id,
    )
    row.user_id = user.id
    session.add(row)
    repo.join(
        session,
        volunteer_id=row.id,
        org=org,
        status=MembershipStatus.PENDING,
        existing=None,
        by=user.id,
        at=now,
        reason="self-registration",
    )
    response.headers["Location"] = f"/api/v1/volunteers/{row.id}"
    return to_public(row, reveal=False, today=today)
