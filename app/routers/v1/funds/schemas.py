"""The API models of fund records and the yearly summary; amounts are yuan as JSON numbers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.domain.common import Day, Moment, PositiveYuan, Yuan
from app.domain.funds import FundCategory, FundDirection


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
