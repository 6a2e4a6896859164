"""Registrations sent by the public, waiting for the organisation (VOL-REG-1/2).

The registration is stored whole and encrypted; the person's keyed hash finds a volunteer already
on record when the organisation decides, never when the public sends it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, Session

from app.domain.access import Principal
from app.domain.volunteers import RegistrationStatus, VolunteerRegistration
from app.repositories.base import Entity, PageRequest, PageResult, save
from app.repositories.scope import get_in_scope, list_in_scope
from app.repositories.types import Encrypted, UTCDateTime
from app.repositories.volunteers_orgs import OrganizationRow


class RegistrationRow(Entity, table=True):
    """VOL-REG-1/2: one registration by the public to one organisation, and its decision."""

    __tablename__ = "volunteer_registrations"
    __resource__ = "volunteer_registration"

    organization_id: str = Field(foreign_key="organizations.id", max_length=26, index=True)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    status: str = Field(default=RegistrationStatus.PENDING.value, max_length=16)
    name: str = Field(max_length=100)
    person_hash: str = Field(max_length=64, index=True)
    registration: str = Field(sa_type=Encrypted)
    username: str = Field(max_length=64)
    password_hash: str = Field(default="", max_length=255)
    volunteer_id: str | None = Field(default=None, foreign_key="volunteers.id", max_length=26)
    reason: str = Field(default="", max_length=500)
    decided_by: str | None = Field(default=None, max_length=26)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    def to_domain(self) -> VolunteerRegistration:
        """The registration as it was sent."""
        return VolunteerRegistration.model_validate_json(self.registration)


def add_registration(
    session: Session,
    *,
    org: OrganizationRow,
    registration: VolunteerRegistration,
    person_hash: str,
    username: str,
    password_hash: str,
) -> RegistrationRow:
    """A pending registration to `org`."""
    row = RegistrationRow(
        **org.owner_scope(),
        name=registration.name.strip(),
        person_hash=person_hash,
        registration=registration.model_dump_json(),
        username=username,
        password_hash=password_hash,
    )
    return save(session, row)


def get_registration(
    session: Session, principal: Principal, registration_id: str, *, lock: bool = False
) -> RegistrationRow:
    """A registration to an organisation in the caller's scope; 404 otherwise."""
    return get_in_scope(session, principal, RegistrationRow, registration_id, lock=lock)


def list_registrations(
    session: Session,
    principal: Principal,
    page: PageRequest,
    *,
    organization_id: str | None,
    status: RegistrationStatus | None,
) -> PageResult[RegistrationRow]:
    """A page of the registrations in the caller's scope."""
    return list_in_scope(
        session,
        principal,
        RegistrationRow,
        page,
        equal={
            "organization_id": organization_id,
            "status": None if status is None else status.value,
        },
    )


def decide_registration(
    session: Session,
    row: RegistrationRow,
    *,
    status: RegistrationStatus,
    volunteer_id: str | None,
    reason: str,
    by: str,
    at: datetime,
) -> RegistrationRow:
    """Record the organisation's decision; the password hash is dropped either way."""
    row.status = status.value
    row.volunteer_id = volunteer_id
    row.reason = reason
    row.decided_by = by
    row.decided_at = at
    row.password_hash = ""
    return save(session, row)
