"""Fund records: the yearly summary of an organisation and its sub-organisations (VOL-FUND-1)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from app.domain.funds import FundCategory, FundDirection, FundRecord


class FundSummaryLine(BaseModel):
    """VOL-FUND-1: one organisation's total for one direction and category in a year."""

    model_config = ConfigDict(frozen=True)

    organization_id: str
    direction: FundDirection
    category: FundCategory
    amount: Decimal
    entries: int


def fund_summary(records: Iterable[FundRecord], year: int) -> list[FundSummaryLine]:
    """VOL-FUND-1: the yearly totals per organisation, direction and category, in a stable order."""
    amounts: dict[tuple[str, FundDirection, FundCategory], Decimal] = {}
    entries: Counter[tuple[str, FundDirection, FundCategory]] = Counter()
    for record in records:
        if record.occurred_on.year != year:
            continue
        key = (record.organization_id, record.direction, record.category)
        amounts[key] = amounts.get(key, Decimal(0)) + record.amount
        entries[key] += 1
    return [
        FundSummaryLine(
            organization_id=org,
            direction=direction,
            category=category,
            amount=amount,
            entries=entries[(org, direction, category)],
        )
        for (org, direction, category), amount in sorted(amounts.items())
    ]


def direction_total(lines: Iterable[FundSummaryLine], direction: FundDirection) -> Decimal:
    """VOL-FUND-1: the year's total of one direction over every line."""
    return sum((line.amount for line in lines if line.direction is direction), Decimal(0))
