"""`GET /templates/{kind}.xlsx`: the workbook a clerk fills in (docs/spreadsheets.md)."""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path
from urllib.parse import quote

from fastapi import Request, Response

from app import imports
from app.errors import problem_responses
from app.routers.deps import AnyUser
from app.routers.route import resource_router
from app.spreadsheets import XLSX

router = resource_router("templates")


class TemplateKind(StrEnum):
    """The imports that have a template."""

    VOLUNTEERS = "volunteers"
    OFFICERS = "officers"
    OFFICER_DISSEMINATIONS = "officer-disseminations"
    BASE_MONTHLY_STATS = "base-monthly-stats"


@router.get(
    "/templates/{kind}.xlsx",
    summary="The spreadsheet template of an import",
    response_class=Response,
    responses={
        200: {
            "description": "The template: Chinese headers, drop-down lists, instructions",
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        },
        **problem_responses(404),
    },
)
def template(kind: TemplateKind, _principal: AnyUser, request: Request) -> Response:
    """Any signed-in user: the header row (required columns marked *), an example row, drop-down
    lists of the enumerations and 是/否 columns, and a sheet of instructions. The same headers
    are read back by the import, as are the JSON field names."""
    path = request.app.state.ctx.settings.import_mappings
    mapping = imports.mappings(path)[kind.value]
    filename = quote(f"{mapping.title}.xlsx")
    return Response(
        content=_workbook(path, kind),
        media_type=XLSX,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{filename}",
            "Cache-Control": "private, max-age=3600",
        },
    )


@cache
def _workbook(path: Path, kind: TemplateKind) -> bytes:
    # The same bytes for every caller until the mappings change (a restart).
    return imports.template_xlsx(imports.mappings(path)[kind.value])
