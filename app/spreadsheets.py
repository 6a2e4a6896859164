"""The spreadsheet files the service writes (ledgers, scorecards): XLSX and CSV that county
staff open in Excel or WPS. Text is written as text: a name such as `=HYPERLINK(...)` never
becomes a formula, and characters a workbook cannot hold never fail the download."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from app.domain.officers import LedgerSheet

# What XML 1.0, and so an XLSX, cannot hold: C0 controls but tab, newline and return.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A cell whose text starts so is read as a formula by Excel, WPS and LibreOffice (OWASP, CSV
# injection); a leading apostrophe makes them show it as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def storable(text: str) -> str:
    """The text without the control characters a workbook cannot hold."""
    return _ILLEGAL.sub("", text)


def inert(text: str) -> str:
    """Text that a spreadsheet program shows and never evaluates, for a CSV cell."""
    text = storable(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def xlsx_file(sheets: Sequence[LedgerSheet], *, heading: str) -> bytes:
    """An XLSX with one sheet per section: headers on row 1, repeated on every printed page;
    every text cell typed as text, so nothing in it is a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(storable(sheet.title)[:31] or "Sheet")
        for row in [sheet.headers, *sheet.rows]:
            ws.append([storable(v) if isinstance(v, str) else v for v in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for column, header in enumerate(sheet.headers, start=1):
            fmt = "0.0%" if header.endswith("率") else None
            for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif fmt and isinstance(cell.value, float):
                    cell.number_format = fmt
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.oddHeader.center.text = storable(f"{heading} — {sheet.title}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    return inert(value) if isinstance(value, str) else value


def csv_file(sheets: Sequence[LedgerSheet], *, titled: bool) -> bytes:
    """CSV (UTF-8 with BOM, for spreadsheet programs), every text cell inert; several sheets
    each open with their title."""
    out = io.StringIO()
    writer = csv.writer(out)
    for index, sheet in enumerate(sheets):
        if titled:
            if index:
                writer.writerow([])
            writer.writerow([inert(sheet.title)])
        writer.writerow([inert(h) for h in sheet.headers])
        writer.writerows([_csv_cell(v) for v in row] for row in sheet.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
