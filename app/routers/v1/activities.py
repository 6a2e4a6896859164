"""Activities, enrolments with the gate, and accident insurance.

VOL-SCOPE-1, VOL-DUTY-2, VOL-DUTY-3, VOL-ELIG-2, VOL-EXIT-1, VOL-RIGHT-1.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Query, Request, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session

from app.domain.access import Principal, Role
from app.domain.common import Finding, local_date
from app.domain.volunteers import (
    Activity,
    EnrolmentContext,
    EnrolmentStatus,
    MajorEvent,
    RiskLevel,
    ServiceScope,
)
from app.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    RuleViolation,
    problem_responses,
)
from app.repositories import volunteers as volunteer_repo
from app.repositories import volunteers_activities as repo
from app.repositories import volunteers_orgs as orgs
from app.routers.deps import AnyUser, NowDep, PageDep, SessionDep, allow, check_if_match, set_etag
from app.routers.pages import Page
from app.routers.route import resource_router
from app.rules.volunteers_enrolment import (
    CAPACITY_RULE,
    can_confirm,
    check_activity,
    check_withdrawal,
)

router = resource_router("activities")
Manager = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN)]
ManagerReader = Annotated[
    Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.AUDITOR)
]
Participant = Annotated[
    Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.VOLUNTEER)
]
Reader = Annotated[
    Principal,
    allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.AUDITOR, Role.VOLUNTEER),
]


#: Activity fields that may be cleared with null.
NULLABLE = frozenset(
    {"major_event", "region_code", "capacity", "min_age", "max_age", "risk_disclosure"}
)


class ActivityFields(BaseModel):
    """What an activity states; there is no fee (VOL-RIGHT-1)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    scope: ServiceScope
    major_event: MajorEvent | None = None
    region_code: str | None = Field(default=None, max_length=12)
    place: str = Field(default="", max_length=500)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    capacity: int | None = Field(default=None, ge=1, le=100_000)
    required_skills: list[Annotated[str, Field(max_length=50)]] = Field(default=[], max_length=50)
    min_age: int | None = Field(default=None, ge=0, le=150)
    max_age: int | None = Field(default=None, ge=0, le=150)
    minors_allowed: bool = False
    risk: RiskLevel = RiskLevel.NONE
    risk_disclosure: str | None = Field(default=None, max_length=4000)
    major_project: bool = False
    recruitment_id: str | None = Field(default=None, max_length=26)


class ActivityCreate(ActivityFields):
    """A new activity of an organisation the caller administers."""

    organization_id: str = Field(max_length=26)


class ActivityUpdate(BaseModel):
    """Any activity field; the activity is checked again as a whole."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=200)
    scope: ServiceScope | None = None
    major_event: MajorEvent | None = None
    region_code: str | None = Field(default=None, max_length=12)
    place: str | None = Field(default=None, max_length=500)
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    capacity: int | None = Field(default=None, ge=1, le=100_000)
    required_skills: list[Annotated[str, Field(max_length=50)]] | None = None
    min_age: int | None = Field(default=None, ge=0, le=150)
    max_age: int | None = Field(default=None, ge=0, le=150)
    minors_allowed: bool | None = None
    risk: RiskLevel | None = None
    risk_disclosure: str | None = Field(default=None, max_length=4000)
    major_project: bool | None = None


class ActivityPublic(ActivityFields):
    """An activity as the API shows it."""

    model_config = ConfigDict(extra="ignore")

    id: str
    organization_id: str
    county_code: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class EnrolmentCreate(BaseModel):
    """Enrol: a volunteer enrols itself; an administrator names the volunteer."""

    model_config = ConfigDict(extra="forbid")

    volunteer_id: str | None = Field(default=None, max_length=26)


class WithdrawBody(BaseModel):
    """VOL-RIGHT-1: why the volunteer cannot serve as agreed."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=2000)


class EnrolmentPublic(BaseModel):
    """An enrolment and where it stands."""

    id: str
    activity_id: str
    volunteer_id: str
    status: EnrolmentStatus
    risk_acknowledged_at: datetime | None
    confirmed_at: datetime | None
    withdrawn_at: datetime | None
    withdrawal_reason: str | None
    late_notice: bool
    version: int


