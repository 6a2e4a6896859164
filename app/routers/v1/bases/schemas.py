"""The API models of the bases area: applications, bases and their records, oversight,
policies and the public directory. Every name is unique across the spec (`Base…`, `PublicBase…`,
`RecommendationQuota…`), and one concept has one field name: the application's unit and the
base it becomes share `name`, `address`, ...; `note` is a remark, `reason` the grounds of a
decision, `findings` only rule results; dates end in `_on`, instants in `_at`."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    model_validator,
)

from app.domain.bases import (
    ApplicationChannel,
    ApplicationEvent,
    ApplicationStatus,
    BaseCategory,
    BaseStatus,
    EvaluationOutcome,
    InspectionKind,
    NoticeOutcome,
    OpeningClass,
    ProductForm,
    PromotionKind,
    ReviewRecommendation,
    ReviewState,
    RevocationGround,
)
from app.domain.common import (
    Count,
    Day,
    Integer,
    JsonInteger,
    Moment,
    NonNegativeYuan,
    Observance,
)
from app.domain.files import APPLICATION_KINDS, ARCHIVE_KINDS, AttachmentKind
from app.errors import FindingPublic
from app.i18n import _
from app.repositories.bases import BaseRow
from app.repositories.bases_applications import ApplicationRow
from app.routers.fields import Partial
from app.routers.files import kinds_schema
from app.rules import bases_compliance
from app.rules.bases_compliance import REQUIRED_WORDS, ComplianceStatus
from app.rules.bases_evaluation import EvaluationSchedule
from app.services.bases import ActivityView, BaseCompliance, ReportView, Standing

BIG = 10**9
#: A region code of any level: 6 (county and above), 9 (township) or 12 (village) digits.
REGION_PATTERN = r"^\d{6}(\d{3}(\d{3})?)?$"
PHONE_PATTERN = r"^\+?[0-9-]{5,20}$"
EMAIL_PATTERN = r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$"


def _alias(*names: str) -> Any:
    """Read a field from the row column spelled otherwise (the API's name first)."""
    return Field(validation_alias=AliasChoices(*names))


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})


#: BASE-APPLY-2: the kinds of file an application takes, as its upload form declares them.
ApplicationAttachmentKind = Annotated[AttachmentKind, kinds_schema(APPLICATION_KINDS)]
#: BASE-ARCHIVE-1: the kinds of file an activity or an annual report keeps.
ArchiveAttachmentKind = Annotated[AttachmentKind, kinds_schema(ARCHIVE_KINDS)]


# --- applications --------------------------------------------------------------------------------


class _ApplicationFields(Partial):
    """The applicant's form: the unit, its category and channel, and the conditions of Art. 13."""

    clearable = frozenset(
        {"category", "subtype", "recommender", "credit_code", "annual_science_budget"}
    )

    name: str | None = Field(default=None, min_length=1, max_length=200)
    category: BaseCategory | None = None
    subtype: str | None = Field(default=None, max_length=100)
    channel: ApplicationChannel | None = None
    recommender: str | None = Field(default=None, max_length=200)
    region_code: str | None = Field(default=None, pattern=REGION_PATTERN)
    address: str | None = Field(default=None, max_length=500)
    opening_hours: str | None = Field(default=None, max_length=500)
    contact_phone: str | None = Field(default=None, max_length=50)
    credit_code: str | None = Field(default=None, max_length=18)
    runs_activities_independently: StrictBool | None = None
    science_theme: str | None = Field(default=None, max_length=1000)
    has_management_rules: StrictBool | None = None
    responsible_department: str | None = Field(default=None, max_length=200)
    has_work_plan: StrictBool | None = None
    has_annual_plan: StrictBool | None = None
    annual_science_budget: NonNegativeYuan | None = None
    has_demo_equipment: StrictBool | None = None
    has_hall_or_gallery: StrictBool | None = None
    exhibits_labelled: StrictBool | None = None
    managers: Annotated[int, Field(ge=0, le=100000), JsonInteger] | None = None
    docents: Annotated[int, Field(ge=0, le=100000), JsonInteger] | None = None
    has_training_plan: StrictBool | None = None
    safety_fire_compliant: StrictBool | None = None
    accepts_guidance: StrictBool | None = None


