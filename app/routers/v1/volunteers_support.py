"""Recruitment, agreements, incidents, complaints, funds, commendations and the priority list.

VOL-RECRUIT-1, VOL-AGREE-1, VOL-HARM-1, VOL-SUPER-1, VOL-FUND-1, VOL-HONOUR-1.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Query, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session, col, select

from app.domain.access import Principal, Role
from app.domain.common import local_date
from app.domain.personal import mask_name
from app.domain.volunteers import (
    Agreement,
    CommendationSubject,
    ComplaintSubject,
    ComplaintSubjectKind,
    FundCategory,
    FundDirection,
    FundRecord,
    HarmedParty,
    Incident,
    IncidentStatus,
    MembershipStatus,
    PriorityEntry,
    Recruitment,
    RecruitmentOpenness,
    RecruitmentRegularity,
    RecruitmentTarget,
    ServiceRecordStatus,
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
from app.repositories import volunteers_activities as activities
from app.repositories import volunteers_orgs as orgs
from app.repositories import volunteers_records as records
from app.repositories import volunteers_support as repo
from app.repositories.base import paginate
from app.routers.deps import NowDep, PageDep, SessionDep, allow, set_etag
from app.routers.pages import Page
from app.routers.route import resource_router
from app.rules.volunteers_enrolment import check_recruitment
from app.rules.volunteers_hours import hours_from_seconds, priority_list, record_seconds, star_level
from app.rules.volunteers_org import FundSummaryLine, fund_summary, may_handle, route_complaint

router = resource_router("volunteer-oversight")
public_router = resource_router("public", public=True)
Manager = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN)]
ManagerReader = Annotated[
    Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.AUDITOR)
]
Volunteer = Annotated[Principal, allow(Role.VOLUNTEER)]
#: VOL-SUPER-1: who sees a reporter's identity besides the handling organisation's admins.
REPORTER_READERS = frozenset({Role.CITY_ADMIN, Role.AUDITOR})


def _field_errors(exc: ValidationError) -> InvalidInput:
    return InvalidInput(
        [
            FieldError(
                field=".".join(str(p) for p in e["loc"]) or "body",
                message=e["msg"],
                code=e["type"],
            )
            for e in exc.errors()
        ]
    )


def _page(result: Any, convert: Any) -> Page[Any]:
    return Page(
        items=[convert(r) for r in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


# --- recruitment (VOL-RECRUIT-1) --------------------------------------------------------------


class RecruitmentCreate(BaseModel):
    """VOL-RECRUIT-1: mode, period, and the skills and service targets sought."""

    model_config = ConfigDict(extra="forbid")

    organization_id: str = Field(max_length=26)
    title: str = Field(min_length=1, max_length=200)
    openness: RecruitmentOpenness
    regularity: RecruitmentRegularity
    target: RecruitmentTarget
    opens_on: date
    closes_on: date | None = None
    directed_to: str | None = Field(default=None, max_length=500)
    target_skills: list[Annotated[str, Field(max_length=50)]] = Field(default=[], max_length=50)
    service_targets: list[Annotated[str, Field(max_length=50)]] = Field(default=[], max_length=50)


class RecruitmentPublic(RecruitmentCreate):
    """A recruitment drive and the activities linked to it."""

    model_config = ConfigDict(extra="ignore")

    id: str
    activity_ids: list[str] = []
    version: int


class ApplicationPublic(BaseModel):
    """A volunteer's application to a drive."""

    id: str
    recruitment_id: str
    volunteer_id: str
    status: str


class ApplicationDecision(BaseModel):
    """Accept (the volunteer joins the organisation) or decline."""

    model_config = ConfigDict(extra="forbid")

    accept: bool


def _recruitment(session: Session, row: repo.RecruitmentRow) -> RecruitmentPublic:
    linked = session.exec(
        select(activities.ActivityRow.id).where(activities.ActivityRow.recruitment_id == row.id)
    ).all()
    return RecruitmentPublic.model_validate(row, from_attributes=True).model_copy(
        update={"activity_ids": list(linked)}
    )


