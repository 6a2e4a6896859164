"""Complaints and their handling notes (VOL-SUPER-1): the tables and their queries.

A complaint's `org_path` and `county_code` are its handler's, so the organisation complained
about never sees it; an empty path means the city association handles it. Both tables follow
the scope convention of `app.repositories.scope`.
"""

from __future__ import annotations

from sqlalchemy import Index
from sqlmodel import Field, Session

from app.domain.access import Principal
from app.domain.complaints import ComplaintStatus, ComplaintSubject, ComplaintSubjectKind
from app.errors import NotFound
from app.i18n import _
from app.repositories.base import Entity, PageRequest, PageResult, save
from app.repositories.scope import get_in_scope, list_in_scope
from app.repositories.types import Encrypted
from app.repositories.volunteers_orgs import OrganizationRow


class ComplaintRow(Entity, table=True):
    """VOL-SUPER-1: a complaint, routed to the next organisation up; the reporter confidential."""

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
    status: str = Field(default=ComplaintStatus.RECEIVED.value, max_length=16)

    def subject(self) -> ComplaintSubject:
        """Whom the complaint is about."""
        return ComplaintSubject(
            kind=ComplaintSubjectKind(self.subject_kind),
            organization_id=self.subject_organization_id,
            volunteer_id=self.subject_volunteer_id,
        )


class ComplaintNoteRow(Entity, table=True):
    """VOL-SUPER-1: a handling note on a complaint, in the complaint's (the handler's) scope."""

    __tablename__ = "volunteer_complaint_notes"
    __table_args__ = (Index("ix_volunteer_complaint_notes_complaint_id_id", "complaint_id", "id"),)
    __resource__ = "complaint_note"
    __parents__ = ("complaint_id",)

    complaint_id: str = Field(foreign_key="volunteer_complaints.id", max_length=26)
    note: str = Field(max_length=4000)
    written_by: str = Field(max_length=26)
    org_path: str = Field(default="", max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)


def file_complaint(
    session: Session,
    *,
    subject: ComplaintSubject,
    handler: OrganizationRow | None,
    content: str,
    reporter_name: str | None,
    reporter_contact: str | None,
) -> ComplaintRow:
    """A received complaint, in the scope of its handler (the city association if None)."""
    row = ComplaintRow(
        subject_kind=subject.kind.value,
        subject_organization_id=subject.organization_id,
        subject_volunteer_id=subject.volunteer_id,
        handler_organization_id=handler.id if handler else None,
        org_path=handler.path if handler else "",
        county_code=handler.county_code if handler else None,
        reporter_name=reporter_name,
        reporter_contact=reporter_contact,
        content=content,
    )
    return save(session, row)


def get_complaint(
    session: Session, principal: Principal, complaint_id: str, *, lock: bool = False
) -> ComplaintRow:
    """A complaint the caller's level handles; 404 otherwise."""
    return get_in_scope(session, principal, ComplaintRow, complaint_id, lock=lock)


def list_complaints(
    session: Session, principal: Principal, page: PageRequest, *, status: ComplaintStatus | None
) -> PageResult[ComplaintRow]:
    """A page of the complaints the caller's level handles."""
    return list_in_scope(
        session,
        principal,
        ComplaintRow,
        page,
        equal={"status": None if status is None else status.value},
    )


def add_note(
    session: Session,
    *,
    complaint: ComplaintRow,
    note: str,
    written_by: str,
    status: ComplaintStatus,
) -> ComplaintNoteRow:
    """A note on `complaint`, which is left in `status`."""
    row = ComplaintNoteRow(
        complaint_id=complaint.id,
        note=note,
        written_by=written_by,
        org_path=complaint.org_path,
        county_code=complaint.county_code,
    )
    complaint.status = status.value
    session.add_all([row, complaint])
    session.flush()
    return row


def list_notes(
    session: Session, principal: Principal, page: PageRequest, *, complaint_id: str
) -> PageResult[ComplaintNoteRow]:
    """A page of a complaint's notes, oldest first."""
    return list_in_scope(
        session, principal, ComplaintNoteRow, page, equal={"complaint_id": complaint_id}
    )


def get_note(
    session: Session, principal: Principal, complaint_id: str, note_id: str
) -> ComplaintNoteRow:
    """A note of this complaint in the caller's scope; 404 otherwise."""
    row = get_in_scope(session, principal, ComplaintNoteRow, note_id)
    if row.complaint_id != complaint_id:
        raise NotFound(_("{resource} {id} not found", resource="complaint_note", id=note_id))
    return row