_APPLICATION_EXAMPLE: dict[str, Any] = {
    "name": "赤峰市科技馆",
    "category": "venue",
    "subtype": "science_center",
    "channel": "direct",
    "region_code": "150402",
    "address": "内蒙古自治区赤峰市红山区新华路1号",
    "opening_hours": "周二至周日 9:00-17:00",
    "contact_phone": "0476-8888888",
    "credit_code": "12150402MB1234567J",
    "runs_activities_independently": True,
    "science_theme": "天文与航天科普",
    "has_management_rules": True,
    "responsible_department": "科普部",
    "has_work_plan": True,
    "has_annual_plan": True,
    "annual_science_budget": 120000.5,
    "has_demo_equipment": True,
    "has_hall_or_gallery": True,
    "exhibits_labelled": True,
    "managers": 3,
    "docents": 8,
    "has_training_plan": True,
    "safety_fire_compliant": True,
    "accepts_guidance": True,
}


class BaseApplicationCreate(_ApplicationFields):
    """A new draft: the unit's name and region at least; the rest may follow."""

    model_config = _examples(_APPLICATION_EXAMPLE)

    name: str = Field(min_length=1, max_length=200)
    region_code: str = Field(pattern=REGION_PATTERN)


class BaseApplicationUpdate(_ApplicationFields):
    """Changes to a draft or returned application; null clears an optional value."""

    model_config = _examples({"docents": 10, "annual_science_budget": 150000, "subtype": None})


class BaseApplicationPublic(BaseModel):
    """An application as the API shows it; the unit's fields are named as on its base."""

    id: str
    status: ApplicationStatus
    name: str = _alias("name", "applicant_name")
    category: BaseCategory | None
    subtype: str | None
    channel: ApplicationChannel
    recommender: str | None
    region_code: str | None
    county_code: str | None
    address: str = _alias("address", "venue_address")
    opening_hours: str
    contact_phone: str
    credit_code: str | None
    runs_activities_independently: bool
    science_theme: str
    has_management_rules: bool
    responsible_department: str
    has_work_plan: bool
    has_annual_plan: bool
    annual_science_budget: float | None = _alias(
        "annual_science_budget", "annual_science_budget_yuan"
    )
    has_demo_equipment: bool
    has_hall_or_gallery: bool
    exhibits_labelled: bool
    managers: int
    docents: int
    has_training_plan: bool
    safety_fire_compliant: bool
    accepts_guidance: bool
    submitted_at: Moment | None
    first_submitted_at: Moment | None
    submission_year: int | None
    decided_at: Moment | None
    reason: str = _alias("reason", "decision_note")
    base_id: str | None
    created_at: Moment
    updated_at: Moment

    @classmethod
    def of(cls, row: ApplicationRow) -> BaseApplicationPublic:
        """The public view of an application row (its budget in yuan)."""
        return cls.model_validate(
            {
                **row.model_dump(exclude={"annual_science_budget_fen"}),
                "annual_science_budget": row.annual_science_budget_yuan,
            }
        )


class BaseApplicationEligibilityPublic(BaseModel):
    """BASE-ELIG-1..8 and everything else submission checks, for form pre-checks."""

    eligible: bool
    unmet: list[str]
    eligibility: list[FindingPublic]
    category: list[FindingPublic]
    materials: list[FindingPublic]
    channel: list[FindingPublic]
    ready_to_submit: bool


class BaseApplicationReviewerCreate(BaseModel):
    """A reviewer (a user with role `reviewer`) for the panel (评审小组)."""

    model_config = _examples({"reviewer_id": "01JD3Z6ZK1Q8W5M2N7P4R9T0VX"})

    reviewer_id: str = Field(min_length=1, max_length=26)


