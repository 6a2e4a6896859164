"""Science popularisation information officers (科普信息员, Att. 1): records, figures, plans, cases.

Everything here is a pure value: the repositories turn rows into these models and back.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    computed_field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.domain.common import MessageParam
from app.domain.messages import N_

#: OFF-REG-1: mainland mobile numbers, 11 digits starting 13–19.
MOBILE_PATTERN = r"^1[3-9]\d{9}$"
#: OFF-REG-1: an officer is placed in a township (9 digits) and optionally one of its villages
#: (12 digits) of the statistical division codes (统计用区划代码), whose prefixes are the county
#: and township codes.
TOWNSHIP_CODE_PATTERN = r"^\d{9}$"
VILLAGE_CODE_PATTERN = r"^\d{12}$"
#: A 科普中国 app account id as exported: printable, no blanks.
APP_ACCOUNT_PATTERN = r"^[\x21-\x7e]{1,64}$"

Mobile = Annotated[str, Field(pattern=MOBILE_PATTERN)]
TownshipCode = Annotated[str, Field(pattern=TOWNSHIP_CODE_PATTERN)]
VillageCode = Annotated[str, Field(pattern=VILLAGE_CODE_PATTERN)]
AppAccountId = Annotated[str, Field(pattern=APP_ACCOUNT_PATTERN)]
Name = Annotated[str, Field(min_length=1, max_length=50)]
Title = Annotated[str, Field(min_length=1, max_length=200)]


class SourceGroup(StrEnum):
    """OFF-REG-1: the groups Art. 5 recruits officers from."""

    SCIENCE_WORKER = "science_worker"
    E_STATION_ADMIN = "e_station_admin"
    MEDICAL_WORKER = "medical_worker"
    SCIENCE_TUTOR = "science_tutor"
    COMMUNITY_RESIDENT = "community_resident"
    FARMER_HERDER = "farmer_herder"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The Chinese name used in the measures and in the ledger."""
        return SOURCE_GROUP_LABELS[self]


SOURCE_GROUP_LABELS: dict[SourceGroup, str] = {
    SourceGroup.SCIENCE_WORKER: "科技工作者",
    SourceGroup.E_STATION_ADMIN: "科普e站管理员",
    SourceGroup.MEDICAL_WORKER: "医务工作者",
    SourceGroup.SCIENCE_TUTOR: "科技辅导员",
    SourceGroup.COMMUNITY_RESIDENT: "社区居民",
    SourceGroup.FARMER_HERDER: "农牧民",
    SourceGroup.OTHER: "其他",
}


class CertificationStatus(StrEnum):
    """OFF-REG-1: real-name registered in the app only, or also certified there."""

    REGISTERED = "registered"
    CERTIFIED = "certified"


CERTIFICATION_LABELS: dict[CertificationStatus, str] = {
    CertificationStatus.REGISTERED: "未认证",
    CertificationStatus.CERTIFIED: "已认证",
}


class OfficerStatus(StrEnum):
    """OFF-REG-1: on the county's register, or left it."""

    ACTIVE = "active"
    LEFT = "left"


OFFICER_STATUS_LABELS: dict[OfficerStatus, str] = {
    OfficerStatus.ACTIVE: "在册",
    OfficerStatus.LEFT: "已退出",
}


class Officer(BaseModel):
    """OFF-REG-1: one officer as the county registers them; `app_account_id` is the natural key.
    The village, when known, lies in the township (`check_officer`)."""

    model_config = ConfigDict(frozen=True)

    name: Name
    mobile: Mobile
    township_code: TownshipCode
    village_code: VillageCode | None = None
    source_group: SourceGroup
    app_account_id: AppAccountId
    certification_status: CertificationStatus = CertificationStatus.REGISTERED
    certified_on: date | None = None
    registered_on: date | None = None
    status: OfficerStatus = OfficerStatus.ACTIVE
    left_on: date | None = None


