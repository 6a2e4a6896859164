"""Use cases of the files attached to applications, activities and annual reports
(BASE-APPLY-2, BASE-ARCHIVE-1): each owner is found, checked, and its files stored, listed,
served and removed the same way."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import date

from fastapi import UploadFile
from sqlmodel import Session

from app.domain.access import Principal
from app.domain.bases import (
    APPLICATION_KINDS,
    ARCHIVE_KINDS,
    MEDIA_TYPES,
    AttachmentKind,
    sniff_media_type,
)
from app.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from app.repositories import bases, bases_applications, bases_attachments
from app.repositories.base import PageRequest, PageResult
from app.repositories.bases_attachments import AttachmentRow, OwnerType
from app.services.bases import VersionCheck, open_base, open_report
from app.services.bases_applications import editable
from app.storage import FileStore


@dataclass(frozen=True)
class Owner:
    """What attachments belong to: its type, id, the base and county of its scope, and the
    URL of its collection of files."""

    type: OwnerType
    id: str
    base_id: str | None
    county_code: str | None
    url: str


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
    return Owner(OwnerType.APPLICATION, row.id, row.base_id, row.county_code, url)


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
    return Owner(OwnerType.ACTIVITY, activity.id, base.id, base.county_code, url)


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
    return Owner(OwnerType.REPORT, report.id, base.id, base.county_code, url)


def _read(upload: UploadFile, kind: AttachmentKind, limit: int) -> tuple[bytes, str]:
    """The uploaded bytes and their media type, judged by content: 413 over `limit`, 415 when
    the content is not a type the kind accepts."""
    upload.file.seek(0)
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"an attachment is at most {limit} bytes")
    if not data:
        raise InvalidInput.one("file", "the file is empty", "empty")
    media_type = sniff_media_type(data)
    allowed = MEDIA_TYPES[kind]
    if media_type not in allowed:
        raise UnsupportedMediaType(
            f"a {kind.value} attachment is one of {', '.join(sorted(allowed))}; "
            f"this file is {media_type or 'of an unrecognised type'}"
        )
    return data, media_type


def _filename(upload: UploadFile) -> str:
    """The client's file name without any directory part."""
    name = posixpath.basename((upload.filename or "file").replace("\\", "/")).strip()
    return (name or "file")[:255]


def check_kind(owner_type: OwnerType, kind: AttachmentKind) -> None:
    """BASE-APPLY-2, BASE-ARCHIVE-1: the kinds an application, and an archive, take (422)."""
    if owner_type is OwnerType.APPLICATION and kind not in APPLICATION_KINDS:
        raise InvalidInput.one("kind", f"an application takes no {kind.value}", "kind")
    if owner_type is not OwnerType.APPLICATION and kind not in ARCHIVE_KINDS:
        raise InvalidInput.one("kind", f"the archive takes no {kind.value}", "kind")


def attach(
    session: Session,
    files: FileStore,
    *,
    owner: Owner,
    upload: UploadFile,
    kind: AttachmentKind,
    limit: int,
    uploaded_by: str,
) -> AttachmentRow:
    """Check an upload (413, 415) and store it for its owner."""
    data, media_type = _read(upload, kind, limit)
    return bases_attachments.add_attachment(
        session,
        files,
        owner_type=owner.type,
        owner_id=owner.id,
        base_id=owner.base_id,
        county_code=owner.county_code,
        kind=kind.value,
        filename=_filename(upload),
        media_type=media_type,
        data=data,
        uploaded_by=uploaded_by,
    )


def attachments(session: Session, owner: Owner, page: PageRequest) -> PageResult[AttachmentRow]:
    """A page of the owner's files, in upload order."""
    return bases_attachments.list_attachments(session, owner.type, owner.id, page)


def attachment(session: Session, owner: Owner, attachment_id: str) -> AttachmentRow:
    """One of the owner's files, or 404."""
    return bases_attachments.get_attachment(session, owner.type, owner.id, attachment_id)


def detach(
    session: Session,
    files: FileStore,
    *,
    owner: Owner,
    attachment_id: str,
    check_version: VersionCheck,
) -> None:
    """Delete one of the owner's files (If-Match honoured)."""
    row = bases_attachments.get_attachment(session, owner.type, owner.id, attachment_id)
    check_version(row)
    bases_attachments.delete_attachment(session, files, row)
