"""Commendations and the priority list (VOL-HONOUR-1): pure values."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class CommendationSubject(StrEnum):
    """VOL-HONOUR-1: Art. 13 commends volunteers, organisations and projects."""

    VOLUNTEER = "volunteer"
    ORGANIZATION = "organization"
    PROJECT = "project"


class Commendation(BaseModel):
    """VOL-HONOUR-1: who is commended; the field naming the subject fits its kind."""

    model_config = ConfigDict(frozen=True)

    subject: CommendationSubject
    volunteer_id: str | None = None
    subject_organization_id: str | None = None
    project_name: str | None = None


class PriorityEntry(BaseModel):
    """VOL-HONOUR-1: a volunteer's standing for the priority list."""

    model_config = ConfigDict(frozen=True)

    volunteer_id: str
    confirmed_hours: Decimal
    commendations: Annotated[int, Field(ge=0)] = 0