class BaseApplicationOpinionCreate(BaseModel):
    """A reviewer's one opinion (scores per criterion, a recommendation and a note), or a
    declination with its reason (a conflict of interest)."""

    model_config = _examples(
        {
            "scores": {
                "content": 9,
                "management": 8,
                "funding": 7,
                "facilities": 9,
                "staff": 8,
                "safety": 10,
            },
            "recommendation": "approve",
            "note": "展陈内容科学规范，讲解队伍稳定，建议认定。",
        },
        {"declined": True, "reason": "本人曾在申报单位任职"},
    )

    declined: StrictBool = False
    reason: str = Field(default="", max_length=1000)
    scores: dict[str, int] = Field(default_factory=dict)
    recommendation: ReviewRecommendation | None = None
    note: str = Field(default="", max_length=4000)


class BaseApplicationReviewPublic(BaseModel):
    """A reviewer's assignment and response."""

    id: str
    application_id: str
    reviewer_id: str
    state: ReviewState
    scores: dict[str, int] | None
    recommendation: ReviewRecommendation | None
    note: str = _alias("note", "comment")
    reason: str = _alias("reason", "conflict_reason")
    responded_at: Moment | None
    created_at: Moment


class BaseApplicationInspectionCreate(BaseModel):
    """The inspection and acceptance (考核验收) of the applicant."""

    model_config = _examples(
        {
            "inspected_on": "2025-06-18",
            "inspectors": "王建国、李敏",
            "note": "场馆、展品与讲解符合条件",
            "passed": True,
        }
    )

    inspected_on: Day
    inspectors: str = Field(min_length=1, max_length=500)
    note: str = Field(min_length=1, max_length=4000)
    passed: StrictBool


class BaseApplicationInspectionPublic(BaseModel):
    """A recorded inspection and acceptance."""

    id: str
    application_id: str
    inspected_on: Day
    inspectors: str
    note: str = _alias("note", "findings")
    passed: bool
    created_at: Moment


class BaseApplicationDecisionCreate(BaseModel):
    """The reason of a rejection or a return (BASE-REVIEW-1)."""

    model_config = _examples({"reason": "科普经费证明材料不全，请补充后重新提交。"})

    reason: str = Field(min_length=1, max_length=2000)


class BaseApplicationHistoryPublic(BaseModel):
    """One step of an application's life."""

    occurred_at: Moment = _alias("occurred_at", "at")
    actor_id: str | None
    action: ApplicationEvent
    from_status: ApplicationStatus | None
    to_status: ApplicationStatus | None
    note: str


class RecommendationQuotaPut(BaseModel):
    """A county's number of recommendations (名额) for the year."""

    model_config = _examples({"quota": 3})

    quota: Integer = Field(ge=0, le=1000)


class RecommendationQuotaPublic(BaseModel):
    """A county's quota and how much of it is used."""

    year: int
    county_code: str
    quota: int
    used: int
    updated_at: Moment


# --- bases ---------------------------------------------------------------------------------------


class BasePublic(BaseModel):
    """A base as signed-in callers see it; the liaison's phone is masked unless revealed."""

    id: str
    name: str
    category: BaseCategory
    subtype: str | None
    opening_class: OpeningClass
    opening_class_reason: str | None = _alias("opening_class_reason", "class_override_reason")
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
    accredited_on: Day
    plaque_number: str
    status: BaseStatus
    revoked_at: Moment | None
    lapses_on: Day | None
    evaluation_due_on: Day
    evaluation_overdue: bool
    created_at: Moment
    updated_at: Moment

    @classmethod
    def of(cls, row: BaseRow, standing: Standing, liaison_phone: str | None) -> BasePublic:
        """The signed-in view of a base, with its standing and the liaison phone to show."""
        return cls.model_validate(
            {
                **row.model_dump(),
                "liaison_phone": liaison_phone,
                "status": standing.status,
                "evaluation_overdue": standing.evaluation_overdue,
            }
        )


