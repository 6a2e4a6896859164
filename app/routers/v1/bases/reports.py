"""A base's annual reports, their submission and their archive (BASE-THEME-1, BASE-REPORT-1,
BASE-ARCHIVE-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Form, Path, Request, Response, UploadFile

from app.domain.common import local_date
from app.errors import problem_responses
from app.repositories import bases
from app.repositories.bases_attachments import OwnerType
from app.routers.deps import (
    ContextDep,
    FilesDep,
    NowDep,
    PageDep,
    SessionDep,
    check_if_match,
    set_etag,
)
from app.routers.pages import Page, page_map, upserted
from app.routers.route import resource_router
from app.routers.v1.bases import files as answers
from app.routers.v1.bases.auth import BasesRead, BasesWrite
from app.routers.v1.bases.schemas import (
    ArchiveAttachmentKind,
    BaseAnnualReportPublic,
    BaseAnnualReportPut,
    BaseAttachmentPublic,
)
from app.services import bases as service
from app.services import bases_attachments as attachments

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


@router.post(
    "/bases/{base_id}/annual-reports/{year}/attachments",
    status_code=201,
    summary="Attach a file to an annual report's archive",
    responses=problem_responses(404, 409, 413, 415),
)
def add_base_annual_report_attachment(
    base_id: str,
    year: Year,
    kind: Annotated[ArchiveAttachmentKind, Form()],
    file: Annotated[UploadFile, File()],
    principal: BasesWrite,
    session: SessionDep,
    files: FilesDep,
    ctx: ContextDep,
    now: NowDep,
    response: Response,
) -> BaseAttachmentPublic:
    """BASE-ARCHIVE-1: documents, photos, video and statistics; a submitted report's archive
    stays as submitted (BASE-REPORT-1)."""
    attachments.check_kind(OwnerType.REPORT, kind)
    owner = attachments.report_owner(
        session, principal, base_id, year, writing=True, today=local_date(now)
    )
    return answers.store(
        session, files, response, owner=owner, upload=file, kind=kind, ctx=ctx, by=principal
    )


@router.get(
    "/bases/{base_id}/annual-reports/{year}/attachments",
    summary="List an annual report's archive",
    responses=problem_responses(404),
)
def list_base_annual_report_attachments(
    base_id: str,
    year: Year,
    principal: BasesRead,
    session: SessionDep,
    page: PageDep,
    now: NowDep,
) -> Page[BaseAttachmentPublic]:
    """The files, in upload order."""
    owner = attachments.report_owner(
        session, principal, base_id, year, writing=False, today=local_date(now)
    )
    return answers.page(session, owner, page)


@router.get(
    "/bases/{base_id}/annual-reports/{year}/attachments/{attachment_id}/content",
    summary="Download a file of an annual report's archive",
    response_class=Response,
    responses={**problem_responses(404), **answers.DOWNLOAD},
)
def get_base_annual_report_attachment_content(
    base_id: str,
    year: Year,
    attachment_id: str,
    principal: BasesRead,
    session: SessionDep,
    files: FilesDep,
    now: NowDep,
) -> Response:
    """The file's bytes with its checked media type."""
    owner = attachments.report_owner(
        session, principal, base_id, year, writing=False, today=local_date(now)
    )
    return answers.content(files, attachments.attachment(session, owner, attachment_id))


@router.delete(
    "/bases/{base_id}/annual-reports/{year}/attachments/{attachment_id}",
    status_code=204,
    summary="Remove a file from an annual report's archive",
    responses=problem_responses(404, 409, 412),
)
def delete_base_annual_report_attachment(
    base_id: str,
    year: Year,
    attachment_id: str,
    principal: BasesWrite,
    session: SessionDep,
    files: FilesDep,
    now: NowDep,
    request: Request,
) -> Response:
    """Not from a submitted report."""
    owner = attachments.report_owner(
        session, principal, base_id, year, writing=True, today=local_date(now)
    )
    return answers.remove(session, files, request, owner=owner, attachment_id=attachment_id)