@router.post(
    "/recruitments",
    status_code=201,
    summary="Open a recruitment drive",
    responses=problem_responses(404),
)
def create_recruitment(
    body: RecruitmentCreate, principal: Manager, session: SessionDep, response: Response
) -> RecruitmentPublic:
    """VOL-RECRUIT-1: a periodic drive closes; a directed one names whom it targets."""
    org = orgs.get_managed_org(session, principal, body.organization_id)
    try:
        drive = Recruitment.model_validate(body.model_dump())
    except ValidationError as exc:
        raise _field_errors(exc) from exc
    result = check_recruitment(drive)
    if not result.ok:
        raise RuleViolation(result.errors)
    row = repo.RecruitmentRow(
        **body.model_dump(exclude={"organization_id"}),
        organization_id=org.id,
        org_path=org.path,
        county_code=org.county_code,
    )
    session.add(row)
    session.flush()
    response.headers["Location"] = f"/api/v1/recruitments/{row.id}"
    set_etag(response, row)
    return _recruitment(session, row)


@router.get("/recruitments", summary="List recruitment drives")
def list_recruitments(
    _principal: Annotated[Principal, allow(*Role)],
    session: SessionDep,
    page: PageDep,
    organization_id: Annotated[str | None, Query(max_length=26)] = None,
) -> Page[RecruitmentPublic]:
    """Drives are public to every signed-in caller, so volunteers can apply."""
    stmt = select(repo.RecruitmentRow)
    if organization_id is not None:
        stmt = stmt.where(repo.RecruitmentRow.organization_id == organization_id)
    result = paginate(session, stmt, col(repo.RecruitmentRow.id), page)
    return _page(result, lambda r: _recruitment(session, r))


@router.post(
    "/recruitments/{recruitment_id}/applications",
    status_code=201,
    summary="Apply to a recruitment drive (by the volunteer)",
    responses=problem_responses(404, 409),
)
def apply(
    recruitment_id: str, principal: Volunteer, session: SessionDep, now: NowDep
) -> ApplicationPublic:
    """VOL-RECRUIT-1: a volunteer applies while the drive is open."""
    drive = session.get(repo.RecruitmentRow, recruitment_id)
    if drive is None:
        raise NotFound(f"recruitment {recruitment_id} not found")
    today = local_date(now)
    if today < drive.opens_on or (drive.closes_on is not None and today > drive.closes_on):
        raise Conflict("the recruitment is not open")
    row = repo.ApplicationRow(
        recruitment_id=drive.id,
        volunteer_id=principal.volunteer_id or "",
        org_path=drive.org_path,
        county_code=drive.county_code,
    )
    session.add(row)
    session.flush()
    return ApplicationPublic.model_validate(row, from_attributes=True)


@router.post(
    "/recruitments/{recruitment_id}/applications/{application_id}/decision",
    summary="Accept or decline an application",
    responses=problem_responses(404, 409),
)
def decide_application(
    recruitment_id: str,
    application_id: str,
    body: ApplicationDecision,
    principal: Manager,
    session: SessionDep,
    now: NowDep,
) -> ApplicationPublic:
    """An accepted volunteer joins the organisation (VOL-REG-2; never after expulsion)."""
    row = repo.get_scoped(session, principal, repo.ApplicationRow, application_id)
    if row.recruitment_id != recruitment_id or row.status != "pending":
        raise Conflict("the application is not pending")
    drive = session.get(repo.RecruitmentRow, recruitment_id)
    if drive is None:
        raise NotFound(f"recruitment {recruitment_id} not found")
    org = orgs.get_managed_org(session, principal, drive.organization_id)
    if body.accept:
        existing = next(
            (
                m
                for m in volunteer_repo.memberships_of(session, [row.volunteer_id])
                if m.organization_id == org.id
            ),
            None,
        )
        if existing is None or existing.status not in (
            MembershipStatus.ACTIVE,
            MembershipStatus.WARNED,
        ):
            volunteer_repo.join(
                session,
                volunteer_id=row.volunteer_id,
                org=org,
                status=MembershipStatus.ACTIVE,
                existing=existing,
                by=principal.user_id,
                at=now,
                reason=f"recruitment {drive.title}",
            )
    row.status = "accepted" if body.accept else "declined"
    session.add(row)
    session.flush()
    return ApplicationPublic.model_validate(row, from_attributes=True)


