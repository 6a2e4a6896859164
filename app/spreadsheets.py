"""The spreadsheet files the service writes (ledgers, scorecards, reports, list exports): XLSX
and CSV that county staff open in Excel or WPS, written as they are read, whatever their length,
in bounded memory.

A sheet is a title and column headers, both English templates rendered in the reader's
language (Chinese unless the request prefers English, app.i18n), and rows, which may read the
database as they go: the file is written into a spooled temporary file (memory up to
`SPOOL_BYTES`, then disk) while the request's unit of work is open, and the answer streams it
from there. Text is written as text: a name such as `=HYPERLINK(...)` never becomes a formula in
an XLSX, a CSV cell that a spreadsheet program would evaluate starts with an apostrophe, and
characters a workbook cannot hold never fail the download.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import IO, Any, Protocol

from app.domain.common import MessageParam
from app.i18n import Locale, current, translate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


class FileFormat(StrEnum):
    """The file to produce: an XLSX workbook or a CSV (UTF-8 with BOM)."""

    XLSX = "xlsx"
    CSV = "csv"

    @property
    def media_type(self) -> str:
        """The file's media type."""
        return XLSX if self is FileFormat.XLSX else CSV


#: A value of a cell: text, a number, a date, or nothing.
Cell = str | int | float | Decimal | date | None
#: What a file holds in memory before it moves to disk.
SPOOL_BYTES = 4 * 1024 * 1024
#: The size of each piece of a file sent, and of the CSV text gathered before it is written.
CHUNK_BYTES = 64 * 1024
# What XML 1.0, and so an XLSX, cannot hold: C0 controls but tab, newline and return.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A cell whose text starts so is read as a formula by Excel, WPS and LibreOffice (OWASP, CSV
# injection); a leading apostrophe makes them show it as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text that openpyxl would not store as text by itself: a formula, or an error value.
_NOT_PLAIN = ("=", "#")
# Characters a sheet name may not hold (Excel's rule), and its longest length.
_SHEET_NAME = re.compile(r"[\\/?*\[\]:]")
_SHEET_NAME_LENGTH = 31


class Header(Protocol):
    """A column: its header template (filled in with `params`), and whether its values are
    fractions printed as a percentage."""

    @property
    def header(self) -> str: ...
    @property
    def params(self) -> Mapping[str, MessageParam]: ...
    @property
    def rate(self) -> bool: ...


class Tabular(Protocol):
    """A sheet: its title template (filled in with `title_params`), columns and rows."""

    @property
    def title(self) -> str: ...
    @property
    def title_params(self) -> Mapping[str, MessageParam]: ...
    @property
    def columns(self) -> Sequence[Header]: ...
    @property
    def rows(self) -> Iterable[Sequence[Cell]]: ...


@dataclass(frozen=True)
class Column:
    """A column of a `Sheet` (see `Header`)."""

    header: str
    params: Mapping[str, MessageParam] = field(default_factory=dict)
    rate: bool = False


@dataclass(frozen=True)
class Sheet:
    """One sheet, its rows read once (see `Tabular`)."""

    title: str
    columns: Sequence[Header]
    rows: Iterable[Sequence[Cell]]
    title_params: Mapping[str, MessageParam] = field(default_factory=dict)

    @classmethod
    def of(cls, title: str, headers: Iterable[str], rows: Iterable[Sequence[Cell]]) -> Sheet:
        """A sheet whose columns are plain header templates."""
        return cls(title, tuple(Column(h) for h in headers), rows)


@dataclass(frozen=True)
class Export:
    """A file for people: its heading (rendered; the file's name and each printed page's
    header) and its sheets."""

    heading: str
    sheets: Sequence[Tabular]


def storable(text: str) -> str:
    """The text without the control characters a workbook cannot hold."""
    return _ILLEGAL.sub("", text)


