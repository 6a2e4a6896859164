"""Fund records and their yearly summary: VOL-FUND-1."""

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from app.domain.funds import FundCategory, FundDirection, FundRecord
from app.rules.funds import direction_total, fund_summary


def fund(
    category: FundCategory,
    amount: str,
    on: date = date(2025, 3, 1),
    direction: FundDirection = FundDirection.SPENDING,
    note: str | None = None,
    org: str = "city",
) -> FundRecord:
    return FundRecord(
        organization_id=org,
        direction=direction,
        category=category,
        amount=Decimal(amount),
        occurred_on=on,
        note=note,
    )


def test_vol_fund_1_other_needs_a_note() -> None:
    with pytest.raises(ValidationError) as refused:
        fund(FundCategory.OTHER, "10.00", note=" ")
    assert [e["type"] for e in refused.value.errors()] == ["required"]
    assert fund(FundCategory.OTHER, "10.00", note="应急药品").note == "应急药品"


@pytest.mark.parametrize(
    ("direction", "category", "ok"),
    [
        (FundDirection.INCOME, FundCategory.DONATION, True),
        (FundDirection.INCOME, FundCategory.GOVERNMENT_PURCHASE, True),
        (FundDirection.INCOME, FundCategory.VENUE_RENTAL, False),
        (FundDirection.SPENDING, FundCategory.PUBLICITY, True),
        (FundDirection.SPENDING, FundCategory.BUDGET, False),
    ],
)
def test_vol_fund_1_category_fits_the_direction(
    direction: FundDirection, category: FundCategory, ok: bool
) -> None:
    if ok:
        fund(category, "1.00", direction=direction)
    else:
        with pytest.raises(ValidationError, match="VOL-FUND-1") as refused:
            fund(category, "1.00", direction=direction)
        assert [e["type"] for e in refused.value.errors()] == ["mismatch"]


@pytest.mark.parametrize("amount", ["0", "-1.00", "1.001"])
def test_vol_fund_1_amount_is_positive_yuan_and_fen(amount: str) -> None:
    with pytest.raises(ValidationError):
        fund(FundCategory.TRAINING, amount)


def test_vol_fund_1_yearly_summary_by_organisation_and_category() -> None:
    records = [
        fund(FundCategory.TRAINING, "100.50"),
        fund(FundCategory.TRAINING, "99.50"),
        fund(FundCategory.TRAINING, "7.00", on=date(2024, 12, 31)),
        fund(FundCategory.DONATION, "500.00", direction=FundDirection.INCOME),
        fund(FundCategory.TRAINING, "1.00", org="hongshan"),
    ]
    lines = [
        (line.organization_id, line.direction, line.category, line.amount, line.entries)
        for line in fund_summary(records, 2025)
    ]
    assert lines == [
        ("city", FundDirection.INCOME, FundCategory.DONATION, Decimal("500.00"), 1),
        ("city", FundDirection.SPENDING, FundCategory.TRAINING, Decimal("200.00"), 2),
        ("hongshan", FundDirection.SPENDING, FundCategory.TRAINING, Decimal("1.00"), 1),
    ]


def test_vol_fund_1_the_years_income_and_spending_are_summed_over_every_line() -> None:
    lines = fund_summary(
        [
            fund(FundCategory.TRAINING, "100.50"),
            fund(FundCategory.PUBLICITY, "0.50", org="hongshan"),
            fund(FundCategory.DONATION, "500.00", direction=FundDirection.INCOME),
        ],
        2025,
    )
    assert direction_total(lines, FundDirection.SPENDING) == Decimal("101.00")
    assert direction_total(lines, FundDirection.INCOME) == Decimal("500.00")
