"""A base's annual reports, their submission and their archive (BASE-THEME-1, BASE-REPORT-1,
BASE-ARCHIVE-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request, Response

from app.domain.common import local_date
from app.errors import problem_responses
from app.repositories import bases
from app.routers import files as answers
from app.routers.deps import (
    NowDep,
    PageDep,
    SessionDep,
    check_if_match,
    set_etag,
)
from app.routers.pages import Page, page_map, upserted
from app.routers.route import resource_router
from app.routers.v1.bases.auth import BasesRead, BasesWrite
from app.routers.v1.bases.schemas import (
    ArchiveAttachmentKind,
    BaseAnnualReportPublic,
    BaseAnnualReportPut,
)
from app.services import bases as service
from app.services import bases_attachments as attachments
from app.services.attachments import Owner

router = resource_router("bases")
Year = Annotated[int, Path(ge=2000, le=2100)]


@router.put(
    "/bases/{base_id}/annual-reports/{year}",
    summary="Write a year's annual report",
    responses=problem_responses(404, 409, 412),
)
def put_base_annual_report(
    base_id: str,
    year: Year,
    body: BaseAnnualReportPut,
    principal: BasesWrite,
    session: SessionDep,
    now: NowDep,
    request: Request,
    response: Response,
) -> BaseAnnualReportPublic:
    """BASE-THEME-1, BASE-REPORT-1: the theme, summary and plan, editable until submitted."""
    view, created = service.put_report(
        session,
        principal=principal,
        base_id=base_id,
        year=year,
        texts=body.model_dump(),
        today=local_date(now),
        check_version=lambda r: check_if_match(request, r),
    )
    location = f"/api/v1/bases/{base_id}/annual-reports/{year}"
    upserted(response, location, view.row, created=created)
    return BaseAnnualReportPublic.of(view)


@router.get(
    "/bases/{base_id}/annual-reports",
    summary="A base's annual reports",
    responses=problem_responses(404),
)
def list_base_annual_reports(
    base_id: str, principal: BasesRead, session: SessionDep, page: PageDep
) -> Page[BaseAnnualReportPublic]:
    """Every report, in the order they were started."""
    row = bases.get_base(session, principal, base_id)
    result = bases.list_reports(session, row.id, page)
    return page_map(lambda r: BaseAnnualReportPublic.of(service.report_view(session, r)), result)


@router.get(
    "/bases/{base_id}/annual-reports/{year}",
    summary="Read an annual report",
    responses=problem_responses(404),
)
def get_base_annual_report(
    base_id: str, year: Year, principal: BasesRead, session: SessionDep, response: Response
) -> BaseAnnualReportPublic:
    """One year's report."""
    report = bases.find_report(session, bases.get_base(session, principal, base_id).id, year)
    set_etag(response, report)
    return BaseAnnualReportPublic.of(service.report_view(session, report))


@router.post(
    "/bases/{base_id}/annual-reports/{year}:submit",
    summary="Submit an annual report",
    responses=problem_responses(404, 409),
)
def submit_base_annual_report(
    base_id: str,
    year: Year,
    principal: BasesWrite,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> BaseAnnualReportPublic:
    """BASE-REPORT-1: records the server's time; on time when on or before the due date
    (10 November, Asia/Shanghai), otherwise accepted and marked with the days late."""
    view = service.submit_report(
        session, principal=principal, base_id=base_id, year=year, now=now, today=local_date(now)
    )
    set_etag(response, view.row)
    return BaseAnnualReportPublic.of(view)


# --- archive -------------------------------------------------------------------------------------


def _report_to_read(
    base_id: str, year: Year, principal: BasesRead, session: SessionDep, now: NowDep
) -> Owner:
    """An annual report of a base in the caller's scope."""
    today = local_date(now)
    return attachments.report_owner(session, principal, base_id, year, writing=False, today=today)


def _report_to_write(
    base_id: str, year: Year, principal: BasesWrite, session: SessionDep, now: NowDep
) -> Owner:
    """An unsubmitted annual report of a base in scope that is not revoked."""
    today = local_date(now)
    return attachments.report_owner(session, principal, base_id, year, writing=True, today=today)


answers.attachment_routes(
    router,
    path="/bases/{base_id}/annual-reports/{year}/attachments",
    name="base_annual_report",
    read=_report_to_read,
    write=_report_to_write,
    writers=BasesWrite,
    kinds=ArchiveAttachmentKind,
    texts=answers.AttachmentTexts(
        add=(
            "Attach a file to an annual report's archive",
            "BASE-ARCHIVE-1: documents, photos, video and statistics; a submitted report's "
            "archive stays as submitted (BASE-REPORT-1).",
        ),
        list=("List an annual report's archive", "The files, in upload order."),
        content=(
            "Download a file of an annual report's archive",
            "The file's bytes with its checked media type.",
        ),
        remove=("Remove a file from an annual report's archive", "Not from a submitted report."),
    ),
)