class BaseUpdate(Partial):
    """What base staff keep current (contact, liaison) and what only the city administrator
    sets (the opening class, with its reason: BASE-OPEN-3)."""

    model_config = _examples(
        {
            "opening_hours": "周二至周日 9:00-17:00",
            "liaison_name": "张丽",
            "liaison_phone": "13904761234",
            "liaison_email": "kepu@cfkjg.cn",
        },
        {"opening_class": "public", "opening_class_reason": "免费向公众开放的科技馆"},
    )

    clearable = frozenset({"liaison_phone"})

    address: str | None = Field(default=None, max_length=500)
    opening_hours: str | None = Field(default=None, max_length=500)
    contact_phone: str | None = Field(default=None, max_length=50)
    liaison_name: str | None = Field(default=None, max_length=100)
    liaison_phone: str | None = Field(default=None, pattern=PHONE_PATTERN)
    liaison_email: str | None = Field(default=None, max_length=200, pattern=EMAIL_PATTERN)
    opening_class: OpeningClass | None = None
    opening_class_reason: str | None = Field(default=None, max_length=1000)


class BaseClassChangePublic(BaseModel):
    """BASE-OPEN-3: one override of the opening class."""

    changed_at: Moment = _alias("changed_at", "at")
    actor_id: str | None
    from_class: OpeningClass
    to_class: OpeningClass
    reason: str


class BaseAnnouncementPublic(BaseModel):
    """BASE-REVIEW-1: the public announcement of an accreditation."""

    announced_at: Moment
    title: str
    body: str


class BaseMonthlyStatPut(BaseModel):
    """BASE-OPEN-4: a month's open days and visitors."""

    model_config = _examples({"open_days": 26, "visitors": 5400})

    open_days: Integer = Field(ge=-BIG, le=BIG)
    visitors: Integer = Field(ge=-BIG, le=BIG)


class BaseMonthlyStatBulkRow(BaseModel):
    """One row of `POST /bases/{base_id}/monthly-stats:bulk`: a month and its figures."""

    model_config = _examples({"year": 2025, "month": 3, "open_days": 26, "visitors": 5400})

    year: Integer = Field(ge=-BIG, le=BIG)
    month: Integer = Field(ge=-BIG, le=BIG)
    open_days: Integer = Field(ge=-BIG, le=BIG)
    visitors: Integer = Field(ge=-BIG, le=BIG)


class BaseMonthlyStatPublic(BaseModel):
    """A reported month."""

    year: int
    month: int
    open_days: int
    visitors: int
    updated_at: Moment


class BaseActivityCreate(BaseModel):
    """BASE-ACT-1, BASE-EVENT-1: a public science activity the base held; `observance` names
    the commemorative day it was held for, if any."""

    model_config = _examples(
        {
            "held_on": "2025-05-20",
            "title": "科技活动周：走进天文馆",
            "form": "讲座",
            "participants": 180,
            "observance": "sci_tech_week",
            "free_or_discounted": True,
            "description": "面向中小学生的天文科普讲座与观测体验",
        }
    )

    held_on: Day
    title: str = Field(max_length=200)
    form: str = Field(max_length=100)
    participants: Integer = Field(ge=-BIG, le=BIG)
    observance: Observance | None = None
    free_or_discounted: StrictBool = False
    description: str = Field(default="", max_length=4000)


