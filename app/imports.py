"""Spreadsheets a clerk fills in: the column mappings (app/imports.toml, data), the tables read
from XLSX or CSV, the templates to download, and the error report workbook.

An upload is read as a table of cells under a header row, the header is matched to a mapping's
columns, and each cell is turned into what the JSON row of the same import holds: a date from an
Excel serial number, digits from full-width ones, a code from its Chinese label. The rows then go
through the import's one path (validation, idempotency), exactly as JSON rows do. A file whose
header or cells cannot be read so is refused whole, naming every row and column.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from app.domain.officers import (
    CERTIFICATION_LABELS,
    CHANNEL_LABELS,
    OFFICER_STATUS_LABELS,
    SOURCE_GROUP_LABELS,
)
from app.domain.volunteers import ID_TYPE_LABELS
from app.errors import (
    FieldError,
    InvalidInput,
    PayloadTooLarge,
    RequestTimeout,
    UnsupportedMediaType,
)
from app.i18n import _
from app.spreadsheets import XLSX, storable

MAPPINGS = Path(__file__).with_name("imports.toml")
#: The enumerations a mapping may name, by their Chinese labels.
ENUMS: dict[str, Mapping[Any, str]] = {
    "IdType": ID_TYPE_LABELS,
    "SourceGroup": SOURCE_GROUP_LABELS,
    "CertificationStatus": CERTIFICATION_LABELS,
    "OfficerStatus": OFFICER_STATUS_LABELS,
    "Channel": CHANNEL_LABELS,
}
#: The columns an error report adds; an upload of a corrected report ignores them.
REPORT_HEADERS = ("行号", "字段", "问题", "规则")
# Excel's day 0 (its 1900 leap-year bug included: serials from 61 on count from here).
_EXCEL_EPOCH = date(1899, 12, 30)
_TRUE = frozenset({"是", "√", "✓", "y", "yes", "true", "1", "有", "同意"})
_FALSE = frozenset({"否", "×", "✗", "n", "no", "false", "0", "无", "不同意"})
_LIST_SEPARATORS = re.compile(r"[;；、,，\n]")
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+$")
_REQUIRED_MARK = re.compile(r"[*＊]|[（(]必填[)）]")


class ColumnKind(StrEnum):
    """How a cell is read."""

    TEXT = "text"
    ID_NUMBER = "id_number"
    INTEGER = "integer"
    DATE = "date"
    BOOLEAN = "boolean"
    LIST = "list"
    ENUM = "enum"


@dataclass(frozen=True)
class Column:
    """One column of a mapping: the JSON row's `key` under a Chinese `header`."""

    key: str
    header: str
    kind: ColumnKind = ColumnKind.TEXT
    required: bool = False
    enum: str | None = None
    aliases: tuple[str, ...] = ()
    example: str = ""
    note: str = ""

    @property
    def choices(self) -> Mapping[str, str]:
        """An enumeration's codes by their Chinese labels."""
        labels = ENUMS[self.enum] if self.enum else {}
        return {label: str(code) for code, label in labels.items()}


@dataclass(frozen=True)
class SheetMapping:
    """The columns of one kind of upload, and what its template says."""

    kind: str
    title: str
    endpoint: str
    note: str
    columns: tuple[Column, ...]
    template: bool = True
    ignore_unknown: bool = False
    _by_header: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for column in self.columns:
            for spelling in (column.header, column.key, *column.aliases):
                self._by_header[normal_header(spelling)] = column

    def column(self, header: str) -> Column | None:
        """The column a header names (its Chinese header, an alias or the JSON key)."""
        return self._by_header.get(normal_header(header))


def normal_header(text: str) -> str:
    """A header as matched: full-width forms folded, spaces and a required mark dropped."""
    text = unicodedata.normalize("NFKC", text)
    return _REQUIRED_MARK.sub("", re.sub(r"\s+", "", text)).casefold()


