"""The API models of officer activity plans (OFF-PLAN-1)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app.domain.common import Day, Moment
from app.domain.messages import N_
from app.domain.officers import PLAN_OWNER_LABELS, ActivityPlanOwnerKind, Name, Title
from app.repositories.officers_activity_plans import ActivityPlanRow


class OfficerActivityPlanCreate(BaseModel):
    """OFF-PLAN-1: an officer activity plan of a community, township, village, school, base or
    e-station, placed by its region code (of the owner's level)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "owner_kind": "township",
                    "owner_name": "红山区永巨街道",
                    "region_code": "150402001",
                    "title": "2025年春季科普信息员进社区活动",
                    "starts_on": "2025-03-01",
                    "ends_on": "2025-05-31",
                    "description": "每月组织一次面对面科普宣传",
                }
            ]
        },
    )

    owner_kind: ActivityPlanOwnerKind
    owner_name: Name
    region_code: str = Field(
        pattern=r"^\d{6}(\d{3}){0,2}$", description="The owner's region, of any level"
    )
    title: Title
    starts_on: Day
    ends_on: Day
    description: str = Field(default="", max_length=5000)

    @model_validator(mode="after")
    def _ordered(self) -> OfficerActivityPlanCreate:
        if self.ends_on < self.starts_on:
            raise PydanticCustomError("order", N_("ends_on is before starts_on"))
        return self


class OfficerActivityPlanPublic(BaseModel):
    """An activity plan."""

    id: str
    owner_kind: ActivityPlanOwnerKind
    owner_kind_label: str
    owner_name: str
    region_code: str
    county_code: str
    title: str
    starts_on: Day
    ends_on: Day
    description: str
    version: int
    updated_at: Moment

    @classmethod
    def of(cls, row: ActivityPlanRow) -> OfficerActivityPlanPublic:
        """The public view of a stored plan."""
        kind = ActivityPlanOwnerKind(row.owner_kind)
        return cls(
            id=row.id,
            owner_kind=kind,
            owner_kind_label=PLAN_OWNER_LABELS[kind],
            owner_name=row.owner_name,
            region_code=row.region_code,
            county_code=row.county_code,
            title=row.title,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            description=row.description,
            version=row.version,
            updated_at=row.updated_at,
        )
