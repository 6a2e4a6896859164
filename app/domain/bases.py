"""Science education bases (科普教育基地, Att. 3): categories, opening classes, policy, records.

Everything here is a pure value: the repositories turn rows into these models and back, and the
rule functions of `app.rules.bases_*` take them as input.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.domain.common import Observance, VersionedPolicy
from app.domain.files import AttachmentKind
from app.domain.messages import N_


class BaseCategory(StrEnum):
    """BASE-CAT-1: the six kinds of unit Art. 12 lets apply."""

    VENUE = "venue"
    NATURAL = "natural"
    RESEARCH = "research"
    AGRI = "agri"
    PRODUCTION = "production"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The Chinese name of Art. 12."""
        return CATEGORY_LABELS[self]


CATEGORY_LABELS: dict[BaseCategory, str] = {
    BaseCategory.VENUE: "科技场馆类",
    BaseCategory.NATURAL: "自然资源类",
    BaseCategory.RESEARCH: "教育科研类",
    BaseCategory.AGRI: "“三农”类",
    BaseCategory.PRODUCTION: "生产设施类",
    BaseCategory.OTHER: "其他",
}


class OpeningClass(StrEnum):
    """BASE-OPEN-1/2/3: which opening threshold a base must meet."""

    PUBLIC = "public"
    INSTITUTION = "institution"
    UNDETERMINED = "undetermined"


#: BASE-CAT-1 and BASE-OPEN-3: every subtype Art. 12 names, per category, with its Chinese name
#: and the opening class Art. 6 gives it. Category `other` has no list: its subtype is free text
#: and its class has no default. This table is the single source of the mapping documented in
#: docs/bases.md ("Opening-class mapping").
SUBTYPES: dict[BaseCategory, dict[str, tuple[str, OpeningClass]]] = {
    BaseCategory.VENUE: {
        "science_center": ("科技馆", OpeningClass.PUBLIC),
        "natural_history_museum": ("自然博物馆", OpeningClass.PUBLIC),
        "youth_activity_center": ("青少年活动中心", OpeningClass.PUBLIC),
        "library": ("图书馆", OpeningClass.PUBLIC),
        "planning_exhibition_hall": ("规划展示馆", OpeningClass.PUBLIC),
        "planetarium": ("天文馆", OpeningClass.PUBLIC),
        "meteorology_hall": ("气象馆", OpeningClass.PUBLIC),
        "earthquake_hall": ("地震馆", OpeningClass.PUBLIC),
        "fire_safety_hall": ("消防馆", OpeningClass.PUBLIC),
        "geographic_information_hall": ("地理信息馆", OpeningClass.PUBLIC),
    },
    BaseCategory.NATURAL: {
        "zoo": ("动物园", OpeningClass.PUBLIC),
        "botanical_garden": ("植物园", OpeningClass.PUBLIC),
        "eco_tourism_area": ("生态旅游区", OpeningClass.PUBLIC),
        "forest_park": ("森林公园", OpeningClass.PUBLIC),
        "wetland_park": ("湿地公园", OpeningClass.PUBLIC),
        "geopark": ("地质公园", OpeningClass.PUBLIC),
        "geological_relic": ("地质遗迹", OpeningClass.PUBLIC),
        "natural_heritage": ("自然遗产", OpeningClass.PUBLIC),
        "cultural_protection_site": ("文化保护地", OpeningClass.PUBLIC),
        "tourist_attraction": ("旅游景点", OpeningClass.PUBLIC),
        "cultural_landscape": ("人文景观", OpeningClass.PUBLIC),
    },
    BaseCategory.RESEARCH: {
        "museum": ("博物馆", OpeningClass.PUBLIC),
        "laboratory": ("实验室", OpeningClass.INSTITUTION),
        "engineering_center": ("工程中心", OpeningClass.INSTITUTION),
        "observatory": ("科学观测台（站）", OpeningClass.INSTITUTION),
        "extension_station": ("技术（推广）中心（站）", OpeningClass.INSTITUTION),
        "hospital": ("医院", OpeningClass.INSTITUTION),
    },
    BaseCategory.AGRI: {
        "breeding_base": ("种养殖繁育基地", OpeningClass.INSTITUTION),
        "demonstration_base": ("综合试验示范基地", OpeningClass.INSTITUTION),
        "innovation_base": ("创新创业基地", OpeningClass.INSTITUTION),
        "tech_industrial_park": ("现代农牧业科技产业园", OpeningClass.INSTITUTION),
        "training_base": ("农技培训基地", OpeningClass.INSTITUTION),
        "agritourism_park": ("观光体验园", OpeningClass.INSTITUTION),
    },
    BaseCategory.PRODUCTION: {
        "production_facility": ("生产设施（流程）", OpeningClass.INSTITUTION),
        "science_park": ("科技园区", OpeningClass.INSTITUTION),
        "enterprise_exhibition_hall": ("企业展览馆（厅）", OpeningClass.INSTITUTION),
        "hi_tech_showroom": ("高新科技产品展示与体验场所", OpeningClass.INSTITUTION),
    },
    BaseCategory.OTHER: {},
}


