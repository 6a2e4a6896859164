"""Bulk imports (volunteers, officers, dissemination figures): JSON, CSV or XLSX in; per-row
results out; all-or-nothing by default or `mode=partial`."""

from __future__ import annotations

import csv
import gc
import io
import json
import re
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Query, Request
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from starlette.concurrency import run_in_threadpool

from app.db import DEADLINE, past_deadline
from app.domain.common import hidden_text_fields
from app.errors import (
    FieldError,
    InvalidInput,
    PayloadTooLarge,
    RequestTimeout,
    UnsupportedMediaType,
    refuse_hidden_text,
)
from app.i18n import _
from app.routers.route import MAYBE_HIDDEN, json_body_schema

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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


async def read_rows(request: Request, *, max_rows: int) -> list[dict[str, Any]]:
    """Rows of a JSON array (or `{"rows": [...]}`), a UTF-8 CSV with a header, or an XLSX sheet,
    parsed in a worker thread (never on the event loop), bounded by rows, columns and unpacked
    size before the work grows with them, and within the request's deadline."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in MEDIA_TYPES:
        raise UnsupportedMediaType(_("send one of {types}", types=", ".join(MEDIA_TYPES)))
    body = await request.body()
    rows = await run_in_threadpool(_parse, media, body, max_rows)
    if len(rows) > max_rows:
        raise InvalidInput.one(
            "rows", _("at most {max_rows} rows per request", max_rows=max_rows), "too_many_rows"
        )
    if not rows:
        raise InvalidInput.one("rows", _("no rows"), "empty")
    _refuse_hidden_rows(request, rows)
    return rows


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


#: Raw control characters a CSV may carry (a JSON body cannot hold them unescaped).
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_hidden_csv(
    request: Request, body: bytes, rows: Callable[[bytes], Iterable[Mapping[str, object]]]
) -> None:
    """`read_rows`'s hidden-character check for a CSV streamed rather than read whole: only a
    body that may hold such a character is parsed (with `rows`) to name every field."""
    if MAYBE_HIDDEN.search(body) or _CONTROL.search(body):
        _refuse_hidden_rows(request, rows(body))


def _parse(media: str, body: bytes, max_rows: int) -> list[dict[str, Any]]:
    if media == "application/json":
        return _json_rows(body)
    if media == "text/csv":
        return _csv_rows(body, max_rows)
    return _xlsx_rows(body, max_rows)


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


def csv_text(body: bytes) -> str:
    """A CSV body as text: UTF-8, a byte-order mark dropped (422 otherwise)."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput.one("body", _("CSV must be UTF-8"), "encoding") from exc


def _csv_rows(body: bytes, max_rows: int) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(csv_text(body)))
    rows: list[dict[str, Any]] = []
    try:
        for index, row in enumerate(reader):
            _within_deadline(index)
            rows.append(
                {k.strip(): (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k}
            )
            if len(rows) > max_rows:
                break
    except csv.Error as exc:
        error = str(exc)
        raise InvalidInput.one(
            "body", _("malformed CSV: {error}", error=error), "csv_invalid"
        ) from exc
    return rows


def _xlsx_rows(body: bytes, max_rows: int) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    _check_unpacked_size(body)
    # openpyxl raises many kinds of error for a damaged file, while opening or while reading.
    try:
        workbook = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # The declared size (`<dimension ref="A1:XFD2000"/>`) may lie either way: the rows
            # are read as they are, the header no wider than MAX_COLUMNS and each row no wider
            # than the header, at most one row more than an import takes.
            sheet.reset_dimensions()
            top = next(sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS, values_only=True), ())
            header = [str(h).strip() if h is not None else "" for h in top]
            while header and not header[-1]:
                header.pop()
            rows: list[dict[str, Any]] = []
            cells = sheet.iter_rows(
                min_row=2, max_row=max_rows + 2, max_col=max(len(header), 1), values_only=True
            )
            for index, row in enumerate(cells):
                _within_deadline(index)
                if any(v is not None for v in row):
                    rows.append({h: v for h, v in zip(header, row, strict=False) if h})
            return rows
        finally:
            workbook.close()
    except (InvalidInput, RequestTimeout):
        raise
    except Exception as exc:
        raise InvalidInput.one("body", _("not a readable XLSX workbook"), "xlsx_invalid") from exc


def _check_unpacked_size(body: bytes) -> None:
    """413 for a workbook that unpacks to more than MAX_UNPACKED_BYTES (as its zip declares)."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise InvalidInput.one("body", _("not a readable XLSX workbook"), "xlsx_invalid") from exc
    if unpacked > MAX_UNPACKED_BYTES:
        limit = MAX_UNPACKED_BYTES // 1_048_576
        raise PayloadTooLarge(_("the workbook unpacks to more than {limit} MB", limit=limit))


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
        }
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
