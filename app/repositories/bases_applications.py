"""Applications for accreditation: the application, its reviews, inspection, history and the
county recommendation quotas (BASE-APPLY-1, BASE-APPLY-2, BASE-REVIEW-1, BASE-ELIG-1..8)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, ColumnElement, UniqueConstraint, false, func, true
from sqlmodel import Field, Session, col, select

from app.domain.access import Principal, Role
from app.domain.bases import (
    ApplicationChannel,
    ApplicationEvent,
    ApplicationStatus,
    BaseApplication,
    BaseCategory,
    ReviewRecommendation,
    ReviewState,
)
from app.domain.files import AttachmentKind
from app.errors import Conflict
from app.i18n import _
from app.repositories.attachments import AttachmentRow, OwnerType
from app.repositories.base import Entity, PageRequest, PageResult, Searchable, name_matches, save
from app.repositories.bases_common import page_under
from app.repositories.scope import get_in_scope, list_in_scope
from app.repositories.types import UTCDateTime
from app.repositories.users import User

#: The declared conditions of Art. 13 (BASE-ELIG-1..8), stored as they are on the form.
CONDITION_FIELDS = (
    "credit_code",
    "runs_activities_independently",
    "science_theme",
    "has_management_rules",
    "responsible_department",
    "has_work_plan",
    "has_annual_plan",
    "venue_address",
    "has_demo_equipment",
    "has_hall_or_gallery",
    "exhibits_labelled",
    "managers",
    "docents",
    "has_training_plan",
    "safety_fire_compliant",
    "accepts_guidance",
)


class ApplicationRow(Searchable, table=True):
    """An application, from draft to decision; it keeps its base's id once approved."""

    __tablename__ = "base_applications"
    __resource__ = "base_application"
    __name_column__ = "applicant_name"

    status: str = Field(default=ApplicationStatus.DRAFT.value, max_length=16, index=True)
    applicant_name: str = Field(default="", max_length=200)
    category: str | None = Field(default=None, max_length=16, index=True)
    subtype: str | None = Field(default=None, max_length=100)
    channel: str = Field(default=ApplicationChannel.DIRECT.value, max_length=32, index=True)
    recommender: str | None = Field(default=None, max_length=200)
    region_code: str | None = Field(default=None, foreign_key="regions.id", max_length=12)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    opening_hours: str = Field(default="", max_length=500)
    contact_phone: str = Field(default="", max_length=50)
    credit_code: str | None = Field(default=None, max_length=18)
    runs_activities_independently: bool = False
    science_theme: str = Field(default="", max_length=1000)
    has_management_rules: bool = False
    responsible_department: str = Field(default="", max_length=200)
    has_work_plan: bool = False
    has_annual_plan: bool = False
    #: In fen (分), so every database keeps the amount exact.
    annual_science_budget_fen: int | None = Field(
        default=None, sa_column=Column(BigInteger(), nullable=True)
    )
    venue_address: str = Field(default="", max_length=500)
    has_demo_equipment: bool = False
    has_hall_or_gallery: bool = False
    exhibits_labelled: bool = False
    managers: int = 0
    docents: int = 0
    has_training_plan: bool = False
    safety_fire_compliant: bool = False
    accepts_guidance: bool = False
    created_by: str | None = Field(default=None, max_length=26)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    first_submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submission_year: int | None = Field(default=None, index=True)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by: str | None = Field(default=None, max_length=26)
    decision_note: str = Field(default="", max_length=2000)
    base_id: str | None = Field(default=None, max_length=26, index=True)

    @classmethod
    def scope_clause(cls, principal: Principal) -> ColumnElement[bool]:
        """City-wide roles all; a county its county; a reviewer its assignments; base staff the
        application of its base."""
        if principal.city_wide:
            return true()
        if principal.role is Role.COUNTY_ADMIN:
            return col(cls.county_code) == principal.county_code
        if principal.role is Role.REVIEWER:
            assigned = select(ReviewRow.application_id).where(
                ReviewRow.reviewer_id == principal.user_id
            )
            return col(cls.id).in_(assigned)
        if principal.role is Role.BASE_STAFF and principal.base_id:
            return col(cls.base_id) == principal.base_id
        return false()

    @property
    def annual_science_budget(self) -> Decimal | None:
        """The budget in yuan, exact."""
        fen = self.annual_science_budget_fen
        return None if fen is None else Decimal(fen).scaleb(-2)

    @property
    def annual_science_budget_yuan(self) -> float | None:
        """The budget in yuan as the API answers it: a number with at most two decimals."""
        fen = self.annual_science_budget_fen
        return None if fen is None else fen / 100

    @property
    def status_enum(self) -> ApplicationStatus:
        """The status as its enum."""
        return ApplicationStatus(self.status)

    def to_domain(self, kinds: frozenset[AttachmentKind]) -> BaseApplication:
        """The application as the rule functions take it."""
        return BaseApplication(
            name=self.applicant_name,
            address=self.venue_address,
            category=BaseCategory(self.category) if self.category else None,
            subtype=self.subtype,
            channel=ApplicationChannel(self.channel),
            recommender=self.recommender,
            region_code=self.region_code,
            annual_science_budget=self.annual_science_budget,
            attachment_kinds=kinds,
            **{name: getattr(self, name) for name in CONDITION_FIELDS},
        )


