"""Applications for accreditation as a science education base, from draft to decision, and the
county recommendation quotas (BASE-CAT-1, BASE-ELIG-1..8, BASE-APPLY-1, BASE-APPLY-2,
BASE-REVIEW-1)."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import quote

from fastapi import File, Form, Path, Query, Request, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from app.domain.access import Principal, Role
from app.domain.bases import (
    APPLICATION_KINDS,
    MEDIA_TYPES,
    ApplicationAction,
    ApplicationChannel,
    ApplicationStatus,
    AttachmentKind,
    BaseCategory,
    BaseStatus,
    OpeningClass,
    ReviewRecommendation,
    derived_opening_class,
    sniff_media_type,
)
from app.domain.common import Finding, Severity, local_date
from app.errors import (
    Conflict,
    InvalidInput,
    PayloadTooLarge,
    RuleViolation,
    UnsupportedMediaType,
    problem_responses,
)
from app.repositories import bases, bases_applications, bases_attachments, regions, users
from app.repositories.base import Entity
from app.repositories.bases_applications import ApplicationRow
from app.repositories.bases_attachments import AttachmentRow, OwnerType
from app.repositories.bases_policies import policy_on
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
from app.rules.bases_eligibility import (
    assess_eligibility,
    check_category,
    check_channel,
    check_materials,
    check_opinion,
    check_submission,
    transition_application,
)
from app.rules.bases_evaluation import evaluation_due
from app.storage import FileStore

router = resource_router("base-applications")

Reader = Annotated[
    Principal,
    allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.REVIEWER, Role.AUDITOR, Role.BASE_STAFF),
]
Editor = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN)]
CityAdmin = Annotated[Principal, allow(Role.CITY_ADMIN)]
Reviewer = Annotated[Principal, allow(Role.REVIEWER)]
EDITABLE = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.RETURNED})
M = TypeVar("M", bound=BaseModel)
REGION_PATTERN = r"^\d{6}(\d{3}(\d{3})?)?$"


# --- models --------------------------------------------------------------------------------------


class ApplicationFields(BaseModel):
    """The applicant's form: the unit, its category and channel, and the conditions of Art. 13."""

    model_config = ConfigDict(extra="forbid")

    applicant_name: str | None = Field(default=None, min_length=1, max_length=200)
    category: BaseCategory | None = None
    subtype: str | None = Field(default=None, max_length=100)
    channel: ApplicationChannel | None = None
    recommender: str | None = Field(default=None, max_length=200)
    region_code: str | None = Field(default=None, pattern=REGION_PATTERN)
    opening_hours: str | None = Field(default=None, max_length=500)
    contact_phone: str | None = Field(default=None, max_length=50)
    credit_code: str | None = Field(default=None, max_length=18)
    runs_activities_independently: bool | None = None
    science_theme: str | None = Field(default=None, max_length=1000)
    has_management_rules: bool | None = None
    responsible_department: str | None = Field(default=None, max_length=200)
    has_work_plan: bool | None = None
    has_annual_plan: bool | None = None
    annual_science_budget: Decimal | None = Field(
        default=None, ge=0, max_digits=14, decimal_places=2
    )
    venue_address: str | None = Field(default=None, max_length=500)
    has_demo_equipment: bool | None = None
    has_hall_or_gallery: bool | None = None
    exhibits_labelled: bool | None = None
    managers: int | None = Field(default=None, ge=0, le=100000)
    docents: int | None = Field(default=None, ge=0, le=100000)
    has_training_plan: bool | None = None
    safety_fire_compliant: bool | None = None
    accepts_guidance: bool | None = None


class ApplicationCreate(ApplicationFields):
    """A new draft: the unit's name and region at least; the rest may follow."""

    applicant_name: str = Field(min_length=1, max_length=200)
    region_code: str = Field(pattern=REGION_PATTERN)


class ApplicationUpdate(ApplicationFields):
    """Changes to a draft or returned application; null clears an optional value."""


#: Fields a PATCH may set to null.
NULLABLE = frozenset({"category", "subtype", "recommender", "credit_code", "annual_science_budget"})


