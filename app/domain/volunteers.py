"""Tech volunteer service (科技志愿服务, Att. 2 and the Inner Mongolia measure): pure values.

Organisations and their hierarchy, volunteers and memberships, activities and enrolments,
insurance, service records and certificates (recruitment, agreements, incidents, complaints,
funds and commendations each have their own module). The repositories turn rows into these
models and back; the rules in `app.rules.volunteers_*` judge them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import IntEnum, StrEnum
from itertools import pairwise
from typing import Annotated

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.domain.common import Day, JsonInteger, ListSort, Observance, VersionedPolicy
from app.domain.messages import N_

Text = Annotated[str, Field(min_length=1, max_length=2000)]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Skill = Annotated[str, Field(min_length=1, max_length=50)]


def normalise_skill(skill: str) -> str:
    """Skills compare case-insensitively and without surrounding blanks (VOL-DUTY-2)."""
    return skill.strip().casefold()


# --- Organisations (VOL-ORG-1..5) -------------------------------------------------------------


class OrgKind(StrEnum):
    """VOL-ORG-1: the three kinds of organisation named by Art. 5."""

    ASSOCIATION = "association"
    TEAM = "team"
    SERVICE_GROUP = "service_group"

    @property
    def label(self) -> str:
        """The Chinese name used in the measures."""
        return ORG_KIND_LABELS[self]


ORG_KIND_LABELS: dict[OrgKind, str] = {
    OrgKind.ASSOCIATION: "科技志愿者协会",
    OrgKind.TEAM: "科技志愿者队伍",
    OrgKind.SERVICE_GROUP: "科技志愿服务团（队）",
}


class OrgLevel(StrEnum):
    """VOL-ORG-2: the levels of IM Art. 6, from the region corps down to the sub-teams."""

    REGION_CORPS = "region_corps"
    CITY_TEAM = "city_team"
    COUNTY_TEAM = "county_team"
    TOWNSHIP_SUBTEAM = "township_subteam"
    SOCIETY_TEAM = "society_team"
    SOCIETY_SUBTEAM = "society_subteam"
    UNIVERSITY_TEAM = "university_team"
    UNIVERSITY_SUBTEAM = "university_subteam"
    ENTERPRISE_TEAM = "enterprise_team"

    @property
    def label(self) -> str:
        """The Chinese name used in IM Art. 6."""
        return ORG_LEVEL_LABELS[self]


ORG_LEVEL_LABELS: dict[OrgLevel, str] = {
    OrgLevel.REGION_CORPS: "自治区科技志愿服务总队",
    OrgLevel.CITY_TEAM: "盟市科技志愿服务队",
    OrgLevel.COUNTY_TEAM: "旗县（市区）科技志愿者队",
    OrgLevel.TOWNSHIP_SUBTEAM: "苏木乡镇（街道社区）科技志愿者分队",
    OrgLevel.SOCIETY_TEAM: "学会科技志愿服务队",
    OrgLevel.SOCIETY_SUBTEAM: "学会专业科技志愿服务分队",
    OrgLevel.UNIVERSITY_TEAM: "高校科技志愿者服务队",
    OrgLevel.UNIVERSITY_SUBTEAM: "高校院系科技志愿服务分队",
    OrgLevel.ENTERPRISE_TEAM: "企业（园区）科技志愿服务队",
}


class OrgNode(BaseModel):
    """One organisation as the hierarchy sees it: its id, level and parent (VOL-ORG-2)."""

    model_config = ConfigDict(frozen=True)

    id: str
    level: OrgLevel
    parent_id: str | None = None


class LeaderRole(StrEnum):
    """VOL-ORG-3: the posts IM Art. 6 names for a team's leadership."""

    CAPTAIN = "captain"
    VICE_CAPTAIN = "vice_captain"
    SECRETARY_GENERAL = "secretary_general"
    DEPUTY_SECRETARY_GENERAL = "deputy_secretary_general"

    @property
    def label(self) -> str:
        """The Chinese title of the post."""
        return LEADER_ROLE_LABELS[self]


