"""The API models of volunteers, memberships, hours and organisations."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from app.domain.common import Day, Moment
from app.domain.messages import N_
from app.domain.personal import mask_address, mask_id_number, mask_phone
from app.domain.volunteers import (
    Declarations,
    GuardianConsent,
    IdType,
    LeaderRole,
    MembershipStatus,
    OrgKind,
    OrgLevel,
    RegistrationStatus,
    SocialRegistrationStatus,
    VolunteerRegistration,
)
from app.errors import FieldError, FindingPublic
from app.repositories import volunteers as repo
from app.repositories import volunteers_orgs as orgs
from app.routers.bulk import field_errors
from app.routers.fields import Partial
from app.rules.volunteers_eligibility import age_on
from app.services.volunteers import Hours, MembershipView, RegistrationView

#: A checked example: 居民身份证 of 红山区 (150402) with its GB 11643 check character.
ADULT_ID = "150402199003151233"
#: A minor of 松山区 (150404), registered with a guardian's consent.
MINOR_ID = "150404201103080025"
SKILLS = Annotated[list[Annotated[str, Field(max_length=50)]], Field(max_length=50)]
DECLARED: dict[str, Any] = {
    "good_conduct": True,
    "healthy": True,
    "law_abiding": True,
    "supports_science": True,
    "civil_capacity": True,
}
ORG_ID = "01JD3Q0XK7M4W9ZQ5V2R8N6T1A"
GUARDIAN: dict[str, Any] = {"name": "王芳", "relationship": "母亲", "consented_on": "2026-03-01"}
VOLUNTEER_EXAMPLE: dict[str, Any] = {
    "name": "李明",
    "id_type": "resident_id",
    "id_number": ADULT_ID,
    "mobile": "13800138000",
    "region_code": "150402",
    "address": "内蒙古自治区赤峰市红山区长青街道3号楼",
    "skills": ["科普讲解", "急救"],
    "service_targets": ["青少年"],
    "declarations": DECLARED,
}


# --- volunteers -------------------------------------------------------------------------------


class VolunteerPerson(BaseModel):
    """VOL-REG-1: who registers: name, ID document, contact and region (a row or a body)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    id_type: IdType = IdType.RESIDENT_ID
    id_number: str = Field(min_length=1, max_length=40)
    birth_date: Day | None = None
    mobile: str = Field(min_length=1, max_length=20)
    region_code: str = Field(min_length=6, max_length=12)
    address: str | None = Field(default=None, max_length=500)


class VolunteerFields(VolunteerPerson):
    """VOL-REG-1: what a registration states; checked as a whole, every problem reported."""

    skills: SKILLS = []
    service_targets: SKILLS = []
    declarations: Declarations = Declarations()
    guardian: GuardianConsent | None = Field(
        default=None, description="VOL-ELIG-2: required for a volunteer aged 8 to 17"
    )

    def registration(self) -> VolunteerRegistration:
        """The registration as the eligibility rules take it."""
        return VolunteerRegistration.model_validate(self, from_attributes=True)


class VolunteerCreate(VolunteerFields):
    """A registration by an administrator, joining `organization_id` as an active member."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{**VOLUNTEER_EXAMPLE, "organization_id": ORG_ID}]},
    )

    organization_id: str | None = Field(default=None, max_length=26)


class VolunteerSelfRegistration(VolunteerFields):
    """Self-registration by the public: the organisation accepts it (a `volunteer` login and an
    active membership) or declines it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    **VOLUNTEER_EXAMPLE,
                    "name": "赵小雨",
                    "id_number": MINOR_ID,
                    "mobile": "13904760021",
                    "region_code": "150404",
                    "address": "内蒙古自治区赤峰市松山区全宁街道12号",
                    "guardian": GUARDIAN,
                    "username": "zhaoxiaoyu",
                    "password": "correct-horse-battery",
                    "organization_id": ORG_ID,
                }
            ]
        },
    )

    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=10, max_length=256)
    organization_id: str = Field(max_length=26)


