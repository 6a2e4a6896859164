"""Accredited bases: profile, monthly statistics, activities, annual reports, yearly compliance,
evaluations, inspections, recommendations, rectification notices and revocation (Att. 3)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import File, Form, Path, Query, Request, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from app.domain.access import Principal, Role
from app.domain.bases import (
    ARCHIVE_KINDS,
    Activity,
    AttachmentKind,
    BaseCategory,
    BaseStatus,
    EvaluationOutcome,
    InspectionKind,
    MonthlyStat,
    NationalEvent,
    NoticeOutcome,
    OpeningClass,
    ProductForm,
    PromotionKind,
    RevocationGround,
)
from app.domain.common import Finding, Severity, local_date
from app.domain.personal import PersonalKind, mask
from app.errors import Forbidden, InvalidInput, NotFound, RuleViolation, problem_responses
from app.repositories import bases, bases_attachments, bases_oversight
from app.repositories.bases import ActivityRow, AnnualReportRow, BaseRow, YearRecords
from app.repositories.bases_attachments import OwnerType
from app.repositories.bases_policies import policy_for_year, policy_on
from app.repositories.reveal import reveal as audit_reveal
from app.routers.deps import (
    ContextDep,
    FilesDep,
    NowDep,
    PageDep,
    SessionDep,
    allow,
    check_if_match,
    set_etag,
)
from app.routers.pages import Page
from app.routers.route import resource_router
from app.routers.v1.base_applications import (
    REGION_PATTERN,
    AttachmentPublic,
    attachments_page,
    created,
    download_attachment,
    listing,
    remove_attachment,
    store_attachment,
)
from app.rules.bases_compliance import (
    Compliance,
    ComplianceItem,
    ComplianceStatus,
    activity_counts,
    assess_year,
    check_activity,
    check_class_override,
    check_report_submission,
    report_days_late,
    validate_monthly_stat,
)
from app.rules.bases_evaluation import (
    EvaluationSchedule,
    check_evaluation,
    check_inspection,
    check_promotion,
    evaluation_schedule,
)
from app.rules.bases_revocation import check_notice, check_notice_close, check_revocation

router = resource_router("bases")

Reader = Annotated[
    Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.BASE_STAFF, Role.AUDITOR)
]
Staff = Annotated[Principal, allow(Role.CITY_ADMIN, Role.BASE_STAFF)]
CityAdmin = Annotated[Principal, allow(Role.CITY_ADMIN)]
Dashboard = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.AUDITOR)]
Year = Annotated[int, Path(ge=2000, le=2100)]
BIG = 10**9


# --- models --------------------------------------------------------------------------------------


class BasePublic(BaseModel):
    """A base as signed-in callers see it; the liaison's phone is masked unless revealed."""

    id: str
    name: str
    category: BaseCategory
    subtype: str | None
    opening_class: OpeningClass
    class_override_reason: str | None
    region_code: str
    county_code: str | None
    address: str
    opening_hours: str
    contact_phone: str
    credit_code: str | None
    liaison_name: str
    liaison_phone: str | None
    liaison_email: str
    application_id: str
    accredited_on: date
    plaque_number: str
    status: BaseStatus
    revoked_at: datetime | None
    lapses_on: date | None
    evaluation_due_on: date
    evaluation_overdue: bool
    created_at: datetime
    updated_at: datetime


class BaseUpdate(BaseModel):
    """What base staff keep current (contact, liaison) and what only the city administrator
    sets (the opening class, with a written reason: BASE-OPEN-3)."""

    model_config = ConfigDict(extra="forbid")

    address: str | None = Field(default=None, max_length=500)
    opening_hours: str | None = Field(default=None, max_length=500)
    contact_phone: str | None = Field(default=None, max_length=50)
    liaison_name: str | None = Field(default=None, max_length=100)
    liaison_phone: str | None = Field(default=None, pattern=r"^\+?[0-9-]{5,20}$")
    liaison_email: str | None = Field(
        default=None, max_length=200, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$"
    )
    opening_class: OpeningClass | None = None
    opening_class_reason: str | None = Field(default=None, max_length=1000)


class ClassChangePublic(BaseModel):
    """BASE-OPEN-3: one override of the opening class."""

    at: datetime
    actor_id: str | None
    from_class: OpeningClass
    to_class: OpeningClass
    reason: str


class AnnouncementPublic(BaseModel):
    """BASE-REVIEW-1: the public announcement of an accreditation."""

    announced_at: datetime
    title: str
    body: str


class MonthlyStatPut(BaseModel):
    """BASE-OPEN-4: a month's open days and visitors."""

    model_config = ConfigDict(extra="forbid")

    open_days: int = Field(ge=-BIG, le=BIG)
    visitors: int = Field(ge=-BIG, le=BIG)


class MonthlyStatPublic(BaseModel):
    """A reported month."""

    year: int
    month: int
    open_days: int
    visitors: int
    updated_at: datetime


class ActivityCreate(BaseModel):
    """BASE-ACT-1, BASE-EVENT-1: a public science activity the base held."""

    model_config = ConfigDict(extra="forbid")

    held_on: date
    title: str = Field(max_length=200)
    form: str = Field(max_length=100)
    participants: int = Field(ge=-BIG, le=BIG)
    national_event: NationalEvent | None = None
    free_or_discounted: bool = False
    description: str = Field(default="", max_length=4000)