LEADER_ROLE_LABELS: dict[LeaderRole, str] = {
    LeaderRole.CAPTAIN: "队长",
    LeaderRole.VICE_CAPTAIN: "副队长",
    LeaderRole.SECRETARY_GENERAL: "秘书长",
    LeaderRole.DEPUTY_SECRETARY_GENERAL: "副秘书长",
}


class SocialRegistrationStatus(StrEnum):
    """VOL-ORG-5: where an organisation stands with 社会团体登记."""

    NOT_REGISTERED = "not_registered"
    APPLYING = "applying"
    REGISTERED = "registered"
    CANCELLED = "cancelled"


class SocialRegistration(BaseModel):
    """VOL-ORG-5: registration as a social organisation; a registered one has a date and number."""

    model_config = ConfigDict(frozen=True)

    status: SocialRegistrationStatus = SocialRegistrationStatus.NOT_REGISTERED
    registered_on: date | None = None
    number: Annotated[str, Field(min_length=1, max_length=50)] | None = None

    @model_validator(mode="after")
    def _registered_has_date_and_number(self) -> SocialRegistration:
        if self.status is SocialRegistrationStatus.REGISTERED and (
            self.registered_on is None or self.number is None
        ):
            raise PydanticCustomError(
                "required",
                N_("VOL-ORG-5: a registered organisation needs registered_on and number"),
            )
        return self


class MembershipStatus(StrEnum):
    """VOL-EXIT-1: a volunteer's standing in one organisation."""

    PENDING = "pending"
    ACTIVE = "active"
    WARNED = "warned"
    EXITED = "exited"
    EXPELLED = "expelled"
    LEFT = "left"
    REJECTED = "rejected"


class RegistrationStatus(StrEnum):
    """VOL-REG-2: a registration by the public waits for the organisation, which accepts or
    declines it."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class MembershipAction(StrEnum):
    """VOL-EXIT-1: what an organisation (or, for `leave`, the volunteer) does to a membership."""

    APPROVE = "approve"
    REJECT = "reject"
    WARN = "warn"
    EXIT = "exit"
    EXPEL = "expel"
    LEAVE = "leave"
    READMIT = "readmit"


class Membership(BaseModel):
    """A volunteer's membership of one organisation (VOL-REG-2: one person, many memberships)."""

    model_config = ConfigDict(frozen=True)

    organization_id: str
    status: MembershipStatus


# --- Volunteers (VOL-ELIG-1/2, VOL-REG-1/2) ---------------------------------------------------


class IdType(StrEnum):
    """VOL-REG-1: identity documents a volunteer may register with."""

    RESIDENT_ID = "resident_id"
    PASSPORT = "passport"
    HK_MACAO_PERMIT = "hk_macao_permit"
    TAIWAN_PERMIT = "taiwan_permit"
    FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident"

    @property
    def label(self) -> str:
        """The document's Chinese name."""
        return ID_TYPE_LABELS[self]


ID_TYPE_LABELS: dict[IdType, str] = {
    IdType.RESIDENT_ID: "居民身份证",
    IdType.PASSPORT: "护照",
    IdType.HK_MACAO_PERMIT: "港澳居民来往内地通行证",
    IdType.TAIWAN_PERMIT: "台湾居民来往大陆通行证",
    IdType.FOREIGN_PERMANENT_RESIDENT: "外国人永久居留身份证",
}


class Declarations(BaseModel):
    """VOL-ELIG-1: the conditions of Art. 7, each declared by the volunteer (or the guardian)."""

    model_config = ConfigDict(frozen=True)

    good_conduct: StrictBool = False
    healthy: StrictBool = False
    law_abiding: StrictBool = False
    supports_science: StrictBool = False
    civil_capacity: StrictBool = False


class GuardianConsent(BaseModel):
    """VOL-ELIG-2: a guardian's consent on record for a volunteer aged 8 to 17."""

    model_config = ConfigDict(frozen=True)

    name: Name
    relationship: Annotated[str, Field(min_length=1, max_length=20)]
    consented_on: Day