@cache
def mappings(path: Path = MAPPINGS) -> dict[str, SheetMapping]:
    """The mappings of a TOML file (the shipped one unless KEPU_IMPORT_MAPPINGS names another)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        kind: SheetMapping(
            kind=kind,
            title=str(spec["title"]),
            endpoint=str(spec["endpoint"]),
            note=str(spec.get("note", "")),
            template=bool(spec.get("template", True)),
            ignore_unknown=bool(spec.get("ignore_unknown", False)),
            columns=tuple(
                Column(
                    key=str(c["key"]),
                    header=str(c["header"]),
                    kind=ColumnKind(c.get("kind", "text")),
                    required=bool(c.get("required", False)),
                    enum=c.get("enum"),
                    aliases=tuple(c.get("aliases", ())),
                    example=str(c.get("example", "")),
                    note=str(c.get("note", "")),
                )
                for c in spec["columns"]
            ),
        )
        for kind, spec in data.items()
    }


# --- reading a table -------------------------------------------------------------------------


@dataclass
class Table:
    """An upload's header and its data rows, each with its row number in the sheet."""

    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]


def read_table(
    media: str,
    body: bytes,
    *,
    max_rows: int,
    max_columns: int,
    max_unpacked: int,
    within_deadline: Callable[[int], None],
) -> Table:
    """The table of an XLSX or CSV upload (UTF-8 with or without a BOM, or GB18030), bounded in
    rows, columns and unpacked size; 415 for any other kind of file, 422 for a damaged one or a
    merged header."""
    if media == "text/csv" or (media != XLSX and not body.startswith(b"PK")):
        if media not in {"text/csv", XLSX}:
            raise UnsupportedMediaType(_("send an XLSX workbook or a CSV file"))
        return _csv_table(body, max_rows, max_columns, within_deadline)
    return _xlsx_table(body, max_rows, max_columns, max_unpacked, within_deadline)


def csv_text(body: bytes) -> str:
    """A CSV body as text: UTF-8 (a BOM dropped), else GB18030 as Excel writes on Chinese
    Windows; 422 when it is neither."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return body.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InvalidInput.one(
            "body", _("a CSV file must be UTF-8 or GB18030 (GBK) text"), "encoding"
        ) from exc


def _csv_table(
    body: bytes, max_rows: int, max_columns: int, within_deadline: Callable[[int], None]
) -> Table:
    reader = csv.reader(io.StringIO(csv_text(body)))
    try:
        header = [h.strip() for h in next(reader, [])][:max_columns]
    except csv.Error as exc:
        raise _malformed_csv(exc) from exc

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for index, cells in enumerate(reader):
                within_deadline(index)
                if index > max_rows:
                    return
                yield index + 2, cells[: len(header)]
        except csv.Error as exc:
            raise _malformed_csv(exc) from exc

    return Table(header=header, rows=rows())


def _malformed_csv(exc: csv.Error) -> InvalidInput:
    return InvalidInput.one("body", _("malformed CSV: {error}", error=str(exc)), "csv_invalid")


def _xlsx_table(
    body: bytes,
    max_rows: int,
    max_columns: int,
    max_unpacked: int,
    within_deadline: Callable[[int], None],
) -> Table:
    from openpyxl import load_workbook

    sheet_xml = _first_sheet_xml(body, max_unpacked)
    merged = _merged_header(sheet_xml)
    if merged:
        raise InvalidInput.one(
            "header",
            _(
                "the header row has merged cells ({cells}): keep one header per column in row 1",
                cells="、".join(merged),
            ),
            "merged_header",
        )
    # openpyxl raises many kinds of error for a damaged file, while opening or while reading.
    try:
        workbook = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # The declared size may lie either way: read the rows as they are.
        sheet.reset_dimensions()
        top = next(sheet.iter_rows(max_row=1, max_col=max_columns, values_only=True), ())
        header = [str(h).strip() if h is not None else "" for h in top]
        while header and not header[-1]:
            header.pop()
        width = max(len(header), 1)
        cells: list[list[Any]] = []
        for index, row in enumerate(
            sheet.iter_rows(min_row=2, max_row=max_rows + 2, max_col=width, values_only=True)
        ):
            within_deadline(index)
            cells.append(list(row))
        workbook.close()
    except (RequestTimeout, InvalidInput):
        raise
    except Exception as exc:
        raise _unreadable() from exc
    return Table(header=header, rows=enumerate(cells, start=2))


def _unreadable() -> InvalidInput:
    return InvalidInput.one("body", _("not a readable XLSX workbook"), "xlsx_invalid")


def _first_sheet_xml(body: bytes, max_unpacked: int) -> bytes:
    """The XML of the workbook's first sheet, after checking what the zip unpacks to."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
            if unpacked > max_unpacked:
                raise PayloadTooLarge(
                    _(
                        "the workbook unpacks to more than {limit} MB",
                        limit=max_unpacked // 1_048_576,
                    )
                )
            sheets = sorted(
                n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)
            )
            return archive.read(sheets[0]) if sheets else b""
    except zipfile.BadZipFile as exc:
        raise _unreadable() from exc


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _merged_header(sheet_xml: bytes) -> list[str]:
    """The merged ranges that touch the header row (row 1)."""
    return [
        f"{a.decode()}{r1.decode()}:{(b or a).decode()}{(r2 or r1).decode()}"
        for a, r1, b, r2 in _MERGE.findall(sheet_xml)
        if int(r1) == 1
    ]


