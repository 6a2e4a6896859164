"""The county statistics ledger of officers (OFF-LEDGER-1), as XLSX or CSV with Chinese headers."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Annotated
from urllib.parse import quote

from fastapi import Query, Response
from sqlmodel import Session, col

from app.domain.access import Principal, Role
from app.domain.officers import (
    GroupBy,
    LedgerOfficer,
    LedgerSheet,
    LedgerTraining,
    OfficerMonth,
    Period,
)
from app.errors import InvalidInput, problem_responses
from app.repositories import officers as officers_repo
from app.repositories import officers_figures as figures_repo
from app.repositories import officers_work as work_repo
from app.repositories import regions
from app.repositories.regions import Region, RegionLevel
from app.routers.bulk import XLSX
from app.routers.deps import SessionDep, allow
from app.routers.route import resource_router
from app.rules.officers import build_ledger

router = resource_router("ledgers")
Reader = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.AUDITOR)]
CSV = "text/csv; charset=utf-8"


class LedgerFormat(StrEnum):
    """The file to produce."""

    XLSX = "xlsx"
    CSV = "csv"


class LedgerSection(StrEnum):
    """One sheet of the ledger, for a CSV of that sheet alone."""

    ROSTER = "roster"
    TRAINING = "training"
    ATTENDANCE = "attendance"
    MONTHLY = "monthly"
    OFFICER_MONTHLY = "officer_monthly"


def workbook(sheets: Sequence[LedgerSheet], *, heading: str) -> bytes:
    """An XLSX with one sheet per section: headers on row 1, repeated on every printed page."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title)
        ws.append(list(sheet.headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append(list(row))
        for column, header in enumerate(sheet.headers, start=1):
            fmt = "0.0%" if header.endswith("率") else None
            for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif fmt and isinstance(cell.value, float):
                    cell.number_format = fmt
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.oddHeader.center.text = f"{heading} — {sheet.title}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(sheets: Sequence[LedgerSheet], *, titled: bool) -> bytes:
    """CSV (UTF-8 with BOM, for spreadsheet programs); several sheets each open with their title."""
    out = io.StringIO()
    writer = csv.writer(out)
    for index, sheet in enumerate(sheets):
        if titled:
            if index:
                writer.writerow([])
            writer.writerow([sheet.title])
        writer.writerow(sheet.headers)
        writer.writerows(["" if v is None else v for v in row] for row in sheet.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def attachment(content: bytes, media_type: str, filename: str) -> Response:
    """A download with an RFC 6266 file name."""
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


def _county(session: Session, principal: Principal, code: str) -> Region:
    officers_repo.check_region_in_scope(session, principal, code)
    region = regions.get_region(session, code)
    if region.level != RegionLevel.COUNTY:
        raise InvalidInput.one("query.region_code", "a ledger is kept per county", "not_county")
    return region


def ledger_sheets(
    session: Session, principal: Principal, county: str, year: int
) -> list[LedgerSheet]:
    """OFF-LEDGER-1: the county's sheets for the year, from the register, training and figures."""
    period = Period.year(year)
    population = col(officers_repo.OfficerRow.county_code) == county
    officers = officers_repo.on_register(session, population=population, period=period)
    names = officers_repo.region_names(
        session, {o.township_code for o in officers} | {o.region_code for o in officers}
    )
    sessions = work_repo.year_sessions(session, county_code=county, year=year)
    present = work_repo.attendees(session, principal, session_ids=[s.id for s in sessions])
    return build_ledger(
        officers=[
            LedgerOfficer(
                officer_id=o.id,
                officer=o.to_domain(),
                township_name=names.get(o.township_code, o.township_code),
                village_name=names.get(o.region_code, "")
                if o.region_code != o.township_code
                else "",
            )
            for o in officers
        ],
        trainings=[
            LedgerTraining(
                session=s.to_domain(),
                attendees=[
                    (o.name, o.app_account_id) for o in present[s.id] if o.county_code == county
                ],
            )
            for s in sessions
        ],
        monthly=figures_repo.measure_groups(
            session, population=population, period=period, group_by=GroupBy.MONTH
        ),
        officer_months=[
            OfficerMonth(officer_id=oid, month=month, shares=shares, reads=reads)
            for oid, month, shares, reads in figures_repo.month_totals(
                session, population=population, year=year
            )
        ],
    )


@router.get(
    "/ledgers/officers",
    summary="A county's officer ledger (XLSX or CSV)",
    response_class=Response,
    responses={
        200: {"content": {XLSX: {}, "text/csv": {}}, "description": "The ledger file"},
        **problem_responses(404),
    },
)
def officer_ledger(
    principal: Reader,
    session: SessionDep,
    region_code: Annotated[str, Query(pattern=r"^\d{6}$", description="A county")],
    year: Annotated[int, Query(ge=2000, le=2100)],
    format: Annotated[LedgerFormat, Query()] = LedgerFormat.XLSX,
    section: Annotated[LedgerSection | None, Query(description="CSV: one sheet only")] = None,
) -> Response:
    """OFF-LEDGER-1: roster (masked mobiles), training, attendance, figures by month and per
    officer by month — a sheet per section, Chinese headers, as the county prints it."""
    county = _county(session, principal, region_code)
    sheets = ledger_sheets(session, principal, county.id, year)
    name = f"{county.name}{year}年科普信息员统计台账"
    if format is LedgerFormat.XLSX:
        return attachment(workbook(sheets, heading=name), XLSX, f"{name}.xlsx")
    if section is not None:
        sheets = [sheets[list(LedgerSection).index(section)]]
    return attachment(csv_text(sheets, titled=section is None), CSV, f"{name}.csv")