class VolunteerBulkRow(VolunteerPerson):
    """One row of a team registration (VOL-REG-2). In CSV and XLSX, lists are `;`-separated and
    the guardian's fields are the columns `guardian.name`, `guardian.relationship` and
    `guardian.consented_on`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "李明",
                    "id_number": ADULT_ID,
                    "mobile": "13800138000",
                    "region_code": "150402",
                    "skills": "科普讲解;急救",
                    **DECLARED,
                },
                {
                    "name": "赵小雨",
                    "id_number": MINOR_ID,
                    "mobile": "13904760021",
                    "region_code": "150404",
                    "guardian": GUARDIAN,
                    **DECLARED,
                },
            ]
        },
    )

    skills: list[str] | str = []
    service_targets: list[str] | str = []
    good_conduct: bool = False
    healthy: bool = False
    law_abiding: bool = False
    supports_science: bool = False
    civil_capacity: bool = False
    guardian: GuardianConsent | None = None

    def registration(self) -> VolunteerRegistration:
        """The row as a registration (its values are already checked by this model)."""
        return VolunteerRegistration.model_construct(
            name=self.name,
            id_type=self.id_type,
            id_number=self.id_number,
            birth_date=self.birth_date,
            mobile=self.mobile,
            region_code=self.region_code,
            address=self.address or None,
            skills=_split(self.skills),
            service_targets=_split(self.service_targets),
            declarations=Declarations.model_construct(
                good_conduct=self.good_conduct,
                healthy=self.healthy,
                law_abiding=self.law_abiding,
                supports_science=self.supports_science,
                civil_capacity=self.civil_capacity,
            ),
            guardian=self.guardian,
        )


def _split(value: list[str] | str) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.replace("；", ";").split(";") if part.strip()]
    return value


def _cells(raw: dict[str, Any]) -> dict[str, Any]:
    """Spreadsheet cells as the row model takes them: blanks absent, numbers as text, and a
    dotted header (`guardian.name`) a field of a nested object."""
    cells: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None or value == "":
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        outer, dot, inner = key.partition(".")
        if dot:
            nested = cells.setdefault(outer, {})
            if isinstance(nested, dict):
                nested[inner] = value
        else:
            cells[key] = value
    return cells


def parse_bulk_row(raw: dict[str, Any]) -> VolunteerRegistration | list[FieldError]:
    """One row of a bulk body as a registration, or the problems naming its fields."""
    try:
        return VolunteerBulkRow.model_validate(_cells(raw)).registration()
    except ValidationError as exc:
        return field_errors(exc)


class VolunteerUpdate(Partial):
    """What may change after registration; the ID document never does (one person, one record)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "mobile": "13947612345",
                    "address": "内蒙古自治区赤峰市红山区西屯街道8号",
                    "skills": ["科普讲解", "天文观测"],
                }
            ]
        },
    )

    clearable = frozenset({"address"})

    name: str | None = Field(default=None, min_length=1, max_length=100)
    mobile: str | None = Field(default=None, min_length=1, max_length=20)
    address: str | None = Field(default=None, max_length=500)
    skills: SKILLS | None = None
    service_targets: SKILLS | None = None
    guardian: GuardianConsent | None = None


