"""The API models of activities, enrolments and insurance policies (names unique in the spec)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictBool, StrictFloat

from app.domain.common import Day, Instant, JsonInteger, Moment, Observance
from app.domain.volunteers import (
    AttendanceFlag,
    EnrolmentStatus,
    Geofence,
    RiskLevel,
    ServiceRecordStatus,
    ServiceScope,
)
from app.routers.fields import Partial

Skill = Annotated[str, Field(max_length=50)]
Id = Annotated[str, Field(max_length=26)]

_ACTIVITY_EXAMPLE: dict[str, JsonValue] = {
    "organization_id": "01JD7Y3Q8K2M4N6P8R0T2V4X6Z",
    "title": "防汛应急科普进社区",
    "scope": 1,
    "region_code": "150402",
    "place": "赤峰市红山区长青街道社区活动中心",
    "starts_at": "2026-07-10T09:00:00+08:00",
    "ends_at": "2026-07-10T17:00:00+08:00",
    "capacity": 30,
    "required_skills": ["急救"],
    "risk": "personal_danger",
    "risk_disclosure": "涉水演练，可能发生滑倒、溺水",
}


class VolunteerActivityFields(BaseModel):
    """What an activity states; there is no fee (VOL-RIGHT-1)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    scope: ServiceScope = Field(description="VOL-SCOPE-1: the category of Art. 12, 1 to 8")
    observance: Observance | None = Field(
        default=None, description="VOL-SCOPE-1: the observance a category-4 activity serves"
    )
    region_code: str | None = Field(default=None, max_length=12)
    place: str = Field(default="", max_length=500)
    starts_at: Instant
    ends_at: Instant
    capacity: Annotated[int, Field(ge=1, le=100_000), JsonInteger] | None = None
    required_skills: list[Skill] = Field(default=[], max_length=50)
    min_age: Annotated[int, Field(ge=0, le=150), JsonInteger] | None = None
    max_age: Annotated[int, Field(ge=0, le=150), JsonInteger] | None = None
    minors_allowed: StrictBool = False
    risk: RiskLevel = RiskLevel.NONE
    risk_disclosure: str | None = Field(default=None, max_length=4000)
    major_project: StrictBool = False
    recruitment_id: Id | None = None
    geofence: Geofence | None = Field(
        default=None, description="VOL-CHECKIN-1: where check-in and check-out are taken"
    )


class VolunteerActivityCreate(VolunteerActivityFields):
    """A new activity of an organisation the caller administers."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_ACTIVITY_EXAMPLE]})

    organization_id: Id


class VolunteerActivityUpdate(Partial):
    """Any activity field; the activity is checked again as a whole."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"capacity": 40, "place": "红山区科技馆一楼报告厅"}]},
    )

    clearable = frozenset(
        {
            "observance",
            "region_code",
            "capacity",
            "min_age",
            "max_age",
            "risk_disclosure",
            "geofence",
        }
    )

    title: str | None = Field(default=None, min_length=1, max_length=200)
    scope: ServiceScope | None = None
    observance: Observance | None = None
    region_code: str | None = Field(default=None, max_length=12)
    place: str | None = Field(default=None, max_length=500)
    starts_at: Instant | None = None
    ends_at: Instant | None = None
    capacity: Annotated[int, Field(ge=1, le=100_000), JsonInteger] | None = None
    required_skills: list[Skill] | None = Field(default=None, max_length=50)
    min_age: Annotated[int, Field(ge=0, le=150), JsonInteger] | None = None
    max_age: Annotated[int, Field(ge=0, le=150), JsonInteger] | None = None
    minors_allowed: StrictBool | None = None
    risk: RiskLevel | None = None
    risk_disclosure: str | None = Field(default=None, max_length=4000)
    major_project: StrictBool | None = None
    geofence: Geofence | None = None


class VolunteerActivityPublic(VolunteerActivityFields):
    """An activity as the API shows it."""

    model_config = ConfigDict(extra="ignore")

    id: str
    organization_id: str
    county_code: str | None
    version: int
    created_at: Moment
    updated_at: Moment


class PublicActivity(BaseModel):
    """An activity open to enrolment, as anyone sees it: what it asks and what it risks
    (VOL-DUTY-2: disclosed before enrolment), nothing about who takes part."""

    id: str
    title: str
    scope: ServiceScope
    observance: Observance | None
    organization_id: str
    organization_name: str
    county_code: str | None
    region_code: str | None
    place: str
    starts_at: Moment
    ends_at: Moment
    capacity: int | None
    required_skills: list[str]
    min_age: int | None
    max_age: int | None
    minors_allowed: bool
    risk: RiskLevel
    risk_disclosure: str | None