# --- agreements (VOL-AGREE-1) -----------------------------------------------------------------


class AgreementCreate(BaseModel):
    """VOL-AGREE-1: content, manner, time, place, working conditions and safety measures."""

    model_config = ConfigDict(extra="forbid")

    volunteer_id: str = Field(max_length=26)
    organization_id: str = Field(max_length=26)
    activity_id: str | None = Field(default=None, max_length=26)
    served_party: str
    content: str
    manner: str
    starts_on: date
    ends_on: date
    place: str
    working_conditions: str
    safety_measures: str
    signed_on: date


class AgreementPublic(AgreementCreate):
    """An agreement as recorded."""

    model_config = ConfigDict(extra="ignore")

    id: str
    version: int


@router.post(
    "/agreements", status_code=201, summary="Record an agreement", responses=problem_responses(404)
)
def create_agreement(
    body: AgreementCreate, principal: Manager, session: SessionDep, response: Response
) -> AgreementPublic:
    """VOL-AGREE-1: every term is required."""
    org = orgs.get_managed_org(session, principal, body.organization_id)
    volunteer_repo.get_volunteer(session, principal, body.volunteer_id)
    try:
        Agreement.model_validate(body.model_dump())
    except ValidationError as exc:
        raise _field_errors(exc) from exc
    row = repo.AgreementRow(
        **body.model_dump(exclude={"organization_id"}),
        organization_id=org.id,
        org_path=org.path,
        county_code=org.county_code,
    )
    session.add(row)
    session.flush()
    set_etag(response, row)
    return AgreementPublic.model_validate(row, from_attributes=True)


@router.get("/agreements", summary="List agreements")
def list_agreements(
    principal: Annotated[Principal, allow(*Role)],
    session: SessionDep,
    page: PageDep,
    volunteer_id: Annotated[str | None, Query(max_length=26)] = None,
) -> Page[AgreementPublic]:
    """An organisation's agreements, or a volunteer's own."""
    if principal.role is Role.VOLUNTEER:
        stmt = select(repo.AgreementRow).where(
            repo.AgreementRow.volunteer_id == principal.volunteer_id
        )
        result = paginate(session, stmt, col(repo.AgreementRow.id), page)
    else:
        result = repo.list_scoped(
            session, principal, repo.AgreementRow, page=page, filters={"volunteer_id": volunteer_id}
        )
    return _page(result, lambda r: AgreementPublic.model_validate(r, from_attributes=True))


# --- incidents (VOL-HARM-1) -------------------------------------------------------------------


class IncidentCreate(BaseModel):
    """VOL-HARM-1: who was harmed, when, in which activity, and what happened."""

    model_config = ConfigDict(extra="forbid")

    activity_id: str = Field(max_length=26)
    volunteer_id: str | None = Field(default=None, max_length=26)
    occurred_at: AwareDatetime
    harmed: HarmedParty
    description: str
    status: IncidentStatus = IncidentStatus.OPEN
    handling: str | None = Field(default=None, max_length=4000)


class IncidentUpdate(BaseModel):
    """The handling, and the status it leads to."""

    model_config = ConfigDict(extra="forbid")

    status: IncidentStatus
    handling: str | None = Field(default=None, max_length=4000)


