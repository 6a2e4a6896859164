"""Use cases of attached files, whatever they belong to: each owner is found and checked by its
own area, then its files are stored, listed, served and removed the same way (BASE-APPLY-2,
BASE-ARCHIVE-1, VOL-SELF-1)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from fastapi import UploadFile
from sqlmodel import Session

from app.domain.files import MEDIA_TYPES, AttachmentKind, sniff_media_type
from app.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from app.i18n import _
from app.repositories import attachments
from app.repositories.attachments import AttachmentRow, OwnerType
from app.repositories.base import PageRequest, PageResult, VersionCheck
from app.storage import FileStore


@dataclass(frozen=True)
class Owner:
    """What attachments belong to: its type and id, the scope its files inherit (base, county,
    organisation path), the kinds of file it takes, and the URL of its collection of files."""

    type: OwnerType
    id: str
    base_id: str | None
    county_code: str | None
    url: str
    kinds: frozenset[AttachmentKind]
    org_path: str | None = None


def _read(upload: UploadFile, kind: AttachmentKind, limit: int) -> tuple[bytes, str]:
    """The uploaded bytes and their media type, judged by content: 413 over `limit`, 415 when
    the content is not a type the kind accepts."""
    upload.file.seek(0)
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(_("an attachment is at most {limit} bytes", limit=limit))
    if not data:
        raise InvalidInput.one("file", _("the file is empty"), "empty")
    media_type = sniff_media_type(data)
    allowed = MEDIA_TYPES[kind]
    if media_type not in allowed:
        types = ", ".join(sorted(allowed))
        if media_type is None:
            raise UnsupportedMediaType(
                _(
                    "a {kind} attachment is one of {types}; this file is of an unrecognised type",
                    kind=kind.value,
                    types=types,
                )
            )
        raise UnsupportedMediaType(
            _(
                "a {kind} attachment is one of {types}; this file is {media_type}",
                kind=kind.value,
                types=types,
                media_type=media_type,
            )
        )
    return data, media_type


def _filename(upload: UploadFile) -> str:
    """The client's file name without any directory part."""
    name = posixpath.basename((upload.filename or "file").replace("\\", "/")).strip()
    return (name or "file")[:255]


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
    """Check the kind against the owner (422) and the upload (413, 415), and store it."""
    if kind not in owner.kinds:
        raise InvalidInput.one(
            "kind", _("a {owner} takes no {kind}", owner=owner.type.value, kind=kind.value), "kind"
        )
    data, media_type = _read(upload, kind, limit)
    return attachments.add_attachment(
        session,
        files,
        owner_type=owner.type,
        owner_id=owner.id,
        base_id=owner.base_id,
        county_code=owner.county_code,
        org_path=owner.org_path,
        kind=kind.value,
        filename=_filename(upload),
        media_type=media_type,
        data=data,
        uploaded_by=uploaded_by,
    )


def page_of(session: Session, owner: Owner, page: PageRequest) -> PageResult[AttachmentRow]:
    """A page of the owner's files, in upload order."""
    return attachments.list_attachments(session, owner.type, owner.id, page)


def attachment(session: Session, owner: Owner, attachment_id: str) -> AttachmentRow:
    """One of the owner's files, or 404."""
    return attachments.get_attachment(session, owner.type, owner.id, attachment_id)


def detach(
    session: Session,
    files: FileStore,
    *,
    owner: Owner,
    attachment_id: str,
    check_version: VersionCheck,
) -> None:
    """Delete one of the owner's files (If-Match honoured)."""
    row = attachments.get_attachment(session, owner.type, owner.id, attachment_id)
    check_version(row)
    attachments.delete_attachment(session, files, row)
