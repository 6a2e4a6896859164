"""Recruitment drives and the applications to them (VOL-RECRUIT-1): tables and queries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, Session, col, select

from app.domain.access import Principal
from app.domain.recruitment import (
    Recruitment,
    RecruitmentApplicationStatus,
    RecruitmentOpenness,
    RecruitmentRegularity,
    RecruitmentTarget,
)
from app.errors import Conflict, NotFound
from app.i18n import _
from app.repositories.base import (
    Entity,
    PageRequest,
    PageResult,
    presigned,
    save,
)
from app.repositories.scope import find_or_404, get_in_scope, list_in_scope, list_rows
from app.repositories.volunteers_activities import ActivityRow
from app.repositories.volunteers_orgs import OrganizationRow


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

    def to_domain(self) -> Recruitment:
        """The drive as the recruitment rules take it."""
        return Recruitment(
            organization_id=self.organization_id,
            title=self.title,
            openness=RecruitmentOpenness(self.openness),
            regularity=RecruitmentRegularity(self.regularity),
            target=RecruitmentTarget(self.target),
            opens_on=self.opens_on,
            closes_on=self.closes_on,
            directed_to=self.directed_to,
            target_skills=frozenset(self.target_skills),
            service_targets=frozenset(self.service_targets),
        )


class RecruitmentApplicationRow(Entity, table=True):
    """VOL-RECRUIT-1: a volunteer's application to a recruitment drive."""

    __tablename__ = "volunteer_recruitment_applications"
    __resource__ = "recruitment_application"
    __parents__ = ("recruitment_id",)
    __table_args__ = (UniqueConstraint("recruitment_id", "volunteer_id"),)

    recruitment_id: str = Field(foreign_key="volunteer_recruitments.id", max_length=26, index=True)
    volunteer_id: str = Field(foreign_key="volunteers.id", max_length=26, index=True)
    status: str = Field(default=RecruitmentApplicationStatus.PENDING.value, max_length=16)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)

    @property
    def owner_id(self) -> str:
        """The volunteer sees its applications in the change feed."""
        return self.volunteer_id


def create_recruitment(
    session: Session, *, org: OrganizationRow, values: Mapping[str, Any]
) -> RecruitmentRow:
    """A new drive of `org`."""
    row = RecruitmentRow(**values, **org.owner_scope())
    return save(session, row)


def get_recruitment(session: Session, recruitment_id: str) -> RecruitmentRow:
    """Any drive (drives are open to every signed-in caller); 404 when there is none."""
    return find_or_404(session, RecruitmentRow, recruitment_id)


def list_recruitments(
    session: Session, page: PageRequest, *, organization_id: str | None
) -> PageResult[RecruitmentRow]:
    """A page of drives, of one organisation if given."""
    return list_rows(session, RecruitmentRow, page, equal={"organization_id": organization_id})


def linked_activities(session: Session, recruitment_ids: Iterable[str]) -> dict[str, list[str]]:
    """The activities linked to each drive, in one query."""
    ids = list(recruitment_ids)
    linked: dict[str, list[str]] = {i: [] for i in ids}
    if ids:
        stmt = (
            select(ActivityRow.recruitment_id, ActivityRow.id)
            .where(col(ActivityRow.recruitment_id).in_(ids))
            .order_by(col(ActivityRow.id))
        )
        for recruitment_id, activity_id in session.exec(stmt).all():
            if recruitment_id is not None:
                linked[recruitment_id].append(activity_id)
    return linked


def create_application(
    session: Session, *, drive: RecruitmentRow, volunteer_id: str
) -> RecruitmentApplicationRow:
    """A pending application of the volunteer to `drive`; 409 if it already applied."""
    existing = session.exec(
        select(RecruitmentApplicationRow.id).where(
            RecruitmentApplicationRow.recruitment_id == drive.id,
            RecruitmentApplicationRow.volunteer_id == volunteer_id,
        )
    ).first()
    if existing is not None:
        raise Conflict(
            _(
                "already applied to recruitment {recruitment} (application {application})",
                recruitment=drive.id,
                application=existing,
            )
        )
    row = RecruitmentApplicationRow(
        recruitment_id=drive.id,
        volunteer_id=volunteer_id,
        org_path=drive.org_path,
        county_code=drive.county_code,
    )
    return save(session, row)


def get_application(
    session: Session,
    principal: Principal,
    recruitment_id: str,
    application_id: str,
    *,
    lock: bool = False,
) -> RecruitmentApplicationRow:
    """An application to this drive in the caller's scope; 404 otherwise."""
    row = get_in_scope(session, principal, RecruitmentApplicationRow, application_id, lock=lock)
    if row.recruitment_id != recruitment_id:
        raise NotFound(
            _("{resource} {id} not found", resource="recruitment_application", id=application_id)
        )
    return row


def list_applications(
    session: Session,
    principal: Principal,
    page: PageRequest,
    *,
    recruitment_id: str,
    status: RecruitmentApplicationStatus | None,
) -> PageResult[RecruitmentApplicationRow]:
    """A page of the drive's applications in the caller's scope."""
    return list_in_scope(
        session,
        principal,
        RecruitmentApplicationRow,
        page,
        equal={
            "recruitment_id": recruitment_id,
            "status": None if status is None else status.value,
        },
    )


def set_application_status(
    session: Session, row: RecruitmentApplicationRow, status: RecruitmentApplicationStatus
) -> RecruitmentApplicationRow:
    """Record the organisation's decision on an application."""
    row.status = status.value
    return save(session, row)
