"""Recruitment, agreements, incidents, complaints, funds and commendations of the volunteer area.

VOL-RECRUIT-1, VOL-AGREE-1, VOL-HARM-1, VOL-SUPER-1, VOL-FUND-1, VOL-HONOUR-1.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, ColumnElement, Index, UniqueConstraint, false, true
from sqlmodel import Field, Session, col, select

from app.domain.access import Principal, Role
from app.domain.volunteers import FundCategory, FundDirection, FundRecord
from app.errors import NotFound
from app.repositories.base import Entity, PageRequest, PageResult, paginate, presigned
from app.repositories.types import Encrypted, UTCDateTime
from app.repositories.volunteers_orgs import managed_clause


class RecruitmentRow(Entity, table=True):
    """VOL-RECRUIT-1: a recruitment drive of an organisation."""

    __tablename__ = "volunteer_recruitments"
    __resource__ = "recruitment"

    organization_id: str = Field(foreign_key="organizations.id", max_length=26, index=True)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    title: str = Field(max_length=200)
    openness: str = Field(max_length=16)
    regularity: str = Field(max_length=16)
    target: str = Field(max_length=16)
    opens_on: date
    closes_on: date | None = None
    directed_to: str | None = Field(default=None, max_length=500)
    target_skills: list[str] = Field(
        default_factory=presigned(list), sa_column=Column(JSON, nullable=False)
    )
    service_targets: list[str] = Field(
        default_factory=presigned(list), sa_column=Column(JSON, nullable=False)
    )


class ApplicationRow(Entity, table=True):
    """VOL-RECRUIT-1: a volunteer's application to a recruitment drive."""

    __tablename__ = "volunteer_recruitment_applications"
    __resource__ = "recruitment_application"
    __table_args__ = (UniqueConstraint("recruitment_id", "volunteer_id"),)

    recruitment_id: str = Field(foreign_key="volunteer_recruitments.id", max_length=26, index=True)
    volunteer_id: str = Field(foreign_key="volunteers.id", max_length=26, index=True)
    status: str = Field(default="pending", max_length=16)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)

    @property
    def owner_id(self) -> str:
        """The volunteer sees its applications in the change feed."""
        return self.volunteer_id


class AgreementRow(Entity, table=True):
    """VOL-AGREE-1: an agreement between volunteer, organisation and the party served."""

    __tablename__ = "volunteer_agreements"
    __table_args__ = (Index("ix_volunteer_agreements_volunteer_id_id", "volunteer_id", "id"),)
    __resource__ = "agreement"

    volunteer_id: str = Field(foreign_key="volunteers.id", max_length=26)
    organization_id: str = Field(foreign_key="organizations.id", max_length=26, index=True)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    activity_id: str | None = Field(
        default=None, foreign_key="volunteer_activities.id", max_length=26
    )
    served_party: str = Field(max_length=100)
    content: str = Field(max_length=2000)
    manner: str = Field(max_length=2000)
    starts_on: date
    ends_on: date
    place: str = Field(max_length=2000)
    working_conditions: str = Field(max_length=2000)
    safety_measures: str = Field(max_length=2000)
    signed_on: date

    @property
    def owner_id(self) -> str:
        """The volunteer sees its agreements in the change feed."""
        return self.volunteer_id


class IncidentRow(Entity, table=True):
    """VOL-HARM-1: harm during service and its handling."""

    __tablename__ = "volunteer_incidents"
    __table_args__ = (Index("ix_volunteer_incidents_activity_id_id", "activity_id", "id"),)
    __resource__ = "incident"

    activity_id: str = Field(foreign_key="volunteer_activities.id", max_length=26)
    organization_id: str = Field(foreign_key="organizations.id", max_length=26, index=True)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    volunteer_id: str | None = Field(default=None, foreign_key="volunteers.id", max_length=26)
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    harmed: str = Field(max_length=16)
    description: str = Field(max_length=2000)
    status: str = Field(default="open", max_length=16)
    handling: str | None = Field(default=None, max_length=4000)


