"""How a file is answered: its media types in the spec, an RFC 6266 file name, and its bytes,
whole or streamed from the file written while the request's unit of work was open
(app/spreadsheets.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from fastapi import Response
from fastapi.responses import StreamingResponse

from app import spreadsheets
from app.spreadsheets import Export, FileFormat

BINARY = {"schema": {"type": "string", "format": "binary"}}
#: The media types of a spreadsheet download.
SPREADSHEETS = (spreadsheets.XLSX, spreadsheets.CSV)


def download_contents(media_types: Iterable[str] = SPREADSHEETS) -> dict[str, dict[str, Any]]:
    """The `content` of a download's answer in the spec, one binary body per media type."""
    return dict.fromkeys(media_types, BINARY)


def download_responses(
    description: str, media_types: Iterable[str] = SPREADSHEETS
) -> dict[int | str, dict[str, Any]]:
    """The 200 answer of a download, one binary content per media type."""
    return {200: {"description": description, "content": download_contents(media_types)}}


def _disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def attachment(content: bytes, media_type: str, filename: str, *, status: int = 200) -> Response:
    """A download held in memory, with an RFC 6266 file name."""
    return Response(
        content=content,
        status_code=status,
        media_type=media_type,
        headers={"Content-Disposition": _disposition(filename)},
    )


def download(export: Export, format: FileFormat) -> StreamingResponse:
    """The export as a file of `format`, written now, sent in pieces."""
    file = spreadsheets.spooled(export, format)
    return StreamingResponse(
        spreadsheets.pieces(file),
        media_type=format.media_type,
        headers={
            "Content-Disposition": _disposition(f"{export.heading}.{format.value}"),
            "Content-Length": str(spreadsheets.size_of(file)),
        },
    )