class IncidentPublic(IncidentCreate):
    """An incident as recorded."""

    model_config = ConfigDict(extra="ignore")

    id: str
    organization_id: str
    version: int


def _incident(fields: dict[str, Any]) -> None:
    try:
        Incident.model_validate({k: v for k, v in fields.items() if k in Incident.model_fields})
    except ValidationError as exc:
        raise _field_errors(exc) from exc


@router.post(
    "/incidents", status_code=201, summary="Record an incident", responses=problem_responses(404)
)
def create_incident(
    body: IncidentCreate, principal: Manager, session: SessionDep, response: Response
) -> IncidentPublic:
    """VOL-HARM-1: harm to a volunteer or a person served, with the handling when known."""
    activity = activities.get_activity(session, body.activity_id)
    org = orgs.get_managed_org(session, principal, activity.organization_id)
    _incident(body.model_dump())
    row = repo.IncidentRow(
        **body.model_dump(),
        organization_id=org.id,
        org_path=org.path,
        county_code=org.county_code,
    )
    session.add(row)
    session.flush()
    set_etag(response, row)
    return IncidentPublic.model_validate(row, from_attributes=True)


@router.patch(
    "/incidents/{incident_id}",
    summary="Record the handling of an incident",
    responses=problem_responses(404),
)
def update_incident(
    incident_id: str, body: IncidentUpdate, principal: Manager, session: SessionDep
) -> IncidentPublic:
    """VOL-HARM-1: a handled incident says how it was handled."""
    row = repo.get_scoped(session, principal, repo.IncidentRow, incident_id)
    merged = IncidentPublic.model_validate(row, from_attributes=True).model_dump()
    merged |= body.model_dump()
    _incident(merged)
    row.status = body.status.value
    row.handling = body.handling
    session.add(row)
    session.flush()
    return IncidentPublic.model_validate(row, from_attributes=True)


@router.get("/incidents", summary="List incidents")
def list_incidents(
    principal: ManagerReader,
    session: SessionDep,
    page: PageDep,
    activity_id: Annotated[str | None, Query(max_length=26)] = None,
) -> Page[IncidentPublic]:
    """Incidents of the organisations in scope."""
    result = repo.list_scoped(
        session, principal, repo.IncidentRow, page=page, filters={"activity_id": activity_id}
    )
    return _page(result, lambda r: IncidentPublic.model_validate(r, from_attributes=True))


# --- complaints (VOL-SUPER-1) -----------------------------------------------------------------


class ComplaintCreate(BaseModel):
    """A complaint or report; the reporter may stay anonymous."""

    model_config = ConfigDict(extra="forbid")

    subject_kind: ComplaintSubjectKind
    subject_organization_id: str | None = Field(default=None, max_length=26)
    subject_volunteer_id: str | None = Field(default=None, max_length=26)
    content: str = Field(min_length=1, max_length=4000)
    reporter_name: str | None = Field(default=None, max_length=100)
    reporter_contact: str | None = Field(default=None, max_length=100)


