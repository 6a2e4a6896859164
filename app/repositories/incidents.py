"""Incidents of harm during service (VOL-HARM-1): the table and its queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, Session

from app.domain.access import Principal
from app.domain.incidents import HarmedParty, Incident, IncidentStatus
from app.repositories.base import Entity, PageRequest, PageResult, save
from app.repositories.scope import get_in_scope, list_in_scope
from app.repositories.types import UTCDateTime
from app.repositories.volunteers_orgs import OrganizationRow


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
    status: str = Field(default=IncidentStatus.OPEN.value, max_length=16)
    handling: str | None = Field(default=None, max_length=4000)

    def to_domain(self) -> Incident:
        """The incident as VOL-HARM-1 judges it."""
        return Incident(
            activity_id=self.activity_id,
            occurred_at=self.occurred_at,
            harmed=HarmedParty(self.harmed),
            description=self.description,
            status=IncidentStatus(self.status),
            handling=self.handling,
        )


def create_incident(
    session: Session, *, org: OrganizationRow, incident: Incident, volunteer_id: str | None
) -> IncidentRow:
    """A recorded incident of an activity of `org`."""
    row = IncidentRow(
        **incident.model_dump(),
        volunteer_id=volunteer_id,
        **org.owner_scope(),
    )
    return save(session, row)


def get_incident(
    session: Session, principal: Principal, incident_id: str, *, lock: bool = False
) -> IncidentRow:
    """An incident in the caller's scope; 404 otherwise."""
    return get_in_scope(session, principal, IncidentRow, incident_id, lock=lock)


def record_handling(session: Session, row: IncidentRow, incident: Incident) -> IncidentRow:
    """Store the handling and the status it leads to."""
    row.status = incident.status.value
    row.handling = incident.handling
    return save(session, row)


def list_incidents(
    session: Session, principal: Principal, page: PageRequest, *, activity_id: str | None
) -> PageResult[IncidentRow]:
    """A page of the incidents of the organisations in the caller's scope."""
    return list_in_scope(session, principal, IncidentRow, page, equal={"activity_id": activity_id})
