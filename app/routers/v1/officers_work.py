"""Officer training (OFF-TRAIN-1), activity plans (OFF-PLAN-1), county cases (OFF-CASE-1)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlmodel import Session

from app.domain.access import Principal, Role
from app.domain.common import Finding
from app.domain.officers import (
    CASE_KIND_LABELS,
    PLAN_OWNER_LABELS,
    TRAINING_LEVEL_LABELS,
    ActivityPlan,
    CaseKind,
    CaseStatus,
    Name,
    PlanOwnerKind,
    Title,
    TrainingLevel,
    TrainingPlan,
    TrainingSession,
)
from app.errors import InvalidInput, NotFound, RuleViolation, problem_responses
from app.repositories import officers as officers_repo
from app.repositories import officers_work as repo
from app.repositories import regions
from app.repositories.regions import Region, RegionLevel
from app.routers.deps import NowDep, PageDep, SessionDep, allow, check_if_match, set_etag
from app.routers.pages import Page
from app.routers.route import resource_router
from app.rules.officers import (
    check_activity_plan_region,
    check_attendance,
    check_case_transition,
    check_training_session,
)

router = resource_router("officer work")
Manager = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN)]
Reader = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.AUDITOR)]
County = Annotated[Principal, allow(Role.COUNTY_ADMIN)]
City = Annotated[Principal, allow(Role.CITY_ADMIN)]
CountyCode = Annotated[str, Field(pattern=r"^\d{6}$")]


def _county_for(principal: Principal, county_code: str | None, field: str = "county_code") -> str:
    """A county administrator acts for its own county; the city names one."""
    if not principal.city_wide:
        if county_code is not None and county_code != principal.county_code:
            raise InvalidInput.one(field, "outside your county", "out_of_scope")
        return principal.county_code or ""
    if county_code is None:
        raise InvalidInput.one(field, "required for a city administrator", "missing")
    return county_code


def _region(session: Session, code: str) -> Region:
    try:
        return regions.get_region(session, code)
    except NotFound as exc:
        raise InvalidInput.one("region_code", f"unknown region {code}", "unknown_region") from exc


# --- training plans ------------------------------------------------------------------------


class TrainingPlanCreate(BaseModel):
    """OFF-TRAIN-1: a county's officer training plan for one year."""

    model_config = ConfigDict(extra="forbid")

    county_code: CountyCode | None = Field(default=None, description="Own county by default")
    year: int = Field(ge=2000, le=2100)
    title: Title
    planned_sessions: int = Field(ge=0)
    planned_trainees: int = Field(default=0, ge=0)
    notes: str = Field(default="", max_length=2000)


class TrainingPlanUpdate(BaseModel):
    """Plan fields to change."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    planned_sessions: int | None = Field(default=None, ge=0)
    planned_trainees: int | None = Field(default=None, ge=0)
    notes: str | None = Field(default=None, max_length=2000)


class TrainingPlanPublic(BaseModel):
    """A county's training plan for a year."""

    id: str
    county_code: str
    year: int
    title: str
    planned_sessions: int
    planned_trainees: int
    notes: str
    version: int
    updated_at: datetime


def _plan_public(row: repo.TrainingPlanRow) -> TrainingPlanPublic:
    return TrainingPlanPublic.model_validate(row, from_attributes=True)


@router.post(
    "/training-plans",
    status_code=201,
    summary="Set a county's yearly training plan",
    responses=problem_responses(409),
)
def create_training_plan(
    body: TrainingPlanCreate, principal: Manager, session: SessionDep, response: Response
) -> TrainingPlanPublic:
    """OFF-TRAIN-1: one plan per county and year (409 for a second)."""
    county = _county_for(principal, body.county_code)
    if _region(session, county).level != RegionLevel.COUNTY:
        raise InvalidInput.one("county_code", "not a county", "not_county")
    plan = TrainingPlan(**{**body.model_dump(), "county_code": county})
    row = repo.create_plan(session, plan=plan)
    response.headers["Location"] = f"/api/v1/training-plans/{row.id}"
    set_etag(response, row)
    return _plan_public(row)