class WarningPublic(BaseModel):
    """A finding that informs without refusing."""

    rule: str
    message: str
    field: str | None


class ActivityPublic(BaseModel):
    """An activity, whether it counts toward BASE-ACT-1, and what it still lacks."""

    id: str
    base_id: str
    held_on: date
    title: str
    form: str
    participants: int
    national_event: NationalEvent | None
    free_or_discounted: bool
    description: str
    evidence_count: int
    counts: bool
    warnings: list[WarningPublic]
    created_at: datetime


class ReportPut(BaseModel):
    """BASE-THEME-1, BASE-REPORT-1: the year's theme, summary and next year's plan."""

    model_config = ConfigDict(extra="forbid")

    theme: str = Field(default="", max_length=200)
    summary: str = Field(default="", max_length=20000)
    next_year_plan: str = Field(default="", max_length=20000)


class ReportPublic(BaseModel):
    """An annual report; `submitted_at` is the server's time of submission."""

    base_id: str
    year: int
    theme: str
    summary: str
    next_year_plan: str
    due_on: date
    submitted_at: datetime | None
    on_time: bool | None
    days_late: int | None
    updated_at: datetime


class CompliancePublic(BaseModel):
    """One base's duties of one year (BASE-OPEN-1..4, BASE-ACT-1, BASE-THEME-1, BASE-REPORT-1,
    BASE-EVENT-1, BASE-LIAISON-1)."""

    base_id: str
    name: str
    region_code: str
    county_code: str | None
    status: BaseStatus
    year: int
    as_of: date
    final: bool
    opening_class: OpeningClass
    months_reported: int
    ok: bool
    items: list[ComplianceItem]


class ComplianceSummary(BaseModel):
    """Counts of the dashboard: bases, bases without unmet or at-risk items, statuses per rule."""

    bases: int
    ok: int
    by_rule: dict[str, dict[ComplianceStatus, int]]


class ComplianceDashboard(BaseModel):
    """Every base in scope for one year, with the policy used."""

    year: int
    as_of: date
    policy_effective_from: date
    summary: ComplianceSummary
    items: list[CompliancePublic]


class EvaluationCreate(BaseModel):
    """BASE-EVAL-1: the comprehensive evaluation of the current term."""

    model_config = ConfigDict(extra="forbid")

    outcome: EvaluationOutcome
    findings: str = Field(min_length=1, max_length=4000)
    evaluated_on: date | None = None


class EvaluationPublic(BaseModel):
    """A recorded evaluation and the yearly compliance it was based on."""

    id: str
    base_id: str
    evaluated_on: date
    outcome: EvaluationOutcome
    findings: str
    term_number: int
    term_start: date
    term_end: date
    summaries: list[dict[str, Any]]
    created_at: datetime


class EvaluationPrefill(BaseModel):
    """The current term, its evaluation window, and the yearly compliance of its years so far."""

    schedule: EvaluationSchedule
    summaries: list[CompliancePublic]


class InspectionCreate(BaseModel):
    """BASE-INSPECT-1: an inspection of the base and what it found."""

    model_config = ConfigDict(extra="forbid")

    inspected_on: date
    kind: InspectionKind
    inspectors: str = Field(default="", max_length=500)
    findings: str = Field(max_length=4000)


class InspectionPublic(BaseModel):
    """A recorded inspection."""

    id: str
    base_id: str
    inspected_on: date
    kind: InspectionKind
    inspectors: str
    findings: str
    created_at: datetime


class PromotionCreate(BaseModel):
    """BASE-PROMOTE-1: a recommendation upward of the base or of a science product."""

    model_config = ConfigDict(extra="forbid")

    kind: PromotionKind
    product_form: ProductForm | None = None
    title: str = Field(min_length=1, max_length=200)
    note: str = Field(default="", max_length=2000)
    recommended_on: date | None = None


class PromotionPublic(BaseModel):
    """A recorded recommendation."""

    id: str
    base_id: str
    kind: PromotionKind
    product_form: ProductForm | None
    title: str
    note: str
    recommended_on: date
    created_at: datetime


class NoticeCreate(BaseModel):
    """BASE-REVOKE-3: what must be rectified, by when."""

    model_config = ConfigDict(extra="forbid")

    finding: str = Field(max_length=4000)
    deadline: date


class NoticeClose(BaseModel):
    """How a notice ended."""

    model_config = ConfigDict(extra="forbid")

    outcome: NoticeOutcome
    note: str = Field(default="", max_length=2000)


class NoticePublic(BaseModel):
    """A rectification notice."""

    id: str
    base_id: str
    finding: str
    deadline: date
    issued_at: datetime
    outcome: NoticeOutcome | None
    closed_at: datetime | None
    close_note: str


class RevocationCreate(BaseModel):
    """BASE-REVOKE-1..6: the grounds, the evidence, and a reason (required for `other`)."""

    model_config = ConfigDict(extra="forbid")

    grounds: list[RevocationGround] = Field(max_length=6)
    evidence: list[str] = Field(max_length=50)
    reason: str = Field(default="", max_length=4000)


