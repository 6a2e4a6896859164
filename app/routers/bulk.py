"""Bulk imports (volunteers, officers, dissemination figures, base monthly statistics): JSON, or
CSV and XLSX through the column mappings of app/imports.py, in; per-row results out;
all-or-nothing by default or `mode=partial`."""

from __future__ import annotations

import gc
import json
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import StrEnum
from functools import partial
from typing import Annotated, Any

from fastapi import Query, Request, Response
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema
from starlette.concurrency import run_in_threadpool

from app import imports
from app.db import DEADLINE, past_deadline
from app.domain.common import Finding, hidden_text_fields
from app.errors import (
    PROBLEM_JSON,
    FieldError,
    InvalidInput,
    RequestTimeout,
    UnsupportedMediaType,
    pydantic_message,
    refuse_hidden_text,
)
from app.i18n import _, render
from app.routers.downloads import attachment
from app.routers.route import json_body_schema
from app.spreadsheets import XLSX

MEDIA_TYPES = ("application/json", "text/csv", XLSX)


class BulkMode(StrEnum):
    """`all_or_nothing` applies nothing when any row is bad; `partial` applies the good rows."""

    ALL_OR_NOTHING = "all_or_nothing"
    PARTIAL = "partial"


#: The `mode` and `include_ok` query parameters every bulk import takes.
ModeQuery = Annotated[BulkMode, Query()]
IncludeOkQuery = Annotated[bool, Query(description="List every row, not only errors")]


class RowStatus(StrEnum):
    """What happened to one row."""

    CREATED = "created"
    UPDATED = "updated"
    MATCHED_EXISTING = "matched_existing"
    ERROR = "error"


class RowResult(BaseModel):
    """One input row: `row` counts data rows from 1 (a CSV header is not a row)."""

    row: int
    status: RowStatus
    id: str | None = None
    errors: list[FieldError] = []


def row_error(row: int, findings: Iterable[Finding]) -> RowResult:
    """A row refused by rules: its codes are the rule IDs (docs/api.md, "Bulk imports"), its
    messages rendered in the caller's language."""
    return RowResult(
        row=row,
        status=RowStatus.ERROR,
        errors=[
            FieldError(field=f.field or "row", message=render(f), code=f.rule) for f in findings
        ],
    )


def field_errors(exc: ValidationError) -> list[FieldError]:
    """A row model's validation errors, each naming its field within the row."""
    return [
        FieldError(
            field=".".join(str(p) for p in e["loc"]) or "row",
            message=pydantic_message(e),
            code=e["type"],
        )
        for e in exc.errors()
    ]


