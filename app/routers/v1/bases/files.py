"""How the bases area answers with files: an owner's page of attachments and one file's bytes
(BASE-APPLY-2, BASE-ARCHIVE-1)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request, Response, UploadFile

from app.context import AppContext
from app.domain.access import Principal
from app.domain.bases import AttachmentKind
from app.repositories.base import PageRequest
from app.repositories.bases_attachments import AttachmentRow
from app.routers.deps import SessionDep, check_if_match
from app.routers.pages import Page, mark_created, page_map
from app.routers.v1.bases.schemas import BaseAttachmentPublic
from app.services import bases_attachments
from app.services.bases_attachments import Owner
from app.storage import FileStore

#: The OpenAPI answer of a download: the bytes, of the media type their content was judged.
DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
    }
}


def created(response: Response, owner: Owner, row: AttachmentRow) -> BaseAttachmentPublic:
    """A stored attachment, with its Location and ETag."""
    mark_created(response, f"{owner.url}/{row.id}", row)
    return BaseAttachmentPublic.of(row, owner.url)


def page(session: SessionDep, owner: Owner, request: PageRequest) -> Page[BaseAttachmentPublic]:
    """A page of the owner's files, in upload order."""
    result = bases_attachments.attachments(session, owner, request)
    return page_map(lambda a: BaseAttachmentPublic.of(a, owner.url), result)


def content(files: FileStore, row: AttachmentRow) -> Response:
    """The bytes of an attachment, served with their checked type."""
    return Response(
        content=files.get(row.storage_key),
        media_type=row.media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.filename)}",
            "ETag": row.etag,
        },
    )


def store(
    session: SessionDep,
    files: FileStore,
    response: Response,
    *,
    owner: Owner,
    upload: UploadFile,
    kind: AttachmentKind,
    ctx: AppContext,
    by: Principal,
) -> BaseAttachmentPublic:
    """Check and store an upload for its owner (413 over the upload limit, 415 for content
    its kind does not take), answered as created."""
    row = bases_attachments.attach(
        session,
        files,
        owner=owner,
        upload=upload,
        kind=kind,
        limit=ctx.settings.max_upload_bytes,
        uploaded_by=by.user_id,
    )
    return created(response, owner, row)


def remove(
    session: SessionDep, files: FileStore, request: Request, *, owner: Owner, attachment_id: str
) -> Response:
    """Delete one of the owner's files (If-Match honoured): 204."""
    bases_attachments.detach(
        session,
        files,
        owner=owner,
        attachment_id=attachment_id,
        check_version=lambda r: check_if_match(request, r),
    )
    return Response(status_code=204)
