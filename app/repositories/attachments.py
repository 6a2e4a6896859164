"""Files attached to base applications, activities and annual reports (BASE-APPLY-2,
BASE-ARCHIVE-1) and to the hours a volunteer declares (VOL-SELF-1).

The bytes live in the app's FileStore (local disk today, object storage behind the same
interface); the row keeps what is needed to serve them back and to check them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import Index, event, func
from sqlmodel import Field, Session, col, select

from app.errors import NotFound
from app.i18n import _
from app.repositories.base import Entity, PageRequest, PageResult, save
from app.repositories.scope import list_rows
from app.storage import FileStore


class OwnerType(StrEnum):
    """What an attachment belongs to."""

    APPLICATION = "application"
    ACTIVITY = "activity"
    REPORT = "report"
    SERVICE_RECORD = "service_record"


class AttachmentRow(Entity, table=True):
    """One stored file and its checked media type."""

    __tablename__ = "attachments"
    __resource__ = "attachment"
    __parents__ = ("owner_type", "owner_id", "base_id")
    # Owner id then type: counting an owner's files reads the index alone (the dashboard
    # counts the evidence of thousands of activities per request).
    __table_args__ = (Index("ix_attachments_owner", "owner_id", "owner_type"),)

    owner_type: str = Field(max_length=16)
    owner_id: str = Field(max_length=26)
    base_id: str | None = Field(default=None, max_length=26, index=True)
    county_code: str | None = Field(default=None, max_length=12)
    org_path: str | None = Field(default=None, max_length=512)
    kind: str = Field(max_length=32)
    filename: str = Field(max_length=255)
    media_type: str = Field(max_length=128)
    size: int
    sha256: str = Field(max_length=64)
    storage_key: str = Field(max_length=128)
    uploaded_by: str | None = Field(default=None, max_length=26)


def add_attachment(
    session: Session,
    files: FileStore,
    *,
    owner_type: OwnerType,
    owner_id: str,
    base_id: str | None,
    county_code: str | None,
    org_path: str | None = None,
    kind: str,
    filename: str,
    media_type: str,
    data: bytes,
    uploaded_by: str,
) -> AttachmentRow:
    """Store the bytes and record them; the bytes are removed again if the transaction rolls
    back, so a refused or failed request leaves no orphan file."""
    key = files.put(data)
    _discard_on_rollback(session, files, key)
    row = AttachmentRow(
        owner_type=owner_type.value,
        owner_id=owner_id,
        base_id=base_id,
        county_code=county_code,
        org_path=org_path,
        kind=kind,
        filename=filename,
        media_type=media_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        uploaded_by=uploaded_by,
    )
    return save(session, row)


def list_attachments(
    session: Session, owner_type: OwnerType, owner_id: str, page: PageRequest
) -> PageResult[AttachmentRow]:
    """A page of the attachments of one owner, in upload order."""
    return list_rows(
        session, AttachmentRow, page, equal={"owner_type": owner_type, "owner_id": owner_id}
    )


def get_attachment(
    session: Session, owner_type: OwnerType, owner_id: str, attachment_id: str
) -> AttachmentRow:
    """One attachment of one owner, or 404."""
    row = session.exec(
        select(AttachmentRow).where(
            AttachmentRow.id == attachment_id,
            AttachmentRow.owner_type == owner_type.value,
            AttachmentRow.owner_id == owner_id,
        )
    ).first()
    if row is None:
        raise NotFound(_("{resource} {id} not found", resource="attachment", id=attachment_id))
    return row


def _discard_on_rollback(session: Session, files: FileStore, key: str) -> None:
    # The file is written before its row; only a commit keeps it. Once committed, no later
    # rollback of the same session (a new transaction) may remove it.
    committed = False

    def _kept(_session: Session) -> None:
        nonlocal committed
        committed = True

    def _discard(_session: Session) -> None:
        if not committed:
            files.delete(key)

    event.listen(session, "after_commit", _kept, once=True)
    event.listen(session, "after_rollback", _discard, once=True)


def delete_attachment(session: Session, files: FileStore, row: AttachmentRow) -> None:
    """Forget an attachment; its bytes are removed only once the deletion is committed."""
    key = row.storage_key
    session.delete(row)
    session.flush()

    def _remove(_session: Session) -> None:
        files.delete(key)

    event.listen(session, "after_commit", _remove, once=True)


def counts(session: Session, owner_type: OwnerType, owner_ids: Iterable[str]) -> dict[str, int]:
    """How many attachments each owner has, in one query."""
    ids = list(owner_ids)
    if not ids:
        return {}
    stmt = (
        select(AttachmentRow.owner_id, func.count())
        .where(AttachmentRow.owner_type == owner_type.value, col(AttachmentRow.owner_id).in_(ids))
        .group_by(col(AttachmentRow.owner_id))
    )
    return {str(owner): int(n) for owner, n in session.exec(stmt)}
