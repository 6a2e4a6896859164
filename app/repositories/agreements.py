"""Service agreements (VOL-AGREE-1): the table and its queries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index
from sqlmodel import Field, Session

from app.domain.access import Principal
from app.domain.agreements import Agreement
from app.repositories.base import Entity, PageRequest, PageResult, save
from app.repositories.scope import get_in_scope, list_in_scope
from app.repositories.volunteers_orgs import OrganizationRow


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


def create_agreement(
    session: Session, *, org: OrganizationRow, agreement: Agreement, activity_id: str | None
) -> AgreementRow:
    """A signed agreement of `org`."""
    row = AgreementRow(
        **agreement.model_dump(exclude={"organization_id"}),
        activity_id=activity_id,
        **org.owner_scope(),
    )
    return save(session, row)


def list_agreements(
    session: Session, principal: Principal, page: PageRequest, *, volunteer_id: str | None
) -> PageResult[AgreementRow]:
    """A page of the agreements in the caller's scope: its organisations', or a volunteer's own."""
    return list_in_scope(
        session, principal, AgreementRow, page, equal={"volunteer_id": volunteer_id}
    )


def get_agreement(session: Session, principal: Principal, agreement_id: str) -> AgreementRow:
    """An agreement in the caller's scope; 404 otherwise."""
    return get_in_scope(session, principal, AgreementRow, agreement_id)