class VolunteerLookup(BaseModel):
    """A desk lookup: the full ID number (with its type) or the mobile, one of them."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"id_type": "resident_id", "id_number": ADULT_ID}]},
    )

    id_type: IdType = IdType.RESIDENT_ID
    id_number: str | None = Field(default=None, min_length=1, max_length=32)
    mobile: str | None = Field(default=None, min_length=1, max_length=20)

    @model_validator(mode="after")
    def _one_of(self) -> VolunteerLookup:
        if (self.id_number is None) == (self.mobile is None):
            raise PydanticCustomError("one_of", N_("give the id_number or the mobile, one of them"))
        return self


class VolunteerPublic(BaseModel):
    """A volunteer; ID number, mobile and address masked unless revealed (VOL-DUTY-1)."""

    id: str
    name: str
    id_type: IdType
    id_number: str
    mobile: str
    address: str | None
    birth_date: Day | None = Field(description="Only when revealed")
    minor: bool
    region_code: str
    county_code: str | None
    skills: list[str]
    service_targets: list[str]
    declarations: Declarations
    guardian: GuardianConsent | None
    revealed: bool
    version: int
    created_at: Moment
    updated_at: Moment


class VolunteerLookupResult(BaseModel):
    """The volunteers in scope with exactly that ID document or mobile, masked (at most 20)."""

    items: list[VolunteerPublic]


def volunteer_values(
    row: repo.VolunteerRow, *, reveal: bool, today: Day, adult_age: int
) -> dict[str, Any]:
    """The fields of `VolunteerPublic`, for one model or for a whole page validated at once;
    personal data masked unless `reveal` (VOL-DUTY-1)."""
    return {
        "id": row.id,
        "name": row.name,
        "id_type": row.id_type,
        "id_number": row.id_number if reveal else mask_id_number(row.id_number),
        "mobile": row.mobile if reveal else mask_phone(row.mobile),
        "address": (row.address if reveal else mask_address(row.address)) if row.address else None,
        "birth_date": row.birth_date if reveal else None,
        "minor": age_on(row.birth_date, today) < adult_age,
        "region_code": row.region_code,
        "county_code": row.county_code,
        "skills": row.skills,
        "service_targets": row.service_targets,
        "declarations": row.declarations,
        "guardian": row.guardian,
        "revealed": reveal,
        "version": row.version,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def volunteer_public(row: repo.VolunteerRow, *, reveal: bool, today: date) -> VolunteerPublic:
    """The public view of one volunteer."""
    adult_age = repo.policy_on(today).adult_age
    return VolunteerPublic.model_validate(
        volunteer_values(row, reveal=reveal, today=today, adult_age=adult_age)
    )


# --- memberships ------------------------------------------------------------------------------


class MembershipEventAction(StrEnum):
    """VOL-EXIT-1: what a step of a membership did: `join`, or one of the colon verbs."""

    JOIN = "join"
    APPROVE = "approve"
    REJECT = "reject"
    WARN = "warn"
    EXIT = "exit"
    EXPEL = "expel"
    LEAVE = "leave"
    READMIT = "readmit"


class MembershipEventPublic(BaseModel):
    """VOL-EXIT-1: one step of a membership."""

    action: MembershipEventAction
    from_status: MembershipStatus | None
    to_status: MembershipStatus
    reason: str
    decided_by: str | None
    decided_at: Moment


class MembershipPublic(BaseModel):
    """A membership of one organisation with its history."""

    id: str
    volunteer_id: str
    organization_id: str
    status: MembershipStatus
    history: list[MembershipEventPublic]
    version: int


def membership_public(view: MembershipView) -> MembershipPublic:
    """The public view of a membership and its steps."""
    row = view.row
    return MembershipPublic(
        id=row.id,
        volunteer_id=row.volunteer_id,
        organization_id=row.organization_id,
        status=MembershipStatus(row.status),
        history=[
            MembershipEventPublic(
                action=MembershipEventAction(e.action),
                from_status=MembershipStatus(e.from_status) if e.from_status else None,
                to_status=MembershipStatus(e.to_status),
                reason=e.reason,
                decided_by=e.decided_by,
                decided_at=e.decided_at,
            )
            for e in view.history
        ],
        version=row.version,
    )


class MembershipCreate(BaseModel):
    """Join an organisation: active when an administrator adds, pending when the volunteer asks."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"organization_id": ORG_ID, "reason": "参加社区科普服务"}]},
    )

    organization_id: str = Field(max_length=26)
    reason: str = Field(default="", max_length=2000)


class MembershipStep(BaseModel):
    """VOL-EXIT-1: the grounds of a step; every step but `:approve` needs one."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "连续三次无故缺席服务活动"}]},
    )

    reason: str | None = Field(default=None, max_length=2000)


# --- registrations by the public --------------------------------------------------------------


class VolunteerRegistrationReceipt(BaseModel):
    """A registration received: the same answer whoever the person and whatever the username."""

    id: str
    status: RegistrationStatus
    received_at: Moment


class VolunteerRegistrationPublic(BaseModel):
    """A registration by the public as its organisation sees it: personal data masked
    (VOL-DUTY-1), with whether the person and the username are already on record."""

    id: str
    organization_id: str
    status: RegistrationStatus
    name: str
    id_type: IdType
    id_number: str
    mobile: str
    region_code: str
    skills: list[str]
    guardian: GuardianConsent | None
    username: str
    already_registered: bool = Field(
        description="A volunteer with this ID document is on record (while pending)"
    )
    username_taken: bool = Field(description="A user has this username (while pending)")
    volunteer_id: str | None
    reason: str
    decided_at: Moment | None
    version: int
    created_at: Moment
    updated_at: Moment


def registration_public(view: RegistrationView) -> VolunteerRegistrationPublic:
    """The organisation's view of one registration."""
    row, sent = view.row, view.registration
    return VolunteerRegistrationPublic(
        id=row.id,
        organization_id=row.organization_id,
        status=RegistrationStatus(row.status),
        name=row.name,
        id_type=sent.id_type,
        id_number=mask_id_number(sent.id_number),
        mobile=mask_phone(sent.mobile),
        region_code=sent.region_code,
        skills=sent.skills,
        guardian=sent.guardian,
        username=row.username,
        already_registered=view.already_registered,
        username_taken=view.username_taken,
        volunteer_id=row.volunteer_id,
        reason=row.reason,
        decided_at=row.decided_at,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class RegistrationAccept(BaseModel):
    """VOL-REG-2: accept a registration; `username` replaces the one asked for when it is taken."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{}]})

    username: str | None = Field(
        default=None, min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$"
    )


class RegistrationDecline(BaseModel):
    """VOL-REG-2: the grounds of declining a registration."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "经电话核实，本人未申请注册"}]}
    )

    reason: str = Field(min_length=1, max_length=500)