class Place(BaseModel):
    """OFF-REG-1: what the region tree says of a code an officer names."""

    model_config = ConfigDict(frozen=True)

    level: str
    county_code: str | None
    parent_code: str | None


class Channel(StrEnum):
    """OFF-STAT-1: where a share went (Art. 2–3: WeChat groups, official accounts, Weibo, apps)."""

    WECHAT_GROUP = "wechat_group"
    WECHAT_MOMENTS = "wechat_moments"
    WECHAT_OFFICIAL = "wechat_official"
    WEIBO = "weibo"
    QQ = "qq"
    APP = "app"
    OTHER = "other"


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.WECHAT_GROUP: "微信群",
    Channel.WECHAT_MOMENTS: "朋友圈",
    Channel.WECHAT_OFFICIAL: "微信公众号",
    Channel.WEIBO: "微博",
    Channel.QQ: "QQ",
    Channel.APP: "科普中国APP",
    Channel.OTHER: "其他",
}


class Dissemination(BaseModel):
    """OFF-STAT-1: one officer's shares and reads on one day through one channel."""

    model_config = ConfigDict(frozen=True)

    app_account_id: AppAccountId
    day: date
    channel: Channel
    shares: NonNegativeInt
    reads: NonNegativeInt


class Period(BaseModel):
    """A closed range of calendar days, both ends included."""

    model_config = ConfigDict(frozen=True)

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise PydanticCustomError("order", N_("period end is before its start"))
        return self

    @classmethod
    def year(cls, year: int) -> Period:
        """1 January to 31 December of `year`."""
        return cls(start=date(year, 1, 1), end=date(year, 12, 31))

    def contains(self, day: date) -> bool:
        """True when `day` falls inside the period, ends included."""
        return self.start <= day <= self.end


class OfficerFact(BaseModel):
    """OFF-STAT-2: what the metrics need of an officer; the caller resolves county and township."""

    model_config = ConfigDict(frozen=True)

    officer_id: str
    county_code: str
    township_code: str
    certified_on: date | None = None
    registered_on: date | None = None
    left_on: date | None = None


class DailyFigure(BaseModel):
    """OFF-STAT-1: one imported row as the metrics see it, keyed by the officer's internal id."""

    model_config = ConfigDict(frozen=True)

    officer_id: str
    day: date
    channel: Channel
    shares: NonNegativeInt
    reads: NonNegativeInt


class GroupBy(StrEnum):
    """OFF-STAT-2: the ways metrics are broken down."""

    COUNTY = "county"
    TOWNSHIP = "township"
    OFFICER = "officer"
    MONTH = "month"


class Metrics(BaseModel):
    """OFF-STAT-1, OFF-STAT-2: head-count, activity and volume of one group in one period."""

    model_config = ConfigDict(frozen=True)

    key: str
    registered: NonNegativeInt
    certified: NonNegativeInt
    active: NonNegativeInt
    shares: NonNegativeInt
    reads: NonNegativeInt

    @computed_field  # type: ignore[prop-decorator]
    @property
    def activity_rate(self) -> float | None:
        """Active ÷ certified; None (undefined) when nobody is certified."""
        return self.active / self.certified if self.certified else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def shares_per_active(self) -> float | None:
        """Shares ÷ active officers; None when nobody is active."""
        return self.shares / self.active if self.active else None


class OfficerMetricsRankKey(StrEnum):
    """OFF-STAT-2: what a ranking orders by; every entry still shows all figures."""

    ACTIVITY_RATE = "activity_rate"
    SHARES = "shares"
    READS = "reads"
    SHARES_PER_ACTIVE = "shares_per_active"
    CERTIFIED = "certified"


class RankedMetrics(Metrics):
    """OFF-STAT-2: one place in a ranking; it carries volume and activity beside the head-count."""

    rank: int


class OfficerTrainingLevel(StrEnum):
    """OFF-TRAIN-1: rolling county training, or the city's exchange training (Art. 4)."""

    COUNTY = "county"
    CITY_EXCHANGE = "city_exchange"


