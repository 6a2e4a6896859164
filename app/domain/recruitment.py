"""Recruitment drives and the applications volunteers make to them (VOL-RECRUIT-1): pure values."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app.domain.messages import N_


class RecruitmentOpenness(StrEnum):
    """VOL-RECRUIT-1: 公开招募 or 定向招募."""

    PUBLIC = "public"
    DIRECTED = "directed"


class RecruitmentRegularity(StrEnum):
    """VOL-RECRUIT-1: 经常性招募 or 阶段性招募."""

    REGULAR = "regular"
    PERIODIC = "periodic"


class RecruitmentTarget(StrEnum):
    """VOL-RECRUIT-1: 面向个人 or 面向集体."""

    INDIVIDUAL = "individual"
    COLLECTIVE = "collective"


class RecruitmentApplicationStatus(StrEnum):
    """VOL-RECRUIT-1: an application waits for the organisation, which accepts or declines it."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Recruitment(BaseModel):
    """VOL-RECRUIT-1: a recruitment drive, its mode, period and the skills and targets it seeks."""

    model_config = ConfigDict(frozen=True)

    organization_id: str
    title: Annotated[str, Field(min_length=1, max_length=200)]
    openness: RecruitmentOpenness
    regularity: RecruitmentRegularity
    target: RecruitmentTarget
    opens_on: date
    closes_on: date | None = None
    directed_to: str | None = None
    target_skills: frozenset[str] = frozenset()
    service_targets: frozenset[str] = frozenset()

    @model_validator(mode="after")
    def _period_ordered(self) -> Recruitment:
        if self.closes_on is not None and self.closes_on < self.opens_on:
            raise PydanticCustomError("order", N_("closes_on must not be before opens_on"))
        return self