class RevocationPublic(BaseModel):
    """A revocation: grounds, evidence, reason, the notices behind ground 3, decider and time."""

    id: str
    base_id: str
    grounds: list[RevocationGround]
    evidence: list[str]
    reason: str
    supporting_notices: list[str]
    decided_by: str | None
    decided_at: datetime


# --- helpers -------------------------------------------------------------------------------------


def to_public(row: BaseRow, today: date, *, reveal: bool = False) -> BasePublic:
    """The signed-in view of a base; the liaison's phone masked unless `reveal`."""
    phone = row.liaison_phone if reveal else mask(PersonalKind.PHONE, row.liaison_phone)
    return BasePublic.model_validate(
        {
            **row.model_dump(),
            "liaison_phone": phone,
            "status": row.status_on(today),
            # BASE-EVAL-1: flagged, never lapsed, when the term ended without an evaluation.
            "evaluation_overdue": row.lapses_on is None and today > row.evaluation_due_on,
        }
    )


def _base(session: Session, principal: Principal, base_id: str) -> BaseRow:
    return bases.get_base(session, principal, base_id)


def _writable(session: Session, principal: Principal, base_id: str) -> BaseRow:
    """A base in scope whose records may still change: not revoked (BASE-REVOKE-1..6)."""
    row = _base(session, principal, base_id)
    if row.status == BaseStatus.REVOKED.value:
        raise RuleViolation(
            [
                Finding(
                    rule="BASE-REVOKE-1..6",
                    field="status",
                    message="the base is revoked; its records no longer change",
                )
            ],
            status=409,
        )
    return row


def _activity_public(row: ActivityRow, evidence: int, today: date) -> ActivityPublic:
    activity = row.to_domain(evidence)
    warnings = [
        WarningPublic(rule=f.rule, message=f.message, field=f.field)
        for f in check_activity(activity, today=today).findings
        if f.severity is not Severity.ERROR
    ]
    return ActivityPublic(
        id=row.id,
        base_id=row.base_id,
        held_on=row.held_on,
        title=row.title,
        form=row.form,
        participants=row.participants,
        national_event=activity.national_event,
        free_or_discounted=row.free_or_discounted,
        description=row.description,
        evidence_count=evidence,
        counts=activity_counts(activity),
        warnings=warnings,
        created_at=row.created_at,
    )


def _report_public(row: AnnualReportRow, session: Session) -> ReportPublic:
    return ReportPublic(
        base_id=row.base_id,
        year=row.year,
        theme=row.theme,
        summary=row.summary,
        next_year_plan=row.next_year_plan,
        due_on=policy_for_year(session, row.year).report_due(row.year),
        submitted_at=row.submitted_at,
        on_time=None if row.days_late is None else row.days_late == 0,
        days_late=row.days_late,
        updated_at=row.updated_at,
    )


def _compliance_public(base: BaseRow, c: Compliance, today: date) -> CompliancePublic:
    return CompliancePublic(
        base_id=base.id,
        name=base.name,
        region_code=base.region_code,
        county_code=base.county_code,
        status=base.status_on(today),
        year=c.year,
        as_of=c.as_of,
        final=c.final,
        opening_class=c.opening_class,
        months_reported=c.months_reported,
        ok=c.ok,
        items=c.items,
    )


def _assess(
    base: BaseRow, year: int, records: YearRecords, session: Session, today: date
) -> Compliance:
    return assess_year(
        base.to_domain(today),
        year,
        records.stats,
        records.activities,
        records.report,
        policy_for_year(session, year),
        today,
    )


def _check_year(base: BaseRow, year: int, today: date) -> None:
    if year < base.accredited_on.year:
        raise InvalidInput.one(
            "year", f"the base was accredited in {base.accredited_on.year}", "before_accreditation"
        )
    if year > today.year:
        raise InvalidInput.one("year", f"{year} has not begun", "future")


def _violations(findings: list[Finding], status: int) -> None:
    if findings:
        raise RuleViolation(findings, status=status)


def _refuse_submitted(
    report: AnnualReportRow | None, message: str = "the report was submitted and is read-only"
) -> None:
    """BASE-REPORT-1: a submitted report and its archive no longer change (409)."""
    if report is not None and report.submitted_at is not None:
        _violations([Finding(rule="BASE-REPORT-1", field="submitted_at", message=message)], 409)


# --- bases ---------------------------------------------------------------------------------------