def derived_opening_class(category: BaseCategory, subtype: str | None) -> OpeningClass:
    """BASE-OPEN-3: the class the mapping table gives; `undetermined` for `other` or no subtype."""
    entry = SUBTYPES[category].get(subtype or "")
    return entry[1] if entry else OpeningClass.UNDETERMINED


class OpeningClassOverride(BaseModel):
    """BASE-OPEN-3: the city administrator's explicit class, with the written reason."""

    model_config = ConfigDict(frozen=True)

    opening_class: OpeningClass
    reason: str
    decided_by: str | None = None
    decided_at: datetime | None = None


def effective_opening_class(
    category: BaseCategory, subtype: str | None, override: OpeningClassOverride | None
) -> OpeningClass:
    """BASE-OPEN-3: the administrator's override when there is one, else the derived class."""
    if override is not None:
        return override.opening_class
    return derived_opening_class(category, subtype)


class BasePolicy(VersionedPolicy):
    """Thresholds and dates of Att. 3: BASE-OPEN-1/2, BASE-ACT-1, BASE-REPORT-1, BASE-EVAL-1, and
    the review panel's minimum (BASE-REVIEW-2)."""

    public_min_open_days: int = Field(200, ge=0, le=366)
    public_min_visitors: int = Field(2000, ge=0)
    institution_min_open_days: int = Field(50, ge=0, le=366)
    min_activities: int = Field(2, ge=0)
    report_due_month: int = Field(11, ge=1, le=12)
    report_due_day: int = Field(10, ge=1, le=31)
    evaluation_term_years: int = Field(3, ge=1)
    #: Decision (BASE-EVAL-1): an evaluation may be recorded from this many days before the end
    #: of the term it evaluates, so one term is never evaluated twice.
    evaluation_window_days: int = Field(365, ge=0)
    #: Decision (BASE-REVIEW-2): the fewest reviewers' opinions an approval rests on.
    min_review_opinions: int = Field(3, ge=0, le=50)

    @model_validator(mode="after")
    def _due_date_exists(self) -> BasePolicy:
        try:
            date(
                2024, self.report_due_month, self.report_due_day
            )  # raises on 31 April and the like
        except ValueError:
            raise ValueError(N_("the report due date does not exist in the calendar")) from None
        return self

    def report_due(self, year: int) -> date:
        """BASE-REPORT-1: the last local date on which the report of `year` is on time."""
        return date(year, self.report_due_month, self.report_due_day)


#: The values of Att. 3 as published in 2023 (赤科协发〔2023〕4号).
DEFAULT_BASE_POLICY = BasePolicy(effective_on=date(2023, 1, 1))