class InsuranceCreate(BaseModel):
    """VOL-DUTY-3: a personal accident policy, its dates (inclusive) and the insured."""

    model_config = ConfigDict(extra="forbid")

    organization_id: str = Field(max_length=26)
    insurer: str = Field(min_length=1, max_length=100)
    number: str = Field(min_length=1, max_length=100)
    starts_on: date
    ends_on: date
    activity_id: str | None = Field(default=None, max_length=26)
    insured_volunteer_ids: list[str] = Field(default=[], max_length=10_000)


class InsuredAdd(BaseModel):
    """Volunteers to add to a policy."""

    model_config = ConfigDict(extra="forbid")

    volunteer_ids: list[str] = Field(min_length=1, max_length=10_000)


class InsurancePublic(BaseModel):
    """A policy and the volunteers it insures."""

    id: str
    organization_id: str
    insurer: str
    number: str
    starts_on: date
    ends_on: date
    activity_id: str | None
    insured_volunteer_ids: list[str]
    version: int


def to_public(row: repo.ActivityRow) -> ActivityPublic:
    """The public view of an activity row."""
    return ActivityPublic.model_validate(row, from_attributes=True)


def enrolment_public(row: repo.EnrolmentRow) -> EnrolmentPublic:
    """The public view of an enrolment row."""
    return EnrolmentPublic.model_validate(row, from_attributes=True)


def _checked(fields: dict[str, object], activity_id: str, org_id: str) -> Activity:
    """The activity as the rules see it: model errors are 422 fields, rule errors violations."""
    try:
        activity = Activity.model_validate(
            {
                k: v
                for k, v in fields.items()
                if k in Activity.model_fields and k not in {"id", "organization_id"}
            }
            | {"id": activity_id, "organization_id": org_id}
        )
    except ValidationError as exc:
        raise InvalidInput(
            [
                FieldError(
                    field=".".join(str(p) for p in e["loc"]) or "ends_at",
                    message=e["msg"],
                    code=e["type"],
                )
                for e in exc.errors()
            ]
        ) from exc
    result = check_activity(activity)
    if not result.ok:
        raise RuleViolation(result.errors)
    return activity


def _managed_activity(
    session: Session, principal: Principal, activity_id: str, *, lock: bool = False
) -> repo.ActivityRow:
    activity = repo.get_activity(session, activity_id, lock=lock)
    if not orgs.manages(principal, orgs.get_org(session, activity.organization_id)):
        raise Forbidden("this activity belongs to an organisation administered by someone else")
    return activity


@router.post(
    "/activities", status_code=201, summary="Create an activity", responses=problem_responses(409)
)
def create_activity(
    body: ActivityCreate, principal: Manager, session: SessionDep, response: Response
) -> ActivityPublic:
    """VOL-SCOPE-1, VOL-DUTY-2/3: a dangerous activity discloses its risks before enrolment."""
    org = orgs.get_managed_org(session, principal, body.organization_id)
    row = repo.ActivityRow(
        **body.model_dump(exclude={"organization_id"}),
        organization_id=org.id,
        org_path=org.path,
        county_code=org.county_code,
    )
    _checked(body.model_dump(), row.id, org.id)
    session.add(row)
    session.flush()
    response.headers["Location"] = f"/api/v1/activities/{row.id}"
    set_etag(response, row)
    return to_public(row)


