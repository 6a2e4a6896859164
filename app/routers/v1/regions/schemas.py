"""The API models of the region tree."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.domain.common import Moment
from app.repositories.regions import RegionLevel


class RegionPublic(BaseModel):
    """A region of the tree: its GB/T 2260 code, level, parent and county."""

    code: str
    name: str
    level: RegionLevel
    parent_code: str | None
    county_code: str | None
    updated_at: Moment


class RegionCreate(BaseModel):
    """A township (9-digit code) under a county or a village (12-digit code) under a township."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"code": "150402001", "name": "永巨街道", "parent_code": "150402"}]
        },
    )

    code: str = Field(pattern=r"^\d{9}(\d{3})?$")
    name: str = Field(min_length=1, max_length=100)
    parent_code: str = Field(pattern=r"^\d{6}(\d{3})?$")