class ReviewRow(Entity, table=True):
    """A reviewer assigned to an application, and the one opinion (or declination) given."""

    __tablename__ = "base_application_reviews"
    __resource__ = "base_application_review"
    __table_args__ = (UniqueConstraint("application_id", "reviewer_id"),)

    application_id: str = Field(foreign_key="base_applications.id", max_length=26, index=True)
    reviewer_id: str = Field(foreign_key="users.id", max_length=26, index=True)
    county_code: str | None = Field(default=None, max_length=12)
    assigned_by: str | None = Field(default=None, max_length=26)
    state: str = Field(default="assigned", max_length=16)
    scores: dict[str, int] | None = Field(default=None, sa_column=Column(JSON))
    recommendation: str | None = Field(default=None, max_length=16)
    comment: str = Field(default="", max_length=4000)
    conflict_reason: str = Field(default="", max_length=1000)
    responded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def owner_id(self) -> str:
        """A reviewer follows its own assignments in the change feed."""
        return self.reviewer_id


class InspectionRow(Entity, table=True):
    """BASE-REVIEW-1: the inspection and acceptance (考核验收) of an applicant."""

    __tablename__ = "base_application_inspections"
    __resource__ = "base_application_inspection"

    application_id: str = Field(foreign_key="base_applications.id", max_length=26, index=True)
    county_code: str | None = Field(default=None, max_length=12)
    inspected_on: date
    inspectors: str = Field(max_length=500)
    findings: str = Field(max_length=4000)
    passed: bool
    recorded_by: str | None = Field(default=None, max_length=26)