@router.get("/activities", summary="List activities")
def list_activities(
    _principal: AnyUser,
    session: SessionDep,
    page: PageDep,
    organization_id: Annotated[str | None, Query(max_length=26)] = None,
    county_code: Annotated[str | None, Query(max_length=12)] = None,
    starts_after: Annotated[AwareDatetime | None, Query()] = None,
    scope: Annotated[ServiceScope | None, Query()] = None,
) -> Page[ActivityPublic]:
    """Activities, published to every signed-in caller so volunteers can enrol."""
    result = repo.list_activities(
        session,
        page=page,
        organization_id=organization_id,
        county_code=county_code,
        starts_after=starts_after,
        scope=scope,
    )
    return Page(
        items=[to_public(a) for a in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.get(
    "/activities/{activity_id}", summary="Read an activity", responses=problem_responses(404)
)
def get_activity(
    activity_id: str, _principal: AnyUser, session: SessionDep, response: Response
) -> ActivityPublic:
    """One activity, with its risks disclosed (VOL-DUTY-2)."""
    row = repo.get_activity(session, activity_id)
    set_etag(response, row)
    return to_public(row)


@router.patch(
    "/activities/{activity_id}",
    summary="Update an activity",
    responses=problem_responses(404, 409, 412),
)
def update_activity(
    activity_id: str,
    body: ActivityUpdate,
    principal: Manager,
    session: SessionDep,
    request: Request,
    response: Response,
) -> ActivityPublic:
    """Checked again as a whole; capacity never below the confirmed enrolments."""
    row = _managed_activity(session, principal, activity_id, lock=True)
    check_if_match(request, row)
    changes = body.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None and field not in NULLABLE:
            raise InvalidInput.one(field, "may not be null", "null")
    merged = to_public(row).model_dump() | changes
    _checked(merged, row.id, row.organization_id)
    capacity = changes.get("capacity", row.capacity)
    if capacity is not None and repo.confirmed_count(session, row.id, besides="") > capacity:
        raise RuleViolation(
            [Finding(rule=CAPACITY_RULE, message="more enrolments are already confirmed")],
            status=409,
        )
    for field, value in changes.items():
        setattr(row, field, value)
    session.add(row)
    session.flush()
    set_etag(response, row)
    return to_public(row)


def _volunteer_for(session: Session, principal: Principal, volunteer_id: str | None) -> str:
    if principal.role is Role.VOLUNTEER:
        if volunteer_id not in (None, principal.volunteer_id) or principal.volunteer_id is None:
            raise Forbidden("a volunteer enrols only itself")
        return principal.volunteer_id
    if volunteer_id is None:
        raise InvalidInput.one("volunteer_id", "name the volunteer to enrol", "missing")
    return volunteer_repo.get_volunteer(session, principal, volunteer_id).id


def _own_or_managed(
    session: Session, principal: Principal, activity: repo.ActivityRow, enrolment: repo.EnrolmentRow
) -> None:
    if principal.role is Role.VOLUNTEER:
        if enrolment.volunteer_id != principal.volunteer_id:
            raise NotFound(f"enrolment {enrolment.id} not found")
    elif not orgs.manages(principal, orgs.get_org(session, activity.organization_id)):
        raise Forbidden("this activity belongs to an organisation administered by someone else")


@router.post(
    "/activities/{activity_id}/enrolments",
    status_code=201,
    summary="Enrol in an activity",
    responses=problem_responses(404, 409),
)
def enrol(
    activity_id: str,
    body: EnrolmentCreate,
    principal: Participant,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> EnrolmentPublic:
    """A pending enrolment; the organisation confirms it through the gate."""
    activity = repo.get_activity(session, activity_id)
    volunteer_id = _volunteer_for(session, principal, body.volunteer_id)
    if principal.role is not Role.VOLUNTEER:
        _managed_activity(session, principal, activity_id)
    if now >= activity.ends_at:
        raise Conflict("the activity has ended")
    if repo.find_enrolment(session, activity_id, volunteer_id) is not None:
        raise Conflict("already enrolled in this activity")
    row = repo.EnrolmentRow(
        activity_id=activity_id,
        volunteer_id=volunteer_id,
        org_path=activity.org_path,
        county_code=activity.county_code,
    )
    session.add(row)
    session.flush()
    response.headers["Location"] = f"/api/v1/activities/{activity_id}/enrolments/{row.id}"
    set_etag(response, row)
    return enrolment_public(row)


@router.get(
    "/activities/{activity_id}/enrolments",
    summary="List an activity's enrolments",
    responses=problem_responses(404),
)
def list_enrolments(
    activity_id: str,
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    status: Annotated[EnrolmentStatus | None, Query()] = None,
) -> Page[EnrolmentPublic]:
    """The organisation's view of who enrolled; a volunteer sees only its own."""
    repo.get_activity(session, activity_id)
    result = repo.list_enrolments(
        session, principal, page=page, activity_id=activity_id, volunteer_id=None, status=status
    )
    return Page(
        items=[enrolment_public(e) for e in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.get(
    "/activities/{activity_id}/enrolments/{enrolment_id}",
    summary="Read an enrolment",
    responses=problem_responses(404),
)
def get_enrolment(
    activity_id: str,
    enrolment_id: str,
    principal: Reader,
    session: SessionDep,
    response: Response,
) -> EnrolmentPublic:
    """One enrolment, for the volunteer or the organisation."""
    activity = repo.get_activity(session, activity_id)
    row = repo.get_enrolment(session, activity_id, enrolment_id)
    if principal.role is not Role.AUDITOR:
        _own_or_managed(session, principal, activity, row)
    set_etag(response, row)
    return enrolment_public(row)


@router.post(
    "/activities/{activity_id}/enrolments/{enrolment_id}/risk-acknowledgement",
    summary="Acknowledge the activity's risks (by the volunteer)",
    responses=problem_responses(404, 409),
)
def acknowledge_risk(
    activity_id: str,
    enrolment_id: str,
    principal: Annotated[Principal, allow(Role.VOLUNTEER)],
    session: SessionDep,
    now: NowDep,
) -> EnrolmentPublic:
    """VOL-DUTY-3: the volunteer itself states it was informed of the risks."""
    row = repo.get_enrolment(session, activity_id, enrolment_id)
    if row.volunteer_id != principal.volunteer_id:
        raise NotFound(f"enrolment {enrolment_id} not found")
    if row.status == EnrolmentStatus.WITHDRAWN:
        raise Conflict("the enrolment was withdrawn")
    row.risk_acknowledged_at = now
    session.add(row)
    session.flush()
    return enrolment_public(row)


def enrolment_context(
    session: Session, volunteer_id: str, *, today: date, confirmed: int
) -> EnrolmentContext:
    """What the gate reads from the database besides the three records."""
    return EnrolmentContext(
        memberships=tuple(
            m.to_domain() for m in volunteer_repo.memberships_of(session, [volunteer_id])
        ),
        insurance=repo.insurance_for(session, volunteer_id),
        confirmed_count=confirmed,
        policy=volunteer_repo.policy_on(today),
    )


@router.post(
    "/activities/{activity_id}/enrolments/{enrolment_id}/confirm",
    summary="Confirm an enrolment through the gate",
    responses=problem_responses(404, 409),
)
def confirm_enrolment(
    activity_id: str,
    enrolment_id: str,
    principal: Manager,
    session: SessionDep,
    now: NowDep,
) -> EnrolmentPublic:
    """VOL-EXIT-1, VOL-ELIG-2, VOL-DUTY-2, VOL-DUTY-3 and capacity: 409 lists every unmet rule.
    The activity row is locked, so concurrent confirmations never exceed its capacity."""
    activity = _managed_activity(session, principal, activity_id, lock=True)
    row = repo.get_enrolment(session, activity_id, enrolment_id)
    if row.status == EnrolmentStatus.CONFIRMED:
        return enrolment_public(row)
    volunteer = session.get(volunteer_repo.VolunteerRow, row.volunteer_id)
    if volunteer is None:
        raise NotFound(f"volunteer {row.volunteer_id} not found")
    context = enrolment_context(
        session,
        volunteer.id,
        today=local_date(now),
        confirmed=repo.confirmed_count(session, activity_id, besides=row.id),
    )
    result = can_confirm(volunteer.to_domain(), activity.to_domain(), row.to_domain(), context, now)
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    row.status = EnrolmentStatus.CONFIRMED.value
    row.confirmed_at = now
    row.confirmed_by = principal.user_id
    session.add(row)
    session.flush()
    return enrolment_public(row)


@router.post(
    "/activities/{activity_id}/enrolments/{enrolment_id}/withdraw",
    summary="Withdraw from an activity",
    responses=problem_responses(404, 409),
)
def withdraw(
    activity_id: str,
    enrolment_id: str,
    body: WithdrawBody,
    principal: Participant,
    session: SessionDep,
    now: NowDep,
) -> EnrolmentPublic:
    """VOL-RIGHT-1: when and why; notice under 24 h before the start is marked late."""
    activity = repo.get_activity(session, activity_id)
    row = repo.get_enrolment(session, activity_id, enrolment_id)
    _own_or_managed(session, principal, activity, row)
    result = check_withdrawal(
        row.to_domain(),
        activity.to_domain(),
        body.reason,
        now,
        volunteer_repo.policy_on(local_date(now)),
    )
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    row.status = EnrolmentStatus.WITHDRAWN.value
    row.withdrawn_at = now
    row.withdrawal_reason = body.reason.strip()
    row.late_notice = bool(result.findings)
    session.add(row)
    session.flush()
    return enrolment_public(row)


def insurance_public(row: repo.InsuranceRow, insured: list[str]) -> InsurancePublic:
    """The public view of a policy."""
    return InsurancePublic(
        id=row.id,
        organization_id=row.organization_id,
        insurer=row.insurer,
        number=row.number,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        activity_id=row.activity_id,
        insured_volunteer_ids=insured,
        version=row.version,
    )


def _check_insured(session: Session, volunteer_ids: list[str]) -> None:
    for index, volunteer_id in enumerate(volunteer_ids):
        if session.get(volunteer_repo.VolunteerRow, volunteer_id) is None:
            raise InvalidInput.one(f"volunteer_ids[{index}]", "unknown volunteer", "unknown")


@router.post(
    "/insurance-policies",
    status_code=201,
    summary="Record a personal accident insurance policy",
    responses=problem_responses(404),
)
def create_policy(
    body: InsuranceCreate, principal: Manager, session: SessionDep, response: Response
) -> InsurancePublic:
    """VOL-DUTY-3: coverage dates are inclusive; a policy tied to an activity covers only it."""
    org = orgs.get_managed_org(session, principal, body.organization_id)
    if body.ends_on < body.starts_on:
        raise InvalidInput.one("ends_on", "must not be before starts_on", "order")
    if body.activity_id is not None:
        repo.get_activity(session, body.activity_id)
    _check_insured(session, body.insured_volunteer_ids)
    row = repo.InsuranceRow(
        organization_id=org.id,
        org_path=org.path,
        county_code=org.county_code,
        insurer=body.insurer,
        number=body.number,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        activity_id=body.activity_id,
    )
    session.add(row)
    session.flush()
    repo.insure(session, row, body.insured_volunteer_ids)
    response.headers["Location"] = f"/api/v1/insurance-policies/{row.id}"
    set_etag(response, row)
    return insurance_public(row, repo.insured_ids(session, [row.id])[row.id])


@router.get("/insurance-policies", summary="List insurance policies")
def list_policies(
    principal: ManagerReader,
    session: SessionDep,
    page: PageDep,
    organization_id: Annotated[str | None, Query(max_length=26)] = None,
    activity_id: Annotated[str | None, Query(max_length=26)] = None,
) -> Page[InsurancePublic]:
    """Policies of the organisations the caller administers."""
    result = repo.list_policies(
        session, principal, page=page, organization_id=organization_id, activity_id=activity_id
    )
    insured = repo.insured_ids(session, [p.id for p in result.items])
    return Page(
        items=[insurance_public(p, insured[p.id]) for p in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.get(
    "/insurance-policies/{policy_id}",
    summary="Read an insurance policy",
    responses=problem_responses(404),
)
def get_policy(
    policy_id: str, principal: ManagerReader, session: SessionDep, response: Response
) -> InsurancePublic:
    """One policy with its insured volunteers."""
    row = repo.get_policy(session, principal, policy_id)
    set_etag(response, row)
    return insurance_public(row, repo.insured_ids(session, [row.id])[row.id])


@router.post(
    "/insurance-policies/{policy_id}/insured",
    summary="Add insured volunteers to a policy",
    responses=problem_responses(404),
)
def add_insured(
    policy_id: str, body: InsuredAdd, principal: Manager, session: SessionDep
) -> InsurancePublic:
    """Volunteers already insured by the policy are left as they are."""
    row = repo.get_policy(session, principal, policy_id)
    _check_insured(session, body.volunteer_ids)
    repo.insure(session, row, body.volunteer_ids)
    return insurance_public(row, repo.insured_ids(session, [row.id])[row.id])
