"""Complaints and reports about volunteer organisations and volunteers (VOL-SUPER-1)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from app.domain.messages import N_


class ComplaintSubjectKind(StrEnum):
    """VOL-SUPER-1: a complaint is about an organisation or a volunteer."""

    ORGANIZATION = "organization"
    VOLUNTEER = "volunteer"


class ComplaintStatus(StrEnum):
    """VOL-SUPER-1: received, in handling once a handler writes a note, closed with its outcome."""

    RECEIVED = "received"
    HANDLING = "handling"
    CLOSED = "closed"


class ComplaintSubject(BaseModel):
    """VOL-SUPER-1: whom a complaint is about; for a volunteer, the organisation they served in."""

    model_config = ConfigDict(frozen=True)

    kind: ComplaintSubjectKind
    organization_id: str | None = None
    volunteer_id: str | None = None

    @model_validator(mode="after")
    def _names_its_subject(self) -> ComplaintSubject:
        if self.kind is ComplaintSubjectKind.ORGANIZATION and self.organization_id is None:
            raise PydanticCustomError(
                "required", N_("a complaint about an organisation names the organisation")
            )
        if self.kind is ComplaintSubjectKind.VOLUNTEER and self.volunteer_id is None:
            raise PydanticCustomError(
                "required", N_("a complaint about a volunteer names the volunteer")
            )
        return self


class ComplaintRoute(BaseModel):
    """VOL-SUPER-1: who handles a complaint: an organisation, or the city association if None."""

    model_config = ConfigDict(frozen=True)

    handler_organization_id: str | None

    @property
    def city_association(self) -> bool:
        """True when the city association (市科协) handles the complaint itself."""
        return self.handler_organization_id is None