class HistoryRow(Entity, table=True):
    """BASE-REVIEW-1: one step in an application's life, kept for good."""

    __tablename__ = "base_application_events"

    application_id: str = Field(foreign_key="base_applications.id", max_length=26, index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    actor_id: str | None = Field(default=None, max_length=26)
    action: str = Field(max_length=32)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str | None = Field(default=None, max_length=16)
    note: str = Field(default="", max_length=2000)


class QuotaRow(Entity, table=True):
    """BASE-APPLY-1: how many applications a county may recommend in a year (名额)."""

    __tablename__ = "recommendation_quotas"
    __resource__ = "recommendation_quota"
    __table_args__ = (UniqueConstraint("year", "county_code"),)

    year: int
    county_code: str = Field(foreign_key="regions.id", max_length=12)
    quota: int


# --- applications ------------------------------------------------------------------------------


def create_application(
    session: Session,
    *,
    values: dict[str, Any],
    county_code: str | None,
    actor_id: str,
    now: datetime,
) -> ApplicationRow:
    """Store a new draft, with its first history entry."""
    row = ApplicationRow(**values, county_code=county_code, created_by=actor_id)
    save(session, row)
    create = ApplicationEvent.CREATE
    add_history(session, row, action=create, actor_id=actor_id, now=now, to_status=row.status)
    return row


def get_application(session: Session, principal: Principal, application_id: str) -> ApplicationRow:
    """An application in the caller's scope, or 404."""
    return get_in_scope(session, principal, ApplicationRow, application_id)


def list_applications(
    session: Session,
    principal: Principal,
    *,
    page: PageRequest,
    status: ApplicationStatus | None,
    channel: ApplicationChannel | None,
    category: BaseCategory | None,
    region_code: str | None,
    year: int | None,
    q: str | None = None,
) -> PageResult[ApplicationRow]:
    """Applications in scope, filtered (`q` by the applicant's name); `year` is the year of
    first submission."""
    where = [name_matches(ApplicationRow, q)]
    if region_code is not None:
        where.append(region_clause(col(ApplicationRow.region_code), region_code))
    return list_in_scope(
        session,
        principal,
        ApplicationRow,
        page,
        *where,
        equal={"status": status, "channel": channel, "category": category, "submission_year": year},
    )


def region_clause(column: Any, code: str) -> ColumnElement[bool]:
    """Rows whose region lies in `code`: GB/T 2260 codes nest by prefix, and a 6-digit code of a
    province or city ends in 0000 or 00."""
    prefix = code
    if len(code) == 6 and code.endswith("0000"):
        prefix = code[:2]
    elif len(code) == 6 and code.endswith("00"):
        prefix = code[:4]
    return column.startswith(prefix)  # type: ignore[no-any-return]


def add_history(
    session: Session,
    row: ApplicationRow,
    *,
    action: ApplicationEvent,
    actor_id: str | None,
    now: datetime,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str = "",
) -> HistoryRow:
    """Append one step to the application's history."""
    entry = HistoryRow(
        application_id=row.id,
        at=now,
        actor_id=actor_id,
        action=action.value,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )
    session.add(entry)
    return entry


def history(session: Session, application_id: str, page: PageRequest) -> PageResult[HistoryRow]:
    """A page of the steps of an application, oldest first."""
    return page_under(session, HistoryRow, application_id, page, parent="application_id")


def update_application(
    session: Session, row: ApplicationRow, values: dict[str, Any]
) -> ApplicationRow:
    """Store new values of a draft or returned application (already checked)."""
    for name, value in values.items():
        setattr(row, name, value)
    return save(session, row)


def mark_submitted(session: Session, row: ApplicationRow, *, at: datetime, year: int) -> None:
    """BASE-APPLY-1: the time of this submission; the first one fixes the quota year."""
    row.submitted_at = at
    if row.first_submitted_at is None:
        row.first_submitted_at = at
        row.submission_year = year


def mark_decided(
    session: Session,
    row: ApplicationRow,
    *,
    at: datetime,
    by: str,
    reason: str,
    base_id: str | None,
) -> None:
    """BASE-REVIEW-1: who decided, when, why, and the base an approval created."""
    row.decided_at = at
    row.decided_by = by
    row.decision_note = reason
    if base_id is not None:
        row.base_id = base_id


def set_status(
    session: Session,
    row: ApplicationRow,
    to: ApplicationStatus,
    *,
    action: ApplicationEvent,
    actor_id: str,
    now: datetime,
    note: str = "",
) -> None:
    """Move an application to `to`, recording the step."""
    before = row.status
    row.status = to.value
    session.add(row)
    add_history(
        session,
        row,
        action=action,
        actor_id=actor_id,
        now=now,
        from_status=before,
        to_status=to.value,
        note=note,
    )
    session.flush()


def attachment_kinds(session: Session, application_id: str) -> frozenset[AttachmentKind]:
    """The kinds of file attached to an application."""
    stmt = select(AttachmentRow.kind).where(
        AttachmentRow.owner_type == OwnerType.APPLICATION.value,
        AttachmentRow.owner_id == application_id,
    )
    return frozenset(AttachmentKind(k) for k in session.exec(stmt).unique())


def quota_used(session: Session, *, county_code: str, year: int, excluding: str) -> int:
    """BASE-APPLY-1: the county's recommendations of `year` submitted so far, except one."""
    stmt = select(func.count()).where(
        ApplicationRow.channel == ApplicationChannel.COUNTY_ASSOCIATION.value,
        ApplicationRow.recommender == county_code,
        ApplicationRow.submission_year == year,
        ApplicationRow.id != excluding,
    )
    return int(session.exec(stmt).one())


# --- review --------------------------------------------------------------------------------------


def reviews(
    session: Session, principal: Principal, application_id: str, page: PageRequest
) -> PageResult[ReviewRow]:
    """A page of the reviewers of an application and their opinions, in assignment order; a
    reviewer sees only its own."""
    where = (
        [col(ReviewRow.reviewer_id) == principal.user_id] if principal.role is Role.REVIEWER else []
    )
    return page_under(session, ReviewRow, application_id, page, *where, parent="application_id")


def active_reviewer(session: Session, reviewer_id: str) -> User | None:
    """The user with this id if it is an active reviewer."""
    user = session.get(User, reviewer_id)
    if user is None or user.role != Role.REVIEWER.value or not user.is_active:
        return None
    return user


def assign_reviewer(
    session: Session, row: ApplicationRow, *, reviewer_id: str, assigned_by: str
) -> ReviewRow:
    """Assign a reviewer once; 409 when already assigned."""
    existing = session.exec(
        select(ReviewRow.id).where(
            ReviewRow.application_id == row.id, ReviewRow.reviewer_id == reviewer_id
        )
    ).first()
    if existing is not None:
        raise Conflict(_("this reviewer is already assigned"))
    review = ReviewRow(
        application_id=row.id,
        reviewer_id=reviewer_id,
        county_code=row.county_code,
        assigned_by=assigned_by,
    )
    return save(session, review)


def review_states(session: Session, application_id: str) -> list[ReviewState]:
    """Where each assignment of an application stands (BASE-REVIEW-2)."""
    stmt = select(ReviewRow.state).where(ReviewRow.application_id == application_id)
    return [ReviewState(s) for s in session.exec(stmt)]


def review_of(session: Session, application_id: str, reviewer_id: str) -> ReviewRow | None:
    """The assignment of one reviewer to one application."""
    return session.exec(
        select(ReviewRow).where(
            ReviewRow.application_id == application_id, ReviewRow.reviewer_id == reviewer_id
        )
    ).first()


def record_opinion(
    session: Session,
    review: ReviewRow,
    *,
    scores: dict[str, int],
    recommendation: ReviewRecommendation,
    note: str,
    now: datetime,
) -> ReviewRow:
    """The reviewer's one opinion."""
    review.state = ReviewState.SUBMITTED.value
    review.scores = scores
    review.recommendation = recommendation.value
    review.comment = note
    review.responded_at = now
    return save(session, review)


def decline_review(session: Session, review: ReviewRow, *, reason: str, now: datetime) -> ReviewRow:
    """The reviewer declines for a conflict of interest."""
    review.state = ReviewState.DECLINED.value
    review.conflict_reason = reason
    review.responded_at = now
    return save(session, review)


def add_inspection(
    session: Session,
    row: ApplicationRow,
    *,
    inspected_on: date,
    inspectors: str,
    note: str,
    passed: bool,
    recorded_by: str,
) -> InspectionRow:
    """Record the inspection and acceptance (考核验收)."""
    inspection = InspectionRow(
        application_id=row.id,
        county_code=row.county_code,
        inspected_on=inspected_on,
        inspectors=inspectors,
        findings=note,
        passed=passed,
        recorded_by=recorded_by,
    )
    return save(session, inspection)


def inspections(
    session: Session, application_id: str, page: PageRequest
) -> PageResult[InspectionRow]:
    """A page of the inspections of an application, in the order they were recorded."""
    return page_under(session, InspectionRow, application_id, page, parent="application_id")


def inspection_passed(session: Session, application_id: str) -> bool:
    """BASE-REVIEW-1: whether a passed inspection (考核验收) is on record."""
    stmt = select(InspectionRow.id).where(
        InspectionRow.application_id == application_id, col(InspectionRow.passed).is_(True)
    )
    return session.exec(stmt).first() is not None


# --- quotas --------------------------------------------------------------------------------------


def get_quota(session: Session, *, year: int, county_code: str) -> QuotaRow | None:
    """A county's quota for a year, if set."""
    return session.exec(
        select(QuotaRow).where(QuotaRow.year == year, QuotaRow.county_code == county_code)
    ).first()


def set_quota(
    session: Session, *, year: int, county_code: str, quota: int
) -> tuple[QuotaRow, bool]:
    """Create or change a quota; True when created."""
    row = get_quota(session, year=year, county_code=county_code)
    created = row is None
    if row is None:
        row = QuotaRow(year=year, county_code=county_code, quota=quota)
    else:
        row.quota = quota
    save(session, row)
    return row, created


def list_quotas(
    session: Session, principal: Principal, *, year: int, page: PageRequest
) -> tuple[PageResult[QuotaRow], dict[str, int]]:
    """A page of the quotas of a year in scope, and the recommendations already submitted by
    each county of the page."""
    result = list_in_scope(session, principal, QuotaRow, page, equal={"year": year})
    counties = [r.county_code for r in result.items]
    used_stmt = (
        select(ApplicationRow.recommender, func.count())
        .where(
            ApplicationRow.channel == ApplicationChannel.COUNTY_ASSOCIATION.value,
            ApplicationRow.submission_year == year,
            col(ApplicationRow.recommender).in_(counties),
        )
        .group_by(col(ApplicationRow.recommender))
    )
    return result, {str(k): int(n) for k, n in session.exec(used_stmt)}