class BulkResult(BaseModel):
    """Counts per status, whether anything was applied, and the rows (errors always listed)."""

    mode: BulkMode
    applied: bool
    total: int
    created: int = 0
    updated: int = 0
    matched_existing: int = 0
    errors: int = 0
    rows: list[RowResult] = []


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_restore = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off while an import builds its rows (usable as a decorator): it
    would otherwise walk the tens of thousands of live row objects again and again (half of a
    10,000-row import's time). Nested and concurrent imports share one pause."""
    global _gc_pauses, _gc_restore
    with _gc_lock:
        _gc_pauses += 1
        if _gc_pauses == 1:
            _gc_restore = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_restore:
                gc.enable()


def summarise(mode: BulkMode, results: Sequence[RowResult], *, include_ok: bool) -> BulkResult:
    """Count the rows; refuse (422 naming every bad row's fields) when all-or-nothing fails."""
    counts = dict.fromkeys(RowStatus, 0)
    for r in results:
        counts[r.status] += 1
    bad = [r for r in results if r.status is RowStatus.ERROR]
    if bad and mode is BulkMode.ALL_OR_NOTHING:
        raise InvalidInput(
            [
                FieldError(field=f"rows[{r.row}].{e.field}", message=e.message, code=e.code)
                for r in bad
                for e in r.errors
            ],
            detail=_(
                "{bad} of {total} rows are invalid; nothing was applied",
                bad=len(bad),
                total=len(results),
            ),
        )
    return BulkResult(
        mode=mode,
        applied=True,
        total=len(results),
        created=counts[RowStatus.CREATED],
        updated=counts[RowStatus.UPDATED],
        matched_existing=counts[RowStatus.MATCHED_EXISTING],
        errors=counts[RowStatus.ERROR],
        rows=list(results) if include_ok else bad,
    )


#: The widest header an XLSX import reads: more columns than any row model has fields.
MAX_COLUMNS = 64
#: The most a workbook may unpack to, whatever its compressed size (a zip bomb is a 413).
MAX_UNPACKED_BYTES = 256 * 1_048_576
#: How often a long parse looks at the request's deadline.
_CHECK_EVERY = 1000
# A code that is a rule's ID (docs/rules.md), as a bulk row's errors carry them.
_RULE_ID = re.compile(r"^[A-Z]+(?:-[A-Z0-9]+)+$")


async def read_rows(request: Request, *, max_rows: int, mapping: str) -> list[dict[str, Any]]:
    """Rows of a JSON array (or `{"rows": [...]}`), or of a CSV or XLSX sheet read through the
    column mapping of that name (docs/spreadsheets.md), parsed in a worker thread (never on the
    event loop), bounded by rows, columns and unpacked size before the work grows with them,
    and within the request's deadline. A sheet's upload refused with 422 is answered with its
    error report workbook when the caller's `Accept` prefers XLSX."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in MEDIA_TYPES:
        raise UnsupportedMediaType(_("send one of {types}", types=", ".join(MEDIA_TYPES)))
    body = await request.body()
    if media == "application/json":
        rows = await run_in_threadpool(_json_rows, body)
    else:
        settings = request.app.state.ctx.settings
        sheet = imports.mappings(settings.import_mappings)[mapping]
        rows = await run_in_threadpool(_sheet_rows, request, sheet, media, body, max_rows)
    if len(rows) > max_rows:
        raise InvalidInput.one(
            "rows", _("at most {max_rows} rows per request", max_rows=max_rows), "too_many_rows"
        )
    if not rows:
        raise InvalidInput.one("rows", _("no rows"), "empty")
    _refuse_hidden_rows(request, rows)
    return rows


def _sheet_rows(
    request: Request, sheet: imports.SheetMapping, media: str, body: bytes, max_rows: int
) -> list[dict[str, Any]]:
    table = imports.read_table(
        media,
        body,
        max_rows=max_rows,
        max_columns=MAX_COLUMNS,
        max_unpacked=MAX_UNPACKED_BYTES,
        within_deadline=_within_deadline,
    )
    if prefers_xlsx(request.headers.get("accept", "")):
        # The cells are kept only for a caller who will read them back as a report.
        upload = imports.Upload.of(sheet, table)
        request.state.refusal_answer = partial(_error_report, upload)
        table = imports.Table(upload.header, iter(upload.cells))
    return imports.apply(sheet, table).rows


def prefers_xlsx(accept: str) -> bool:
    """Whether an `Accept` header asks for XLSX at least as much as for any JSON (RFC 9110
    12.5.1 weights; a missing weight is 1)."""
    best_xlsx, best_json = 0.0, 0.0
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        weight = 1.0
        for param in params:
            name, _sep, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        media = media.lower()
        if media == XLSX:
            best_xlsx = max(best_xlsx, weight)
        elif media in {"application/json", PROBLEM_JSON, "application/*", "*/*"}:
            best_json = max(best_json, weight)
    return best_xlsx > 0 and best_xlsx >= best_json


def _error_report(upload: imports.Upload, refusal: InvalidInput) -> Response:
    """The 422 of a refused sheet as its error report workbook (行号 / 字段 / 问题 / 规则)."""
    lines = upload.data_lines()
    problems = []
    for error in refusal.errors:
        index, _dot, key = error.field.partition("].")
        line = 1
        if index.startswith("rows[") and index[5:].isdigit() and int(index[5:]) <= len(lines):
            line = lines[int(index[5:]) - 1]
        column = upload.mapping.column(key) if key else None
        problems.append(
            imports.RowProblem(
                line=line,
                field=column.header if column else key or error.field,
                message=error.message,
                rule=error.code if _RULE_ID.match(error.code) else "",
            )
        )
    content = imports.error_report_xlsx(upload.header, upload.cells, problems)
    return attachment(content, XLSX, f"{upload.mapping.title}-问题清单.xlsx", status=422)


def _refuse_hidden_rows(request: Request, rows: Iterable[Mapping[str, object]]) -> None:
    # Every format's rows are checked against the JSON rows' schema; numbered from 1, as the
    # import's answer numbers them.
    schema, schemas = json_body_schema(request)
    row = schema.get("items") if schema else None
    refuse_hidden_text(
        [
            f
            for n, r in enumerate(rows, 1)
            for f in hidden_text_fields(r, row, schemas, f"rows[{n}]")
        ]
    )


def _within_deadline(index: int) -> None:
    # Parsing is Python work between two statements: it looks at the deadline itself.
    if index % _CHECK_EVERY == 0 and past_deadline():
        deadline = DEADLINE.get()
        raise RequestTimeout(deadline[1] if deadline else 0)


def _json_rows(body: bytes) -> list[dict[str, Any]]:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise InvalidInput.one("body", _("malformed JSON"), "json_invalid") from exc
    if isinstance(data, dict):
        data = data.get("rows")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise InvalidInput.one("body", _('a JSON array of objects, or {"rows": [...]}'), "type")
    return data


#: Row models of bulk endpoints; their schemas are added to the spec's components.
ROW_MODELS: list[type[BaseModel]] = []


def bulk_openapi(row_model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` declaring the three accepted bodies of a bulk endpoint."""
    if row_model not in ROW_MODELS:
        ROW_MODELS.append(row_model)
    ref = {"$ref": f"#/components/schemas/{row_model.__name__}"}
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"type": "array", "items": ref, "minItems": 1}},
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            },
        },
        "responses": {
            "422": {
                "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    }


def add_row_schemas(spec: dict[str, Any]) -> dict[str, Any]:
    """Put the bulk row models (and what they reference) into the spec's components."""
    if ROW_MODELS:
        _, defs = models_json_schema(
            [(m, "validation") for m in ROW_MODELS], ref_template="#/components/schemas/{model}"
        )
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        for name, schema in defs.get("$defs", {}).items():
            schemas.setdefault(name, schema)
    return spec