class ComplaintRow(Entity, table=True):
    """VOL-SUPER-1: a complaint, routed to the next organisation up; the reporter confidential.

    `org_path` and `county_code` are the handler's, so the organisation complained about never
    sees it; an empty path means the city association handles it.
    """

    __tablename__ = "volunteer_complaints"
    __resource__ = "complaint"

    subject_kind: str = Field(max_length=16)
    subject_organization_id: str | None = Field(
        default=None, foreign_key="organizations.id", max_length=26, index=True
    )
    subject_volunteer_id: str | None = Field(
        default=None, foreign_key="volunteers.id", max_length=26
    )
    handler_organization_id: str | None = Field(
        default=None, foreign_key="organizations.id", max_length=26, index=True
    )
    org_path: str = Field(default="", max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    reporter_name: str | None = Field(default=None, sa_type=Encrypted)
    reporter_contact: str | None = Field(default=None, sa_type=Encrypted)
    content: str = Field(max_length=4000)
    status: str = Field(default="received", max_length=16)
    notes: list[dict[str, Any]] = Field(
        default_factory=presigned(list), sa_column=Column(JSON, nullable=False)
    )

    @classmethod
    def scope_clause(cls, principal: Principal) -> ColumnElement[bool]:
        """City-wide roles all; a county or organisation admin what its level handles."""
        if principal.city_wide:
            return true()
        if principal.role is Role.COUNTY_ADMIN:
            return col(cls.county_code) == principal.county_code
        if principal.role is Role.ORG_ADMIN and principal.org_path:
            return col(cls.org_path).startswith(principal.org_path)
        return false()


class FundRow(Entity, table=True):
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

    def to_domain(self) -> FundRecord:
        """The entry as the summary takes it."""
        return FundRecord(
            organization_id=self.organization_id,
            direction=FundDirection(self.direction),
            category=FundCategory(self.category),
            amount=Decimal(self.amount_fen).scaleb(-2),
            occurred_on=self.occurred_on,
            note=self.note,
        )


class CommendationRow(Entity, table=True):
    """VOL-HONOUR-1: a commendation of a volunteer, an organisation or a project."""

    __tablename__ = "volunteer_commendations"
    __resource__ = "commendation"

    subject: str = Field(max_length=16)
    volunteer_id: str | None = Field(
        default=None, foreign_key="volunteers.id", max_length=26, index=True
    )
    subject_organization_id: str | None = Field(
        default=None, foreign_key="organizations.id", max_length=26
    )
    project_name: str | None = Field(default=None, max_length=200)
    title: str = Field(max_length=200)
    awarded_on: date
    organization_id: str = Field(foreign_key="organizations.id", max_length=26, index=True)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)


def get_scoped(session: Session, principal: Principal, model: Any, row_id: str) -> Any:
    """A row of `model` the caller may see, or 404."""
    clause = (
        model.scope_clause(principal)
        if hasattr(model, "scope_clause")
        else managed_clause(principal, model)
    )
    row = session.exec(select(model).where(model.id == row_id, clause)).first()
    if row is None:
        raise NotFound(f"{model.__resource__} {row_id} not found")
    return row


def list_scoped(
    session: Session,
    principal: Principal,
    model: Any,
    *,
    page: PageRequest,
    filters: dict[str, Any],
) -> PageResult[Any]:
    """Rows of `model` in the caller's scope, filtered by equal columns."""
    clause = (
        model.scope_clause(principal)
        if hasattr(model, "scope_clause")
        else managed_clause(principal, model)
    )
    stmt = select(model).where(clause)
    for name, value in filters.items():
        if value is not None:
            stmt = stmt.where(getattr(model, name) == value)
    return paginate(session, stmt, col(model.id), page)


def fund_rows(
    session: Session, principal: Principal, organization_ids: list[str], year: int
) -> list[FundRow]:
    """VOL-FUND-1: a year's entries of these organisations, within the caller's scope."""
    stmt = select(FundRow).where(
        managed_clause(principal, FundRow),
        col(FundRow.organization_id).in_(organization_ids),
        col(FundRow.occurred_on) >= date(year, 1, 1),
        col(FundRow.occurred_on) <= date(year, 12, 31),
    )
    return list(session.exec(stmt).all())


def commendation_counts(session: Session, volunteer_ids: list[str]) -> dict[str, int]:
    """VOL-HONOUR-1: commendations per volunteer, in one query."""
    counts: dict[str, int] = {}
    if volunteer_ids:
        for volunteer_id in session.exec(
            select(CommendationRow.volunteer_id).where(
                col(CommendationRow.volunteer_id).in_(volunteer_ids)
            )
        ).all():
            if volunteer_id is not None:
                counts[volunteer_id] = counts.get(volunteer_id, 0) + 1
    return counts