class BaseStatus(StrEnum):
    """BASE-EVAL-1, BASE-REVOKE-1..6: the standing of an accredited base."""

    ACCREDITED = "accredited"
    LAPSED = "lapsed"
    REVOKED = "revoked"


class Liaison(BaseModel):
    """BASE-LIAISON-1: the liaison group or person (联络员) and how to reach them."""

    model_config = ConfigDict(frozen=True)

    name: str = ""
    phone: str = ""
    email: str = ""


class ScienceBase(BaseModel):
    """An accredited base as the yearly compliance needs it."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    category: BaseCategory
    subtype: str | None = None
    opening_class_override: OpeningClassOverride | None = None
    liaison: Liaison | None = None
    accredited_on: date
    status: BaseStatus = BaseStatus.ACCREDITED

    @property
    def opening_class(self) -> OpeningClass:
        """BASE-OPEN-3: the class in force for this base."""
        return effective_opening_class(self.category, self.subtype, self.opening_class_override)


class MonthlyStat(BaseModel):
    """BASE-OPEN-4: one month's open days and visitors, as reported by the base."""

    model_config = ConfigDict(frozen=True)

    year: int
    month: int
    open_days: int
    visitors: int


#: BASE-EVENT-1: the national science days of Art. 8, on which a base opens free or at a
#: discount; an activity may name any other `Observance`, which this rule does not count.
NATIONAL_EVENTS: tuple[Observance, ...] = (
    Observance.SCIENCE_WORKERS_DAY,
    Observance.SCI_TECH_WEEK,
    Observance.SCIENCE_DAY,
)


class Activity(BaseModel):
    """BASE-ACT-1, BASE-EVENT-1: one public science activity of a base."""

    model_config = ConfigDict(frozen=True)

    held_on: date
    title: str
    form: str
    participants: int
    evidence_count: int = 0
    observance: Observance | None = None
    free_or_discounted: bool = False


class MonthFigures(Protocol):
    """What the yearly assessment reads of a month: a `MonthlyStat`, or a plain row when the
    dashboard assesses hundreds of bases at once."""

    @property
    def year(self) -> int: ...

    @property
    def month(self) -> int: ...

    @property
    def open_days(self) -> int: ...

    @property
    def visitors(self) -> int: ...


class ActivityFacts(Protocol):
    """What the yearly assessment reads of an activity: an `Activity`, or a plain row."""

    @property
    def held_on(self) -> date: ...

    @property
    def title(self) -> str: ...

    @property
    def form(self) -> str: ...

    @property
    def participants(self) -> int: ...

    @property
    def evidence_count(self) -> int: ...

    @property
    def observance(self) -> Observance | None: ...

    @property
    def free_or_discounted(self) -> bool: ...


class AnnualReport(BaseModel):
    """BASE-THEME-1, BASE-REPORT-1: a year's theme, summary and next-year plan."""

    model_config = ConfigDict(frozen=True)

    year: int
    theme: str = ""
    summary: str = ""
    next_year_plan: str = ""
    submitted_at: datetime | None = None


class ReviewRecommendation(StrEnum):
    """BASE-REVIEW-1: what a reviewer recommends."""

    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"


#: BASE-REVIEW-1: the criteria a reviewer scores, 0 to `MAX_SCORE` each, after Art. 13.
REVIEW_CRITERIA: dict[str, str] = {
    "content": "主题明确的科普内容 (BASE-ELIG-2)",
    "management": "管理制度、工作部门与计划 (BASE-ELIG-3)",
    "funding": "科普经费 (BASE-ELIG-4)",
    "facilities": "科普设施与场所 (BASE-ELIG-5)",
    "staff": "管理人员与讲解员 (BASE-ELIG-6)",
    "safety": "安全与消防 (BASE-ELIG-7)",
}
MAX_SCORE = 10