TRAINING_LEVEL_LABELS: dict[OfficerTrainingLevel, str] = {
    OfficerTrainingLevel.COUNTY: "旗县区滚动培训",
    OfficerTrainingLevel.CITY_EXCHANGE: "市级交流培训",
}


class TrainingPlan(BaseModel):
    """OFF-TRAIN-1: a county's officer training plan for one year."""

    model_config = ConfigDict(frozen=True)

    county_code: Annotated[str, Field(pattern=r"^\d{6}$")]
    year: Annotated[int, Field(ge=2000, le=2100)]
    title: Title
    planned_sessions: NonNegativeInt
    planned_trainees: NonNegativeInt = 0
    notes: str = ""


class TrainingSession(BaseModel):
    """OFF-TRAIN-1: one training held; a city exchange session is organised by the city."""

    model_config = ConfigDict(frozen=True)

    level: OfficerTrainingLevel
    region_code: Annotated[str, Field(pattern=r"^\d{6}$")]
    title: Title
    held_on: date
    location: str = ""
    hours: Annotated[float, Field(gt=0, le=24)] = 1.0


class ActivityPlanOwnerKind(StrEnum):
    """OFF-PLAN-1: the bodies Art. 9 asks to make officer activity plans."""

    COMMUNITY = "community"
    TOWNSHIP = "township"
    VILLAGE = "village"
    SCHOOL = "school"
    BASE = "base"
    E_STATION = "e_station"


PLAN_OWNER_LABELS: dict[ActivityPlanOwnerKind, str] = {
    ActivityPlanOwnerKind.COMMUNITY: "社区",
    ActivityPlanOwnerKind.TOWNSHIP: "苏木乡镇",
    ActivityPlanOwnerKind.VILLAGE: "嘎查村",
    ActivityPlanOwnerKind.SCHOOL: "学校",
    ActivityPlanOwnerKind.BASE: "科普教育基地",
    ActivityPlanOwnerKind.E_STATION: "科普e站",
}


class ActivityPlan(BaseModel):
    """OFF-PLAN-1: an activity plan for officers made by a community, township, school, ..."""

    model_config = ConfigDict(frozen=True)

    owner_kind: ActivityPlanOwnerKind
    owner_name: Name
    region_code: Annotated[str, Field(pattern=r"^\d{6}(\d{3}){0,2}$")]
    title: Title
    starts_on: date
    ends_on: date
    description: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> ActivityPlan:
        if self.ends_on < self.starts_on:
            raise PydanticCustomError("order", N_("ends_on is before starts_on"))
        return self


class OfficerCaseKind(StrEnum):
    """OFF-CASE-1: what a county reports to the city (Art. 10–11)."""

    TYPICAL_CASE = "typical_case"
    PROBLEM = "problem"
    SUGGESTION = "suggestion"


CASE_KIND_LABELS: dict[OfficerCaseKind, str] = {
    OfficerCaseKind.TYPICAL_CASE: "典型案例",
    OfficerCaseKind.PROBLEM: "问题",
    OfficerCaseKind.SUGGESTION: "建议",
}


class OfficerCaseStatus(StrEnum):
    """OFF-CASE-1: the city's handling of a report."""

    SUBMITTED = "submitted"
    READ = "read"
    REPLIED = "replied"
    FEATURED = "featured"


class Case(BaseModel):
    """OFF-CASE-1: a typical case, problem or suggestion a county submits."""

    model_config = ConfigDict(frozen=True)

    county_code: Annotated[str, Field(pattern=r"^\d{6}$")]
    kind: OfficerCaseKind
    title: Title
    body: Annotated[str, Field(min_length=1, max_length=20000)]
    status: OfficerCaseStatus = OfficerCaseStatus.SUBMITTED
    submitted_at: datetime
    reply: str | None = None


LedgerCell = str | int | float | date | None