class VolunteerRegistration(BaseModel):
    """VOL-REG-1: the basic information a registration must carry, before any check."""

    model_config = ConfigDict(frozen=True)

    name: str
    id_type: IdType
    id_number: str
    birth_date: date | None = None
    mobile: str
    region_code: str
    address: str | None = None
    skills: list[str] = []
    service_targets: list[str] = []
    declarations: Declarations = Declarations()
    guardian: GuardianConsent | None = None


class Volunteer(BaseModel):
    """A registered volunteer as the enrolment gate and hours rules need them."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: Name
    birth_date: date
    skills: frozenset[str] = frozenset()
    guardian_consent: GuardianConsent | None = None

    @field_validator("skills")
    @classmethod
    def _normalise_skills(cls, skills: frozenset[str]) -> frozenset[str]:
        return frozenset(normalise_skill(s) for s in skills)


# --- Activities and enrolments (VOL-SCOPE-1, VOL-DUTY-2/3, VOL-RIGHT-1) -----------------------


class ServiceScope(IntEnum):
    """VOL-SCOPE-1: the eight categories of service of Art. 12."""

    GRASSROOTS = 1
    INNOVATION_RURAL = 2
    VENUES_BASES = 3
    MAJOR_EVENTS = 4
    FACILITIES_MASS_ACTIVITIES = 5
    VULNERABLE_GROUPS = 6
    INTERNET = 7
    OTHER = 8

    @property
    def label(self) -> str:
        """A short Chinese description of the category."""
        return SERVICE_SCOPE_LABELS[self]


SERVICE_SCOPE_LABELS: dict[ServiceScope, str] = {
    ServiceScope.GRASSROOTS: "基层阵地科技培训、科普报告、农技服务、义诊咨询、青少年科技教育",
    ServiceScope.INNOVATION_RURAL: "创新驱动发展和乡村振兴科技服务供需对接",
    ServiceScope.VENUES_BASES: "文化场馆、科技场馆、科普教育（示范）基地公益服务",
    ServiceScope.MAJOR_EVENTS: "大型活动科技志愿服务",
    ServiceScope.FACILITIES_MASS_ACTIVITIES: "基层公共科技文化设施管理和群众性科技活动",
    ServiceScope.VULNERABLE_GROUPS: "为老年人、未成年人和生活困难群众服务",
    ServiceScope.INTERNET: "互联网公益性科技类服务",
    ServiceScope.OTHER: "其他公益性科技类服务",
}


#: VOL-SCOPE-1: the observances of Art. 12(4) with a fixed calendar day (month, day); the others
#: move each year.
OBSERVANCE_FIXED_DAYS: dict[Observance, tuple[int, int]] = {
    Observance.LEI_FENG_DAY: (3, 5),
    Observance.SCIENCE_WORKERS_DAY: (5, 30),
    Observance.VOLUNTEER_DAY: (12, 5),
}


class RiskLevel(StrEnum):
    """VOL-DUTY-3: whether an activity may involve personal danger."""

    NONE = "none"
    PERSONAL_DANGER = "personal_danger"


class GeofencePolicy(StrEnum):
    """VOL-CHECKIN-1: what a scan outside the geofence (or without a position) gets."""

    #: Refused and kept for review; the volunteer moves closer and scans again.
    REFUSE = "refuse"
    #: Accepted, the attendance flagged `outside_geofence` for the organisation to look at.
    FLAG = "flag"


class Geofence(BaseModel):
    """VOL-CHECKIN-1: where an activity takes attendance: a point (WGS 84), a radius, and what
    a scan outside it gets."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    latitude: StrictFloat = Field(ge=-90, le=90)
    longitude: StrictFloat = Field(ge=-180, le=180)
    radius_m: Annotated[int, Field(ge=10, le=100_000), JsonInteger]
    outside: GeofencePolicy = GeofencePolicy.REFUSE

    @property
    def centre(self) -> tuple[float, float]:
        """(latitude, longitude)."""
        return self.latitude, self.longitude


