"""The owners of a base's files: applications (BASE-APPLY-2), activities and annual reports
(BASE-ARCHIVE-1), each found in the caller's scope and, to write, checked that it may change."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.domain.access import Principal
from app.domain.files import APPLICATION_KINDS, ARCHIVE_KINDS
from app.repositories import bases, bases_applications
from app.repositories.attachments import OwnerType
from app.services.attachments import Owner
from app.services.bases import open_base, open_report
from app.services.bases_applications import editable


def application_owner(
    session: Session, principal: Principal, application_id: str, *, writing: bool
) -> Owner:
    """An application in scope; to write, a draft or returned one (BASE-REVIEW-1)."""
    row = (
        editable(session, principal, application_id)
        if writing
        else bases_applications.get_application(session, principal, application_id)
    )
    url = f"/api/v1/base-applications/{row.id}/attachments"
    return Owner(
        OwnerType.APPLICATION, row.id, row.base_id, row.county_code, url, APPLICATION_KINDS
    )


def activity_owner(
    session: Session,
    principal: Principal,
    base_id: str,
    activity_id: str,
    *,
    writing: bool,
    today: date,
) -> Owner:
    """An activity of a base in scope; to write, of a base not revoked (BASE-REVOKE-1..6)."""
    base = (
        open_base(session, principal, base_id, today=today)
        if writing
        else bases.get_base(session, principal, base_id)
    )
    activity = bases.get_activity(session, base.id, activity_id)
    url = f"/api/v1/bases/{base.id}/activities/{activity.id}/attachments"
    return Owner(OwnerType.ACTIVITY, activity.id, base.id, base.county_code, url, ARCHIVE_KINDS)


def report_owner(
    session: Session, principal: Principal, base_id: str, year: int, *, writing: bool, today: date
) -> Owner:
    """An annual report of a base in scope; to write, unsubmitted (BASE-REPORT-1) of a base not
    revoked."""
    base = (
        open_base(session, principal, base_id, today=today)
        if writing
        else bases.get_base(session, principal, base_id)
    )
    report = bases.find_report(session, base.id, year)
    if writing:
        open_report(report)
    url = f"/api/v1/bases/{base.id}/annual-reports/{year}/attachments"
    return Owner(OwnerType.REPORT, report.id, base.id, base.county_code, url, ARCHIVE_KINDS)