# --- matching the header, reading the cells --------------------------------------------------


@dataclass
class Mapped:
    """The rows of an upload as JSON rows, and the sheet row number of each."""

    rows: list[dict[str, Any]]
    lines: list[int]


def apply(mapping: SheetMapping, table: Table) -> Mapped:
    """The table's rows as the import's JSON rows. 422, with nothing imported, naming every
    missing or unknown header, or every cell that cannot be read (by row and column)."""
    columns = _match_header(mapping, table.header)
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    problems: list[FieldError] = []
    for line, cells in table.rows:
        if _blank_row(columns, cells):
            continue
        row: dict[str, Any] = {}
        for column, cell in zip(columns, cells, strict=False):
            if column is None or _blank(cell):
                continue
            value, problem = read_cell(column, cell)
            if problem is not None:
                field_name = f"rows[{len(rows) + 1}].{column.key}"
                problems.append(
                    FieldError(
                        field=field_name,
                        code=problem[0],
                        message=_(
                            "row {line}, column {header}: {problem}",
                            line=line,
                            header=column.header,
                            problem=problem[1],
                        ),
                    )
                )
            else:
                row[column.key] = value
        rows.append(row)
        lines.append(line)
    if problems:
        raise InvalidInput(
            problems,
            detail=_("{count} cells cannot be read; nothing was imported", count=len(problems)),
        )
    return Mapped(rows=rows, lines=lines)


def _match_header(mapping: SheetMapping, header: Sequence[str]) -> list[Column | None]:
    columns: list[Column | None] = []
    unknown: list[str] = []
    for text in header:
        if not text or text in REPORT_HEADERS:
            columns.append(None)
            continue
        column = mapping.column(text)
        columns.append(column)
        if column is None and not mapping.ignore_unknown:
            unknown.append(text)
    present = {c.key for c in columns if c is not None}
    missing = [c.header for c in mapping.columns if c.required and c.key not in present]
    errors = [
        FieldError(
            field="header",
            code="missing_column",
            message=_("the required column {header} is missing", header=name),
        )
        for name in missing
    ] + [
        FieldError(
            field="header",
            code="unknown_column",
            message=_("the column {header} is not part of this import", header=name),
        )
        for name in unknown
    ]
    if errors:
        raise InvalidInput(
            errors,
            detail=_(
                "the header does not match the template {title}: missing {missing}; unknown "
                "{unknown}",
                title=mapping.title,
                missing="、".join(missing) or "—",
                unknown="、".join(unknown) or "—",
            ),
        )
    return columns


def _blank_row(columns: Sequence[Column | None], cells: Sequence[Any]) -> bool:
    # Only the mapped columns count: a row holding nothing but a report's 行号, or a column the
    # mapping ignores, is no row of the import.
    return all(_blank(c) for column, c in zip(columns, cells, strict=False) if column is not None)


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


Problem = tuple[str, str]


def read_cell(column: Column, cell: Any) -> tuple[Any, Problem | None]:
    """A cell as the JSON row holds it, or `(code, message)` of why it cannot be read."""
    return _READERS[column.kind](column, cell)


def _text(column: Column, cell: Any) -> tuple[Any, Problem | None]:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, datetime):
        cell = cell.date()
    if isinstance(cell, date):
        return cell.isoformat(), None
    # Control characters stay, for the import's hidden-character check to name them.
    return str(cell).strip(), None


def _id_number(column: Column, cell: Any) -> tuple[Any, Problem | None]:
    if isinstance(cell, int | float):
        # Excel keeps 15 significant digits: an 18-digit number typed in a number cell has
        # already lost its last three.
        return None, (
            "id_number_as_number",
            _("the ID number was stored as a number and lost digits: format the column as text"),
        )
    text = str(cell).strip()
    if any(unicodedata.east_asian_width(ch) in {"F", "W"} for ch in text):
        return None, (
            "full_width",
            _("the ID number holds full-width characters: type it with half-width digits"),
        )
    return text, None