class AttendanceFlag(StrEnum):
    """VOL-CHECKIN-1: what the organisation should look at in an attendance."""

    NO_CHECK_OUT = "no_check_out"
    NOT_RECORDED = "not_recorded"
    OUTSIDE_GEOFENCE = "outside_geofence"


class Activity(BaseModel):
    """A service activity. No fee field exists: volunteers never charge (VOL-RIGHT-1)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    organization_id: str
    title: Annotated[str, Field(min_length=1, max_length=200)]
    scope: ServiceScope
    observance: Observance | None = None
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    capacity: Annotated[int, Field(ge=1)] | None = None
    required_skills: frozenset[str] = frozenset()
    min_age: Annotated[int, Field(ge=0, le=150)] | None = None
    max_age: Annotated[int, Field(ge=0, le=150)] | None = None
    minors_allowed: bool = False
    risk: RiskLevel = RiskLevel.NONE
    risk_disclosure: str | None = None
    major_project: bool = False

    @field_validator("required_skills")
    @classmethod
    def _normalise_skills(cls, skills: frozenset[str]) -> frozenset[str]:
        return frozenset(normalise_skill(s) for s in skills)

    @model_validator(mode="after")
    def _consistent(self) -> Activity:
        if self.ends_at <= self.starts_at:
            raise PydanticCustomError("order", N_("ends_at must be after starts_at"))
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise PydanticCustomError("order", N_("min_age must not exceed max_age"))
        return self


class EnrolmentStatus(StrEnum):
    """An enrolment's life: pending until the organisation confirms it, or withdrawn."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"


class Enrolment(BaseModel):
    """A volunteer's enrolment in one activity, with the risk acknowledgement (VOL-DUTY-3)."""

    model_config = ConfigDict(frozen=True)

    id: str
    activity_id: str
    volunteer_id: str
    status: EnrolmentStatus = EnrolmentStatus.PENDING
    risk_acknowledged_at: AwareDatetime | None = None
    withdrawn_at: AwareDatetime | None = None
    withdrawal_reason: str | None = None


class InsurancePolicy(BaseModel):
    """VOL-DUTY-3: a personal accident policy; covers its insured volunteers on its dates.

    A policy tied to an activity covers only that activity; one without covers any activity.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    insurer: Name
    number: Annotated[str, Field(min_length=1, max_length=100)]
    starts_on: date
    ends_on: date
    insured_volunteer_ids: frozenset[str] = frozenset()
    activity_id: str | None = None

    @model_validator(mode="after")
    def _dates_ordered(self) -> InsurancePolicy:
        if self.ends_on < self.starts_on:
            raise PydanticCustomError("order", N_("ends_on must not be before starts_on"))
        return self


# --- Service records, certificates, honours (VOL-HOURS-1, VOL-DUTY-4, VOL-HONOUR-1) -----------


class ServiceRecordStatus(StrEnum):
    """VOL-HOURS-1: a record counts only once confirmed; a voided one never counts."""

    RECORDED = "recorded"
    CONFIRMED = "confirmed"
    VOIDED = "voided"


class ServiceRecordSource(StrEnum):
    """How a record came to be: typed in by an administrator (VOL-HOURS-1), taken on site by
    check-in and check-out (VOL-CHECKIN-1), or declared by the volunteer with evidence
    (VOL-SELF-1). Each awaits the organisation's confirmation alike."""

    STAFF = "staff"
    ATTENDANCE = "attendance"
    DECLARATION = "declaration"


class ServiceRecordRevision(BaseModel):
    """VOL-HOURS-1: the times a record had before a correction, and why it changed."""

    model_config = ConfigDict(frozen=True)

    starts_at: AwareDatetime
    ends_at: AwareDatetime
    reason: Text
    revised_at: AwareDatetime
    revised_by: str


class ServiceRecord(BaseModel):
    """VOL-HOURS-1: hours one volunteer served in one activity."""

    model_config = ConfigDict(frozen=True)

    id: str
    volunteer_id: str
    activity_id: str
    organization_id: str
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    status: ServiceRecordStatus = ServiceRecordStatus.RECORDED
    source: ServiceRecordSource = ServiceRecordSource.STAFF
    revisions: tuple[ServiceRecordRevision, ...] = ()