class ReviewState(StrEnum):
    """BASE-REVIEW-1: where a reviewer's assignment stands."""

    ASSIGNED = "assigned"
    SUBMITTED = "submitted"
    DECLINED = "declined"


class ApplicationChannel(StrEnum):
    """BASE-APPLY-1: how an application reaches the city association (Art. 14)."""

    DIRECT = "direct"
    CITY_DEPARTMENT = "city_department"
    COUNTY_ASSOCIATION = "county_association"


class ApplicationStatus(StrEnum):
    """BASE-REVIEW-1: where an application is in its life."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"


class ApplicationAction(StrEnum):
    """BASE-REVIEW-1: what moves an application from one status to the next."""

    EDIT = "edit"
    SUBMIT = "submit"
    ASSIGN_REVIEWER = "assign_reviewer"
    START_REVIEW = "start_review"
    RECORD_OPINION = "record_opinion"
    INSPECT = "inspect"
    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"


class ApplicationEvent(StrEnum):
    """BASE-REVIEW-1: the kinds of step an application's history records."""

    CREATE = "create"
    SUBMIT = "submit"
    ASSIGN_REVIEWER = "assign_reviewer"
    START_REVIEW = "start_review"
    REVIEW_OPINION = "review_opinion"
    REVIEW_DECLINED = "review_declined"
    INSPECTION = "inspection"
    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"
    CLASS_UNDETERMINED = "class_undetermined"


#: BASE-REVIEW-1: the application lifecycle; docs/bases.md draws the same table.
APPLICATION_TRANSITIONS: dict[tuple[ApplicationStatus, ApplicationAction], ApplicationStatus] = {
    (ApplicationStatus.DRAFT, ApplicationAction.SUBMIT): ApplicationStatus.SUBMITTED,
    (ApplicationStatus.RETURNED, ApplicationAction.SUBMIT): ApplicationStatus.SUBMITTED,
    (ApplicationStatus.SUBMITTED, ApplicationAction.START_REVIEW): ApplicationStatus.UNDER_REVIEW,
    (ApplicationStatus.UNDER_REVIEW, ApplicationAction.APPROVE): ApplicationStatus.APPROVED,
    (ApplicationStatus.SUBMITTED, ApplicationAction.REJECT): ApplicationStatus.REJECTED,
    (ApplicationStatus.UNDER_REVIEW, ApplicationAction.REJECT): ApplicationStatus.REJECTED,
    (ApplicationStatus.SUBMITTED, ApplicationAction.RETURN): ApplicationStatus.RETURNED,
    (ApplicationStatus.UNDER_REVIEW, ApplicationAction.RETURN): ApplicationStatus.RETURNED,
    # Steps that keep the status: editing (and attaching to) an application, the review panel's
    # assignments and opinions, and the inspection and acceptance (考核验收).
    (ApplicationStatus.DRAFT, ApplicationAction.EDIT): ApplicationStatus.DRAFT,
    (ApplicationStatus.RETURNED, ApplicationAction.EDIT): ApplicationStatus.RETURNED,
    (ApplicationStatus.SUBMITTED, ApplicationAction.ASSIGN_REVIEWER): ApplicationStatus.SUBMITTED,
    (
        ApplicationStatus.UNDER_REVIEW,
        ApplicationAction.ASSIGN_REVIEWER,
    ): ApplicationStatus.UNDER_REVIEW,
    (ApplicationStatus.UNDER_REVIEW, ApplicationAction.RECORD_OPINION): (
        ApplicationStatus.UNDER_REVIEW
    ),
    (ApplicationStatus.UNDER_REVIEW, ApplicationAction.INSPECT): ApplicationStatus.UNDER_REVIEW,
}


