"""Spreadsheet imports through the API, as a clerk makes them (issue 15; VOL-REG-2, OFF-REG-1,
OFF-STAT-1, BASE-OPEN-4): download the template, fill it with openpyxl, upload it, get the rows;
a broken copy gives the error report workbook whose 行号 point at the broken rows, and nothing
is imported. The readers' cell-by-cell cases are in tests/test_imports.py."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlmodel import Session, func, select

from app.repositories.bases import MonthlyStatRow
from app.repositories.officers import OfficerRow
from app.repositories.officers_figures import DisseminationRow
from app.repositories.volunteers import VolunteerRow
from app.spreadsheets import XLSX
from tests.api.test_bases_api import make_base
from tests.api.test_volunteers_gate import id_number, make_org
from tests.conftest import Actor, assert_problem

API = "/api/v1"


def count(db: Session, model: Any) -> int:
    return int(db.exec(select(func.count()).select_from(model)).one())


def filled_template(client: TestClient, who: Actor, kind: str, rows: list[list[Any]]) -> bytes:
    """The downloaded template with its example row replaced by `rows`, as a clerk saves it."""
    response = client.get(f"{API}/templates/{kind}.xlsx", headers=who.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["填写"]
    # Typed over the example row and on: the template's formatted rows are blank, not used.
    for line, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=line, column=column).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(
    client: TestClient, who: Actor, path: str, body: bytes, *, accept: str | None = None, **q: str
) -> Any:
    headers = {**who.headers, "Content-Type": XLSX}
    if accept:
        headers["Accept"] = accept
    return client.post(f"{API}{path}", params=q, content=body, headers=headers)


def report_rows(response: Any) -> list[dict[str, Any]]:
    """The rows of an error report workbook, by header."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == XLSX
    assert "attachment" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = [[c.value for c in row] for row in sheet.iter_rows()]
    # The uploaded header as it was: required columns keep the template's mark.
    names = [str(h).rstrip("*") for h in header]
    return [dict(zip(names, row, strict=True)) for row in rows]


@pytest.fixture
def townships(client: TestClient, city_admin: Actor) -> None:
    for code in ("150402001", "150402002"):
        body = {"code": code, "name": f"镇{code[-3:]}", "parent_code": "150402"}
        assert client.post(f"{API}/regions", json=body, headers=city_admin.headers).is_success


def volunteer_cells(seq: int, **changes: Any) -> list[Any]:
    """A row of the volunteers template in its column order, as a clerk types it."""
    cells = {
        "姓名": f"志愿者{seq}",
        "证件类型": "居民身份证",
        "证件号码": id_number("19900517", seq),
        "出生日期": None,
        "手机号": f"139{seq:08d}",
        "所在地区代码": "150402",
        "地址": "红山区西屯街道8号",
        "专业特长": "科普讲解；急救",
        "服务对象": "青少年",
        "品行良好": "是",
        "身体健康": "是",
        "遵纪守法": "是",
        "热爱科普": "是",
        "具有完全民事行为能力": "是",
        "监护人姓名": None,
        "监护关系": None,
        "监护人同意日期": None,
    }
    cells.update(changes)
    return list(cells.values())


def test_vol_reg_2_a_filled_volunteers_template_registers_its_rows(
    client: TestClient, city_admin: Actor, db: Session
) -> None:
    org = make_org(client, city_admin)
    body = filled_template(client, city_admin, "volunteers", [volunteer_cells(n) for n in (1, 2)])
    response = upload(client, city_admin, "/volunteers:bulk", body, organization_id=org["id"])
    assert response.status_code == 200, response.text
    assert (response.json()["created"], response.json()["errors"]) == (2, 0)
    names = {
        v["name"]
        for v in client.get(f"{API}/volunteers", headers=city_admin.headers).json()["items"]
    }
    assert names == {"志愿者1", "志愿者2"}
    # The same file again creates nobody twice.
    again = upload(client, city_admin, "/volunteers:bulk", body, organization_id=org["id"])
    assert again.json()["matched_existing"] == 2
    assert count(db, VolunteerRow) == 2