class CertificateStatus(StrEnum):
    """VOL-DUTY-4: a certificate is valid until voided."""

    VALID = "valid"
    VOID = "void"


class CertificateEntry(BaseModel):
    """VOL-DUTY-4: one line of a certificate: what was served, when, and for how long."""

    model_config = ConfigDict(frozen=True)

    activity_title: str
    served_on: date
    hours: Decimal


class Certificate(BaseModel):
    """VOL-DUTY-4: a 志愿服务记录证明 built from confirmed service records."""

    model_config = ConfigDict(frozen=True)

    number: str
    issued_on: date
    volunteer_name: str
    id_number_masked: str
    organization_name: str
    person_in_charge: str
    total_hours: Decimal
    entries: tuple[CertificateEntry, ...]
    starts_on: date
    ends_on: date
    status: CertificateStatus = CertificateStatus.VALID
    void_reason: str | None = None


class PublicCertificate(BaseModel):
    """VOL-DUTY-4: what anyone holding the number sees; no more than needed to verify it."""

    model_config = ConfigDict(frozen=True)

    number: str
    volunteer_name_masked: str
    total_hours: Decimal
    organization_name: str
    issued_on: date
    starts_on: date
    ends_on: date
    status: CertificateStatus
    void_reason: str | None = None


# --- Policy -----------------------------------------------------------------------------------


class VolunteerPolicy(VersionedPolicy):
    """The thresholds of the volunteer rules; a new version takes effect from its date."""

    #: VOL-ELIG-2: full age (Civil Code Art. 17) and the youngest who may register (Art. 19).
    adult_age: int = 18
    min_age: int = 8
    #: VOL-HONOUR-1: confirmed hours for one to five stars.
    star_thresholds_hours: tuple[Decimal, ...] = (
        Decimal(100),
        Decimal(300),
        Decimal(600),
        Decimal(1000),
        Decimal(1500),
    )
    #: VOL-ORG-3: the usual number of vice-captains (inclusive) by level ("一般", so a warning).
    vice_captain_range: dict[OrgLevel, tuple[int, int]] = Field(
        default_factory=lambda: {OrgLevel.CITY_TEAM: (3, 5), OrgLevel.COUNTY_TEAM: (2, 3)}
    )
    #: VOL-ORG-3: levels with one secretary-general.
    secretary_general_levels: frozenset[OrgLevel] = frozenset({OrgLevel.CITY_TEAM})
    #: VOL-ORG-4: the usual least number of members of a county team.
    county_team_min_members: int = 50
    #: VOL-RIGHT-1: a withdrawal later than this before the start is marked as late notice.
    withdrawal_notice_hours: int = 24

    @field_validator("star_thresholds_hours")
    @classmethod
    def _increasing(cls, thresholds: tuple[Decimal, ...]) -> tuple[Decimal, ...]:
        if any(b <= a for a, b in pairwise(thresholds)):
            raise PydanticCustomError("order", N_("star thresholds must increase"))
        return thresholds


#: The values of docs/rules.md, in force since the measures' year.
DEFAULT_VOLUNTEER_POLICY = VolunteerPolicy(effective_on=date(2023, 1, 1))


class EnrolmentContext(BaseModel):
    """What the enrolment gate reads besides the volunteer, the activity and the enrolment.

    `memberships` and `insurance` are the volunteer's; `confirmed_count` counts the activity's
    other confirmed enrolments.
    """

    model_config = ConfigDict(frozen=True)

    memberships: tuple[Membership, ...] = ()
    insurance: tuple[InsurancePolicy, ...] = ()
    confirmed_count: Annotated[int, Field(ge=0)] = 0
    policy: VolunteerPolicy


class VolunteerActivitySort(ListSort):
    """The orders of the activity list: by title (pinyin initials, then the title), or by the
    instant of the last change."""

    TITLE = "title"
    TITLE_DESCENDING = "-title"
    UPDATED_AT = "updated_at"
    UPDATED_AT_DESCENDING = "-updated_at"
