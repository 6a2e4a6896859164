"""Routes of complaints, their notes, and the public filing (VOL-SUPER-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Query, Response

from app.domain.complaints import ComplaintStatus, ComplaintSubjectKind
from app.domain.personal import PersonalKind, mask
from app.errors import problem_responses
from app.repositories import complaints as repo
from app.repositories.reveal import reveal as audit_reveal
from app.routers.deps import NowDep, PageDep, SessionDep, set_etag
from app.routers.pages import Page, created, page_map, page_of
from app.routers.route import resource_router
from app.routers.v1.complaints.auth import ComplaintsHandle, ComplaintsRead
from app.routers.v1.complaints.schemas import (
    COMPLAINT_EXAMPLES,
    ComplaintAboutVolunteer,
    ComplaintClose,
    ComplaintCreate,
    ComplaintNoteCreate,
    ComplaintNotePublic,
    ComplaintPublic,
)
from app.services import complaints as service

router = resource_router("complaints")
public_router = resource_router("complaints", public=True)
#: What `reveal=true` shows of a complaint: the reporter, confidential by VOL-SUPER-1.
REPORTER_FIELDS = ("reporter_name", "reporter_contact")


def to_public(row: repo.ComplaintRow, *, reveal: bool = False) -> ComplaintPublic:
    """A complaint; the reporter masked unless `reveal` (VOL-SUPER-1)."""
    return ComplaintPublic(
        id=row.id,
        subject_kind=ComplaintSubjectKind(row.subject_kind),
        subject_organization_id=row.subject_organization_id,
        subject_volunteer_id=row.subject_volunteer_id,
        handler_organization_id=row.handler_organization_id,
        handled_by_city_association=row.handler_organization_id is None,
        content=row.content,
        status=ComplaintStatus(row.status),
        reporter_name=row.reporter_name if reveal else mask(PersonalKind.NAME, row.reporter_name),
        reporter_contact=(
            row.reporter_contact if reveal else mask(PersonalKind.PHONE, row.reporter_contact)
        ),
        revealed=reveal,
        created_at=row.created_at,
        version=row.version,
    )


@public_router.post(
    "/public/complaints",
    status_code=201,
    summary="File a complaint or report (anyone, no login)",
    responses=problem_responses(404),
)
def file_complaint(
    body: Annotated[ComplaintCreate, Body(openapi_examples=COMPLAINT_EXAMPLES)],
    session: SessionDep,
    now: NowDep,
) -> ComplaintPublic:
    """VOL-SUPER-1: routed to the next organisation up, or to the city association."""
    row = service.file_complaint(
        session=session,
        kind=body.subject_kind,
        organization_id=body.subject_organization_id,
        volunteer_id=(
            body.subject_volunteer_id if isinstance(body, ComplaintAboutVolunteer) else None
        ),
        content=body.content,
        reporter_name=body.reporter_name,
        reporter_contact=body.reporter_contact,
        now=now,
    )
    return to_public(row)


@router.get("/complaints", summary="List complaints the caller handles")
def list_complaints(
    principal: ComplaintsRead,
    session: SessionDep,
    page: PageDep,
    status: ComplaintStatus | None = None,
) -> Page[ComplaintPublic]:
    """VOL-SUPER-1: never the organisation complained about; reporters always masked."""
    result = repo.list_complaints(session, principal, page, status=status)
    return page_map(to_public, result)


@router.get(
    "/complaints/{complaint_id}",
    summary="Read a complaint",
    responses=problem_responses(404),
)
def get_complaint(
    complaint_id: str,
    principal: ComplaintsRead,
    session: SessionDep,
    response: Response,
    reveal: Annotated[
        bool, Query(description="Show the reporter's name and contact (audited; city only)")
    ] = False,
) -> ComplaintPublic:
    """One complaint, the reporter masked; `reveal=true` shows it and writes an audit event."""
    row = repo.get_complaint(session, principal, complaint_id)
    if reveal:
        audit_reveal(session, principal, row, REPORTER_FIELDS)
    set_etag(response, row)
    return to_public(row, reveal=reveal)


@router.post(
    "/complaints/{complaint_id}/notes",
    status_code=201,
    summary="Add a handling note",
    responses=problem_responses(404, 409),
)
def add_complaint_note(
    complaint_id: str,
    body: ComplaintNoteCreate,
    principal: ComplaintsHandle,
    session: SessionDep,
    response: Response,
) -> ComplaintNotePublic:
    """VOL-SUPER-1: by the handler (or above), never by the subject's own subtree."""
    row = service.add_note(
        session=session, principal=principal, complaint_id=complaint_id, note=body.note
    )
    location = f"/api/v1/complaints/{complaint_id}/notes/{row.id}"
    return created(response, location, row, ComplaintNotePublic)


@router.get("/complaints/{complaint_id}/notes", summary="List a complaint's handling notes")
def list_complaint_notes(
    complaint_id: str, principal: ComplaintsRead, session: SessionDep, page: PageDep
) -> Page[ComplaintNotePublic]:
    """The notes, oldest first."""
    repo.get_complaint(session, principal, complaint_id)
    return page_of(
        ComplaintNotePublic,
        repo.list_notes(session, principal, page, complaint_id=complaint_id),
    )


@router.get(
    "/complaints/{complaint_id}/notes/{note_id}",
    summary="Read a handling note",
    responses=problem_responses(404),
)
def get_complaint_note(
    complaint_id: str, note_id: str, principal: ComplaintsRead, session: SessionDep
) -> ComplaintNotePublic:
    """One note of a complaint in the caller's scope."""
    row = repo.get_note(session, principal, complaint_id, note_id)
    return ComplaintNotePublic.model_validate(row, from_attributes=True)


@router.post(
    "/complaints/{complaint_id}:close",
    summary="Close a complaint with the outcome of its handling",
    responses=problem_responses(404, 409),
)
def close_complaint(
    complaint_id: str, body: ComplaintClose, principal: ComplaintsHandle, session: SessionDep
) -> ComplaintPublic:
    """VOL-SUPER-1: the outcome becomes the last note; a closed complaint takes no more."""
    row = service.close(
        session=session, principal=principal, complaint_id=complaint_id, note=body.note
    )
    return to_public(row)