def test_vol_reg_2_a_broken_volunteers_file_gives_a_report_whose_line_numbers_are_the_rows(
    client: TestClient, city_admin: Actor, db: Session
) -> None:
    org = make_org(client, city_admin)
    rows = [
        volunteer_cells(1),
        volunteer_cells(2, 手机号="12345"),
        volunteer_cells(3),
        volunteer_cells(4, 所在地区代码="999999"),
    ]
    body = filled_template(client, city_admin, "volunteers", rows)
    response = upload(
        client, city_admin, "/volunteers:bulk", body, accept=XLSX, organization_id=org["id"]
    )
    report = report_rows(response)
    flagged = {r["行号"]: r for r in report if r["问题"]}
    assert set(flagged) == {3, 5}
    assert flagged[3]["字段"] == "手机号"
    assert "VOL-REG" in (flagged[5]["规则"] or "") or flagged[5]["字段"] == "所在地区代码"
    assert [r["姓名"] for r in report] == ["志愿者1", "志愿者2", "志愿者3", "志愿者4"]
    assert count(db, VolunteerRow) == 0


def test_the_corrected_report_uploads_again_and_imports_every_row(
    client: TestClient, city_admin: Actor, db: Session
) -> None:
    org = make_org(client, city_admin)
    body = filled_template(
        client, city_admin, "volunteers", [volunteer_cells(1), volunteer_cells(2, 手机号="1")]
    )
    response = upload(
        client, city_admin, "/volunteers:bulk", body, accept=XLSX, organization_id=org["id"]
    )
    assert response.status_code == 422
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    sheet.cell(row=3, column=header.index("手机号*") + 1, value="13900000002")
    out = io.BytesIO()
    book.save(out)
    fixed = upload(
        client, city_admin, "/volunteers:bulk", out.getvalue(), organization_id=org["id"]
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["created"] == 2
    assert count(db, VolunteerRow) == 2


def test_without_accept_xlsx_a_refusal_is_problem_json_in_chinese_naming_row_and_column(
    client: TestClient, city_admin: Actor
) -> None:
    org = make_org(client, city_admin)
    body = filled_template(
        client, city_admin, "volunteers", [volunteer_cells(1, 出生日期="1990-02-30")]
    )
    response = upload(client, city_admin, "/volunteers:bulk", body, organization_id=org["id"])
    problem = assert_problem(response, 422)
    (error,) = problem["errors"]
    assert error["field"] == "rows[1].birth_date"
    assert error["code"] == "date_parsing"
    assert "第 2 行" in error["message"]
    assert "出生日期" in error["message"]


def officer_cells(n: int, township: str = "150402001", **changes: Any) -> list[Any]:
    cells = {
        "姓名": f"员{n}",
        "手机号": f"1390000{n:04d}",
        "乡镇（街道）代码": township,
        "村（社区）代码": None,
        "来源群体": "农牧民",
        "科普中国App账号": f"kpzg-{n}",
        "认证状态": "已认证",
        "认证日期": "2026-03-01",
        "登记日期": "2026-02-20",
        "状态": None,
        "退出日期": None,
    }
    cells.update(changes)
    return list(cells.values())


def test_off_reg_1_a_filled_officers_template_registers_its_rows(
    client: TestClient, city_admin: Actor, db: Session, townships: None
) -> None:
    body = filled_template(client, city_admin, "officers", [officer_cells(1), officer_cells(2)])
    response = upload(client, city_admin, "/officers:bulk", body)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 2
    stored = db.exec(select(OfficerRow).order_by(OfficerRow.app_account_id)).all()
    assert [(o.app_account_id, o.source_group) for o in stored] == [
        ("kpzg-1", "farmer_herder"),
        ("kpzg-2", "farmer_herder"),
    ]


def test_off_reg_1_a_broken_officers_file_reports_the_broken_rows(
    client: TestClient, city_admin: Actor, db: Session, townships: None
) -> None:
    rows = [officer_cells(1), officer_cells(2, township="150499001"), officer_cells(3)]
    body = filled_template(client, city_admin, "officers", rows)
    report = report_rows(upload(client, city_admin, "/officers:bulk", body, accept=XLSX))
    assert [r["行号"] for r in report if r["问题"]] == [3]
    assert [r["规则"] for r in report if r["问题"]] == ["OFF-REG-1"]
    assert count(db, OfficerRow) == 0


def figure_cells(n: int, day: Any = "2026-11-01", shares: Any = 3, reads: Any = 40) -> list[Any]:
    return [f"kpzg-{n}", day, "微信群", shares, reads]


def test_off_stat_1_a_filled_figures_template_imports_the_days(
    client: TestClient, city_admin: Actor, db: Session, townships: None
) -> None:
    officers = filled_template(client, city_admin, "officers", [officer_cells(1), officer_cells(2)])
    assert upload(client, city_admin, "/officers:bulk", officers).status_code == 200
    # 46328 is 2026-11-02 as Excel counts days: a date typed where the cell is a number.
    rows = [figure_cells(1), figure_cells(2, day=46328), figure_cells(1, day="2026年11月3日")]
    body = filled_template(client, city_admin, "officer-disseminations", rows)
    response = upload(client, city_admin, "/officer-disseminations:bulk", body)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 3
    days = sorted(str(r.day) for r in db.exec(select(DisseminationRow)).all())
    assert days == ["2026-11-01", "2026-11-02", "2026-11-03"]


def test_off_stat_1_a_broken_figures_file_reports_its_rows_and_imports_nothing(
    client: TestClient, city_admin: Actor, db: Session, townships: None
) -> None:
    officers = filled_template(client, city_admin, "officers", [officer_cells(1)])
    assert upload(client, city_admin, "/officers:bulk", officers).status_code == 200
    rows = [figure_cells(1), figure_cells(9), figure_cells(1, day="2026-11-02", shares="１２")]
    body = filled_template(client, city_admin, "officer-disseminations", rows)
    report = report_rows(
        upload(client, city_admin, "/officer-disseminations:bulk", body, accept=XLSX)
    )
    # Full-width digits in a count are read (row 4); the unknown account of row 3 is refused.
    assert [(r["行号"], r["规则"]) for r in report if r["问题"]] == [(3, "OFF-STAT-1")]
    assert count(db, DisseminationRow) == 0


def test_off_stat_1_the_app_export_in_gb18030_csv_imports_with_its_own_columns(
    client: TestClient, city_admin: Actor, db: Session, townships: None
) -> None:
    officers = filled_template(client, city_admin, "officers", [officer_cells(1)])
    assert upload(client, city_admin, "/officers:bulk", officers).status_code == 200
    export = (
        "用户ID,姓名,日期,传播渠道,分享次数,阅读次数,所属组织\r\n"
        "kpzg-1,员1,2026/11/01,微信群,5,120,红山区科协\r\n"
    ).encode("gb18030")
    response = client.post(
        f"{API}/officer-disseminations:bulk",
        params={"mapping": "kepu-china-app"},
        content=export,
        headers={**city_admin.headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 1
    (row,) = db.exec(select(DisseminationRow)).all()
    assert (row.shares, row.reads) == (5, 120)


def test_the_app_export_under_the_template_mapping_lists_its_missing_and_unknown_columns(
    client: TestClient, city_admin: Actor
) -> None:
    export = "用户ID,日期,传播渠道,分享次数,阅读次数\nkpzg-1,2026-11-01,微信群,5,120\n"
    response = client.post(
        f"{API}/officer-disseminations:bulk",
        content=export.encode(),
        headers={**city_admin.headers, "Content-Type": "text/csv"},
    )
    problem = assert_problem(response, 422)
    codes = {(e["field"], e["code"]) for e in problem["errors"]}
    assert ("header", "missing_column") in codes
    assert ("header", "unknown_column") in codes
    assert "用户ID" in problem["detail"]
    assert "科普中国App账号" in problem["detail"]


def test_base_open_4_a_filled_monthly_stats_template_reports_the_months(
    client: TestClient, city_admin: Actor, db: Session
) -> None:
    base_id = make_base(db, "赤峰市科技馆")
    rows = [[2025, 1, 20, 3000], [2025, 2, 18, 2500], [2025, 3, 22, 4000]]
    body = filled_template(client, city_admin, "base-monthly-stats", rows)
    response = upload(client, city_admin, f"/bases/{base_id}/monthly-stats:bulk", body)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 3
    listed = client.get(
        f"{API}/bases/{base_id}/monthly-stats", params={"year": 2025}, headers=city_admin.headers
    ).json()["items"]
    assert [(m["month"], m["open_days"], m["visitors"]) for m in listed] == [
        (1, 20, 3000),
        (2, 18, 2500),
        (3, 22, 4000),
    ]
    # A corrected month is an update, an unchanged one matches, never a second row.
    rows[1] = [2025, 2, 19, 2500]
    again = upload(
        client,
        city_admin,
        f"/bases/{base_id}/monthly-stats:bulk",
        filled_template(client, city_admin, "base-monthly-stats", rows),
    ).json()
    assert (again["updated"], again["matched_existing"]) == (1, 2)
    assert count(db, MonthlyStatRow) == 3


def test_base_open_4_a_broken_monthly_stats_file_reports_each_impossible_or_repeated_month(
    client: TestClient, city_admin: Actor, db: Session
) -> None:
    base_id = make_base(db, "赤峰市科技馆")
    rows = [[2025, 1, 20, 3000], [2025, 2, 30, 100], [2025, 13, 1, 1], [2025, 1, 5, 5]]
    body = filled_template(client, city_admin, "base-monthly-stats", rows)
    response = upload(client, city_admin, f"/bases/{base_id}/monthly-stats:bulk", body, accept=XLSX)
    flagged = [(r["行号"], r["规则"]) for r in report_rows(response) if r["问题"]]
    assert flagged == [(3, "BASE-OPEN-4"), (4, "BASE-OPEN-4"), (5, "BASE-OPEN-4")]
    assert count(db, MonthlyStatRow) == 0


def test_a_file_neither_xlsx_nor_csv_is_a_415_in_chinese(
    client: TestClient, city_admin: Actor, db: Session
) -> None:
    base_id = make_base(db, "赤峰市科技馆")
    response = client.post(
        f"{API}/bases/{base_id}/monthly-stats:bulk",
        content=b"%PDF-1.7",
        headers={**city_admin.headers, "Content-Type": "application/pdf"},
    )
    assert assert_problem(response, 415)["title"] == "不支持的文件类型"


def test_a_merged_header_row_is_refused_naming_its_cells(
    client: TestClient, city_admin: Actor, db: Session
) -> None:
    base_id = make_base(db, "赤峰市科技馆")
    book = Workbook()
    sheet = book.active
    sheet.append(["年份", "月份", "开放天数", "接待人数"])
    sheet.append([2025, 1, 20, 3000])
    sheet.merge_cells("C1:D1")
    out = io.BytesIO()
    book.save(out)
    response = upload(client, city_admin, f"/bases/{base_id}/monthly-stats:bulk", out.getvalue())
    (error,) = assert_problem(response, 422)["errors"]
    assert (error["field"], error["code"]) == ("header", "merged_header")
    assert "C1:D1" in error["message"]
    assert count(db, MonthlyStatRow) == 0


def test_an_id_number_in_full_width_digits_is_refused_not_normalised(
    client: TestClient, city_admin: Actor, db: Session
) -> None:
    org = make_org(client, city_admin)
    wide = id_number("19900517", 1).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    body = filled_template(client, city_admin, "volunteers", [volunteer_cells(1, 证件号码=wide)])
    response = upload(client, city_admin, "/volunteers:bulk", body, organization_id=org["id"])
    (error,) = assert_problem(response, 422)["errors"]
    assert error["field"] == "rows[1].id_number"
    assert count(db, VolunteerRow) == 0


def test_every_bulk_import_declares_its_error_workbook_in_the_spec(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    bulk = [
        (path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method == "post" and path.endswith(":bulk") and XLSX in op["requestBody"]["content"]
    ]
    assert len(bulk) >= 4
    for path, op in bulk:
        assert XLSX in op["responses"]["422"]["content"], path