@router.get("/bases", summary="List bases")
def list_bases(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    now: NowDep,
    category: Annotated[BaseCategory | None, Query()] = None,
    opening_class: Annotated[OpeningClass | None, Query()] = None,
    region_code: Annotated[str | None, Query(pattern=REGION_PATTERN)] = None,
    status: Annotated[BaseStatus | None, Query()] = None,
    evaluation_due_before: Annotated[date | None, Query()] = None,
) -> Page[BasePublic]:
    """Bases in the caller's scope, filtered by category, class, region, status or evaluation due
    date (BASE-EVAL-1)."""
    today = local_date(now)
    result = bases.list_bases(
        session,
        principal,
        page=page,
        today=today,
        category=category,
        opening_class=opening_class,
        region_code=region_code,
        status=status,
        evaluation_due_before=evaluation_due_before,
    )
    return Page(
        items=[to_public(b, today) for b in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.get("/bases/compliance", summary="Compliance of every base in scope for a year")
def list_bases_compliance(
    principal: Dashboard,
    session: SessionDep,
    now: NowDep,
    year: Annotated[int, Query(ge=2000, le=2100)],
    region_code: Annotated[str | None, Query(pattern=REGION_PATTERN)] = None,
) -> ComplianceDashboard:
    """The city dashboard: one compliance per base, from four queries whatever the number of
    bases (BASE-OPEN-1..4, BASE-ACT-1, BASE-THEME-1, BASE-REPORT-1, BASE-EVENT-1,
    BASE-LIAISON-1)."""
    today = local_date(now)
    if year > today.year:
        raise InvalidInput.one("query.year", f"{year} has not begun", "future")
    rows, records = bases.bases_for_year(session, principal, year=year, region_code=region_code)
    policy = policy_for_year(session, year)
    empty = YearRecords()
    items: list[CompliancePublic] = []
    by_rule: dict[str, dict[ComplianceStatus, int]] = {}
    for base in rows:
        r = records.get((base.id, year), empty)
        c = assess_year(base.to_domain(today), year, r.stats, r.activities, r.report, policy, today)
        for item in c.items:
            counts = by_rule.setdefault(item.rule, {})
            counts[item.status] = counts.get(item.status, 0) + 1
        items.append(_compliance_public(base, c, today))
    return ComplianceDashboard(
        year=year,
        as_of=today,
        policy_effective_from=policy.effective_from,
        summary=ComplianceSummary(
            bases=len(items), ok=sum(1 for i in items if i.ok), by_rule=by_rule
        ),
        items=items,
    )


@router.get("/bases/{base_id}", summary="Read a base", responses=problem_responses(404))
def get_base(
    base_id: str,
    principal: Reader,
    session: SessionDep,
    now: NowDep,
    response: Response,
    reveal: Annotated[bool, Query(description="Show the liaison's full phone (audited)")] = False,
) -> BasePublic:
    """One base; `reveal=true` shows the liaison's phone to the city administrator and the base's
    own staff, and is audited."""
    row = _base(session, principal, base_id)
    if reveal:
        audit_reveal(session, principal, row, ["liaison_phone"])
    set_etag(response, row)
    return to_public(row, local_date(now), reveal=reveal)


@router.patch(
    "/bases/{base_id}", summary="Update a base", responses=problem_responses(404, 409, 412)
)
def update_base(
    base_id: str,
    body: BaseUpdate,
    principal: Staff,
    session: SessionDep,
    now: NowDep,
    request: Request,
    response: Response,
) -> BasePublic:
    """Contact and liaison (BASE-LIAISON-1) by the base's staff or the city administrator; the
    opening class only by the city administrator, with a written reason (BASE-OPEN-3)."""
    row = _writable(session, principal, base_id)
    check_if_match(request, row)
    values = body.model_dump(exclude_unset=True)
    new_class = values.pop("opening_class", None)
    reason = values.pop("opening_class_reason", None)
    if new_class is not None or reason is not None:
        if principal.role is not Role.CITY_ADMIN:
            raise Forbidden("only the city administrator sets the opening class")
        result = check_class_override(new_class or OpeningClass.UNDETERMINED, reason)
        _violations(result.errors, 422)
        bases.change_class(
            session,
            row,
            to=OpeningClass(new_class),
            reason=str(reason).strip(),
            actor_id=principal.user_id,
            now=now,
        )
    for name, value in values.items():
        if value is None and name != "liaison_phone":
            raise InvalidInput.one(name, "may not be null", "null")
        setattr(row, name, value)
    session.add(row)
    session.flush()
    set_etag(response, row)
    return to_public(row, local_date(now))


@router.get(
    "/bases/{base_id}/class-history",
    summary="A base's opening-class overrides",
    responses=problem_responses(404),
)
def get_base_class_history(
    base_id: str, principal: Reader, session: SessionDep
) -> Page[ClassChangePublic]:
    """Every override with who, when and why (BASE-OPEN-3)."""
    row = _base(session, principal, base_id)
    return listing(ClassChangePublic, bases.class_history(session, row.id))


@router.get(
    "/bases/{base_id}/announcements",
    summary="A base's accreditation announcements",
    responses=problem_responses(404),
)
def list_base_announcements(
    base_id: str, principal: Reader, session: SessionDep
) -> Page[AnnouncementPublic]:
    """The public announcement made on accreditation (BASE-REVIEW-1)."""
    row = _base(session, principal, base_id)
    return listing(AnnouncementPublic, bases.announcements(session, row.id))


# --- monthly statistics --------------------------------------------------------------------------


@router.put(
    "/bases/{base_id}/monthly-stats/{year}/{month}",
    summary="Report or correct a month's statistics",
    responses=problem_responses(404, 409, 412),
)
def put_base_monthly_stat(
    base_id: str,
    year: int,
    month: int,
    body: MonthlyStatPut,
    principal: Staff,
    session: SessionDep,
    now: NowDep,
    request: Request,
    response: Response,
) -> MonthlyStatPublic:
    """BASE-OPEN-4: an idempotent upsert of one month; impossible or future figures are refused
    with `violations`, and a month is corrected, never duplicated."""
    row = _writable(session, principal, base_id)
    stat = MonthlyStat(year=year, month=month, open_days=body.open_days, visitors=body.visitors)
    result = validate_monthly_stat(stat, today=local_date(now), accredited_on=row.accredited_on)
    _violations(result.errors, 422)
    existing = bases.get_stat(session, row.id, year, month)
    if existing is not None:
        check_if_match(request, existing)
    saved, created = bases.put_stat(
        session, row, year=year, month=month, open_days=body.open_days, visitors=body.visitors
    )
    if created:
        response.status_code = 201
        response.headers["Location"] = f"/api/v1/bases/{row.id}/monthly-stats/{year}/{month}"
    set_etag(response, saved)
    return MonthlyStatPublic.model_validate(saved, from_attributes=True)


@router.get(
    "/bases/{base_id}/monthly-stats",
    summary="A base's monthly statistics",
    responses=problem_responses(404),
)
def list_base_monthly_stats(
    base_id: str,
    principal: Reader,
    session: SessionDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[MonthlyStatPublic]:
    """The months reported, in calendar order."""
    row = _base(session, principal, base_id)
    return listing(MonthlyStatPublic, bases.list_stats(session, row.id, year))


# --- activities ----------------------------------------------------------------------------------


@router.post(
    "/bases/{base_id}/activities",
    status_code=201,
    summary="Record an activity",
    responses=problem_responses(404, 409),
)
def create_base_activity(
    base_id: str,
    body: ActivityCreate,
    principal: Staff,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> ActivityPublic:
    """BASE-ACT-1: an activity once held; it counts once evidence is attached (BASE-ARCHIVE-1)."""
    row = _writable(session, principal, base_id)
    today = local_date(now)
    activity = Activity(**body.model_dump(exclude={"description"}))
    _violations(check_activity(activity, today=today).errors, 422)
    saved = bases.add_activity(session, row, fields=body.model_dump(), created_by=principal.user_id)
    response.headers["Location"] = f"/api/v1/bases/{row.id}/activities/{saved.id}"
    set_etag(response, saved)
    return _activity_public(saved, 0, today)


@router.get(
    "/bases/{base_id}/activities",
    summary="A base's activities",
    responses=problem_responses(404),
)
def list_base_activities(
    base_id: str,
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    now: NowDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[ActivityPublic]:
    """Activities, optionally of one year, each with its evidence count."""
    row = _base(session, principal, base_id)
    result = bases.list_activities(session, row.id, page=page, year=year)
    counts = bases_attachments.counts(session, OwnerType.ACTIVITY, (a.id for a in result.items))
    today = local_date(now)
    return Page(
        items=[_activity_public(a, counts.get(a.id, 0), today) for a in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.get(
    "/bases/{base_id}/activities/{activity_id}",
    summary="Read an activity",
    responses=problem_responses(404),
)
def get_base_activity(
    base_id: str,
    activity_id: str,
    principal: Reader,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> ActivityPublic:
    """One activity."""
    row = _base(session, principal, base_id)
    activity = bases.get_activity(session, row.id, activity_id)
    count = bases_attachments.counts(session, OwnerType.ACTIVITY, [activity.id]).get(activity.id, 0)
    set_etag(response, activity)
    return _activity_public(activity, count, local_date(now))


# --- annual reports ------------------------------------------------------------------------------


@router.put(
    "/bases/{base_id}/annual-reports/{year}",
    summary="Write a year's annual report",
    responses=problem_responses(404, 409, 412),
)
def put_base_annual_report(
    base_id: str,
    year: Year,
    body: ReportPut,
    principal: Staff,
    session: SessionDep,
    now: NowDep,
    request: Request,
    response: Response,
) -> ReportPublic:
    """BASE-THEME-1, BASE-REPORT-1: the theme, summary and plan, editable until submitted."""
    row = _writable(session, principal, base_id)
    _check_year(row, year, local_date(now))
    existing = bases.get_report(session, row.id, year)
    if existing is not None:
        check_if_match(request, existing)
        _refuse_submitted(existing, f"the report of {year} was submitted and is read-only")
    saved, created = bases.put_report(session, row, year=year, **body.model_dump())
    if created:
        response.status_code = 201
        response.headers["Location"] = f"/api/v1/bases/{row.id}/annual-reports/{year}"
    set_etag(response, saved)
    return _report_public(saved, session)


@router.get(
    "/bases/{base_id}/annual-reports",
    summary="A base's annual reports",
    responses=problem_responses(404),
)
def list_base_annual_reports(
    base_id: str, principal: Reader, session: SessionDep
) -> Page[ReportPublic]:
    """Every report, by year."""
    row = _base(session, principal, base_id)
    items = [_report_public(r, session) for r in bases.list_reports(session, row.id)]
    return Page(items=items, next_cursor=None)


def _report(session: Session, base: BaseRow, year: int) -> AnnualReportRow:
    report = bases.get_report(session, base.id, year)
    if report is None:
        raise NotFound(f"no report of {year}")
    return report


@router.get(
    "/bases/{base_id}/annual-reports/{year}",
    summary="Read an annual report",
    responses=problem_responses(404),
)
def get_base_annual_report(
    base_id: str, year: Year, principal: Reader, session: SessionDep, response: Response
) -> ReportPublic:
    """One year's report."""
    report = _report(session, _base(session, principal, base_id), year)
    set_etag(response, report)
    return _report_public(report, session)


@router.post(
    "/bases/{base_id}/annual-reports/{year}/submit",
    summary="Submit an annual report",
    responses=problem_responses(404, 409),
)
def submit_base_annual_report(
    base_id: str,
    year: Year,
    principal: Staff,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> ReportPublic:
    """BASE-REPORT-1: records the server's time; on time when on or before the due date
    (10 November, Asia/Shanghai), otherwise accepted and marked with the days late."""
    row = _writable(session, principal, base_id)
    report = _report(session, row, year)
    result = check_report_submission(report.to_domain())
    already = [f for f in result.errors if f.field == "submitted_at"]
    _violations(already, 409)
    _violations(result.errors, 422)
    report.submitted_at = now
    report.submitted_by = principal.user_id
    report.days_late = report_days_late(now, year, policy_for_year(session, year))
    session.add(report)
    session.flush()
    set_etag(response, report)
    return _report_public(report, session)


# --- archive attachments (activities and reports) ------------------------------------------------


def _owner(
    session: Session, base: BaseRow, owner: str, owner_key: str
) -> tuple[OwnerType, str, AnnualReportRow | None]:
    if owner == "activities":
        return OwnerType.ACTIVITY, bases.get_activity(session, base.id, owner_key).id, None
    if not owner_key.isdigit():
        raise NotFound(f"no report of {owner_key}")
    report = _report(session, base, int(owner_key))
    return OwnerType.REPORT, report.id, report


OwnerPath = Annotated[str, Path(pattern="^(activities|annual-reports)$")]


@router.post(
    "/bases/{base_id}/{owner}/{owner_key}/attachments",
    status_code=201,
    summary="Attach evidence to an activity or an annual report",
    responses=problem_responses(404, 409, 413, 415),
)
def add_base_archive_attachment(
    base_id: str,
    owner: OwnerPath,
    owner_key: str,
    kind: Annotated[AttachmentKind, Form()],
    file: Annotated[UploadFile, File()],
    principal: Staff,
    session: SessionDep,
    files: FilesDep,
    ctx: ContextDep,
    response: Response,
) -> AttachmentPublic:
    """BASE-ARCHIVE-1: photos, video, documents and statistics; type judged by content. A
    submitted report's archive stays as submitted."""
    if kind not in ARCHIVE_KINDS:
        raise InvalidInput.one("kind", f"the archive takes no {kind.value}", "kind")
    base = _writable(session, principal, base_id)
    owner_type, owner_id, report = _owner(session, base, owner, owner_key)
    _refuse_submitted(report)
    return store_attachment(
        session,
        files,
        response,
        upload=file,
        kind=kind,
        limit=ctx.settings.max_upload_bytes,
        owner_type=owner_type,
        owner_id=owner_id,
        base_id=base.id,
        county_code=base.county_code,
        uploaded_by=principal.user_id,
        url=f"/api/v1/bases/{base.id}/{owner}/{owner_key}/attachments",
    )


@router.get(
    "/bases/{base_id}/{owner}/{owner_key}/attachments",
    summary="List the evidence of an activity or an annual report",
    responses=problem_responses(404),
)
def list_base_archive_attachments(
    base_id: str, owner: OwnerPath, owner_key: str, principal: Reader, session: SessionDep
) -> Page[AttachmentPublic]:
    """The files, in upload order."""
    base = _base(session, principal, base_id)
    owner_type, owner_id, _ = _owner(session, base, owner, owner_key)
    url = f"/api/v1/bases/{base.id}/{owner}/{owner_key}/attachments"
    return attachments_page(session, owner_type, owner_id, url)


@router.get(
    "/bases/{base_id}/{owner}/{owner_key}/attachments/{attachment_id}/content",
    summary="Download evidence",
    response_class=Response,
    responses={**problem_responses(404), 200: {"content": {"application/octet-stream": {}}}},
)
def get_base_archive_attachment_content(
    base_id: str,
    owner: OwnerPath,
    owner_key: str,
    attachment_id: str,
    principal: Reader,
    session: SessionDep,
    files: FilesDep,
) -> Response:
    """The file's bytes with its checked media type."""
    base = _base(session, principal, base_id)
    owner_type, owner_id, _ = _owner(session, base, owner, owner_key)
    return download_attachment(session, files, owner_type, owner_id, attachment_id)


@router.delete(
    "/bases/{base_id}/{owner}/{owner_key}/attachments/{attachment_id}",
    status_code=204,
    summary="Remove evidence",
    responses=problem_responses(404, 409, 412),
)
def delete_base_archive_attachment(
    base_id: str,
    owner: OwnerPath,
    owner_key: str,
    attachment_id: str,
    principal: Staff,
    session: SessionDep,
    files: FilesDep,
    request: Request,
) -> Response:
    """Not from a submitted report."""
    base = _writable(session, principal, base_id)
    owner_type, owner_id, report = _owner(session, base, owner, owner_key)
    _refuse_submitted(report)
    return remove_attachment(session, files, request, owner_type, owner_id, attachment_id)


# --- compliance ----------------------------------------------------------------------------------


@router.get(
    "/bases/{base_id}/compliance/{year}",
    summary="A base's compliance for a year",
    responses=problem_responses(404),
)
def get_base_compliance(
    base_id: str, year: Year, principal: Reader, session: SessionDep, now: NowDep
) -> CompliancePublic:
    """One item per yearly duty, year-to-date during the year (BASE-OPEN-1..4, BASE-ACT-1,
    BASE-THEME-1, BASE-REPORT-1, BASE-EVENT-1, BASE-LIAISON-1)."""
    today = local_date(now)
    row = _base(session, principal, base_id)
    _check_year(row, year, today)
    records = bases.records_for(session, [row.id], [year]).get((row.id, year), YearRecords())
    return _compliance_public(row, _assess(row, year, records, session, today), today)


# --- evaluations ---------------------------------------------------------------------------------


def _schedule(session: Session, base: BaseRow, today: date) -> EvaluationSchedule:
    evaluations = [e.to_domain() for e in bases_oversight.evaluations(session, base.id)]
    return evaluation_schedule(
        base.accredited_on, evaluations, policy_on(session, base.accredited_on), today
    )


def _term_summaries(
    session: Session, base: BaseRow, schedule: EvaluationSchedule, today: date
) -> list[CompliancePublic]:
    years = [y for y in schedule.term_years if base.accredited_on.year <= y <= today.year]
    records = bases.records_for(session, [base.id], years)
    return [
        _compliance_public(
            base, _assess(base, y, records.get((base.id, y), YearRecords()), session, today), today
        )
        for y in years
    ]


@router.get(
    "/bases/{base_id}/evaluations/prefill",
    summary="The current term and its yearly compliance, for an evaluation",
    responses=problem_responses(404),
)
def get_base_evaluation_prefill(
    base_id: str, principal: Reader, session: SessionDep, now: NowDep
) -> EvaluationPrefill:
    """BASE-EVAL-1: the term, its due date and window, and the compliance of its years."""
    today = local_date(now)
    row = _base(session, principal, base_id)
    schedule = _schedule(session, row, today)
    return EvaluationPrefill(
        schedule=schedule, summaries=_term_summaries(session, row, schedule, today)
    )


@router.post(
    "/bases/{base_id}/evaluations",
    status_code=201,
    summary="Record a comprehensive evaluation",
    responses=problem_responses(404, 409),
)
def create_base_evaluation(
    base_id: str,
    body: EvaluationCreate,
    principal: CityAdmin,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> EvaluationPublic:
    """BASE-EVAL-1: a pass renews the term for three years; a fail ends the accreditation at the
    term's end. Stored with the yearly compliance summaries of the term."""
    today = local_date(now)
    row = _writable(session, principal, base_id)
    evaluated_on = body.evaluated_on or today
    schedule = _schedule(session, row, today)
    evaluations = [e.to_domain() for e in bases_oversight.evaluations(session, row.id)]
    policy = policy_on(session, row.accredited_on)
    result = check_evaluation(row.accredited_on, evaluations, evaluated_on, policy, today)
    _violations(result.errors, 422)
    summaries = _term_summaries(session, row, schedule, today)
    saved = bases_oversight.add_evaluation(
        session,
        row,
        fields={
            "evaluated_on": evaluated_on,
            "outcome": body.outcome.value,
            "findings": body.findings,
            "term_number": schedule.term_number,
            "term_start": schedule.term_start,
            "term_end": schedule.due_on,
            "summaries": [s.model_dump(mode="json") for s in summaries],
        },
        evaluated_by=principal.user_id,
    )
    after = _schedule(session, row, today)
    row.evaluation_due_on = after.due_on
    row.lapses_on = after.lapses_on
    session.add(row)
    session.flush()
    return created(
        response, f"/api/v1/bases/{row.id}/evaluations/{saved.id}", saved, EvaluationPublic
    )


@router.get(
    "/bases/{base_id}/evaluations",
    summary="A base's evaluations",
    responses=problem_responses(404),
)
def list_base_evaluations(
    base_id: str, principal: Reader, session: SessionDep
) -> Page[EvaluationPublic]:
    """Every evaluation, oldest first."""
    row = _base(session, principal, base_id)
    return listing(EvaluationPublic, bases_oversight.evaluations(session, row.id))


# --- inspections and recommendations -------------------------------------------------------------


@router.post(
    "/bases/{base_id}/inspections",
    status_code=201,
    summary="Record an inspection",
    responses=problem_responses(404, 409),
)
def create_base_inspection(
    base_id: str,
    body: InspectionCreate,
    principal: CityAdmin,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> InspectionPublic:
    """BASE-INSPECT-1: a scheduled or unscheduled inspection, with its findings."""
    row = _writable(session, principal, base_id)
    _violations(
        check_inspection(body.inspected_on, body.findings, today=local_date(now)).errors, 422
    )
    saved = bases_oversight.add_inspection(
        session, row, fields=body.model_dump(), recorded_by=principal.user_id
    )
    return created(response, f"/api/v1/bases/{row.id}/inspections", saved, InspectionPublic)


@router.get(
    "/bases/{base_id}/inspections",
    summary="A base's inspections",
    responses=problem_responses(404),
)
def list_base_inspections(
    base_id: str, principal: Reader, session: SessionDep
) -> Page[InspectionPublic]:
    """Every inspection, oldest first."""
    row = _base(session, principal, base_id)
    return listing(InspectionPublic, bases_oversight.inspections(session, row.id))


@router.post(
    "/bases/{base_id}/promotions",
    status_code=201,
    summary="Recommend a base or its science product upward",
    responses=problem_responses(404, 409),
)
def create_base_promotion(
    base_id: str,
    body: PromotionCreate,
    principal: CityAdmin,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> PromotionPublic:
    """BASE-PROMOTE-1: to national or autonomous-region accreditation, or a product to the
    regional awards; only for an accredited base."""
    today = local_date(now)
    row = _base(session, principal, base_id)
    result = check_promotion(body.kind, body.product_form, row.status_on(today))
    _violations([f for f in result.errors if f.field == "status"], 409)
    _violations(result.errors, 422)
    fields = body.model_dump()
    fields["recommended_on"] = body.recommended_on or today
    saved = bases_oversight.add_promotion(
        session, row, fields=fields, recommended_by=principal.user_id
    )
    return created(response, f"/api/v1/bases/{row.id}/promotions", saved, PromotionPublic)


@router.get(
    "/bases/{base_id}/promotions",
    summary="A base's recommendations upward",
    responses=problem_responses(404),
)
def list_base_promotions(
    base_id: str, principal: Reader, session: SessionDep
) -> Page[PromotionPublic]:
    """Every recommendation, oldest first."""
    row = _base(session, principal, base_id)
    return listing(PromotionPublic, bases_oversight.promotions(session, row.id))


# --- rectification notices and revocation --------------------------------------------------------


@router.post(
    "/bases/{base_id}/rectification-notices",
    status_code=201,
    summary="Issue a rectification notice",
    responses=problem_responses(404, 409),
)
def create_base_rectification_notice(
    base_id: str,
    body: NoticeCreate,
    principal: CityAdmin,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> NoticePublic:
    """BASE-REVOKE-3: the finding and a deadline after today."""
    row = _writable(session, principal, base_id)
    _violations(check_notice(body.finding, body.deadline, now=now).errors, 422)
    notice = bases_oversight.add_notice(
        session,
        row,
        finding=body.finding,
        deadline=body.deadline,
        issued_at=now,
        issued_by=principal.user_id,
    )
    return created(
        response, f"/api/v1/bases/{row.id}/rectification-notices/{notice.id}", notice, NoticePublic
    )


@router.get(
    "/bases/{base_id}/rectification-notices",
    summary="A base's rectification notices",
    responses=problem_responses(404),
)
def list_base_rectification_notices(
    base_id: str, principal: Reader, session: SessionDep
) -> Page[NoticePublic]:
    """Every notice, oldest first."""
    row = _base(session, principal, base_id)
    return listing(NoticePublic, bases_oversight.notices(session, row.id))


@router.post(
    "/bases/{base_id}/rectification-notices/{notice_id}/close",
    summary="Close a rectification notice",
    responses=problem_responses(404, 409),
)
def close_base_rectification_notice(
    base_id: str,
    notice_id: str,
    body: NoticeClose,
    principal: CityAdmin,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> NoticePublic:
    """BASE-REVOKE-3: rectified at any time, not rectified only after the deadline; once."""
    row = _base(session, principal, base_id)
    notice = bases_oversight.get_notice(session, row.id, notice_id)
    _violations(check_notice_close(notice.to_domain(), body.outcome, now=now).errors, 409)
    bases_oversight.close_notice(
        session,
        notice,
        outcome=body.outcome,
        note=body.note,
        closed_at=now,
        closed_by=principal.user_id,
    )
    set_etag(response, notice)
    return NoticePublic.model_validate(notice, from_attributes=True)


@router.post(
    "/bases/{base_id}/revocation",
    status_code=201,
    summary="Revoke a base",
    responses=problem_responses(404, 409),
)
def revoke_base(
    base_id: str,
    body: RevocationCreate,
    principal: CityAdmin,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> RevocationPublic:
    """BASE-REVOKE-1..6: effective at once, the base leaves the public directory; 409 with
    `violations` when a ground's precondition fails or the base is already revoked."""
    row = _base(session, principal, base_id)
    result = check_revocation(
        status=row.status_on(local_date(now)),
        grounds=body.grounds,
        evidence=body.evidence,
        notices=[n.to_domain() for n in bases_oversight.notices(session, row.id)],
        reason=body.reason,
        now=now,
    )
    _violations(result.errors, 409)
    revocation = bases_oversight.revoke(
        session,
        row,
        grounds=[g.value for g in dict.fromkeys(body.grounds)],
        evidence=[e for e in body.evidence if e.strip()],
        reason=body.reason,
        supporting_notices=result.supporting_notices,
        decided_by=principal.user_id,
        decided_at=now,
    )
    return created(response, f"/api/v1/bases/{row.id}/revocation", revocation, RevocationPublic)


@router.get(
    "/bases/{base_id}/revocation",
    summary="Read a base's revocation",
    responses=problem_responses(404),
)
def get_base_revocation(
    base_id: str, principal: Reader, session: SessionDep, response: Response
) -> RevocationPublic:
    """The revocation, or 404 when the base is not revoked."""
    row = _base(session, principal, base_id)
    revocation = bases_oversight.revocation_of(session, row.id)
    if revocation is None:
        raise NotFound("the base is not revoked")
    set_etag(response, revocation)
    return RevocationPublic.model_validate(revocation, from_attributes=True)
