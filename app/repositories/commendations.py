"""Commendations and what the priority list counts (VOL-HONOUR-1): the table and its queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Field, Session, col, func, select

from app.domain.access import Principal
from app.domain.commendations import Commendation
from app.domain.volunteers import ServiceRecordStatus
from app.repositories.base import Entity, PageRequest, PageResult, save
from app.repositories.scope import get_in_scope, list_in_scope, scoped
from app.repositories.volunteers import VolunteerRow
from app.repositories.volunteers_orgs import OrganizationRow
from app.repositories.volunteers_records import ServiceRecordRow


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


def create_commendation(
    session: Session,
    *,
    org: OrganizationRow,
    commendation: Commendation,
    title: str,
    awarded_on: date,
) -> CommendationRow:
    """A commendation awarded by `org`."""
    row = CommendationRow(
        **commendation.model_dump(),
        title=title,
        awarded_on=awarded_on,
        **org.owner_scope(),
    )
    return save(session, row)


def list_commendations(
    session: Session, principal: Principal, page: PageRequest, *, volunteer_id: str | None
) -> PageResult[CommendationRow]:
    """A page of the commendations awarded by the organisations in the caller's scope."""
    return list_in_scope(
        session, principal, CommendationRow, page, equal={"volunteer_id": volunteer_id}
    )


def confirmed_records(
    session: Session, principal: Principal, organization_ids: Iterable[str]
) -> list[ServiceRecordRow]:
    """VOL-HONOUR-1: the confirmed service records in these organisations, in the caller's scope."""
    stmt = select(ServiceRecordRow).where(
        col(ServiceRecordRow.organization_id).in_(list(organization_ids)),
        ServiceRecordRow.status == ServiceRecordStatus.CONFIRMED.value,
    )
    return list(session.exec(scoped(stmt, principal, ServiceRecordRow)).all())


def commended_volunteers(session: Session, organization_ids: Iterable[str]) -> list[str]:
    """VOL-HONOUR-1: the volunteers these organisations commended."""
    stmt = (
        select(CommendationRow.volunteer_id)
        .where(
            col(CommendationRow.organization_id).in_(list(organization_ids)),
            col(CommendationRow.volunteer_id).is_not(None),
        )
        .distinct()
    )
    return [v for v in session.exec(stmt).all() if v is not None]


def commendation_counts(session: Session, volunteer_ids: Iterable[str]) -> dict[str, int]:
    """VOL-HONOUR-1: commendations per volunteer, from any organisation, in one query."""
    ids = list(volunteer_ids)
    if not ids:
        return {}
    stmt = (
        select(CommendationRow.volunteer_id, func.count())
        .where(col(CommendationRow.volunteer_id).in_(ids))
        .group_by(col(CommendationRow.volunteer_id))
    )
    return {v: int(n) for v, n in session.exec(stmt).all() if v is not None}


def volunteer_names(session: Session, volunteer_ids: Iterable[str]) -> dict[str, str]:
    """The names of these volunteers, in one query."""
    ids = list(volunteer_ids)
    if not ids:
        return {}
    stmt = select(VolunteerRow.id, VolunteerRow.name).where(col(VolunteerRow.id).in_(ids))
    return dict(session.exec(stmt).all())


def get_commendation(
    session: Session, principal: Principal, commendation_id: str
) -> CommendationRow:
    """A commendation in the caller's scope; 404 otherwise."""
    return get_in_scope(session, principal, CommendationRow, commendation_id)