def inert(text: str) -> str:
    """Text that a spreadsheet program shows and never evaluates, for a CSV cell."""
    text = storable(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def text(template: str, **params: Any) -> str:
    """A template of a header, title or cell in the request's language."""
    return translate(current(), template, **params)


def _filled(locale: Locale, template: str, params: Mapping[str, MessageParam]) -> str:
    # As `translate` fills a template in; its parameters are a name's, never `context`.
    rendered = translate(locale, template)
    return rendered.format_map(params) if params else rendered


def sheet_title(sheet: Tabular, locale: Locale | None = None) -> str:
    """The sheet's title in `locale` (the current language by default)."""
    return _filled(locale or current(), sheet.title, sheet.title_params)


def sheet_headers(sheet: Tabular, locale: Locale | None = None) -> tuple[str, ...]:
    """The sheet's column headers in `locale` (the current language by default)."""
    locale = locale or current()
    return tuple(_filled(locale, c.header, c.params) for c in sheet.columns)


def _sheet_name(title: str) -> str:
    return _SHEET_NAME.sub("", storable(title))[:_SHEET_NAME_LENGTH] or "Sheet"


def write_xlsx(export: Export, out: IO[bytes], locale: Locale | None = None) -> None:
    """Write the export as an XLSX (openpyxl's write-only workbook): a bold header row, frozen
    and repeated on every printed page; each row written as it comes; text cells typed as text,
    never a formula; a rate column as a percentage, a date as yyyy-mm-dd."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    locale = locale or current()
    book = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(ws: Any, value: str) -> Any:
        made = WriteOnlyCell(ws, value=storable(value))
        made.data_type = "s"
        made.font = bold
        return made

    def cell(ws: Any, value: Cell, rate: bool) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, Decimal):
            value = float(value)
        if isinstance(value, date):
            made = WriteOnlyCell(ws, value=value)
            made.number_format = "yyyy-mm-dd"
            return made
        if not isinstance(value, str):
            if rate and isinstance(value, float):
                made = WriteOnlyCell(ws, value=value)
                made.number_format = "0.0%"
                return made
            # Numbers go as they are, without a cell object each.
            return value
        plain = storable(value)
        if not plain.startswith(_NOT_PLAIN):
            return plain
        # openpyxl takes "=…" for a formula and "#N/A" for an error; the type says it is text.
        made = WriteOnlyCell(ws, value=plain)
        made.data_type = "s"
        return made

    for sheet in export.sheets:
        title = sheet_title(sheet, locale)
        rates = [c.rate for c in sheet.columns]
        ws = book.create_sheet(_sheet_name(title))
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.oddHeader.center.text = storable(f"{export.heading} — {title}")
        ws.append([header(ws, h) for h in sheet_headers(sheet, locale)])
        for row in sheet.rows:
            ws.append([cell(ws, v, i < len(rates) and rates[i]) for i, v in enumerate(row)])
    book.save(out)


def _csv_value(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, str):
        return inert(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def csv_lines(export: Export, locale: Locale | None = None) -> Iterator[bytes]:
    """The export as CSV, UTF-8 with a BOM (spreadsheet programs then read it as UTF-8), in
    pieces of about `CHUNK_BYTES`; every text cell inert. Several sheets each open with their
    title, a blank line between them."""
    locale = locale or current()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    titled = len(export.sheets) > 1
    for index, sheet in enumerate(export.sheets):
        if titled:
            if index:
                writer.writerow([])
            writer.writerow([inert(sheet_title(sheet, locale))])
        writer.writerow([inert(h) for h in sheet_headers(sheet, locale)])
        for row in sheet.rows:
            writer.writerow([_csv_value(v) for v in row])
            if buffer.tell() >= CHUNK_BYTES:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def spooled(export: Export, format: FileFormat) -> IO[bytes]:
    """The export as a file of `format` in a spooled temporary file, rewound."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - handed on open
    try:
        if format is FileFormat.XLSX:
            write_xlsx(export, out)
        else:
            for piece in csv_lines(export):
                out.write(piece)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def size_of(file: IO[bytes]) -> int:
    """The length of a rewound file, leaving it rewound."""
    end = file.seek(0, io.SEEK_END)
    file.seek(0)
    return end


def pieces(file: IO[bytes]) -> Iterator[bytes]:
    """The file in pieces of `CHUNK_BYTES`, closed once read (or abandoned)."""
    try:
        while piece := file.read(CHUNK_BYTES):
            yield piece
    finally:
        file.close()