def _integer(column: Column, cell: Any) -> tuple[Any, Problem | None]:
    if isinstance(cell, bool):
        return None, ("int_type", _("should be a whole number"))
    if isinstance(cell, int):
        return cell, None
    if isinstance(cell, float):
        return (
            (int(cell), None)
            if cell.is_integer()
            else (None, ("int_type", _("should be a whole number")))
        )
    text = unicodedata.normalize("NFKC", str(cell)).strip()
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if re.fullmatch(r"-?\d+", text):
        return int(text), None
    if re.fullmatch(r"-?\d+\.0+", text):
        return int(text.split(".")[0]), None
    return None, ("int_type", _("should be a whole number"))


def excel_date(serial: float) -> date:
    """The day of an Excel serial number (1900 date system, as Excel and WPS write)."""
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def _date(column: Column, cell: Any) -> tuple[Any, Problem | None]:
    if isinstance(cell, datetime):
        return cell.date().isoformat(), None
    if isinstance(cell, date):
        return cell.isoformat(), None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _serial(float(cell))
    text = unicodedata.normalize("NFKC", str(cell)).strip()
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _serial(float(text))
    match = _DATE_TEXT.match(text)
    if match:
        try:
            return date(*(int(g) for g in match.groups())).isoformat(), None
        except ValueError:
            pass
    return None, ("date_parsing", _("should be a date such as 2025-03-12"))


def _serial(serial: float) -> tuple[Any, Problem | None]:
    if 1 <= serial < 2_958_466:  # 1900-01-01 .. 9999-12-31
        return excel_date(serial).isoformat(), None
    return None, ("date_parsing", _("should be a date such as 2025-03-12"))


def _boolean(column: Column, cell: Any) -> tuple[Any, Problem | None]:
    if isinstance(cell, bool):
        return cell, None
    text = unicodedata.normalize("NFKC", str(cell)).strip().casefold()
    if isinstance(cell, int | float):
        text = str(int(cell)) if float(cell).is_integer() else text
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    return None, ("bool_parsing", _("should be 是 or 否"))


def _list(column: Column, cell: Any) -> tuple[Any, Problem | None]:
    return [p.strip() for p in _LIST_SEPARATORS.split(str(cell)) if p.strip()], None


def _enum(column: Column, cell: Any) -> tuple[Any, Problem | None]:
    text = unicodedata.normalize("NFKC", str(cell)).strip()
    choices = column.choices
    by_label = {normal_header(label): code for label, code in choices.items()}
    code = by_label.get(normal_header(text))
    if code is not None:
        return code, None
    if text in choices.values():
        return text, None
    return None, (
        "enum",
        _("should be one of {choices}", choices="、".join(choices)),
    )


_READERS: dict[ColumnKind, Callable[[Column, Any], tuple[Any, Problem | None]]] = {
    ColumnKind.TEXT: _text,
    ColumnKind.ID_NUMBER: _id_number,
    ColumnKind.INTEGER: _integer,
    ColumnKind.DATE: _date,
    ColumnKind.BOOLEAN: _boolean,
    ColumnKind.LIST: _list,
    ColumnKind.ENUM: _enum,
}


# --- the template and the error report --------------------------------------------------------


