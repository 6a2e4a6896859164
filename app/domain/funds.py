"""Fund records of volunteer organisations (VOL-FUND-1): pure values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app.domain.messages import N_


class FundDirection(StrEnum):
    """VOL-FUND-1: money in or out."""

    INCOME = "income"
    SPENDING = "spending"


class FundCategory(StrEnum):
    """VOL-FUND-1: income sources (IM Art. 16) and spending heads (Art. 15)."""

    BUDGET = "budget"
    SUBSIDY = "subsidy"
    DONATION = "donation"
    GOVERNMENT_PURCHASE = "government_purchase"
    VENUE_RENTAL = "venue_rental"
    MATERIALS = "materials"
    TRAINING = "training"
    LOGISTICS = "logistics"
    PUBLICITY = "publicity"
    OTHER = "other"


#: VOL-FUND-1: which categories each direction may use; `other` is open to both, with a note.
FUND_CATEGORIES: dict[FundDirection, frozenset[FundCategory]] = {
    FundDirection.INCOME: frozenset(
        {
            FundCategory.BUDGET,
            FundCategory.SUBSIDY,
            FundCategory.DONATION,
            FundCategory.GOVERNMENT_PURCHASE,
            FundCategory.OTHER,
        }
    ),
    FundDirection.SPENDING: frozenset(
        {
            FundCategory.VENUE_RENTAL,
            FundCategory.MATERIALS,
            FundCategory.TRAINING,
            FundCategory.LOGISTICS,
            FundCategory.PUBLICITY,
            FundCategory.OTHER,
        }
    ),
}

#: VOL-FUND-1: what a category of the other direction is told, by the record's direction.
NOT_OF_DIRECTION: dict[FundDirection, str] = {
    FundDirection.INCOME: N_("VOL-FUND-1: the category is not an income category"),
    FundDirection.SPENDING: N_("VOL-FUND-1: the category is not a spending category"),
}


class FundRecord(BaseModel):
    """VOL-FUND-1: one income or spending entry of an organisation, in yuan."""

    model_config = ConfigDict(frozen=True)

    organization_id: str
    direction: FundDirection
    category: FundCategory
    amount: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
    occurred_on: date
    note: str | None = None

    @model_validator(mode="after")
    def _category_fits(self) -> FundRecord:
        if self.category not in FUND_CATEGORIES[self.direction]:
            raise PydanticCustomError("mismatch", NOT_OF_DIRECTION[self.direction])
        if self.category is FundCategory.OTHER and not (self.note or "").strip():
            raise PydanticCustomError(
                "required", N_("VOL-FUND-1: the category `other` needs a note")
            )
        return self
