"""The API models of agreements."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.domain.common import Day, Moment


class AgreementCreate(BaseModel):
    """VOL-AGREE-1: content, manner, time, place, working conditions and safety measures."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "volunteer_id": "01JD7Q4B2C6D8F0G2H4J6K8M0N",
                    "organization_id": "01JD7Q3M5X8Z2K4N6P8R0T2V4W",
                    "served_party": "赤峰市红山区第一中学",
                    "content": "面向初一学生的青少年科技教育系列讲座",
                    "manner": "每周三下午一次，每次两课时",
                    "starts_on": "2025-09-01",
                    "ends_on": "2026-01-15",
                    "place": "赤峰市红山区第一中学学术报告厅",
                    "working_conditions": "学校提供多媒体教室和实验器材",
                    "safety_measures": "学校安排专任教师在场，活动前进行安全提示",
                    "signed_on": "2025-08-20",
                }
            ]
        },
    )

    volunteer_id: str = Field(max_length=26)
    organization_id: str = Field(max_length=26)
    activity_id: str | None = Field(default=None, max_length=26)
    served_party: str = Field(max_length=100)
    content: str = Field(max_length=2000)
    manner: str = Field(max_length=2000)
    starts_on: Day
    ends_on: Day
    place: str = Field(max_length=2000)
    working_conditions: str = Field(max_length=2000)
    safety_measures: str = Field(max_length=2000)
    signed_on: Day


class AgreementPublic(BaseModel):
    """An agreement as recorded."""

    id: str
    volunteer_id: str
    organization_id: str
    activity_id: str | None
    served_party: str
    content: str
    manner: str
    starts_on: Day
    ends_on: Day
    place: str
    working_conditions: str
    safety_measures: str
    signed_on: Day
    created_at: Moment
    version: int