def template_xlsx(mapping: SheetMapping) -> bytes:
    """The workbook a clerk fills in: the header in row 1 (required columns marked *), an
    example row, drop-down lists for enumerations and 是/否 columns, text format for ID numbers
    and codes, and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "填写"
    sheet.append([c.header + ("*" if c.required else "") for c in mapping.columns])
    required = PatternFill("solid", fgColor="FFF2CC")
    for cell, column in zip(sheet[1], mapping.columns, strict=True):
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = required
    lists = book.create_sheet("选项")
    list_column = 0
    for index, column in enumerate(mapping.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, 2 * len(column.header) + 4)
        if column.kind in {ColumnKind.TEXT, ColumnKind.ID_NUMBER, ColumnKind.LIST}:
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
        options = (
            list(column.choices)
            if column.kind is ColumnKind.ENUM
            else ["是", "否"]
            if column.kind is ColumnKind.BOOLEAN
            else []
        )
        if options:
            # A list in a sheet of its own: Excel limits an inline list to 255 characters.
            list_column += 1
            target = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=column.header)
            for row, option in enumerate(options, start=2):
                lists.cell(row=row, column=list_column, value=option)
            check = DataValidation(
                type="list",
                formula1=f"=选项!${target}$2:${target}${len(options) + 1}",
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle="请从列表中选择",
                error=f"{column.header}：请从下拉列表中选择",
            )
            check.add(f"{letter}2:{letter}1001")
            sheet.add_data_validation(check)
    if any(c.example for c in mapping.columns):
        for index, column in enumerate(mapping.columns, start=1):
            cell = sheet.cell(row=2, column=index, value=column.example or None)
            cell.font = Font(italic=True, color="808080")
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("填写说明")
    guide.append([mapping.title])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append([mapping.note])
    guide.append(["上传到：" + mapping.endpoint])
    guide.append(
        ["第 1 行是表头，请勿修改或合并；带 * 的列必填；第 2 行是示例，上传前请删除或覆盖。"]
    )
    guide.append(["日期可写成 2025-03-12、2025/3/12 或 2025年3月12日，Excel 日期格式也可以。"])
    guide.append([])
    guide.append(["列名", "必填", "填写要求", "示例"])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for column in mapping.columns:
        guide.append(
            [column.header, "是" if column.required else "否", _guide(column), column.example]
        )
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["C"].width = 60
    guide.column_dimensions["D"].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _guide(column: Column) -> str:
    kinds = {
        ColumnKind.TEXT: "文字",
        ColumnKind.ID_NUMBER: "文字格式的证件号码，半角字符",
        ColumnKind.INTEGER: "整数",
        ColumnKind.DATE: "日期",
        ColumnKind.BOOLEAN: "是 或 否",
        ColumnKind.LIST: "多项用；分隔",
        ColumnKind.ENUM: "从下拉列表选择：" + "、".join(column.choices),
    }
    return "；".join(p for p in (kinds[column.kind], column.note) if p)


@dataclass(frozen=True)
class Upload:
    """A sheet as uploaded, kept for its error report: the mapping it was read with, its header,
    and its rows (sheet row number and cells)."""

    mapping: SheetMapping
    header: list[str]
    cells: list[tuple[int, list[Any]]]

    @classmethod
    def of(cls, mapping: SheetMapping, table: Table) -> Upload:
        """The table's rows that `apply` reads (blank rows left out, as it leaves them out)."""
        columns = [
            mapping.column(h) if h and h not in REPORT_HEADERS else None for h in table.header
        ]
        rows = [(line, cells) for line, cells in table.rows if not _blank_row(columns, cells)]
        return cls(mapping, table.header, rows)

    def data_lines(self) -> list[int]:
        """The sheet row number of each import row (`rows[1]` is the first)."""
        return [line for line, _cells in self.cells]


@dataclass(frozen=True)
class RowProblem:
    """One problem of one uploaded row, for the error report."""

    line: int
    field: str
    message: str
    rule: str


def error_report_xlsx(
    header: Sequence[str], rows: Iterable[tuple[int, Sequence[Any]]], problems: Sequence[RowProblem]
) -> bytes:
    """The uploaded rows with 行号 / 字段 / 问题 / 规则 columns at the right, the problem rows
    highlighted: a clerk corrects the cells and uploads the same file again (the four columns
    are ignored then)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import PatternFill

    by_line: dict[int, list[RowProblem]] = {}
    for problem in problems:
        by_line.setdefault(problem.line, []).append(problem)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("问题")
    sheet.append([storable(h) for h in header] + list(REPORT_HEADERS))
    highlight = PatternFill("solid", fgColor="F8CBAD")

    for line, cells in rows:
        found = by_line.pop(line, [])
        values = [storable(v) if isinstance(v, str) else v for v in cells]
        values += [""] * (len(header) - len(values))
        extra = (
            [
                line,
                "、".join(dict.fromkeys(p.field for p in found)),
                "\n".join(p.message for p in found),
                "、".join(dict.fromkeys(p.rule for p in found if p.rule)),
            ]
            if found
            else [line, None, None, None]
        )
        out = []
        for value in [*values, *extra]:
            cell = WriteOnlyCell(sheet, value=value)
            if found:
                cell.fill = highlight
            out.append(cell)
        sheet.append(out)
    # Problems of no row (the header) come last.
    for line, found in sorted(by_line.items()):
        sheet.append(
            [""] * len(header)
            + [line, "、".join(p.field for p in found), "\n".join(p.message for p in found), ""]
        )
    out_bytes = io.BytesIO()
    book.save(out_bytes)
    return out_bytes.getvalue()