class ApplicationPublic(BaseModel):
    """An application as the API shows it."""

    id: str
    status: ApplicationStatus
    applicant_name: str
    category: BaseCategory | None
    subtype: str | None
    channel: ApplicationChannel
    recommender: str | None
    region_code: str | None
    county_code: str | None
    opening_hours: str
    contact_phone: str
    credit_code: str | None
    runs_activities_independently: bool
    science_theme: str
    has_management_rules: bool
    responsible_department: str
    has_work_plan: bool
    has_annual_plan: bool
    annual_science_budget: Decimal | None
    venue_address: str
    has_demo_equipment: bool
    has_hall_or_gallery: bool
    exhibits_labelled: bool
    managers: int
    docents: int
    has_training_plan: bool
    safety_fire_compliant: bool
    accepts_guidance: bool
    submitted_at: datetime | None
    first_submitted_at: datetime | None
    submission_year: int | None
    decided_at: datetime | None
    decision_note: str
    base_id: str | None
    created_at: datetime
    updated_at: datetime


class FindingPublic(BaseModel):
    """One rule not (yet) satisfied."""

    rule: str
    message: str
    field: str | None
    severity: Severity


class EligibilityPublic(BaseModel):
    """BASE-ELIG-1..8 and everything else submission checks, for form pre-checks."""

    eligible: bool
    unmet: list[str]
    eligibility: list[FindingPublic]
    category: list[FindingPublic]
    materials: list[FindingPublic]
    channel: list[FindingPublic]
    ready_to_submit: bool


class AttachmentPublic(BaseModel):
    """A stored file; its bytes are at `content_url`."""

    id: str
    kind: AttachmentKind
    filename: str
    media_type: str
    size: int
    sha256: str
    created_at: datetime
    content_url: str


class ReviewerAssign(BaseModel):
    """A reviewer (a user with role `reviewer`) for the panel (评审小组)."""

    model_config = ConfigDict(extra="forbid")

    reviewer_id: str = Field(min_length=1, max_length=26)


class OpinionCreate(BaseModel):
    """A reviewer's one opinion (scores per criterion and a recommendation), or a declination
    for a conflict of interest."""

    model_config = ConfigDict(extra="forbid")

    declined: bool = False
    conflict_reason: str = Field(default="", max_length=1000)
    scores: dict[str, int] = Field(default_factory=dict)
    recommendation: ReviewRecommendation | None = None
    comment: str = Field(default="", max_length=4000)


class ReviewPublic(BaseModel):
    """A reviewer's assignment and response."""

    id: str
    application_id: str
    reviewer_id: str
    state: Literal["assigned", "submitted", "declined"]
    scores: dict[str, int] | None
    recommendation: ReviewRecommendation | None
    comment: str
    conflict_reason: str
    responded_at: datetime | None
    created_at: datetime


class InspectionCreate(BaseModel):
    """The inspection and acceptance (考核验收) of the applicant."""

    model_config = ConfigDict(extra="forbid")

    inspected_on: date
    inspectors: str = Field(min_length=1, max_length=500)
    findings: str = Field(min_length=1, max_length=4000)
    passed: bool


class InspectionPublic(InspectionCreate):
    """A recorded inspection."""

    model_config = ConfigDict(extra="ignore")

    id: str
    application_id: str
    created_at: datetime


class DecisionCreate(BaseModel):
    """The city administrator's decision; rejecting or returning needs a written note."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject", "return"]
    note: str = Field(default="", max_length=2000)


class HistoryPublic(BaseModel):
    """One step of an application's life."""

    at: datetime
    actor_id: str | None
    action: str
    from_status: ApplicationStatus | None
    to_status: ApplicationStatus | None
    note: str


class QuotaSet(BaseModel):
    """A county's number of recommendations (名额) for the year."""

    model_config = ConfigDict(extra="forbid")

    quota: int = Field(ge=0, le=1000)


class QuotaPublic(BaseModel):
    """A county's quota and how much of it is used."""

    year: int
    region_code: str
    quota: int
    used: int
    updated_at: datetime


# --- helpers -------------------------------------------------------------------------------------


def to_public(row: ApplicationRow) -> ApplicationPublic:
    """The public view of an application row."""
    return ApplicationPublic.model_validate(
        {
            **row.model_dump(exclude={"annual_science_budget_fen"}),
            "annual_science_budget": row.annual_science_budget,
        }
    )


def _findings(findings: list[Finding]) -> list[FindingPublic]:
    return [FindingPublic.model_validate(f.model_dump()) for f in findings]


def _refuse_unless_editable(row: ApplicationRow) -> None:
    if row.status_enum not in EDITABLE:
        raise RuleViolation(
            [
                Finding(
                    rule="BASE-REVIEW-1",
                    field="status",
                    message=f"only a draft or returned application changes; this one is "
                    f"{row.status}",
                )
            ],
            status=409,
        )


