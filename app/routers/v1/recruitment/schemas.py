"""The API models of recruitment drives and their applications."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.domain.common import Day, Moment
from app.domain.recruitment import (
    RecruitmentApplicationStatus,
    RecruitmentOpenness,
    RecruitmentRegularity,
    RecruitmentTarget,
)

Tag = Annotated[str, Field(min_length=1, max_length=50)]


class RecruitmentCreate(BaseModel):
    """VOL-RECRUIT-1: mode, period, and the skills and service targets sought."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "organization_id": "01JD7Q3M5X8Z2K4N6P8R0T2V4W",
                    "title": "2025年全国科普日红山区科技志愿者招募",
                    "openness": "directed",
                    "regularity": "periodic",
                    "target": "individual",
                    "opens_on": "2025-08-15",
                    "closes_on": "2025-09-10",
                    "directed_to": "赤峰学院物理与智能制造工程学院在校学生",
                    "target_skills": ["科普讲解", "实验演示"],
                    "service_targets": ["青少年"],
                }
            ]
        },
    )

    organization_id: str = Field(max_length=26)
    title: str = Field(min_length=1, max_length=200)
    openness: RecruitmentOpenness
    regularity: RecruitmentRegularity
    target: RecruitmentTarget
    opens_on: Day
    closes_on: Day | None = None
    directed_to: str | None = Field(default=None, max_length=500)
    target_skills: list[Tag] = Field(default=[], max_length=50)
    service_targets: list[Tag] = Field(default=[], max_length=50)


class RecruitmentPublic(BaseModel):
    """A recruitment drive and the activities linked to it."""

    id: str
    organization_id: str
    title: str
    openness: RecruitmentOpenness
    regularity: RecruitmentRegularity
    target: RecruitmentTarget
    opens_on: Day
    closes_on: Day | None
    directed_to: str | None
    target_skills: list[str]
    service_targets: list[str]
    activity_ids: list[str]
    created_at: Moment
    version: int


class RecruitmentApplicationPublic(BaseModel):
    """A volunteer's application to a drive."""

    id: str
    recruitment_id: str
    volunteer_id: str
    status: RecruitmentApplicationStatus
    created_at: Moment
    updated_at: Moment
    version: int