# --- hours -------------------------------------------------------------------------------------


class VolunteerHoursLine(BaseModel):
    """Confirmed hours of one year in one organisation."""

    year: int
    organization_id: str
    hours: float
    records: int


class VolunteerHoursPublic(BaseModel):
    """VOL-HOURS-1, VOL-HONOUR-1: confirmed hours, by year and organisation, and the star level."""

    volunteer_id: str
    total_hours: float
    star_level: int
    by_year_and_organization: list[VolunteerHoursLine]


def hours_public(volunteer_id: str, hours: Hours) -> VolunteerHoursPublic:
    """The public view of a volunteer's hours."""
    return VolunteerHoursPublic(
        volunteer_id=volunteer_id,
        total_hours=float(hours.total),
        star_level=hours.star_level,
        by_year_and_organization=[
            VolunteerHoursLine(
                year=t.year,
                organization_id=t.organization_id,
                hours=float(t.hours),
                records=t.records,
            )
            for t in hours.lines
        ],
    )


# --- organisations ----------------------------------------------------------------------------


class OrganizationRegistration(BaseModel):
    """VOL-ORG-5: registration as a social organisation (社会团体登记)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "status": "registered",
                    "registered_on": "2025-09-12",
                    "number": "赤民社登字第0421号",
                }
            ]
        },
    )

    status: SocialRegistrationStatus = SocialRegistrationStatus.NOT_REGISTERED
    registered_on: Day | None = None
    number: str | None = Field(default=None, min_length=1, max_length=50)


class OrganizationPublic(BaseModel):
    """An organisation as the API shows it."""

    id: str
    name: str
    kind: OrgKind
    level: OrgLevel
    parent_id: str | None
    path: str
    region_code: str | None
    county_code: str | None
    person_in_charge: str
    registration: OrganizationRegistration
    version: int
    created_at: Moment
    updated_at: Moment


class OrganizationTreePublic(OrganizationPublic):
    """An organisation with its sub-organisations."""

    children: list[OrganizationTreePublic] = []


class OrganizationCreate(BaseModel):
    """A new organisation (VOL-ORG-1 kind, VOL-ORG-2 level and parent)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "红山区科技志愿服务队",
                    "kind": "team",
                    "level": "county_team",
                    "parent_id": ORG_ID,
                    "region_code": "150402",
                    "person_in_charge": "张伟",
                }
            ]
        },
    )

    name: str = Field(min_length=1, max_length=200)
    kind: OrgKind
    level: OrgLevel
    parent_id: str | None = Field(default=None, max_length=26)
    region_code: str | None = Field(default=None, pattern=r"^[0-9]{6}([0-9]{3}){0,2}$")
    person_in_charge: str = Field(default="", max_length=100)


class OrganizationUpdate(Partial):
    """Name, person in charge, or a new parent (the hierarchy check runs again)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"name": "红山区科技志愿服务大队", "person_in_charge": "刘洋"}]
        },
    )

    clearable = frozenset({"parent_id"})

    name: str | None = Field(default=None, min_length=1, max_length=200)
    person_in_charge: str | None = Field(default=None, max_length=100)
    parent_id: str | None = Field(default=None, max_length=26)


def organization_public(org: orgs.OrganizationRow) -> OrganizationPublic:
    """The public view of an organisation row."""
    return OrganizationPublic(
        id=org.id,
        name=org.name,
        kind=OrgKind(org.kind),
        level=OrgLevel(org.level),
        parent_id=org.parent_id,
        path=org.path,
        region_code=org.region_code,
        county_code=org.county_code,
        person_in_charge=org.person_in_charge,
        registration=OrganizationRegistration(
            status=SocialRegistrationStatus(org.registration_status),
            registered_on=org.registered_on,
            number=org.registration_number,
        ),
        version=org.version,
        created_at=org.created_at,
        updated_at=org.updated_at,
    )


class OrganizationLeaderCreate(BaseModel):
    """VOL-ORG-3: a post and who holds it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"role": "captain", "name": "张伟", "title": "红山区科协副主席"}]
        },
    )

    role: LeaderRole
    name: str = Field(min_length=1, max_length=100)
    title: str = Field(default="", max_length=200)
    volunteer_id: str | None = Field(default=None, max_length=26)


class OrganizationLeaderPublic(BaseModel):
    """A leader of an organisation."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    organization_id: str
    role: LeaderRole
    name: str
    title: str
    volunteer_id: str | None
    created_at: Moment


class OrganizationFindingsPublic(BaseModel):
    """Every finding about an organisation: errors, warnings and advisories, with rule IDs."""

    ok: bool
    findings: list[FindingPublic]
