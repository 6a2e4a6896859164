"""Reading a clerk's spreadsheet (app.imports): header matching, cells as the JSON row holds
them, the encodings and quirks of Excel and WPS, the template and the error report."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from app.errors import InvalidInput, UnsupportedMediaType
from app.imports import (
    XLSX,
    ColumnKind,
    RowProblem,
    apply,
    error_report_xlsx,
    mappings,
    read_cell,
    read_table,
    template_xlsx,
)


def _table(media: str, body: bytes) -> Any:
    return read_table(
        media,
        body,
        max_rows=1000,
        max_columns=64,
        max_unpacked=64 * 1_048_576,
        within_deadline=lambda _index: None,
    )


def _xlsx(rows: list[list[Any]], merge: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _column(kind: str, key: str) -> Any:
    return next(c for c in mappings()[kind].columns if c.key == key)


FIGURES = ["科普中国App账号", "日期", "渠道", "分享数", "阅读数"]


def test_every_mapping_names_known_enumerations_and_unique_headers() -> None:
    for mapping in mappings().values():
        headers = [c.header for c in mapping.columns]
        assert len(headers) == len(set(headers)), mapping.kind
        for column in mapping.columns:
            if column.kind is ColumnKind.ENUM:
                assert column.choices, (mapping.kind, column.key)


def test_a_csv_in_utf8_with_bom_without_bom_and_gb18030_reads_the_same_rows() -> None:
    text = "科普中国App账号,日期,渠道,分享数,阅读数\nkpzg-1,2025-03-12,微信群,12,340\n"
    rows = []
    for body in (
        text.encode("utf-8"),
        ("\ufeff" + text).encode("utf-8"),
        text.encode("gb18030"),
    ):
        rows.append(apply(mappings()["officer-disseminations"], _table("text/csv", body)).rows)
    assert rows[0] == rows[1] == rows[2]
    assert rows[0] == [
        {
            "app_account_id": "kpzg-1",
            "date": "2025-03-12",
            "channel": "wechat_group",
            "shares": 12,
            "reads": 340,
        }
    ]


def test_a_file_neither_xlsx_nor_csv_is_refused_as_unsupported() -> None:
    with pytest.raises(UnsupportedMediaType):
        _table("application/pdf", b"%PDF-1.4")


def test_a_damaged_workbook_is_a_422_naming_the_body() -> None:
    with pytest.raises(InvalidInput) as caught:
        _table(XLSX, b"PK\x03\x04 not really a zip")
    assert caught.value.errors[0].code == "xlsx_invalid"


def test_a_sheet_without_the_expected_headers_lists_the_missing_and_the_unknown() -> None:
    table = _table(XLSX, _xlsx([["科普中国App账号", "日期", "备注"], ["kpzg-1", "2025-03-12", ""]]))
    with pytest.raises(InvalidInput) as caught:
        apply(mappings()["officer-disseminations"], table)
    problems = {(e.code, e.message) for e in caught.value.errors}
    assert {code for code, _ in problems} == {"missing_column", "unknown_column"}
    missing = [m for code, m in problems if code == "missing_column"]
    assert len(missing) == 3  # 渠道, 分享数, 阅读数
    assert any("备注" in m for code, m in problems if code == "unknown_column")


def test_a_merged_header_row_is_refused_with_its_cells() -> None:
    body = _xlsx([["姓名", "", "手机号"], ["李明", "", "13800138000"]], merge="A1:B1")
    with pytest.raises(InvalidInput) as caught:
        _table(XLSX, body)
    assert caught.value.errors[0].code == "merged_header"
    assert "A1:B1" in caught.value.errors[0].message


def test_a_merged_cell_below_the_header_is_no_header_problem() -> None:
    body = _xlsx([FIGURES, ["kpzg-1", "2025-03-12", "微信群", 1, 2]], merge="D3:E3")
    assert _table(XLSX, body).header == FIGURES


def test_headers_match_with_a_required_mark_full_width_forms_spaces_or_the_json_key() -> None:
    mapping = mappings()["officer-disseminations"]
    for spelling in (
        "科普中国App账号*",
        "科普中国ＡＰＰ账号",
        " 科普中国App账号（必填）",
        "app_account_id",
    ):
        column = mapping.column(spelling)
        assert column is not None, spelling
        assert column.key == "app_account_id"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (45728, "2025-03-12"),
        (45728.0, "2025-03-12"),
        ("45728", "2025-03-12"),
        (datetime(2025, 3, 12, 0, 0), "2025-03-12"),
        (date(2025, 3, 12), "2025-03-12"),
        ("2025/3/12", "2025-03-12"),
        ("2025.03.12", "2025-03-12"),
        ("2025年3月12日", "2025-03-12"),
        ("２０２５－０３－１２", "2025-03-12"),
    ],
)
def test_dates_as_excel_serial_numbers_or_chinese_text_are_converted(
    cell: Any, expected: str
) -> None:
    assert read_cell(_column("officer-disseminations", "date"), cell) == (expected, None)


def test_excel_serial_61_is_1900_03_01_as_excel_counts() -> None:
    # Excel's day 60 is the 29 February 1900 that never was; from day 61 the calendar is true.
    assert read_cell(_column("officer-disseminations", "date"), 61) == ("1900-03-01", None)


def test_an_impossible_date_is_a_cell_problem() -> None:
    value, problem = read_cell(_column("officer-disseminations", "date"), "2025-02-30")
    assert value is None
    assert problem is not None
    assert problem[0] == "date_parsing"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("１２", 12), ("12", 12), (12.0, 12), ("1,234", 1234), ("12.0", 12), ("０", 0)],
)
def test_full_width_and_grouped_digits_in_numbers_are_normalised(cell: Any, expected: int) -> None:
    assert read_cell(_column("officer-disseminations", "shares"), cell) == (expected, None)


@pytest.mark.parametrize("cell", ["12.5", "1,23", "十二", 12.5, True])
def test_an_ambiguous_number_is_a_cell_problem(cell: Any) -> None:
    assert read_cell(_column("officer-disseminations", "shares"), cell)[1] is not None


def test_full_width_digits_in_an_id_number_are_refused() -> None:
    column = _column("volunteers", "id_number")
    value, problem = read_cell(column, "１５０４０２１９９００１０１１２３４")
    assert value is None
    assert problem is not None
    assert problem[0] == "full_width"


def test_an_id_number_stored_as_a_number_is_refused_as_having_lost_digits() -> None:
    problem = read_cell(_column("volunteers", "id_number"), 150402199001011234)[1]
    assert problem is not None
    assert problem[0] == "id_number_as_number"


def test_enumerations_take_their_chinese_label_or_their_code() -> None:
    column = _column("officer-disseminations", "channel")
    assert read_cell(column, "微信群") == ("wechat_group", None)
    assert read_cell(column, "wechat_group") == ("wechat_group", None)
    problem = read_cell(column, "抖音")[1]
    assert problem is not None
    assert problem[0] == "enum"


def test_booleans_and_lists_read_as_a_clerk_writes_them() -> None:
    assert read_cell(_column("volunteers", "healthy"), "是") == (True, None)
    assert read_cell(_column("volunteers", "healthy"), "否") == (False, None)
    assert read_cell(_column("volunteers", "skills"), "科普讲解；急救、天文") == (
        ["科普讲解", "急救", "天文"],
        None,
    )


def test_mobile_numbers_typed_as_numbers_read_as_text() -> None:
    assert read_cell(_column("volunteers", "mobile"), 13800138000) == ("13800138000", None)


def test_cell_problems_name_the_sheet_row_and_the_column_and_nothing_is_returned() -> None:
    body = _xlsx(
        [
            FIGURES,
            ["kpzg-1", "2025-03-12", "微信群", 1, 2],
            [None, None, None, None, None],
            ["kpzg-2", "someday", "微信群", "１", "x"],
        ]
    )
    with pytest.raises(InvalidInput) as caught:
        apply(mappings()["officer-disseminations"], _table(XLSX, body))
    fields = sorted(e.field for e in caught.value.errors)
    assert fields == ["rows[2].date", "rows[2].reads"]
    assert all("4" in e.message for e in caught.value.errors)  # sheet row 4


def test_blank_rows_are_skipped_and_each_row_keeps_its_sheet_line() -> None:
    body = _xlsx(
        [
            FIGURES,
            ["kpzg-1", "2025-03-12", "微信群", 1, 2],
            [None] * 5,
            ["kpzg-2", "2025-03-13", "微博", 3, 4],
        ]
    )
    mapped = apply(mappings()["officer-disseminations"], _table(XLSX, body))
    assert mapped.lines == [2, 4]
    assert [r["app_account_id"] for r in mapped.rows] == ["kpzg-1", "kpzg-2"]


def test_the_app_export_mapping_ignores_columns_it_does_not_use() -> None:
    text = "用户ID,姓名,日期,传播渠道,分享次数,阅读次数\nkpzg-1,王芳,2025-03-12,微信群,5,60\n"
    mapped = apply(mappings()["kepu-china-app"], _table("text/csv", text.encode("gb18030")))
    assert mapped.rows == [
        {
            "app_account_id": "kpzg-1",
            "date": "2025-03-12",
            "channel": "wechat_group",
            "shares": 5,
            "reads": 60,
        }
    ]


def test_the_template_has_the_chinese_headers_lists_and_an_instructions_sheet() -> None:
    for mapping in mappings().values():
        if not mapping.template:
            continue
        book = load_workbook(io.BytesIO(template_xlsx(mapping)))
        assert book.sheetnames[0] == "填写"
        assert "填写说明" in book.sheetnames
        sheet = book["填写"]
        header = [c.value for c in sheet[1]]
        assert header == [c.header + ("*" if c.required else "") for c in mapping.columns]
        enums = [c for c in mapping.columns if c.kind in {ColumnKind.ENUM, ColumnKind.BOOLEAN}]
        assert len(sheet.data_validations.dataValidation) == len(enums)


def test_the_example_row_of_every_template_is_in_row_2_and_reads_without_a_problem() -> None:
    for mapping in mappings().values():
        if not mapping.template:
            continue
        mapped = apply(mapping, _table(XLSX, template_xlsx(mapping)))
        assert mapped.lines == [2], mapping.kind
        example = {c.key for c in mapping.columns if c.example}
        assert set(mapped.rows[0]) == example, mapping.kind


def test_an_error_report_keeps_the_rows_and_adds_line_field_problem_rule() -> None:
    report = error_report_xlsx(
        FIGURES,
        [(2, ["kpzg-1", "2025-03-12", "微信群", 1, 2]), (3, ["kpzg-2", "x", "微信群", 1, 2])],
        [RowProblem(line=3, field="日期", message="应为日期", rule="OFF-STAT-1")],
    )
    sheet = load_workbook(io.BytesIO(report)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [*FIGURES, "行号", "字段", "问题", "规则"]
    assert rows[1][5:] == [2, None, None, None]
    assert rows[2][5:] == [3, "日期", "应为日期", "OFF-STAT-1"]


def test_a_corrected_error_report_uploads_again_its_report_columns_ignored() -> None:
    report = error_report_xlsx(
        FIGURES,
        [(2, ["kpzg-1", "2025-03-12", "微信群", 1, 2])],
        [RowProblem(line=2, field="日期", message="应为日期", rule="OFF-STAT-1")],
    )
    mapped = apply(mappings()["officer-disseminations"], _table(XLSX, report))
    assert mapped.rows[0]["app_account_id"] == "kpzg-1"


def test_docs_spreadsheets_lists_every_mapping_and_column() -> None:
    text = (Path(__file__).parent.parent / "docs" / "spreadsheets.md").read_text("utf-8")
    for kind, mapping in mappings().items():
        assert f"### `{kind}` — {mapping.title}" in text
        for column in mapping.columns:
            assert f"| {column.header} | `{column.key}` |" in text, (kind, column.header)
