"""The county statistics ledger of officers (OFF-LEDGER-1), as XLSX or CSV with Chinese headers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from app.errors import problem_responses
from app.routers.deps import SessionDep
from app.routers.downloads import download, download_responses
from app.routers.route import resource_router
from app.routers.v1.officers.auth import OfficersRead
from app.routers.v1.officers.ledgers.schemas import OfficerLedgerSection
from app.services import officers_ledgers as service
from app.spreadsheets import Export, FileFormat

router = resource_router("officer ledgers")


@router.get(
    "/ledgers/officers",
    summary="A county's officer ledger (XLSX or CSV)",
    response_class=Response,
    responses={
        **download_responses("The ledger file"),
        **problem_responses(404),
    },
)
def officer_ledger(
    principal: OfficersRead,
    session: SessionDep,
    county_code: Annotated[str, Query(pattern=r"^\d{6}$", description="The county")],
    year: Annotated[int, Query(ge=2000, le=2100)],
    format: Annotated[FileFormat, Query()] = FileFormat.XLSX,
    section: Annotated[
        OfficerLedgerSection | None, Query(description="CSV: one sheet only")
    ] = None,
) -> Response:
    """OFF-LEDGER-1: roster (masked mobiles), training, attendance, figures by month and per
    officer by month — a sheet per section, Chinese headers, as the county prints it."""
    ledger = service.county_ledger(
        session=session, principal=principal, county_code=county_code, year=year
    )
    sheets = ledger.sheets
    if section is not None and format is FileFormat.CSV:
        sheets = [sheets[list(OfficerLedgerSection).index(section)]]
    return download(Export(ledger.title, sheets), format)