class ComplaintNote(BaseModel):
    """A handling note and the status it leaves the complaint in."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=4000)
    status: str = Field(pattern=r"^(handling|closed)$")


class ComplaintPublic(BaseModel):
    """A complaint; the reporter is shown only to its handler, the city and auditors."""

    id: str
    subject_kind: ComplaintSubjectKind
    subject_organization_id: str | None
    subject_volunteer_id: str | None
    handler_organization_id: str | None
    handled_by_city_association: bool
    content: str
    status: str
    notes: list[dict[str, Any]]
    reporter_name: str | None
    reporter_contact: str | None
    reporter_visible: bool
    created_at: datetime


def _complaint(row: repo.ComplaintRow, principal: Principal | None) -> ComplaintPublic:
    visible = principal is not None and (
        principal.role in REPORTER_READERS
        or (
            principal.role is Role.ORG_ADMIN
            and principal.org_id is not None
            and principal.org_id == row.handler_organization_id
        )
    )
    return ComplaintPublic(
        id=row.id,
        subject_kind=ComplaintSubjectKind(row.subject_kind),
        subject_organization_id=row.subject_organization_id,
        subject_volunteer_id=row.subject_volunteer_id,
        handler_organization_id=row.handler_organization_id,
        handled_by_city_association=row.handler_organization_id is None,
        content=row.content,
        status=row.status,
        notes=row.notes,
        reporter_name=row.reporter_name if visible else None,
        reporter_contact=row.reporter_contact if visible else None,
        reporter_visible=visible,
        created_at=row.created_at,
    )


@public_router.post(
    "/public/complaints",
    status_code=201,
    summary="File a complaint or report (anyone, no login)",
    responses=problem_responses(404),
)
def file_complaint(body: ComplaintCreate, session: SessionDep) -> ComplaintPublic:
    """VOL-SUPER-1: routed to the next organisation up, or to the city association."""
    try:
        subject = ComplaintSubject(
            kind=body.subject_kind,
            organization_id=body.subject_organization_id,
            volunteer_id=body.subject_volunteer_id,
        )
    except ValidationError as exc:
        raise _field_errors(exc) from exc
    if subject.organization_id is not None:
        orgs.get_org(session, subject.organization_id)
    if subject.volunteer_id is not None and (
        session.get(volunteer_repo.VolunteerRow, subject.volunteer_id) is None
    ):
        raise NotFound(f"volunteer {subject.volunteer_id} not found")
    route = route_complaint(subject, orgs.all_nodes(session))
    handler = (
        None
        if route.handler_organization_id is None
        else orgs.get_org(session, route.handler_organization_id)
    )
    row = repo.ComplaintRow(
        subject_kind=subject.kind.value,
        subject_organization_id=subject.organization_id,
        subject_volunteer_id=subject.volunteer_id,
        handler_organization_id=handler.id if handler else None,
        org_path=handler.path if handler else "",
        county_code=handler.county_code if handler else None,
        reporter_name=body.reporter_name,
        reporter_contact=body.reporter_contact,
        content=body.content,
    )
    session.add(row)
    session.flush()
    return _complaint(row, None)


@router.get("/complaints", summary="List complaints the caller handles")
def list_complaints(
    principal: ManagerReader, session: SessionDep, page: PageDep
) -> Page[ComplaintPublic]:
    """VOL-SUPER-1: never the organisation complained about."""
    result = repo.list_scoped(session, principal, repo.ComplaintRow, page=page, filters={})
    return _page(result, lambda r: _complaint(r, principal))


@router.get(
    "/complaints/{complaint_id}", summary="Read a complaint", responses=problem_responses(404)
)
def get_complaint(
    complaint_id: str, principal: ManagerReader, session: SessionDep
) -> ComplaintPublic:
    """One complaint; the reporter only for the handler, the city and auditors."""
    return _complaint(
        repo.get_scoped(session, principal, repo.ComplaintRow, complaint_id), principal
    )


@router.post(
    "/complaints/{complaint_id}/notes",
    summary="Add a handling note",
    responses=problem_responses(404),
)
def add_complaint_note(
    complaint_id: str, body: ComplaintNote, principal: Manager, session: SessionDep, now: NowDep
) -> ComplaintPublic:
    """VOL-SUPER-1: handled by the handler (or above), never by the subject's own subtree."""
    row = repo.get_scoped(session, principal, repo.ComplaintRow, complaint_id)
    subject = ComplaintSubject(
        kind=ComplaintSubjectKind(row.subject_kind),
        organization_id=row.subject_organization_id,
        volunteer_id=row.subject_volunteer_id,
    )
    acting = principal.org_id if principal.role is Role.ORG_ADMIN else None
    if not may_handle(acting, subject, orgs.all_nodes(session)):
        raise Forbidden("an organisation never handles a complaint about itself")
    row.notes = [
        *row.notes,
        {"note": body.note, "status": body.status, "by": principal.user_id, "at": now.isoformat()},
    ]
    row.status = body.status
    session.add(row)
    session.flush()
    return _complaint(row, principal)


