"""The API models of complaints and their notes."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi.openapi.models import Example
from pydantic import BaseModel, ConfigDict, Field

from app.domain.common import Moment
from app.domain.complaints import ComplaintStatus, ComplaintSubjectKind


class _ComplaintBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: str = Field(min_length=1, max_length=4000)
    reporter_name: str | None = Field(default=None, max_length=100)
    reporter_contact: str | None = Field(default=None, max_length=100)


class ComplaintAboutOrganization(_ComplaintBody):
    """A complaint or report about an organisation; the reporter may stay anonymous."""

    subject_kind: Literal[ComplaintSubjectKind.ORGANIZATION]
    subject_organization_id: str = Field(min_length=1, max_length=26)


class ComplaintAboutVolunteer(_ComplaintBody):
    """A complaint or report about a volunteer, with the organisation they served in if known."""

    subject_kind: Literal[ComplaintSubjectKind.VOLUNTEER]
    subject_volunteer_id: str = Field(min_length=1, max_length=26)
    subject_organization_id: str | None = Field(default=None, min_length=1, max_length=26)


#: A complaint names its subject by its kind (VOL-SUPER-1), which the schema states.
COMPLAINT_EXAMPLES: dict[str, Example] = {
    "organization": {
        "summary": "About an organisation, with the reporter's contact",
        "value": {
            "subject_kind": "organization",
            "subject_organization_id": "01JD7Q3M5X8Z2K4N6P8R0T2V4W",
            "content": "桥北街道分队组织的科普讲座向参加的居民收取材料费每人二十元",
            "reporter_name": "王秀兰",
            "reporter_contact": "13947612345",
        },
    },
    "volunteer": {
        "summary": "About a volunteer, anonymous",
        "value": {
            "subject_kind": "volunteer",
            "subject_volunteer_id": "01JD7Q3M5X8Z2K4N6P8R0T2V4X",
            "content": "该志愿者在活动中以科技志愿者名义推销保健品",
        },
    },
}
ComplaintCreate = Annotated[
    ComplaintAboutOrganization | ComplaintAboutVolunteer, Field(discriminator="subject_kind")
]


class ComplaintPublic(BaseModel):
    """A complaint; the reporter's name and contact masked unless revealed (VOL-SUPER-1)."""

    id: str
    subject_kind: ComplaintSubjectKind
    subject_organization_id: str | None
    subject_volunteer_id: str | None
    handler_organization_id: str | None
    handled_by_city_association: bool
    content: str
    status: ComplaintStatus
    reporter_name: str | None = Field(description="Masked unless revealed")
    reporter_contact: str | None = Field(description="Masked unless revealed")
    revealed: bool
    created_at: Moment
    version: int


class ComplaintNoteCreate(BaseModel):
    """A handling note; the complaint is then in handling."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"note": "已约谈红山区科技志愿者队负责人，要求退还所收费用"}]
        },
    )

    note: str = Field(min_length=1, max_length=4000)


class ComplaintClose(BaseModel):
    """The outcome of the handling, kept as the complaint's last note."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"note": "经核实属实，已责令退还全部费用并在全市通报，已电话回复投诉人"}]
        },
    )

    note: str = Field(min_length=1, max_length=4000)


class ComplaintNotePublic(BaseModel):
    """A handling note as written."""

    id: str
    complaint_id: str
    note: str
    written_by: str
    created_at: Moment