def _county_for(session: Session, principal: Principal, region_code: str) -> str | None:
    county = regions.county_of(session, region_code)
    if principal.role is Role.COUNTY_ADMIN and county != principal.county_code:
        raise InvalidInput.one("region_code", "outside your county", "out_of_scope")
    return county


def _apply(row: ApplicationRow, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name == "annual_science_budget":
            row.annual_science_budget_fen = None if value is None else int(value * 100)
            continue
        if value is None and name not in NULLABLE:
            raise InvalidInput.one(name, "may not be null", "null")
        setattr(row, name, value.value if hasattr(value, "value") else value)


def _county_channel(principal: Principal, values: dict[str, Any]) -> None:
    """A county administrator enters its own recommendations (BASE-APPLY-1)."""
    if principal.role is not Role.COUNTY_ADMIN:
        return
    channel = values.get("channel", ApplicationChannel.COUNTY_ASSOCIATION)
    recommender = values.get("recommender", principal.county_code)
    if channel is not ApplicationChannel.COUNTY_ASSOCIATION:
        raise InvalidInput.one(
            "channel", "a county administrator enters county recommendations", "out_of_scope"
        )
    if recommender != principal.county_code:
        raise InvalidInput.one("recommender", "your county is the recommender", "out_of_scope")
    values["channel"] = channel
    values["recommender"] = recommender


def _application(session: Session, principal: Principal, application_id: str) -> ApplicationRow:
    return bases_applications.get_application(session, principal, application_id)


def _quota(session: Session, row: ApplicationRow, year: int) -> tuple[int | None, int]:
    if row.channel != ApplicationChannel.COUNTY_ASSOCIATION.value or not row.recommender:
        return None, 0
    quota = bases_applications.get_quota(session, year=year, county_code=row.recommender)
    used = bases_applications.quota_used(
        session, county_code=row.recommender, year=year, excluding=row.id
    )
    return (quota.quota if quota is not None else None), used


def read_upload(upload: UploadFile, kind: AttachmentKind, limit: int) -> tuple[bytes, str]:
    """The uploaded bytes and their media type, judged by content: 413 over `limit`, 415 when
    the content is not a type the kind accepts (BASE-APPLY-2, BASE-ARCHIVE-1)."""
    upload.file.seek(0)
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"an attachment is at most {limit} bytes")
    if not data:
        raise InvalidInput.one("file", "the file is empty", "empty")
    media_type = sniff_media_type(data)
    allowed = MEDIA_TYPES[kind]
    if media_type not in allowed:
        raise UnsupportedMediaType(
            f"a {kind.value} attachment is one of {', '.join(sorted(allowed))}; "
            f"this file is {media_type or 'of an unrecognised type'}"
        )
    return data, media_type


def safe_filename(upload: UploadFile) -> str:
    """The client's file name without any directory part."""
    name = posixpath.basename((upload.filename or "file").replace("\\", "/")).strip()
    return (name or "file")[:255]


def attachment_public(row: AttachmentRow, url: str) -> AttachmentPublic:
    """The public view of an attachment, with the URL of its bytes."""
    return AttachmentPublic(
        id=row.id,
        kind=AttachmentKind(row.kind),
        filename=row.filename,
        media_type=row.media_type,
        size=row.size,
        sha256=row.sha256,
        created_at=row.created_at,
        content_url=f"{url}/{row.id}/content",
    )


def attachment_content(files: FileStore, row: AttachmentRow) -> Response:
    """The bytes of an attachment, served with their checked type."""
    return Response(
        content=files.get(row.storage_key),
        media_type=row.media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.filename)}",
            "ETag": row.etag,
        },
    )


def listing(model: type[M], rows: Iterable[Any]) -> Page[M]:
    """An unpaged list of stored rows, each in its public model."""
    return Page(
        items=[model.model_validate(r, from_attributes=True) for r in rows], next_cursor=None
    )


def created(response: Response, location: str, row: Entity, model: type[M]) -> M:
    """A created row in its public model, with its Location and ETag."""
    response.headers["Location"] = location
    set_etag(response, row)
    return model.model_validate(row, from_attributes=True)