# --- funds (VOL-FUND-1) -----------------------------------------------------------------------


class FundCreate(BaseModel):
    """VOL-FUND-1: one entry in yuan; `other` needs a note."""

    model_config = ConfigDict(extra="forbid")

    organization_id: str = Field(max_length=26)
    direction: FundDirection
    category: FundCategory
    amount: Decimal
    occurred_on: date
    note: str | None = Field(default=None, max_length=1000)


class FundPublic(FundCreate):
    """A fund entry as recorded."""

    model_config = ConfigDict(extra="ignore")

    id: str
    version: int


def _fund(row: repo.FundRow) -> FundPublic:
    domain = row.to_domain()
    return FundPublic(**domain.model_dump(), id=row.id, version=row.version)


@router.post(
    "/fund-records",
    status_code=201,
    summary="Record income or spending",
    responses=problem_responses(404),
)
def create_fund_record(
    body: FundCreate, principal: Manager, session: SessionDep, response: Response
) -> FundPublic:
    """VOL-FUND-1: the category fits the direction; amounts are positive yuan and fen."""
    org = orgs.get_managed_org(session, principal, body.organization_id)
    try:
        record = FundRecord.model_validate(body.model_dump())
    except ValidationError as exc:
        raise _field_errors(exc) from exc
    row = repo.FundRow(
        organization_id=org.id,
        org_path=org.path,
        county_code=org.county_code,
        direction=record.direction.value,
        category=record.category.value,
        amount_fen=int(record.amount * 100),
        occurred_on=record.occurred_on,
        note=record.note,
    )
    session.add(row)
    session.flush()
    set_etag(response, row)
    return _fund(row)


@router.get("/fund-records", summary="List fund records")
def list_fund_records(
    principal: ManagerReader,
    session: SessionDep,
    page: PageDep,
    organization_id: Annotated[str | None, Query(max_length=26)] = None,
) -> Page[FundPublic]:
    """Entries of the organisations in scope."""
    result = repo.list_scoped(
        session, principal, repo.FundRow, page=page, filters={"organization_id": organization_id}
    )
    return _page(result, _fund)


@router.get(
    "/fund-records/summary",
    summary="Yearly fund summary per organisation and category",
    responses=problem_responses(404),
)
def fund_records_summary(
    principal: ManagerReader,
    session: SessionDep,
    organization_id: Annotated[str, Query(max_length=26)],
    year: Annotated[int, Query(ge=2000, le=2100)],
) -> list[FundSummaryLine]:
    """VOL-FUND-1: the organisation and its sub-organisations, per direction and category."""
    org = orgs.get_org(session, organization_id)
    ids = [o.id for o in orgs.subtree(session, org)]
    rows = repo.fund_rows(session, principal, ids, year)
    return fund_summary([r.to_domain() for r in rows], year)


# --- commendations and the priority list (VOL-HONOUR-1) ---------------------------------------


class CommendationCreate(BaseModel):
    """VOL-HONOUR-1: who is commended (volunteer, organisation or project), by whom, when."""

    model_config = ConfigDict(extra="forbid")

    organization_id: str = Field(max_length=26, description="The commending organisation")
    subject: CommendationSubject
    volunteer_id: str | None = Field(default=None, max_length=26)
    subject_organization_id: str | None = Field(default=None, max_length=26)
    project_name: str | None = Field(default=None, max_length=200)
    title: str = Field(min_length=1, max_length=200)
    awarded_on: date


class CommendationPublic(CommendationCreate):
    """A commendation as recorded."""

    model_config = ConfigDict(extra="ignore")

    id: str