class LedgerColumn(BaseModel):
    """OFF-LEDGER-1: one column of a printed sheet. `header` is an English template marked with
    `N_` (filled in with `params`), rendered in the reader's language when the file is built;
    `rate` when the column's values are fractions, printed as a percentage."""

    model_config = ConfigDict(frozen=True)

    header: str
    params: dict[str, MessageParam] = {}
    rate: bool = False


def columns(*headers: str | LedgerColumn) -> tuple[LedgerColumn, ...]:
    """The columns of a sheet: a header template (marked with `N_`) or a column as it is."""
    return tuple(h if isinstance(h, LedgerColumn) else LedgerColumn(header=h) for h in headers)


class LedgerSheet(BaseModel):
    """OFF-LEDGER-1: one sheet of the county's statistics ledger (统计台账), as printed.

    `title` is an English template marked with `N_` (filled in with `title_params`); it and
    every column's header are rendered in the reader's language when the file is built.
    """

    model_config = ConfigDict(frozen=True)

    title: str
    title_params: dict[str, MessageParam] = {}
    columns: tuple[LedgerColumn, ...]
    rows: list[tuple[LedgerCell, ...]] = []


APP_ACCOUNT_HEADER = N_("Kepu China app account")
TOWNSHIP_HEADER = N_("Township (subdistrict)")

#: OFF-LEDGER-1: the sheets of the ledger, in print order, with their column headers.
ROSTER_SHEET = LedgerSheet(
    title=N_("Officer roster"),
    columns=columns(
        N_("No."),
        N_("Full name"),
        N_("Mobile number"),
        TOWNSHIP_HEADER,
        N_("Village (community)"),
        N_("Source group"),
        APP_ACCOUNT_HEADER,
        N_("Certification status"),
        N_("Certified on"),
        N_("Register status"),
        N_("Left on"),
    ),
)
TRAINING_SHEET = LedgerSheet(
    title=N_("Training held"),
    columns=columns(
        N_("No."),
        N_("Training date"),
        N_("Training title"),
        N_("Training level"),
        N_("Training venue"),
        N_("Class hours"),
        N_("Trainees"),
    ),
)
ATTENDANCE_SHEET = LedgerSheet(
    title=N_("Training attendance"),
    columns=columns(
        N_("No."), N_("Training date"), N_("Training title"), N_("Full name"), APP_ACCOUNT_HEADER
    ),
)
MONTHLY_SHEET = LedgerSheet(
    title=N_("Dissemination by month"),
    columns=columns(
        N_("Month"),
        N_("Registered officers"),
        N_("Certified officers"),
        N_("Active officers"),
        LedgerColumn(header=N_("Activity rate"), rate=True),
        N_("Shares"),
        N_("Reads"),
        N_("Shares per active officer"),
    ),
)
OFFICER_MONTHLY_SHEET = LedgerSheet(
    title=N_("Dissemination by officer"),
    columns=columns(
        N_("No."),
        N_("Full name"),
        APP_ACCOUNT_HEADER,
        TOWNSHIP_HEADER,
        *(
            LedgerColumn(header=N_("Shares in month {month}"), params={"month": month})
            for month in range(1, 13)
        ),
        N_("Shares in the year"),
        N_("Reads in the year"),
    ),
)


class LedgerOfficer(BaseModel):
    """OFF-LEDGER-1: an officer with the names of their township and village, for printing."""

    model_config = ConfigDict(frozen=True)

    officer_id: str
    officer: Officer
    township_name: str
    village_name: str = ""


class LedgerTraining(BaseModel):
    """OFF-LEDGER-1: a session held and who attended it, by name and app account."""

    model_config = ConfigDict(frozen=True)

    session: TrainingSession
    attendees: list[tuple[str, str]] = []


class OfficerMonth(BaseModel):
    """OFF-LEDGER-1: one officer's totals for one calendar month."""

    model_config = ConfigDict(frozen=True)

    officer_id: str
    month: Annotated[int, Field(ge=1, le=12)]
    shares: NonNegativeInt
    reads: NonNegativeInt