def store_attachment(
    session: Session,
    files: FileStore,
    response: Response,
    *,
    upload: UploadFile,
    kind: AttachmentKind,
    limit: int,
    owner_type: OwnerType,
    owner_id: str,
    base_id: str | None,
    county_code: str | None,
    uploaded_by: str,
    url: str,
) -> AttachmentPublic:
    """Check an upload (413, 415) and store it for its owner; `url` is the owner's collection."""
    data, media_type = read_upload(upload, kind, limit)
    row = bases_attachments.add_attachment(
        session,
        files,
        owner_type=owner_type,
        owner_id=owner_id,
        base_id=base_id,
        county_code=county_code,
        kind=kind.value,
        filename=safe_filename(upload),
        media_type=media_type,
        data=data,
        uploaded_by=uploaded_by,
    )
    response.headers["Location"] = f"{url}/{row.id}"
    set_etag(response, row)
    return attachment_public(row, url)


def attachments_page(
    session: Session, owner_type: OwnerType, owner_id: str, url: str
) -> Page[AttachmentPublic]:
    """An owner's attachments, in upload order."""
    items = [
        attachment_public(a, url)
        for a in bases_attachments.list_attachments(session, owner_type, owner_id)
    ]
    return Page(items=items, next_cursor=None)


def download_attachment(
    session: Session, files: FileStore, owner_type: OwnerType, owner_id: str, attachment_id: str
) -> Response:
    """One attachment's bytes, or 404 when it is not the owner's."""
    row = bases_attachments.get_attachment(session, owner_type, owner_id, attachment_id)
    return attachment_content(files, row)


def remove_attachment(
    session: Session,
    files: FileStore,
    request: Request,
    owner_type: OwnerType,
    owner_id: str,
    attachment_id: str,
) -> Response:
    """Delete one of the owner's attachments (If-Match honoured); 204."""
    row = bases_attachments.get_attachment(session, owner_type, owner_id, attachment_id)
    check_if_match(request, row)
    bases_attachments.delete_attachment(session, files, row)
    return Response(status_code=204)


# --- applications --------------------------------------------------------------------------------


