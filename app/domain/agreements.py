"""Service agreements between a volunteer, an organisation and the party served (VOL-AGREE-1)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app.domain.messages import N_

Text = Annotated[str, Field(min_length=1, max_length=2000)]


class Agreement(BaseModel):
    """VOL-AGREE-1 (IM Art. 13): what a volunteer, organisation and party served agree on."""

    model_config = ConfigDict(frozen=True)

    volunteer_id: str
    organization_id: str
    served_party: Annotated[str, Field(min_length=1, max_length=100)]
    content: Text
    manner: Text
    starts_on: date
    ends_on: date
    place: Text
    working_conditions: Text
    safety_measures: Text
    signed_on: date

    @model_validator(mode="after")
    def _period_ordered(self) -> Agreement:
        if self.ends_on < self.starts_on:
            raise PydanticCustomError("order", N_("ends_on must not be before starts_on"))
        return self