class BaseActivityPublic(BaseModel):
    """An activity, whether it counts toward BASE-ACT-1, and what it still lacks."""

    id: str
    base_id: str
    held_on: Day
    title: str
    form: str
    participants: int
    observance: Observance | None
    free_or_discounted: bool
    description: str
    evidence_count: int
    counts: bool
    warnings: list[FindingPublic]
    created_at: Moment

    @classmethod
    def of(cls, view: ActivityView) -> BaseActivityPublic:
        """The public view of an activity and its rule results."""
        row = view.row
        return cls(
            id=row.id,
            base_id=row.base_id,
            held_on=row.held_on,
            title=row.title,
            form=row.form,
            participants=row.participants,
            observance=Observance(row.national_event) if row.national_event else None,
            free_or_discounted=row.free_or_discounted,
            description=row.description,
            evidence_count=view.evidence_count,
            counts=view.counts,
            warnings=FindingPublic.of(view.warnings),
            created_at=row.created_at,
        )


class BaseAnnualReportPut(BaseModel):
    """BASE-THEME-1, BASE-REPORT-1: the year's theme, summary and next year's plan."""

    model_config = _examples(
        {
            "theme": "科技创新 强国有我",
            "summary": "全年开放 280 天，接待观众 6.2 万人次，举办科普活动 24 场。",
            "next_year_plan": "新增航天主题展区，开展科普进校园活动 12 场。",
        }
    )

    theme: str = Field(default="", max_length=200)
    summary: str = Field(default="", max_length=20000)
    next_year_plan: str = Field(default="", max_length=20000)


class BaseAnnualReportPublic(BaseModel):
    """An annual report; `submitted_at` is the server's time of submission."""

    base_id: str
    year: int
    theme: str
    summary: str
    next_year_plan: str
    due_on: Day
    submitted_at: Moment | None
    on_time: bool | None
    days_late: int | None
    updated_at: Moment

    @classmethod
    def of(cls, view: ReportView) -> BaseAnnualReportPublic:
        """The public view of a report, with its due date."""
        row = view.row
        return cls(
            base_id=row.base_id,
            year=row.year,
            theme=row.theme,
            summary=row.summary,
            next_year_plan=row.next_year_plan,
            due_on=view.due_on,
            submitted_at=row.submitted_at,
            on_time=None if row.days_late is None else row.days_late == 0,
            days_late=row.days_late,
            updated_at=row.updated_at,
        )


class ComplianceItem(BaseModel):
    """One duty of one year: its rule, what was achieved and what is required."""

    rule: str
    measure: str
    status: ComplianceStatus
    actual: int | str | None = None
    required: int | str | None = None
    message: str
    days_late: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _rendered(cls, data: Any) -> Any:
        """An item of the rules (or its stored dump, which carries `params`), with its message
        and its worded `required` in the current language."""
        if isinstance(data, bases_compliance.ComplianceItem):
            data = data.model_dump()
        if not isinstance(data, dict) or "params" not in data:
            return data
        rendered = {k: v for k, v in data.items() if k != "params"}
        rendered["message"] = _(str(data["message"]), **(data["params"] or {}))
        required = data.get("required")
        if isinstance(required, str) and required in REQUIRED_WORDS:
            rendered["required"] = _(required)
        return rendered


class BaseCompliancePublic(BaseModel):
    """One base's duties of one year (BASE-OPEN-1..4, BASE-ACT-1, BASE-THEME-1, BASE-REPORT-1,
    BASE-EVENT-1, BASE-LIAISON-1)."""

    base_id: str
    name: str
    region_code: str
    county_code: str | None
    status: BaseStatus
    year: int
    evaluated_on: Day
    final: bool
    opening_class: OpeningClass
    months_reported: int
    ok: bool
    items: list[ComplianceItem]

    @classmethod
    def of(cls, item: BaseCompliance) -> BaseCompliancePublic:
        """The public view of one base's compliance of one year."""
        base, c = item.base, item.compliance
        return cls(
            base_id=base.id,
            name=base.name,
            region_code=base.region_code,
            county_code=base.county_code,
            status=item.status,
            year=c.year,
            evaluated_on=c.evaluated_on,
            final=c.final,
            opening_class=c.opening_class,
            months_reported=c.months_reported,
            ok=c.ok,
            items=[ComplianceItem.model_validate(i) for i in c.items],
        )