class EnrolmentCreate(BaseModel):
    """Enrol: a volunteer enrols itself (empty body); an administrator names the volunteer."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"volunteer_id": "01JD80A1B2C3D4E5F6G7H8J9KM"}]},
    )

    volunteer_id: Id | None = None


class EnrolmentWithdrawal(BaseModel):
    """VOL-RIGHT-1: why the volunteer cannot serve as agreed."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "单位临时安排出差，无法参加"}]}
    )

    reason: str = Field(max_length=2000)


class EnrolmentPublic(BaseModel):
    """An enrolment and where it stands."""

    id: str
    activity_id: str
    volunteer_id: str
    status: EnrolmentStatus
    risk_acknowledged_at: Moment | None
    confirmed_at: Moment | None
    withdrawn_at: Moment | None
    withdrawal_reason: str | None
    late_notice: bool
    version: int


class MyActivityPublic(BaseModel):
    """One of the calling volunteer's enrolments, with its activity's title and times."""

    enrolment: EnrolmentPublic
    title: str
    starts_at: Moment
    ends_at: Moment


class InsurancePolicyCreate(BaseModel):
    """VOL-DUTY-3: a personal accident policy, its dates (both included) and the insured."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "organization_id": "01JD7Y3Q8K2M4N6P8R0T2V4X6Z",
                    "insurer": "中国人寿保险股份有限公司赤峰分公司",
                    "number": "P2026150402000123",
                    "starts_on": "2026-07-01",
                    "ends_on": "2026-12-31",
                    "insured_volunteer_ids": ["01JD80A1B2C3D4E5F6G7H8J9KM"],
                }
            ]
        },
    )

    organization_id: Id
    insurer: str = Field(min_length=1, max_length=100)
    number: str = Field(min_length=1, max_length=100)
    starts_on: Day
    ends_on: Day
    activity_id: Id | None = None
    insured_volunteer_ids: list[Id] = Field(default=[], max_length=10_000)


class InsuredVolunteersAdd(BaseModel):
    """Volunteers the policy insures from now on, besides those it already does."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"volunteer_ids": ["01JD80A1B2C3D4E5F6G7H8J9KM"]}]},
    )

    volunteer_ids: list[Id] = Field(min_length=1, max_length=10_000)


class InsurancePolicyPublic(BaseModel):
    """A policy and the volunteers it insures."""

    id: str
    organization_id: str
    insurer: str
    number: str
    starts_on: Day
    ends_on: Day
    activity_id: str | None
    insured_volunteer_ids: list[str]
    version: int


# --- attendance (VOL-CHECKIN-1) -----------------------------------------------------------------


class CheckInCodePublic(BaseModel):
    """The code on the captain's screen: its digits, until when it works alone, and its QR."""

    code: str = Field(description="6 digits, for people who cannot scan")
    valid_until: Moment = Field(description="The next code is shown from then")
    step_seconds: int
    payload: str = Field(description="What the QR code encodes")
    qr_svg: str = Field(description="The QR code as an SVG document")
    qr_png: str = Field(description="The QR code as a `data:image/png;base64,...` URI")


class Position(BaseModel):
    """Where the volunteer stands (WGS 84), from the phone."""

    model_config = ConfigDict(extra="forbid")

    latitude: StrictFloat = Field(ge=-90, le=90)
    longitude: StrictFloat = Field(ge=-180, le=180)


class AttendanceScan(BaseModel):
    """A scanned or typed code, and the position where the activity asks for it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"code": "492817", "position": {"latitude": 42.2586, "longitude": 118.887}}
            ]
        },
    )

    code: str = Field(pattern=r"^[0-9]{6}$")
    position: Position | None = None


class AttendancePublic(BaseModel):
    """A volunteer's check-in and check-out at an activity (positions are not shown)."""

    id: str
    activity_id: str
    volunteer_id: str
    enrolment_id: str
    checked_in_at: Moment
    checked_out_at: Moment | None
    flags: list[AttendanceFlag]
    service_record_id: str | None
    version: int
    created_at: Moment
    updated_at: Moment


class AttendanceRefusalPublic(BaseModel):
    """A refused check-in or check-out, kept for anti-fraud review."""

    id: str
    activity_id: str
    volunteer_id: str | None
    action: Literal["check-in", "check-out"]
    rules: list[str] = Field(description="The rule IDs it broke")
    source: str | None = Field(description="The address it came from")
    created_at: Moment


class RosterLinePublic(BaseModel):
    """One enrolment of an activity with its attendance and hours; the name masked."""

    enrolment_id: str
    volunteer_id: str
    name: str = Field(description="Masked (VOL-DUTY-1)")
    enrolment_status: EnrolmentStatus
    checked_in_at: Moment | None
    checked_out_at: Moment | None
    flags: list[AttendanceFlag]
    service_record_id: str | None
    service_record_status: ServiceRecordStatus | None
    hours: float | None = Field(description="To the hundredth, rounded down")
