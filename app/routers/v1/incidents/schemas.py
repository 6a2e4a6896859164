"""The API models of incidents."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.domain.common import Instant, Moment
from app.domain.incidents import HarmedParty, IncidentStatus


class IncidentCreate(BaseModel):
    """VOL-HARM-1: who was harmed, when, in which activity, what happened; the handling if
    already known (the incident is then recorded as handled)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "activity_id": "01JD7Q5C3D7E9F1G3H5J7K9M1N",
                    "volunteer_id": "01JD7Q4B2C6D8F0G2H4J6K8M0N",
                    "occurred_at": "2025-09-20T10:30:00+08:00",
                    "harmed": "volunteer",
                    "description": "布置科普展板时从梯子上滑落，扭伤右脚踝",
                }
            ]
        },
    )

    activity_id: str = Field(max_length=26)
    volunteer_id: str | None = Field(default=None, max_length=26)
    occurred_at: Instant
    harmed: HarmedParty
    description: str = Field(max_length=2000)
    handling: str | None = Field(default=None, max_length=4000)


class IncidentHandle(BaseModel):
    """VOL-HARM-1: how the incident was handled."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"handling": "现场负责人送往赤峰市医院就诊，已按志愿者保险报案理赔"}]
        },
    )

    handling: str = Field(min_length=1, max_length=4000)


class IncidentPublic(BaseModel):
    """An incident as recorded."""

    id: str
    activity_id: str
    organization_id: str
    volunteer_id: str | None
    occurred_at: Moment
    harmed: HarmedParty
    description: str
    status: IncidentStatus
    handling: str | None
    created_at: Moment
    version: int
