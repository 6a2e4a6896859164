"""The API models of officer training (OFF-TRAIN-1): plans, sessions, attendance."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictFloat

from app.domain.common import Count, Day, Integer, Moment
from app.domain.officers import TRAINING_LEVEL_LABELS, OfficerTrainingLevel, Title
from app.repositories.officers import OfficerRow
from app.repositories.officers_training import TrainingPlanRow, TrainingSessionRow
from app.routers.fields import Partial

CountyCode = Annotated[str, Field(pattern=r"^\d{6}$")]


class OfficerTrainingPlanCreate(BaseModel):
    """OFF-TRAIN-1: a county's officer training plan for one year."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "county_code": "150402",
                    "year": 2025,
                    "title": "红山区2025年科普信息员培训计划",
                    "planned_sessions": 4,
                    "planned_trainees": 120,
                    "note": "每季度一期，覆盖全部街道",
                }
            ]
        },
    )

    county_code: CountyCode | None = Field(default=None, description="Own county by default")
    year: Integer = Field(ge=2000, le=2100)
    title: Title
    planned_sessions: Count
    planned_trainees: Count = 0
    note: str = Field(default="", max_length=2000)


class OfficerTrainingPlanUpdate(Partial):
    """Plan fields to change."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"planned_sessions": 6, "note": "增加两期线上培训"}]},
    )

    title: Title | None = None
    planned_sessions: Count | None = None
    planned_trainees: Count | None = None
    note: str | None = Field(default=None, max_length=2000)


class OfficerTrainingPlanPublic(BaseModel):
    """A county's training plan for a year."""

    id: str
    county_code: str
    year: int
    title: str
    planned_sessions: int
    planned_trainees: int
    note: str
    version: int
    updated_at: Moment

    @classmethod
    def of(cls, row: TrainingPlanRow) -> OfficerTrainingPlanPublic:
        """The public view of a stored plan."""
        return cls(
            id=row.id,
            county_code=row.county_code,
            year=row.year,
            title=row.title,
            planned_sessions=row.planned_sessions,
            planned_trainees=row.planned_trainees,
            note=row.notes,
            version=row.version,
            updated_at=row.updated_at,
        )


class OfficerTrainingSessionCreate(BaseModel):
    """OFF-TRAIN-1: a county session (its county, optionally under its plan) or, by the city, a
    city exchange session naming the city."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "level": "county",
                    "county_code": "150402",
                    "title": "科普中国APP使用培训",
                    "held_on": "2025-04-18",
                    "location": "红山区科协三楼会议室",
                    "hours": 2.5,
                }
            ]
        },
    )

    level: OfficerTrainingLevel = OfficerTrainingLevel.COUNTY
    county_code: CountyCode | None = Field(
        default=None, description="A county session's county (own county by default)"
    )
    city_code: CountyCode | None = Field(default=None, description="A city exchange session's city")
    training_plan_id: str | None = Field(default=None, max_length=26)
    title: Title
    held_on: Day
    location: str = Field(default="", max_length=200)
    hours: StrictFloat = Field(default=1.0, gt=0, le=24)


class OfficerTrainingSessionPublic(BaseModel):
    """A training session held, with its attendance count in the caller's scope."""

    id: str
    level: OfficerTrainingLevel
    level_label: str
    county_code: str | None
    city_code: str | None
    training_plan_id: str | None
    title: str
    held_on: Day
    location: str
    hours: float
    attendance: int
    version: int

    @classmethod
    def of(cls, row: TrainingSessionRow, attendance: int) -> OfficerTrainingSessionPublic:
        """The public view of a session and its attendance count."""
        level = OfficerTrainingLevel(row.level)
        return cls(
            id=row.id,
            level=level,
            level_label=TRAINING_LEVEL_LABELS[level],
            county_code=row.county_code,
            city_code=row.region_code if level is OfficerTrainingLevel.CITY_EXCHANGE else None,
            training_plan_id=row.plan_id,
            title=row.title,
            held_on=row.held_on,
            location=row.location,
            hours=row.hours,
            attendance=attendance,
            version=row.version,
        )


class OfficerTrainingAttendanceCreate(BaseModel):
    """Officers present at a session."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"officer_ids": ["01JD8Z0Q6W9R2M3N4P5S6T7V8X", "01JD8Z0Q6W9R2M3N4P5S6T7V8Y"]}
            ]
        },
    )

    officer_ids: list[str] = Field(min_length=1, max_length=1000)


class OfficerTrainingAttendeePublic(BaseModel):
    """An officer present at a session."""

    officer_id: str
    name: str
    app_account_id: str
    county_code: str

    @classmethod
    def of(cls, row: OfficerRow) -> OfficerTrainingAttendeePublic:
        """The attendee view of an officer."""
        return cls(
            officer_id=row.id,
            name=row.name,
            app_account_id=row.app_account_id,
            county_code=row.county_code,
        )