class PriorityLine(BaseModel):
    """VOL-HONOUR-1: one volunteer of the priority list."""

    volunteer_id: str
    name_masked: str
    confirmed_hours: Decimal
    star_level: int
    commendations: int


@router.post(
    "/commendations",
    status_code=201,
    summary="Record a commendation",
    responses=problem_responses(404),
)
def create_commendation(
    body: CommendationCreate, principal: Manager, session: SessionDep
) -> CommendationPublic:
    """VOL-HONOUR-1: the subject named for its kind."""
    org = orgs.get_managed_org(session, principal, body.organization_id)
    named = {
        CommendationSubject.VOLUNTEER: ("volunteer_id", body.volunteer_id),
        CommendationSubject.ORGANIZATION: ("subject_organization_id", body.subject_organization_id),
        CommendationSubject.PROJECT: ("project_name", body.project_name),
    }[body.subject]
    if not named[1]:
        raise InvalidInput.one(named[0], f"required to commend a {body.subject.value}", "missing")
    row = repo.CommendationRow(
        **body.model_dump(exclude={"organization_id"}),
        organization_id=org.id,
        org_path=org.path,
        county_code=org.county_code,
    )
    session.add(row)
    session.flush()
    return CommendationPublic.model_validate(row, from_attributes=True)


@router.get("/commendations", summary="List commendations")
def list_commendations(
    principal: ManagerReader, session: SessionDep, page: PageDep
) -> Page[CommendationPublic]:
    """Commendations awarded by the organisations in scope."""
    result = repo.list_scoped(session, principal, repo.CommendationRow, page=page, filters={})
    return _page(result, lambda r: CommendationPublic.model_validate(r, from_attributes=True))


@router.get(
    "/priority-list",
    summary="Volunteers to consider first (stars and commendations)",
    responses=problem_responses(404),
)
def get_priority_list(
    principal: ManagerReader,
    session: SessionDep,
    now: NowDep,
    organization_id: Annotated[str, Query(max_length=26)],
) -> list[PriorityLine]:
    """VOL-HONOUR-1: volunteers of the subtree with a star (confirmed hours) or a commendation."""
    org = orgs.get_org(session, organization_id)
    ids = [o.id for o in orgs.subtree(session, org)]
    rows = session.exec(
        select(records.ServiceRecordRow).where(
            col(records.ServiceRecordRow.organization_id).in_(ids),
            records.ServiceRecordRow.status == ServiceRecordStatus.CONFIRMED.value,
            orgs.managed_clause(principal, records.ServiceRecordRow),
        )
    ).all()
    seconds: dict[str, int] = {}
    for r in rows:
        seconds[r.volunteer_id] = seconds.get(r.volunteer_id, 0) + record_seconds(r.to_domain())
    for volunteer_id in session.exec(
        select(repo.CommendationRow.volunteer_id).where(
            col(repo.CommendationRow.organization_id).in_(ids)
        )
    ).all():
        if volunteer_id is not None:
            seconds.setdefault(volunteer_id, 0)
    counts = repo.commendation_counts(session, list(seconds))
    policy = volunteer_repo.policy_on(local_date(now))
    ranked = priority_list(
        [
            PriorityEntry(
                volunteer_id=v,
                confirmed_hours=hours_from_seconds(s),
                commendations=counts.get(v, 0),
            )
            for v, s in seconds.items()
        ],
        policy,
    )
    names = {
        v.id: v.name
        for v in session.exec(
            select(volunteer_repo.VolunteerRow).where(
                col(volunteer_repo.VolunteerRow.id).in_([e.volunteer_id for e in ranked])
            )
        )
    }
    return [
        PriorityLine(
            volunteer_id=e.volunteer_id,
            name_masked=mask_name(names.get(e.volunteer_id, "")),
            confirmed_hours=e.confirmed_hours,
            star_level=star_level(e.confirmed_hours, policy),
            commendations=e.commendations,
        )
        for e in ranked
    ]
