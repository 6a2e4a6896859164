"""Spreadsheet downloads of the officer area (ledgers, scorecards): media types and answers."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Response

CSV = "text/csv; charset=utf-8"
BINARY = {"schema": {"type": "string", "format": "binary"}}


def download_responses(description: str, *media_types: str) -> dict[int | str, dict[str, Any]]:
    """The 200 answer of a download, one binary content per media type."""
    return {200: {"description": description, "content": dict.fromkeys(media_types, BINARY)}}


def attachment(content: bytes, media_type: str, filename: str) -> Response:
    """A download with an RFC 6266 file name."""
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )
