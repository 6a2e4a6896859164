"""How every area answers with files: the four operations on an owner's attachments, an
owner's page of them and one file's bytes (BASE-APPLY-2, BASE-ARCHIVE-1, VOL-SELF-1)."""

# No `from __future__ import annotations`: the routes `attachment_routes` builds take their
# owner and kind types from its arguments, which FastAPI must see as objects, not names.

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from pydantic import BaseModel, WithJsonSchema

from app.domain.common import Moment
from app.domain.files import AttachmentKind
from app.errors import problem_responses
from app.repositories.attachments import AttachmentRow
from app.repositories.base import PageRequest
from app.routers.deps import ContextDep, FilesDep, PageDep, SessionDep, check_if_match
from app.routers.pages import Page, mark_created, page_map
from app.services import attachments
from app.services.attachments import Owner
from app.storage import FileStore

#: The OpenAPI answer of a download: the bytes, of the media type their content was judged.
DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
    }
}


def kinds_schema(kinds: frozenset[AttachmentKind]) -> WithJsonSchema:
    """The kinds an upload form declares it takes (the enum narrowed to an owner's kinds)."""
    return WithJsonSchema({"type": "string", "enum": sorted(k.value for k in kinds)})


class AttachmentPublic(BaseModel):
    """A stored file; its bytes are at `content_url`."""

    id: str
    kind: AttachmentKind
    filename: str
    media_type: str
    size: int
    sha256: str
    created_at: Moment
    content_url: str

    @classmethod
    def of(cls, row: AttachmentRow, url: str) -> "AttachmentPublic":
        """The public view of an attachment of the collection at `url`."""
        return cls(
            id=row.id,
            kind=AttachmentKind(row.kind),
            filename=row.filename,
            media_type=row.media_type,
            size=row.size,
            sha256=row.sha256,
            created_at=row.created_at,
            content_url=f"{url}/{row.id}/content",
        )


def created(response: Response, owner: Owner, row: AttachmentRow) -> AttachmentPublic:
    """A stored attachment, with its Location and ETag."""
    mark_created(response, f"{owner.url}/{row.id}", row)
    return AttachmentPublic.of(row, owner.url)


def page(session: SessionDep, owner: Owner, request: PageRequest) -> Page[AttachmentPublic]:
    """A page of the owner's files, in upload order."""
    result = attachments.page_of(session, owner, request)
    return page_map(lambda a: AttachmentPublic.of(a, owner.url), result)


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


def remove(
    session: SessionDep, files: FileStore, request: Request, *, owner: Owner, attachment_id: str
) -> Response:
    """Delete one of the owner's files (If-Match honoured): 204."""
    attachments.detach(
        session,
        files,
        owner=owner,
        attachment_id=attachment_id,
        check_version=lambda r: check_if_match(request, r),
    )
    return Response(status_code=204)


@dataclass(frozen=True)
class AttachmentTexts:
    """What the spec says of one owner's attachment operations."""

    add: tuple[str, str]
    list: tuple[str, str]
    content: tuple[str, str]
    remove: tuple[str, str]


def attachment_routes(
    router: APIRouter,
    *,
    path: str,
    name: str,
    read: Callable[..., Owner],
    write: Callable[..., Owner],
    writers: Any,
    kinds: type[StrEnum],
    texts: AttachmentTexts,
) -> None:
    """Add, list, download and remove the files of one kind of owner at `path`. `read` and
    `write` are the dependencies that find the owner in the caller's scope (`write` also checks
    that it may change), `writers` the role set of the uploader, `kinds` what the upload form
    takes, `name` the middle of the operation ids (`add_{name}_attachment`...), and `texts`
    each operation's summary and description."""
    reader = Annotated[Owner, Depends(read)]
    writer = Annotated[Owner, Depends(write)]

    def add(
        owner: writer,
        kind: Annotated[kinds, Form()],  # type: ignore[valid-type]
        file: Annotated[UploadFile, File()],
        session: SessionDep,
        files: FilesDep,
        ctx: ContextDep,
        principal: writers,
        response: Response,
    ) -> AttachmentPublic:
        row = attachments.attach(
            session,
            files,
            owner=owner,
            upload=file,
            kind=kind,
            limit=ctx.settings.max_upload_bytes,
            uploaded_by=principal.user_id,
        )
        return created(response, owner, row)

    def list_(owner: reader, session: SessionDep, page_request: PageDep) -> Page[AttachmentPublic]:
        return page(session, owner, page_request)

    def get_content(
        owner: reader, attachment_id: str, session: SessionDep, files: FilesDep
    ) -> Response:
        return content(files, attachments.attachment(session, owner, attachment_id))

    def delete(
        owner: writer, attachment_id: str, session: SessionDep, files: FilesDep, request: Request
    ) -> Response:
        return remove(session, files, request, owner=owner, attachment_id=attachment_id)

    one = f"{path}/{{attachment_id}}"
    routes: list[tuple[str, str, Callable[..., Any], tuple[str, str], dict[str, Any]]] = [
        (
            "POST",
            path,
            add,
            texts.add,
            {
                "status_code": 201,
                "responses": problem_responses(404, 409, 413, 415),
                "name": f"add_{name}_attachment",
            },
        ),
        (
            "GET",
            path,
            list_,
            texts.list,
            {"responses": problem_responses(404), "name": f"list_{name}_attachments"},
        ),
        (
            "GET",
            f"{one}/content",
            get_content,
            texts.content,
            {
                "response_class": Response,
                "responses": {**problem_responses(404), **DOWNLOAD},
                "name": f"get_{name}_attachment_content",
            },
        ),
        (
            "DELETE",
            one,
            delete,
            texts.remove,
            {
                "status_code": 204,
                "responses": problem_responses(404, 409, 412),
                "name": f"delete_{name}_attachment",
            },
        ),
    ]
    for method, route_path, endpoint, (summary, description), options in routes:
        router.add_api_route(
            route_path,
            endpoint,
            methods=[method],
            summary=summary,
            description=description,
            **options,
        )
