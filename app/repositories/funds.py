"""Fund records of volunteer organisations (VOL-FUND-1): the table and its queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, Column, Index
from sqlmodel import Field, Session, col, select

from app.domain.access import Principal
from app.domain.funds import FundCategory, FundDirection, FundRecord
from app.repositories.base import Entity, PageRequest, PageResult, save
from app.repositories.scope import get_in_scope, list_in_scope, scoped
from app.repositories.volunteers_orgs import OrganizationRow


class FundRecordRow(Entity, table=True):
    """VOL-FUND-1: an income or spending entry, in fen so every database keeps it exact."""

    __tablename__ = "volunteer_fund_records"
    __table_args__ = (
        Index("ix_volunteer_fund_records_organization_id_id", "organization_id", "id"),
    )
    __resource__ = "fund_record"

    organization_id: str = Field(foreign_key="organizations.id", max_length=26)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    direction: str = Field(max_length=16)
    category: str = Field(max_length=32)
    amount_fen: int = Field(sa_column=Column(BigInteger(), nullable=False))
    occurred_on: date = Field(index=True)
    note: str | None = Field(default=None, max_length=1000)

    @property
    def amount(self) -> Decimal:
        """The amount in yuan."""
        return Decimal(self.amount_fen).scaleb(-2)

    def to_domain(self) -> FundRecord:
        """The entry as the summary takes it."""
        return FundRecord(
            organization_id=self.organization_id,
            direction=FundDirection(self.direction),
            category=FundCategory(self.category),
            amount=self.amount,
            occurred_on=self.occurred_on,
            note=self.note,
        )


def create_fund_record(
    session: Session, *, org: OrganizationRow, record: FundRecord
) -> FundRecordRow:
    """An entry of `org`, stored in fen."""
    row = FundRecordRow(
        **org.owner_scope(),
        direction=record.direction.value,
        category=record.category.value,
        amount_fen=int(record.amount * 100),
        occurred_on=record.occurred_on,
        note=record.note,
    )
    return save(session, row)


def list_fund_records(
    session: Session, principal: Principal, page: PageRequest, *, organization_id: str | None
) -> PageResult[FundRecordRow]:
    """A page of the entries of the organisations in the caller's scope."""
    return list_in_scope(
        session, principal, FundRecordRow, page, equal={"organization_id": organization_id}
    )


def records_of_year(
    session: Session, principal: Principal, organization_ids: Iterable[str], year: int
) -> list[FundRecord]:
    """VOL-FUND-1: a year's entries of these organisations, within the caller's scope."""
    stmt = select(FundRecordRow).where(
        col(FundRecordRow.organization_id).in_(list(organization_ids)),
        col(FundRecordRow.occurred_on) >= date(year, 1, 1),
        col(FundRecordRow.occurred_on) <= date(year, 12, 31),
    )
    return [r.to_domain() for r in session.exec(scoped(stmt, principal, FundRecordRow)).all()]


def get_fund_record(session: Session, principal: Principal, fund_record_id: str) -> FundRecordRow:
    """An entry in the caller's scope; 404 otherwise."""
    return get_in_scope(session, principal, FundRecordRow, fund_record_id)