@router.post(
    "/base-applications",
    status_code=201,
    summary="Start an application (draft)",
    responses=problem_responses(409),
)
def create_base_application(
    body: ApplicationCreate,
    principal: Editor,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> ApplicationPublic:
    """A draft entered by the city association or, for its recommendations, a county."""
    values = body.model_dump(exclude_unset=True)
    _county_channel(principal, values)
    county = _county_for(session, principal, body.region_code)
    row = ApplicationRow(county_code=county, created_by=principal.user_id)
    _apply(row, values)
    row = bases_applications.create_application(
        session, row=row, actor_id=principal.user_id, now=now
    )
    response.headers["Location"] = f"/api/v1/base-applications/{row.id}"
    set_etag(response, row)
    return to_public(row)


@router.get("/base-applications", summary="List applications")
def list_base_applications(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    status: Annotated[ApplicationStatus | None, Query()] = None,
    channel: Annotated[ApplicationChannel | None, Query()] = None,
    category: Annotated[BaseCategory | None, Query()] = None,
    region_code: Annotated[str | None, Query(pattern=REGION_PATTERN)] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="Year of submission")] = None,
) -> Page[ApplicationPublic]:
    """Applications in the caller's scope (a reviewer: its assignments)."""
    result = bases_applications.list_applications(
        session,
        principal,
        page=page,
        status=status,
        channel=channel,
        category=category,
        region_code=region_code,
        year=year,
    )
    return Page(
        items=[to_public(r) for r in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.get(
    "/base-applications/{application_id}",
    summary="Read an application",
    responses=problem_responses(404),
)
def get_base_application(
    application_id: str, principal: Reader, session: SessionDep, response: Response
) -> ApplicationPublic:
    """One application in the caller's scope."""
    row = _application(session, principal, application_id)
    set_etag(response, row)
    return to_public(row)


@router.patch(
    "/base-applications/{application_id}",
    summary="Edit a draft or returned application",
    responses=problem_responses(404, 409, 412),
)
def update_base_application(
    application_id: str,
    body: ApplicationUpdate,
    principal: Editor,
    session: SessionDep,
    request: Request,
    response: Response,
) -> ApplicationPublic:
    """Only a draft or a returned application changes (BASE-REVIEW-1); honours If-Match."""
    row = _application(session, principal, application_id)
    check_if_match(request, row)
    _refuse_unless_editable(row)
    values = body.model_dump(exclude_unset=True)
    if principal.role is Role.COUNTY_ADMIN and ({"channel", "recommender"} & values.keys()):
        _county_channel(principal, values)
    if "region_code" in values:
        if values["region_code"] is None:
            raise InvalidInput.one("region_code", "may not be null", "null")
        row.county_code = _county_for(session, principal, values["region_code"])
    _apply(row, values)
    session.add(row)
    session.flush()
    set_etag(response, row)
    return to_public(row)


@router.get(
    "/base-applications/{application_id}/eligibility",
    summary="Check an application against the conditions",
    responses=problem_responses(404),
)
def get_base_application_eligibility(
    application_id: str, principal: Reader, session: SessionDep, now: NowDep
) -> EligibilityPublic:
    """BASE-ELIG-1..8 with every unmet condition, and the category, materials and channel checks
    submission adds, at any time."""
    row = _application(session, principal, application_id)
    application = row.to_domain(bases_applications.attachment_kinds(session, row.id))
    quota, used = _quota(session, row, local_date(now).year)
    eligibility = assess_eligibility(application)
    category = check_category(application.category, application.subtype)
    materials = check_materials(application.attachment_kinds)
    channel = check_channel(
        application.channel,
        application.recommender,
        quota=quota,
        quota_used=used,
        applicant_county=row.county_code,
    )
    return EligibilityPublic(
        eligible=eligibility.ok,
        unmet=eligibility.unmet,
        eligibility=_findings(eligibility.findings),
        category=_findings(category.findings),
        materials=_findings(materials.findings),
        channel=_findings(channel.findings),
        ready_to_submit=eligibility.ok and category.ok and materials.ok and channel.ok,
    )


@router.post(
    "/base-applications/{application_id}/submit",
    summary="Submit an application",
    responses=problem_responses(404, 409),
)
def submit_base_application(
    application_id: str,
    principal: Editor,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> ApplicationPublic:
    """Refused (422 `violations`) while a condition, material, category or channel check fails
    (BASE-ELIG-1..8, BASE-APPLY-1, BASE-APPLY-2, BASE-CAT-1); 409 when not a draft or returned."""
    row = _application(session, principal, application_id)
    move = transition_application(row.status_enum, ApplicationAction.SUBMIT)
    if move.to is None:
        raise RuleViolation(move.errors, status=409)
    year = (row.submission_year if row.first_submitted_at else None) or local_date(now).year
    quota, used = _quota(session, row, year)
    result = check_submission(
        row.to_domain(bases_applications.attachment_kinds(session, row.id)),
        quota=quota,
        quota_used=used,
        applicant_county=row.county_code,
    )
    if not result.ok:
        raise RuleViolation(result.errors, status=422)
    row.submitted_at = now
    if row.first_submitted_at is None:
        row.first_submitted_at = now
        row.submission_year = year
    bases_applications.set_status(
        session, row, move.to, action="submit", actor_id=principal.user_id, now=now
    )
    set_etag(response, row)
    return to_public(row)


@router.get(
    "/base-applications/{application_id}/history",
    summary="An application's history",
    responses=problem_responses(404),
)
def get_base_application_history(
    application_id: str, principal: Reader, session: SessionDep
) -> Page[HistoryPublic]:
    """Every state change and step, oldest first (BASE-REVIEW-1)."""
    row = _application(session, principal, application_id)
    return listing(HistoryPublic, bases_applications.history(session, row.id))


# --- attachments ---------------------------------------------------------------------------------


def _attachments_url(application_id: str) -> str:
    return f"/api/v1/base-applications/{application_id}/attachments"


@router.post(
    "/base-applications/{application_id}/attachments",
    status_code=201,
    summary="Attach a file to an application",
    responses=problem_responses(404, 409, 413, 415),
)
def add_base_application_attachment(
    application_id: str,
    kind: Annotated[AttachmentKind, Form()],
    file: Annotated[UploadFile, File()],
    principal: Editor,
    session: SessionDep,
    files: FilesDep,
    ctx: ContextDep,
    response: Response,
) -> AttachmentPublic:
    """A file of kind `application_form`, `plan`, `photo`, `entrustment_letter` or `other`;
    its type is judged by its content (BASE-APPLY-2, BASE-ELIG-1)."""
    if kind not in APPLICATION_KINDS:
        raise InvalidInput.one("kind", f"an application takes no {kind.value}", "kind")
    row = _application(session, principal, application_id)
    _refuse_unless_editable(row)
    return store_attachment(
        session,
        files,
        response,
        upload=file,
        kind=kind,
        limit=ctx.settings.max_upload_bytes,
        owner_type=OwnerType.APPLICATION,
        owner_id=row.id,
        base_id=row.base_id,
        county_code=row.county_code,
        uploaded_by=principal.user_id,
        url=_attachments_url(row.id),
    )


@router.get(
    "/base-applications/{application_id}/attachments",
    summary="List an application's attachments",
    responses=problem_responses(404),
)
def list_base_application_attachments(
    application_id: str, principal: Reader, session: SessionDep
) -> Page[AttachmentPublic]:
    """The application's files, in upload order."""
    row = _application(session, principal, application_id)
    return attachments_page(session, OwnerType.APPLICATION, row.id, _attachments_url(row.id))


@router.get(
    "/base-applications/{application_id}/attachments/{attachment_id}/content",
    summary="Download an application attachment",
    response_class=Response,
    responses={**problem_responses(404), 200: {"content": {"application/octet-stream": {}}}},
)
def get_base_application_attachment_content(
    application_id: str,
    attachment_id: str,
    principal: Reader,
    session: SessionDep,
    files: FilesDep,
) -> Response:
    """The file's bytes with its checked media type."""
    row = _application(session, principal, application_id)
    return download_attachment(session, files, OwnerType.APPLICATION, row.id, attachment_id)


@router.delete(
    "/base-applications/{application_id}/attachments/{attachment_id}",
    status_code=204,
    summary="Remove an application attachment",
    responses=problem_responses(404, 409, 412),
)
def delete_base_application_attachment(
    application_id: str,
    attachment_id: str,
    principal: Editor,
    session: SessionDep,
    files: FilesDep,
    request: Request,
) -> Response:
    """Only while the application is a draft or returned."""
    row = _application(session, principal, application_id)
    _refuse_unless_editable(row)
    return remove_attachment(session, files, request, OwnerType.APPLICATION, row.id, attachment_id)


# --- review --------------------------------------------------------------------------------------


def _review_public(review: bases_applications.ReviewRow) -> ReviewPublic:
    return ReviewPublic.model_validate(review, from_attributes=True)


@router.post(
    "/base-applications/{application_id}/reviewers",
    status_code=201,
    summary="Assign a reviewer",
    responses=problem_responses(404, 409),
)
def assign_base_application_reviewer(
    application_id: str,
    body: ReviewerAssign,
    principal: CityAdmin,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> ReviewPublic:
    """Adds a member of the review panel; the first assignment starts the review
    (BASE-REVIEW-1)."""
    row = _application(session, principal, application_id)
    status = row.status_enum
    if status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW):
        raise RuleViolation(
            [
                Finding(
                    rule="BASE-REVIEW-1",
                    field="status",
                    message=f"reviewers are assigned to submitted applications; this one is "
                    f"{status.value}",
                )
            ],
            status=409,
        )
    reviewer = session.get(users.User, body.reviewer_id)
    if reviewer is None or reviewer.role != Role.REVIEWER.value or not reviewer.is_active:
        raise InvalidInput.one("reviewer_id", "not an active reviewer", "not_reviewer")
    review = bases_applications.assign_reviewer(
        session, row, reviewer_id=reviewer.id, assigned_by=principal.user_id
    )
    if status is ApplicationStatus.SUBMITTED:
        move = transition_application(status, ApplicationAction.START_REVIEW)
        if move.to is not None:
            bases_applications.set_status(
                session, row, move.to, action="start_review", actor_id=principal.user_id, now=now
            )
    bases_applications.add_history(
        session,
        row,
        action="assign_reviewer",
        actor_id=principal.user_id,
        now=now,
        note=reviewer.username,
    )
    response.headers["Location"] = f"/api/v1/base-applications/{row.id}/reviewers/{review.id}"
    set_etag(response, review)
    return _review_public(review)


@router.get(
    "/base-applications/{application_id}/reviewers",
    summary="List an application's reviewers and opinions",
    responses=problem_responses(404),
)
def list_base_application_reviewers(
    application_id: str, principal: Reader, session: SessionDep
) -> Page[ReviewPublic]:
    """The panel and its opinions; a reviewer sees only its own."""
    row = _application(session, principal, application_id)
    reviews = bases_applications.reviews(session, row.id)
    if principal.role is Role.REVIEWER:
        reviews = [r for r in reviews if r.reviewer_id == principal.user_id]
    return Page(items=[_review_public(r) for r in reviews], next_cursor=None)


@router.post(
    "/base-applications/{application_id}/opinions",
    status_code=201,
    summary="Record the caller's review opinion",
    responses=problem_responses(404, 409),
)
def record_base_application_opinion(
    application_id: str,
    body: OpinionCreate,
    principal: Reviewer,
    session: SessionDep,
    now: NowDep,
) -> ReviewPublic:
    """One opinion per assigned reviewer: scores for every criterion, a recommendation and a
    comment, or a declination with the conflict of interest (BASE-REVIEW-1)."""
    row = _application(session, principal, application_id)
    review = bases_applications.review_of(session, row.id, principal.user_id)
    if review is None:
        raise Conflict("you are not assigned to this application")
    if review.state != "assigned":
        raise RuleViolation(
            [
                Finding(
                    rule="BASE-REVIEW-1",
                    field="state",
                    message=f"your opinion is already recorded ({review.state})",
                )
            ],
            status=409,
        )
    if row.status_enum is not ApplicationStatus.UNDER_REVIEW:
        raise RuleViolation(
            [
                Finding(
                    rule="BASE-REVIEW-1",
                    field="status",
                    message=f"the application is {row.status}, not under review",
                )
            ],
            status=409,
        )
    if body.declined:
        if not body.conflict_reason.strip():
            raise InvalidInput.one("conflict_reason", "state the conflict of interest", "missing")
        review = bases_applications.decline_review(
            session, review, reason=body.conflict_reason, now=now
        )
        action = "review_declined"
    else:
        result = check_opinion(body.scores, body.comment)
        findings = list(result.errors)
        if body.recommendation is None:
            findings.append(
                Finding(
                    rule="BASE-REVIEW-1",
                    field="recommendation",
                    message="recommend approve, reject or return",
                )
            )
        if findings or body.recommendation is None:
            raise RuleViolation(findings, status=422)
        review = bases_applications.record_opinion(
            session,
            review,
            scores=body.scores,
            recommendation=body.recommendation,
            comment=body.comment,
            now=now,
        )
        action = "review_opinion"
    bases_applications.add_history(session, row, action=action, actor_id=principal.user_id, now=now)
    return _review_public(review)


@router.post(
    "/base-applications/{application_id}/inspections",
    status_code=201,
    summary="Record the inspection and acceptance",
    responses=problem_responses(404, 409),
)
def record_base_application_inspection(
    application_id: str,
    body: InspectionCreate,
    principal: CityAdmin,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> InspectionPublic:
    """The 考核验收 of an application under review; an approval needs a passed one
    (BASE-REVIEW-1)."""
    row = _application(session, principal, application_id)
    if row.status_enum is not ApplicationStatus.UNDER_REVIEW:
        raise RuleViolation(
            [
                Finding(
                    rule="BASE-REVIEW-1",
                    field="status",
                    message=f"the inspection follows the review; the application is {row.status}",
                )
            ],
            status=409,
        )
    if body.inspected_on > local_date(now):
        raise InvalidInput.one("inspected_on", "an inspection is recorded once done", "future")
    inspection = bases_applications.add_inspection(
        session,
        row,
        inspected_on=body.inspected_on,
        inspectors=body.inspectors,
        findings=body.findings,
        passed=body.passed,
        recorded_by=principal.user_id,
    )
    bases_applications.add_history(
        session,
        row,
        action="inspection",
        actor_id=principal.user_id,
        now=now,
        note="passed" if body.passed else "not passed",
    )
    location = f"/api/v1/base-applications/{row.id}/inspections"
    return created(response, location, inspection, InspectionPublic)


@router.get(
    "/base-applications/{application_id}/inspections",
    summary="List an application's inspections",
    responses=problem_responses(404),
)
def list_base_application_inspections(
    application_id: str, principal: Reader, session: SessionDep
) -> Page[InspectionPublic]:
    """The inspections recorded, oldest first."""
    row = _application(session, principal, application_id)
    return listing(InspectionPublic, bases_applications.inspections(session, row.id))


@router.post(
    "/base-applications/{application_id}/decision",
    summary="Approve, reject or return an application",
    responses=problem_responses(404, 409),
)
def decide_base_application(
    application_id: str,
    body: DecisionCreate,
    principal: CityAdmin,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> ApplicationPublic:
    """BASE-REVIEW-1: approval (after a passed inspection) creates the base with its accreditation
    date, plaque number and public announcement; rejection and return need a written note."""
    row = _application(session, principal, application_id)
    action = ApplicationAction(body.decision)
    passed = any(i.passed for i in bases_applications.inspections(session, row.id))
    move = transition_application(row.status_enum, action, inspection_passed=passed)
    if move.to is None:
        raise RuleViolation(move.errors, status=409)
    if action is not ApplicationAction.APPROVE and not body.note.strip():
        raise InvalidInput.one("note", "a rejection or return states its reason", "missing")
    row.decided_at = now
    row.decided_by = principal.user_id
    row.decision_note = body.note
    if action is ApplicationAction.APPROVE:
        _accredit(session, row, now)
    bases_applications.set_status(
        session,
        row,
        move.to,
        action=body.decision,
        actor_id=principal.user_id,
        now=now,
        note=body.note,
    )
    set_etag(response, row)
    return to_public(row)


def _accredit(session: Session, row: ApplicationRow, now: datetime) -> None:
    """The approved application becomes a base, with plaque and announcement (Art. 18)."""
    today = local_date(now)
    category = BaseCategory(row.category) if row.category else BaseCategory.OTHER
    opening_class = derived_opening_class(category, row.subtype)
    if row.region_code is None:
        raise InvalidInput.one("region_code", "the base's region is required", "missing")
    plaque = bases.next_plaque_number(session, today.year)
    base = bases.create_base(
        session,
        fields={
            "name": row.applicant_name,
            "category": category.value,
            "subtype": row.subtype,
            "opening_class": opening_class.value,
            "region_code": row.region_code,
            "county_code": row.county_code,
            "address": row.venue_address,
            "opening_hours": row.opening_hours,
            "contact_phone": row.contact_phone,
            "credit_code": row.credit_code,
            "application_id": row.id,
            "accredited_on": today,
            "plaque_number": plaque,
            "status": BaseStatus.ACCREDITED.value,
            "evaluation_due_on": evaluation_due(today, [], policy_on(session, today)),
        },
    )
    bases.add_announcement(
        session,
        base,
        at=now,
        title="赤峰市科普教育基地认定公告",
        body=f"经评审和考核验收，{base.name}被认定为“赤峰市科普教育基地”，"
        f"牌匾编号 {plaque}，认定日期 {today.isoformat()}。",
    )
    if opening_class is OpeningClass.UNDETERMINED:
        bases_applications.add_history(
            session,
            row,
            action="class_undetermined",
            actor_id=None,
            now=now,
            note="BASE-OPEN-3: the city administrator sets the opening class",
        )
    row.base_id = base.id


# --- quotas --------------------------------------------------------------------------------------


@router.put(
    "/recommendation-quotas/{year}/{region_code}",
    summary="Set a county's recommendation quota",
    responses=problem_responses(412),
)
def put_recommendation_quota(
    year: Annotated[int, Path(ge=2000, le=2100)],
    region_code: str,
    body: QuotaSet,
    principal: CityAdmin,
    session: SessionDep,
    request: Request,
    response: Response,
) -> QuotaPublic:
    """BASE-APPLY-1: how many units a county may recommend in the year (名额)."""
    if regions.county_of(session, region_code) != region_code:
        raise InvalidInput.one("region_code", "a quota belongs to a county", "not_county")
    existing = bases_applications.get_quota(session, year=year, county_code=region_code)
    if existing is not None:
        check_if_match(request, existing)
    row, created = bases_applications.set_quota(
        session, year=year, county_code=region_code, quota=body.quota
    )
    used = bases_applications.quota_used(session, county_code=region_code, year=year, excluding="")
    if created:
        response.status_code = 201
        response.headers["Location"] = f"/api/v1/recommendation-quotas/{year}/{region_code}"
    set_etag(response, row)
    return QuotaPublic(
        year=year, region_code=region_code, quota=row.quota, used=used, updated_at=row.updated_at
    )


@router.get("/recommendation-quotas", summary="List recommendation quotas of a year")
def list_recommendation_quotas(
    principal: Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.AUDITOR)],
    session: SessionDep,
    year: Annotated[int, Query(ge=2000, le=2100)],
) -> Page[QuotaPublic]:
    """Each county's quota and use (a county administrator: its own)."""
    items = [
        QuotaPublic(
            year=q.year,
            region_code=q.county_code,
            quota=q.quota,
            used=used,
            updated_at=q.updated_at,
        )
        for q, used in bases_applications.list_quotas(session, principal, year=year)
    ]
    return Page(items=items, next_cursor=None)
