"""The API models of fund records and the yearly summary; amounts are yuan as JSON numbers."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from app.domain.funds import FundCategory, FundDirection
from app.routers.fields import Day, Moment

_FEN = Decimal("0.01")
_MAX = 10**12


def _yuan(value: object) -> object:
    """A JSON number of yuan with at most two decimals, as an exact Decimal of fen."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("a JSON number of yuan, e.g. 1200.5")
    if isinstance(value, float):
        # The float read from JSON is the binary value nearest to what the client wrote, or a
        # few units in the last place off it when computed (k * 0.01): either is that fen.
        fen = Decimal(repr(value)).quantize(_FEN)
        if not math.isclose(float(fen), value, rel_tol=1e-15):
            raise ValueError("at most two decimals (fen)")
        return fen
    amount = Decimal(value)
    if amount != amount.quantize(_FEN):
        raise ValueError("at most two decimals (fen)")
    return amount


_NUMBER = {"type": "number", "multipleOf": 0.01, "description": "Yuan (元), to the fen"}
_SERIALISE = PlainSerializer(float, return_type=float)
#: An amount in yuan: a JSON number with at most two decimals, kept exact as a Decimal.
Yuan = Annotated[Decimal, BeforeValidator(_yuan), _SERIALISE, WithJsonSchema(_NUMBER)]
#: An amount to record: more than nothing, less than a trillion yuan.
PositiveYuan = Annotated[
    Decimal,
    BeforeValidator(_yuan),
    Field(gt=0, lt=_MAX),
    _SERIALISE,
    WithJsonSchema(_NUMBER | {"exclusiveMinimum": 0, "exclusiveMaximum": _MAX}),
]


class FundRecordCreate(BaseModel):
    """VOL-FUND-1: one entry in yuan; the category fits the direction; `other` needs a note."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "organization_id": "01JD7Q3M5X8Z2K4N6P8R0T2V4W",
                    "direction": "spending",
                    "category": "training",
                    "amount": 1200.5,
                    "occurred_on": "2025-03-15",
                    "note": "新招募志愿者岗前培训场地及讲义费用",
                }
            ]
        },
    )

    organization_id: str = Field(max_length=26)
    direction: FundDirection
    category: FundCategory
    amount: PositiveYuan
    occurred_on: Day
    note: str | None = Field(default=None, max_length=1000)


class FundRecordPublic(BaseModel):
    """A fund entry as recorded."""

    id: str
    organization_id: str
    direction: FundDirection
    category: FundCategory
    amount: Yuan
    occurred_on: Day
    note: str | None
    created_at: Moment
    version: int


class FundSummaryLinePublic(BaseModel):
    """VOL-FUND-1: one organisation's total of one direction and category in the year."""

    organization_id: str
    direction: FundDirection
    category: FundCategory
    amount: Yuan
    entries: int


class FundSummaryPublic(BaseModel):
    """VOL-FUND-1: an organisation's year, its sub-organisations included, with the totals."""

    organization_id: str
    year: int
    income: Yuan
    spending: Yuan
    lines: list[FundSummaryLinePublic]