class BaseComplianceSummary(BaseModel):
    """Counts of the dashboard: bases, bases without unmet or at-risk items, statuses per rule."""

    bases: int
    ok: int
    by_rule: dict[str, dict[ComplianceStatus, int]]


class BaseComplianceDashboard(BaseModel):
    """Every base in scope for one year, with the policy used."""

    year: int
    evaluated_on: Day
    policy_effective_on: Day
    summary: BaseComplianceSummary
    items: list[BaseCompliancePublic]


# --- oversight -----------------------------------------------------------------------------------


class BaseEvaluationCreate(BaseModel):
    """BASE-EVAL-1: the comprehensive evaluation of the current term and the reason of its
    outcome."""

    model_config = _examples(
        {
            "outcome": "pass",
            "reason": "三年来持续开放并发挥科普教育作用",
            "evaluated_on": "2026-05-20",
        }
    )

    outcome: EvaluationOutcome
    reason: str = Field(min_length=1, max_length=4000)
    evaluated_on: Day | None = None


class BaseEvaluationPublic(BaseModel):
    """A recorded evaluation and the yearly compliance it was based on."""

    id: str
    base_id: str
    evaluated_on: Day
    outcome: EvaluationOutcome
    reason: str = _alias("reason", "findings")
    term_number: int
    term_starts_on: Day = _alias("term_starts_on", "term_start")
    term_ends_on: Day = _alias("term_ends_on", "term_end")
    summaries: list[BaseCompliancePublic]
    created_at: Moment


class BaseEvaluationPrefill(BaseModel):
    """The current term, its evaluation window, and the yearly compliance of its years so far."""

    schedule: EvaluationSchedule
    summaries: list[BaseCompliancePublic]


class BaseInspectionCreate(BaseModel):
    """BASE-INSPECT-1: an inspection of the base and a note of what it found."""

    model_config = _examples(
        {
            "inspected_on": "2025-09-12",
            "kind": "unscheduled",
            "inspectors": "市科协科普部 刘洋",
            "note": "展品标识完整，消防通道畅通",
        }
    )

    inspected_on: Day
    kind: InspectionKind
    inspectors: str = Field(default="", max_length=500)
    note: str = Field(max_length=4000)


class BaseInspectionPublic(BaseModel):
    """A recorded inspection."""

    id: str
    base_id: str
    inspected_on: Day
    kind: InspectionKind
    inspectors: str
    note: str = _alias("note", "findings")
    created_at: Moment


class BasePromotionCreate(BaseModel):
    """BASE-PROMOTE-1: a recommendation upward of the base or of a science product."""

    model_config = _examples(
        {
            "kind": "science_product",
            "product_form": "animation",
            "title": "《草原上的星空》科普动画",
            "note": "推荐参加自治区优秀科普作品评选",
        }
    )

    kind: PromotionKind
    product_form: ProductForm | None = None
    title: str = Field(min_length=1, max_length=200)
    note: str = Field(default="", max_length=2000)
    recommended_on: Day | None = None


class BasePromotionPublic(BaseModel):
    """A recorded recommendation."""

    id: str
    base_id: str
    kind: PromotionKind
    product_form: ProductForm | None
    title: str
    note: str
    recommended_on: Day
    created_at: Moment


class BaseRectificationNoticeCreate(BaseModel):
    """BASE-REVOKE-3: the reason (what must be rectified) and the day it is due."""

    model_config = _examples({"reason": "以基地名义开展收费培训", "due_on": "2026-03-01"})

    reason: str = Field(max_length=4000)
    due_on: Day


class BaseRectificationNoticeClose(BaseModel):
    """How a notice ended."""

    model_config = _examples({"outcome": "rectified", "note": "已停止收费培训并退还费用"})

    outcome: NoticeOutcome
    note: str = Field(default="", max_length=2000)


