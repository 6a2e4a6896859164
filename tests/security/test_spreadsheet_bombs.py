"""Hole 2 of the second security round: a 1.5 KB XLSX declaring `<dimension ref="A1:XFD2000"/>`
kept the server busy for seconds, on the event loop. An import's workbook is now read in a worker
thread, its unpacked size bounded before it is opened, its declared size ignored, its header no
wider than MAX_COLUMNS and its rows no more than the import takes, within the deadline."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from app import imports
from app.db import DEADLINE
from app.errors import PayloadTooLarge, RequestTimeout
from app.routers.bulk import MAX_COLUMNS, MAX_UNPACKED_BYTES, _within_deadline
from app.spreadsheets import XLSX
from tests.conftest import Actor, assert_problem


def _xlsx_rows(
    body: bytes, max_rows: int, max_unpacked: int = MAX_UNPACKED_BYTES
) -> list[list[object]]:
    # What the imports read of a workbook, as `app.routers.bulk.read_rows` reads it.
    table = imports.read_table(
        XLSX,
        body,
        max_rows=max_rows,
        max_columns=MAX_COLUMNS,
        max_unpacked=max_unpacked,
        within_deadline=_within_deadline,
    )
    return [cells for _line, cells in table.rows]


def _workbook(rows: int, *, dimension: str | None = None, padding: int = 0) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "mobile", "township_code", "source_group", "app_account_id"])
    for n in range(rows):
        sheet.append([f"员{n}", f"137{n:08d}", "150402001", "farmer_herder", f"kp{n}"])
    raw = io.BytesIO()
    book.save(raw)
    source = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if dimension and item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb'<dimension ref="[^"]*" ?/>', f'<dimension ref="{dimension}"/>'.encode(), data
                )
            target.writestr(item, data)
        if padding:
            target.writestr("xl/padding.bin", b"\0" * padding)
    return out.getvalue()


def test_hole_2_a_declared_size_of_16384_columns_costs_nothing_beyond_the_header() -> None:
    rows = _xlsx_rows(_workbook(2000, dimension="A1:XFD2001"), 20_000)
    assert len(rows) == 2000
    assert {len(r) for r in rows} == {5}


def test_hole_2_a_declared_size_too_small_loses_no_row() -> None:
    assert len(_xlsx_rows(_workbook(50, dimension="A1:A1"), 20_000)) == 50


def test_hole_2_no_more_rows_are_read_than_one_over_what_the_import_takes() -> None:
    assert len(_xlsx_rows(_workbook(300), 100)) == 101


def test_hole_2_a_workbook_unpacking_past_the_bound_is_a_413_before_it_is_opened() -> None:
    with pytest.raises(PayloadTooLarge):
        _xlsx_rows(_workbook(1, padding=2 * 1_048_576), 100, max_unpacked=1_048_576)


def test_hole_2_parsing_stops_at_the_request_deadline() -> None:
    token = DEADLINE.set((time.monotonic() - 1, 0.5))
    try:
        with pytest.raises(RequestTimeout):
            _xlsx_rows(_workbook(10), 100)
    finally:
        DEADLINE.reset(token)


def test_hole_2_the_bomb_sent_to_the_import_is_answered_with_the_rows_it_holds(
    client: TestClient, city_admin: Actor
) -> None:
    bomb = _workbook(1, dimension="A1:XFD2000")
    response = client.post(
        "/api/v1/officers:bulk", content=bomb, headers={**city_admin.headers, "Content-Type": XLSX}
    )
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert response.json()["total"] == 1
    else:
        fields = {e["field"] for e in assert_problem(response, 422)["errors"]}
        assert all(f.startswith("rows[1].") for f in fields), fields
