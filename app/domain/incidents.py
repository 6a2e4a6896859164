"""Incidents of harm during service and their handling (VOL-HARM-1): pure values."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app.domain.messages import N_


class HarmedParty(StrEnum):
    """VOL-HARM-1: who was harmed: the volunteer, the person served, or both (Art. 17)."""

    VOLUNTEER = "volunteer"
    SERVED_PERSON = "served_person"
    BOTH = "both"


class IncidentStatus(StrEnum):
    """VOL-HARM-1: an incident is open until its handling is recorded."""

    OPEN = "open"
    HANDLED = "handled"


class Incident(BaseModel):
    """VOL-HARM-1: harm during service, and how the organisation handled it."""

    model_config = ConfigDict(frozen=True)

    activity_id: str
    occurred_at: AwareDatetime
    harmed: HarmedParty
    description: Annotated[str, Field(min_length=1, max_length=2000)]
    status: IncidentStatus = IncidentStatus.OPEN
    handling: str | None = None

    @model_validator(mode="after")
    def _handled_says_how(self) -> Incident:
        if self.status is IncidentStatus.HANDLED and not (self.handling or "").strip():
            raise PydanticCustomError(
                "required", N_("VOL-HARM-1: a handled incident records its handling")
            )
        return self