class BaseRectificationNoticePublic(BaseModel):
    """A rectification notice and, once closed, how it ended."""

    id: str
    base_id: str
    reason: str = _alias("reason", "finding")
    due_on: Day = _alias("due_on", "deadline")
    issued_at: Moment
    outcome: NoticeOutcome | None
    closed_at: Moment | None
    note: str = _alias("note", "close_note")


class BaseRevocationCreate(BaseModel):
    """BASE-REVOKE-1..6: the grounds, the evidence, and a reason (required for `other`)."""

    model_config = _examples(
        {
            "grounds": ["title_misuse_unrectified"],
            "evidence": ["赤科协函〔2026〕12号 整改通知书", "现场检查记录"],
            "reason": "逾期未整改",
        }
    )

    grounds: list[RevocationGround] = Field(max_length=6)
    evidence: list[str] = Field(max_length=50)
    reason: str = Field(default="", max_length=4000)


class BaseRevocationPublic(BaseModel):
    """A revocation: grounds, evidence, reason, the notices behind ground 3, decider and time."""

    id: str
    base_id: str
    grounds: list[RevocationGround]
    evidence: list[str]
    reason: str
    supporting_notices: list[str]
    decided_by: str | None
    decided_at: Moment


# --- the public directory ------------------------------------------------------------------------


class PublicBaseAnnouncement(BaseModel):
    """The accreditation announcement."""

    announced_at: Moment
    title: str
    body: str


class PublicBase(BaseModel):
    """What anyone may know of an accredited base."""

    id: str
    name: str
    category: BaseCategory
    category_label: str
    subtype: str | None
    region_code: str
    address: str
    opening_hours: str
    contact_phone: str
    accredited_on: Day
    plaque_number: str

    @classmethod
    def of(cls, row: BaseRow) -> PublicBase:
        """The public view of an accredited base."""
        category = BaseCategory(row.category)
        return cls(
            id=row.id,
            name=row.name,
            category=category,
            category_label=category.label,
            subtype=row.subtype,
            region_code=row.region_code,
            address=row.address,
            opening_hours=row.opening_hours,
            contact_phone=row.contact_phone,
            accredited_on=row.accredited_on,
            plaque_number=row.plaque_number,
        )


class PublicBaseDetail(PublicBase):
    """An accredited base with its announcements."""

    announcements: list[PublicBaseAnnouncement]


# --- policies ------------------------------------------------------------------------------------


class BasePolicyPublic(BaseModel):
    """A policy and the dates it governs."""

    id: str
    effective_on: Day
    public_min_open_days: int
    public_min_visitors: int
    institution_min_open_days: int
    min_activities: int
    report_due_month: int
    report_due_day: int
    evaluation_term_years: int
    evaluation_window_days: int
    min_review_opinions: int
    note: str
    created_at: Moment | None
    in_force: bool


class BasePolicyCreate(BaseModel):
    """A new policy; a value left out keeps the one in force the day before it starts."""

    model_config = _examples(
        {
            "effective_on": "2027-01-01",
            "public_min_visitors": 12000,
            "min_activities": 8,
            "note": "赤科协发〔2026〕9号",
        }
    )

    effective_on: Day
    public_min_open_days: Annotated[int, Field(ge=0, le=366), JsonInteger] | None = None
    public_min_visitors: Count | None = None
    institution_min_open_days: Annotated[int, Field(ge=0, le=366), JsonInteger] | None = None
    min_activities: Count | None = None
    report_due_month: Annotated[int, Field(ge=1, le=12), JsonInteger] | None = None
    report_due_day: Annotated[int, Field(ge=1, le=31), JsonInteger] | None = None
    evaluation_term_years: Annotated[int, Field(ge=1, le=10), JsonInteger] | None = None
    evaluation_window_days: Annotated[int, Field(ge=0, le=3660), JsonInteger] | None = None
    min_review_opinions: Annotated[int, Field(ge=0, le=50), JsonInteger] | None = None
    note: str = Field(default="", max_length=1000)