@router.get("/training-plans", summary="List training plans")
def list_training_plans(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[TrainingPlanPublic]:
    """Plans in scope, by year."""
    result = repo.list_plans(session, principal, page=page, year=year)
    return Page(
        items=[_plan_public(r) for r in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.get(
    "/training-plans/{plan_id}", summary="Read a training plan", responses=problem_responses(404)
)
def get_training_plan(
    plan_id: str, principal: Reader, session: SessionDep, response: Response
) -> TrainingPlanPublic:
    """One plan in scope."""
    row = repo.get_plan(session, principal, plan_id)
    set_etag(response, row)
    return _plan_public(row)


@router.patch(
    "/training-plans/{plan_id}",
    summary="Update a training plan",
    responses=problem_responses(404, 412),
)
def update_training_plan(
    plan_id: str,
    body: TrainingPlanUpdate,
    principal: Manager,
    session: SessionDep,
    request: Request,
    response: Response,
) -> TrainingPlanPublic:
    """Change a plan's title, targets or notes (honours If-Match)."""
    row = repo.get_plan(session, principal, plan_id)
    check_if_match(request, row)
    changes = body.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None:
            raise InvalidInput.one(field, "may not be null", "null")
    repo.update_plan(session, row=row, changes=changes)
    set_etag(response, row)
    return _plan_public(row)


# --- training sessions and attendance --------------------------------------------------------


class TrainingSessionCreate(BaseModel):
    """OFF-TRAIN-1: a county session (its county, optionally under its plan) or, by the city, a
    city exchange session."""

    model_config = ConfigDict(extra="forbid")

    level: TrainingLevel = TrainingLevel.COUNTY
    region_code: CountyCode | None = Field(
        default=None, description="The county (own county by default), or the city for exchanges"
    )
    plan_id: str | None = Field(default=None, max_length=26)
    title: Title
    held_on: date
    location: str = Field(default="", max_length=200)
    hours: float = Field(default=1.0, gt=0, le=24)


class TrainingSessionPublic(BaseModel):
    """A training session held, with its attendance count in the caller's scope."""

    id: str
    level: TrainingLevel
    level_label: str
    region_code: str
    county_code: str | None
    plan_id: str | None
    title: str
    held_on: date
    location: str
    hours: float
    attendance: int
    version: int


class AttendanceAdd(BaseModel):
    """Officers present at a session."""

    model_config = ConfigDict(extra="forbid")

    officer_ids: list[str] = Field(min_length=1, max_length=1000)


class AttendeePublic(BaseModel):
    """An officer present at a session."""

    officer_id: str
    name: str
    app_account_id: str
    county_code: str


def _session_public(row: repo.TrainingSessionRow, attendance: int) -> TrainingSessionPublic:
    level = TrainingLevel(row.level)
    return TrainingSessionPublic(
        id=row.id,
        level=level,
        level_label=TRAINING_LEVEL_LABELS[level],
        region_code=row.region_code,
        county_code=row.county_code,
        plan_id=row.plan_id,
        title=row.title,
        held_on=row.held_on,
        location=row.location,
        hours=row.hours,
        attendance=attendance,
        version=row.version,
    )


def _sessions_public(
    session: Session, principal: Principal, rows: list[repo.TrainingSessionRow]
) -> list[TrainingSessionPublic]:
    present = repo.attendees(session, principal, session_ids=[r.id for r in rows])
    return [_session_public(r, len(present[r.id])) for r in rows]


@router.post(
    "/training-sessions",
    status_code=201,
    summary="Record a training session",
    responses=problem_responses(404),
)
def create_training_session(
    body: TrainingSessionCreate, principal: Manager, session: SessionDep, response: Response
) -> TrainingSessionPublic:
    """OFF-TRAIN-1: county sessions by the county (in its plan's county and year); city
    exchange sessions by the city administrator only."""
    county: str | None = None
    if body.level is TrainingLevel.CITY_EXCHANGE:
        if not principal.city_wide:
            raise InvalidInput.one("level", "city exchange sessions are the city's", "city_only")
        region_code = body.region_code or ""
        if _region(session, region_code).level != RegionLevel.CITY:
            raise InvalidInput.one("region_code", "a city exchange names the city", "not_city")
    else:
        county = region_code = _county_for(principal, body.region_code, "region_code")
        if _region(session, county).level != RegionLevel.COUNTY:
            raise InvalidInput.one("region_code", "not a county", "not_county")
    plan = repo.get_plan(session, principal, body.plan_id) if body.plan_id else None
    training = TrainingSession(
        level=body.level,
        region_code=region_code,
        title=body.title,
        held_on=body.held_on,
        location=body.location,
        hours=body.hours,
    )
    result = check_training_session(training, plan.to_domain() if plan else None)
    if not result.ok:
        raise RuleViolation(result.errors)
    row = repo.create_session(
        session, training=training, county_code=county, plan_id=plan.id if plan else None
    )
    response.headers["Location"] = f"/api/v1/training-sessions/{row.id}"
    set_etag(response, row)
    return _session_public(row, 0)


@router.get("/training-sessions", summary="List training sessions")
def list_training_sessions(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    level: Annotated[TrainingLevel | None, Query()] = None,
) -> Page[TrainingSessionPublic]:
    """Sessions in scope (a county sees its own and every city exchange), by year and level."""
    result = repo.list_sessions(session, principal, page=page, year=year, level=level)
    return Page(
        items=_sessions_public(session, principal, list(result.items)),
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.get(
    "/training-sessions/{session_id}",
    summary="Read a training session",
    responses=problem_responses(404),
)
def get_training_session(
    session_id: str, principal: Reader, session: SessionDep, response: Response
) -> TrainingSessionPublic:
    """One session in scope."""
    row = repo.get_session_row(session, principal, session_id)
    set_etag(response, row)
    return _sessions_public(session, principal, [row])[0]


@router.get(
    "/training-sessions/{session_id}/attendance",
    summary="Who attended a session",
    responses=problem_responses(404),
)
def list_attendance(
    session_id: str, principal: Reader, session: SessionDep
) -> list[AttendeePublic]:
    """The officers present, those of other counties left out for a county administrator."""
    row = repo.get_session_row(session, principal, session_id)
    return [
        AttendeePublic(
            officer_id=o.id, name=o.name, app_account_id=o.app_account_id, county_code=o.county_code
        )
        for o in repo.attendees(session, principal, session_ids=[row.id])[row.id]
    ]


@router.post(
    "/training-sessions/{session_id}/attendance",
    summary="Mark officers present",
    responses=problem_responses(404),
)
def add_attendance(
    session_id: str, body: AttendanceAdd, principal: Manager, session: SessionDep
) -> list[AttendeePublic]:
    """OFF-TRAIN-1: a county session takes its county's officers; a city exchange session (city
    administrator) any county's. Officers already present stay once."""
    row = repo.get_session_row(session, principal, session_id)
    if row.level == TrainingLevel.CITY_EXCHANGE and not principal.city_wide:
        raise NotFound(f"training session {session_id} not found")
    officers = [officers_repo.get_officer(session, principal, oid) for oid in body.officer_ids]
    training = row.to_domain()
    findings: list[Finding] = []
    for index, officer in enumerate(officers):
        findings += [
            f.model_copy(update={"field": f"officer_ids[{index}]"})
            for f in check_attendance(training, officer.county_code).errors
        ]
    if findings:
        raise RuleViolation(findings)
    repo.add_attendance(session, training=row, officers=officers)
    return list_attendance(session_id, principal, session)


@router.delete(
    "/training-sessions/{session_id}/attendance/{officer_id}",
    status_code=204,
    summary="Strike an officer off the attendance",
    responses=problem_responses(404),
)
def remove_attendance(
    session_id: str, officer_id: str, principal: Manager, session: SessionDep
) -> Response:
    """Undo a mistaken attendance mark."""
    row = repo.get_session_row(session, principal, session_id)
    if row.level == TrainingLevel.CITY_EXCHANGE and not principal.city_wide:
        raise NotFound(f"training session {session_id} not found")
    officers_repo.get_officer(session, principal, officer_id)
    repo.remove_attendance(session, training=row, officer_id=officer_id)
    return Response(status_code=204)


@router.get(
    "/officers/{officer_id}/trainings",
    summary="The sessions an officer attended",
    responses=problem_responses(404),
)
def officer_trainings(
    officer_id: str, principal: Reader, session: SessionDep
) -> list[TrainingSessionPublic]:
    """OFF-TRAIN-1: the officer's training record, most recent first."""
    officer = officers_repo.get_officer(session, principal, officer_id)
    return _sessions_public(
        session, principal, repo.officer_sessions(session, officer_id=officer.id)
    )


# --- activity plans --------------------------------------------------------------------------


class ActivityPlanCreate(BaseModel):
    """OFF-PLAN-1: an officer activity plan of a community, township, village, school, base or
    e-station, placed by its region code."""

    model_config = ConfigDict(extra="forbid")

    owner_kind: PlanOwnerKind
    owner_name: Name
    region_code: str = Field(pattern=r"^\d{6}(\d{3}){0,2}$")
    title: Title
    starts_on: date
    ends_on: date
    description: str = Field(default="", max_length=5000)

    @model_validator(mode="after")
    def _ordered(self) -> ActivityPlanCreate:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self


class ActivityPlanPublic(BaseModel):
    """An activity plan."""

    id: str
    owner_kind: PlanOwnerKind
    owner_kind_label: str
    owner_name: str
    region_code: str
    county_code: str
    title: str
    starts_on: date
    ends_on: date
    description: str
    version: int
    updated_at: datetime


def _activity_public(row: repo.ActivityPlanRow) -> ActivityPlanPublic:
    kind = PlanOwnerKind(row.owner_kind)
    return ActivityPlanPublic(
        id=row.id,
        owner_kind=kind,
        owner_kind_label=PLAN_OWNER_LABELS[kind],
        owner_name=row.owner_name,
        region_code=row.region_code,
        county_code=row.county_code,
        title=row.title,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        description=row.description,
        version=row.version,
        updated_at=row.updated_at,
    )


@router.post(
    "/activity-plans",
    status_code=201,
    summary="Record an officer activity plan",
)
def create_activity_plan(
    body: ActivityPlanCreate, principal: Manager, session: SessionDep, response: Response
) -> ActivityPlanPublic:
    """OFF-PLAN-1: a plan in the caller's county, its region at the owner's level."""
    plan = ActivityPlan(**body.model_dump())
    result = check_activity_plan_region(plan.owner_kind, plan.region_code)
    if not result.ok:
        raise RuleViolation(result.errors)
    region = _region(session, plan.region_code)
    county = region.county_code
    if county is None:
        raise InvalidInput.one("region_code", "a county or a place within one", "not_county")
    _county_for(principal, county, "region_code")
    row = repo.create_activity_plan(session, plan=plan, county_code=county)
    response.headers["Location"] = f"/api/v1/activity-plans/{row.id}"
    set_etag(response, row)
    return _activity_public(row)


@router.get("/activity-plans", summary="List activity plans")
def list_activity_plans(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    owner_kind: Annotated[PlanOwnerKind | None, Query()] = None,
    active_on: Annotated[date | None, Query(description="Plans covering this day")] = None,
) -> Page[ActivityPlanPublic]:
    """Plans in scope, by owner kind and by a day they cover."""
    result = repo.list_activity_plans(
        session,
        principal,
        page=page,
        owner_kind=owner_kind.value if owner_kind else None,
        active_on=active_on,
    )
    return Page(
        items=[_activity_public(r) for r in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.get(
    "/activity-plans/{plan_id}", summary="Read an activity plan", responses=problem_responses(404)
)
def get_activity_plan(
    plan_id: str, principal: Reader, session: SessionDep, response: Response
) -> ActivityPlanPublic:
    """One plan in scope."""
    row = repo.get_activity_plan(session, principal, plan_id)
    set_etag(response, row)
    return _activity_public(row)


# --- cases -------------------------------------------------------------------------------------


class CaseCreate(BaseModel):
    """OFF-CASE-1: a county reports a typical case, a problem or a suggestion to the city."""

    model_config = ConfigDict(extra="forbid")

    kind: CaseKind
    title: Title
    body: str = Field(min_length=1, max_length=20000)


class CaseReply(BaseModel):
    """The city's reply."""

    model_config = ConfigDict(extra="forbid")

    reply: str = Field(min_length=1, max_length=20000)


class CasePublic(BaseModel):
    """A case and how the city handled it."""

    id: str
    county_code: str
    kind: CaseKind
    kind_label: str
    title: str
    body: str
    status: CaseStatus
    submitted_at: datetime
    read_at: datetime | None
    replied_at: datetime | None
    featured_at: datetime | None
    reply: str | None
    version: int


def _case_public(row: repo.CaseRow) -> CasePublic:
    kind = CaseKind(row.kind)
    return CasePublic(
        id=row.id,
        county_code=row.county_code,
        kind=kind,
        kind_label=CASE_KIND_LABELS[kind],
        title=row.title,
        body=row.body,
        status=CaseStatus(row.status),
        submitted_at=row.submitted_at,
        read_at=row.read_at,
        replied_at=row.replied_at,
        featured_at=row.featured_at,
        reply=row.reply,
        version=row.version,
    )


@router.post("/officer-cases", status_code=201, summary="Report a case to the city")
def create_case(
    body: CaseCreate, principal: County, session: SessionDep, now: NowDep, response: Response
) -> CasePublic:
    """OFF-CASE-1: submitted by a county administrator for its county."""
    row = repo.create_case(
        session,
        county_code=principal.county_code or "",
        kind=body.kind,
        title=body.title,
        body=body.body,
        at=now,
    )
    response.headers["Location"] = f"/api/v1/officer-cases/{row.id}"
    set_etag(response, row)
    return _case_public(row)


@router.get("/officer-cases", summary="List cases")
def list_cases(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    kind: Annotated[CaseKind | None, Query()] = None,
    status: Annotated[CaseStatus | None, Query()] = None,
) -> Page[CasePublic]:
    """Cases in scope: a county its own, the city all."""
    result = repo.list_cases(session, principal, page=page, kind=kind, status=status)
    return Page(
        items=[_case_public(r) for r in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.get("/officer-cases/{case_id}", summary="Read a case", responses=problem_responses(404))
def get_case(
    case_id: str, principal: Reader, session: SessionDep, response: Response
) -> CasePublic:
    """One case in scope."""
    row = repo.get_case(session, principal, case_id)
    set_etag(response, row)
    return _case_public(row)


def _handle(
    session: Session,
    principal: Principal,
    case_id: str,
    request: Request,
    target: CaseStatus,
    reply: str | None,
    now: datetime,
) -> repo.CaseRow:
    row = repo.get_case(session, principal, case_id)
    check_if_match(request, row)
    result = check_case_transition(CaseKind(row.kind), CaseStatus(row.status), target, reply)
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    repo.handle_case(session, row=row, target=target, reply=reply, by=principal.user_id, at=now)
    return row


@router.post(
    "/officer-cases/{case_id}:read",
    summary="Mark a case read",
    responses=problem_responses(404, 409, 412),
)
def read_case(
    case_id: str,
    principal: City,
    session: SessionDep,
    now: NowDep,
    request: Request,
    response: Response,
) -> CasePublic:
    """OFF-CASE-1: the city has read the report."""
    row = _handle(session, principal, case_id, request, CaseStatus.READ, None, now)
    set_etag(response, row)
    return _case_public(row)


@router.post(
    "/officer-cases/{case_id}:reply",
    summary="Reply to a case",
    responses=problem_responses(404, 409, 412),
)
def reply_case(
    case_id: str,
    body: CaseReply,
    principal: City,
    session: SessionDep,
    now: NowDep,
    request: Request,
    response: Response,
) -> CasePublic:
    """OFF-CASE-1: the city answers (replying also marks it read)."""
    row = _handle(session, principal, case_id, request, CaseStatus.REPLIED, body.reply, now)
    set_etag(response, row)
    return _case_public(row)


@router.post(
    "/officer-cases/{case_id}:feature",
    summary="Feature a typical case",
    responses=problem_responses(404, 409, 412),
)
def feature_case(
    case_id: str,
    principal: City,
    session: SessionDep,
    now: NowDep,
    request: Request,
    response: Response,
) -> CasePublic:
    """OFF-CASE-1: the city publicises a typical case (Art. 10); other kinds are refused."""
    row = _handle(session, principal, case_id, request, CaseStatus.FEATURED, None, now)
    set_etag(response, row)
    return _case_public(row)
