"""Complaints and reports, their routing and handling (VOL-SUPER-1)."""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError
from sqlmodel import Session

from app.domain.access import Principal, Role
from app.domain.complaints import ComplaintStatus, ComplaintSubject, ComplaintSubjectKind
from app.domain.notifications import NoticeKind
from app.errors import InvalidInput, RuleViolation
from app.repositories import complaints as repo
from app.repositories import users
from app.repositories import volunteers as volunteer_repo
from app.repositories import volunteers_orgs as orgs
from app.repositories.scope import find_or_404
from app.rules.complaints import check_handling, route_complaint
from app.services.notifications import notify


def file_complaint(
    *,
    session: Session,
    kind: ComplaintSubjectKind,
    organization_id: str | None,
    volunteer_id: str | None,
    content: str,
    reporter_name: str | None,
    reporter_contact: str | None,
    now: datetime,
) -> repo.ComplaintRow:
    """VOL-SUPER-1: anyone files; the complaint goes to the next organisation up, or to the city
    association, never to the organisation complained about."""
    try:
        subject = ComplaintSubject(
            kind=kind, organization_id=organization_id, volunteer_id=volunteer_id
        )
    except ValidationError as exc:
        raise InvalidInput.of(exc.errors()) from exc
    if subject.organization_id is not None:
        orgs.get_org(session, subject.organization_id)
    if subject.volunteer_id is not None:
        find_or_404(session, volunteer_repo.VolunteerRow, subject.volunteer_id)
    route = route_complaint(subject, orgs.all_nodes(session))
    handler = (
        None
        if route.handler_organization_id is None
        else orgs.get_org(session, route.handler_organization_id)
    )
    row = repo.file_complaint(
        session,
        subject=subject,
        handler=handler,
        content=content,
        reporter_name=reporter_name,
        reporter_contact=reporter_contact,
    )
    # PLAT-NOTIFY-1: the handling organisation's administrators, or the city's, hear of it; the
    # notice names the complaint's number only (the reporter stays confidential).
    handlers = (
        users.active_user_ids(session, role=Role.CITY_ADMIN)
        if handler is None
        else users.active_user_ids(session, role=Role.ORG_ADMIN, org_id=handler.id)
    )
    notify(
        session,
        user_ids=handlers,
        kind=NoticeKind.COMPLAINT_ASSIGNED,
        variables={"number": row.id},
        resource_path=f"/api/v1/complaints/{row.id}",
        dedupe_key=f"complaint_assigned:{row.id}",
        now=now,
    )
    return row


def _handle(
    session: Session, principal: Principal, complaint_id: str, note: str, status: ComplaintStatus
) -> tuple[repo.ComplaintRow, repo.ComplaintNoteRow]:
    complaint = repo.get_complaint(session, principal, complaint_id, lock=True)
    acting = principal.org_id if principal.role is Role.ORG_ADMIN else None
    result = check_handling(
        acting, complaint.subject(), ComplaintStatus(complaint.status), orgs.all_nodes(session)
    )
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    written = repo.add_note(
        session, complaint=complaint, note=note, written_by=principal.user_id, status=status
    )
    return complaint, written


def add_note(
    *, session: Session, principal: Principal, complaint_id: str, note: str
) -> repo.ComplaintNoteRow:
    """VOL-SUPER-1: a handler's note on an open complaint, which is then in handling."""
    return _handle(session, principal, complaint_id, note, ComplaintStatus.HANDLING)[1]


def close(
    *, session: Session, principal: Principal, complaint_id: str, note: str
) -> repo.ComplaintRow:
    """VOL-SUPER-1: close an open complaint, its outcome kept as the last note."""
    return _handle(session, principal, complaint_id, note, ComplaintStatus.CLOSED)[0]
