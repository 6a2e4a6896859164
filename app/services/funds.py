"""Fund records and their yearly summary (VOL-FUND-1)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlmodel import Session

from app.domain.access import Principal
from app.domain.funds import FundDirection, FundRecord
from app.errors import InvalidInput
from app.repositories import funds as repo
from app.repositories import volunteers_orgs as orgs
from app.rules.funds import FundSummaryLine, direction_total, fund_summary


class FundSummary(BaseModel):
    """VOL-FUND-1: an organisation's year, its sub-organisations included."""

    model_config = ConfigDict(frozen=True)

    organization_id: str
    year: int
    income: Decimal
    spending: Decimal
    lines: list[FundSummaryLine]


def record_fund(
    *, session: Session, principal: Principal, values: Mapping[str, Any]
) -> repo.FundRecordRow:
    """VOL-FUND-1: an entry of an organisation the caller administers, its category fitting its
    direction (and `other` with a note)."""
    org = orgs.get_managed_org(session, principal, values["organization_id"])
    try:
        record = FundRecord.model_validate(values)
    except ValidationError as exc:
        raise InvalidInput.of(exc.errors()) from exc
    return repo.create_fund_record(session, org=org, record=record)


def summarise(
    *, session: Session, principal: Principal, organization_id: str, year: int
) -> FundSummary:
    """VOL-FUND-1: the year's totals of the organisation and its sub-organisations, as far as
    the caller's scope reaches."""
    org = orgs.get_org(session, organization_id)
    ids = [o.id for o in orgs.subtree(session, org)]
    lines = fund_summary(repo.records_of_year(session, principal, ids, year), year)
    return FundSummary(
        organization_id=org.id,
        year=year,
        income=direction_total(lines, FundDirection.INCOME),
        spending=direction_total(lines, FundDirection.SPENDING),
        lines=lines,
    )