class BaseApplication(BaseModel):
    """An application as the applicant fills it in; a draft may leave anything blank."""

    model_config = ConfigDict(frozen=True)

    name: str = ""
    category: BaseCategory | None = None
    subtype: str | None = None
    channel: ApplicationChannel = ApplicationChannel.DIRECT
    recommender: str | None = None
    region_code: str | None = None
    # BASE-ELIG-1
    credit_code: str | None = None
    runs_activities_independently: bool = False
    # BASE-ELIG-2
    science_theme: str = ""
    # BASE-ELIG-3
    has_management_rules: bool = False
    responsible_department: str = ""
    has_work_plan: bool = False
    has_annual_plan: bool = False
    # BASE-ELIG-4
    annual_science_budget: Decimal | None = None
    # BASE-ELIG-5
    address: str = ""
    has_demo_equipment: bool = False
    has_hall_or_gallery: bool = False
    exhibits_labelled: bool = False
    # BASE-ELIG-6
    managers: int = 0
    docents: int = 0
    has_training_plan: bool = False
    # BASE-ELIG-7
    safety_fire_compliant: bool = False
    # BASE-ELIG-8
    accepts_guidance: bool = False
    attachment_kinds: frozenset[AttachmentKind] = frozenset()


class NoticeOutcome(StrEnum):
    """BASE-REVOKE-3: how a rectification notice was closed."""

    RECTIFIED = "rectified"
    NOT_RECTIFIED = "not_rectified"


class RectificationNotice(BaseModel):
    """BASE-REVOKE-3: a notice telling a base to rectify a finding by a deadline."""

    model_config = ConfigDict(frozen=True)

    id: str
    issued_at: datetime
    deadline: date
    outcome: NoticeOutcome | None = None


class RevocationGround(StrEnum):
    """BASE-REVOKE-1..6: the grounds of Art. 24 for immediate revocation."""

    LAW_VIOLATION = "law_violation"
    PSEUDOSCIENCE = "pseudoscience"
    TITLE_MISUSE_UNRECTIFIED = "title_misuse_unrectified"
    REFUSED_GUIDANCE = "refused_guidance"
    FRAUD = "fraud"
    OTHER = "other"

    @property
    def rule(self) -> str:
        """The rule ID of this ground."""
        return REVOCATION_GROUND_RULES[self]


REVOCATION_GROUND_RULES: dict[RevocationGround, str] = {
    RevocationGround.LAW_VIOLATION: "BASE-REVOKE-1",
    RevocationGround.PSEUDOSCIENCE: "BASE-REVOKE-2",
    RevocationGround.TITLE_MISUSE_UNRECTIFIED: "BASE-REVOKE-3",
    RevocationGround.REFUSED_GUIDANCE: "BASE-REVOKE-4",
    RevocationGround.FRAUD: "BASE-REVOKE-5",
    RevocationGround.OTHER: "BASE-REVOKE-6",
}


class EvaluationOutcome(StrEnum):
    """BASE-EVAL-1: the result of the three-yearly comprehensive evaluation."""

    PASS = "pass"  # noqa: S105 - an outcome, not a password
    FAIL = "fail"


class Evaluation(BaseModel):
    """BASE-EVAL-1: one comprehensive evaluation, dated in local time."""

    model_config = ConfigDict(frozen=True)

    evaluated_on: date
    outcome: EvaluationOutcome


class InspectionKind(StrEnum):
    """BASE-INSPECT-1: the city association's inspections, scheduled or not (Art. 20)."""

    SCHEDULED = "scheduled"
    UNSCHEDULED = "unscheduled"


class PromotionKind(StrEnum):
    """BASE-PROMOTE-1: what the city association recommends upward (Arts. 20, 21)."""

    NATIONAL_BASE = "national_base"
    REGIONAL_BASE = "regional_base"
    SCIENCE_PRODUCT = "science_product"


class ProductForm(StrEnum):
    """BASE-PROMOTE-1: the science products of Art. 21."""

    BROADCAST = "broadcast"
    FILM = "film"
    CHART = "chart"
    BOOK = "book"
    ANIMATION = "animation"
