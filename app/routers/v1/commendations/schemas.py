"""The API models of commendations and the priority list."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.domain.commendations import CommendationSubject
from app.domain.common import Day, Moment


class CommendationCreate(BaseModel):
    """VOL-HONOUR-1: who is commended (volunteer, organisation or project), by whom, when."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "organization_id": "01JD7Q3M5X8Z2K4N6P8R0T2V4W",
                    "subject": "volunteer",
                    "volunteer_id": "01JD7Q4B2C6D8F0G2H4J6K8M0N",
                    "title": "2025年度赤峰市优秀科技志愿者",
                    "awarded_on": "2025-12-05",
                }
            ]
        },
    )

    organization_id: str = Field(max_length=26, description="The commending organisation")
    subject: CommendationSubject
    volunteer_id: str | None = Field(default=None, max_length=26)
    subject_organization_id: str | None = Field(default=None, max_length=26)
    project_name: str | None = Field(default=None, max_length=200)
    title: str = Field(min_length=1, max_length=200)
    awarded_on: Day


class CommendationPublic(BaseModel):
    """A commendation as recorded."""

    id: str
    organization_id: str
    subject: CommendationSubject
    volunteer_id: str | None
    subject_organization_id: str | None
    project_name: str | None
    title: str
    awarded_on: Day
    created_at: Moment
    version: int


class PriorityListEntryPublic(BaseModel):
    """VOL-HONOUR-1: one volunteer of the priority list, best first."""

    volunteer_id: str
    name_masked: str
    confirmed_hours: float = Field(description="Confirmed service hours, to the hundredth")
    star_level: int
    commendations: int
