"""The exports county staff ask for (issue 15), as XLSX or CSV with headers in the caller's
language (Chinese by default): the volunteer service of a year, the yearly compliance of the
bases, and the hours sheet of a team."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from app.domain.common import Day, local_date
from app.errors import problem_responses
from app.repositories.base import ID_PATTERN
from app.routers.deps import NowDep, SessionDep
from app.routers.downloads import download, download_responses
from app.routers.route import resource_router
from app.routers.v1.reports.auth import BaseReportsRead, VolunteerReportsRead
from app.services import reports as service
from app.spreadsheets import FileFormat

router = resource_router("reports")

Year = Annotated[int, Query(ge=2000, le=2100, description="The calendar year (Asia/Shanghai)")]
CountyCode = Annotated[
    str | None, Query(pattern=r"^\d{6}$", description="Only this county (a county's code)")
]
Format = Annotated[FileFormat, Query(description="`xlsx` (default) or `csv`")]


@router.get(
    "/reports/volunteer-service",
    summary="The volunteer service of a year by county and organisation (XLSX or CSV)",
    response_class=Response,
    responses={**download_responses("The report file"), **problem_responses(404)},
)
def volunteer_service_report(
    principal: VolunteerReportsRead,
    session: SessionDep,
    now: NowDep,
    year: Year,
    county_code: CountyCode = None,
    organization_id: Annotated[
        str | None,
        Query(pattern=ID_PATTERN, description="Only this organisation and those under it"),
    ] = None,
    format: Format = FileFormat.XLSX,
) -> Response:
    """VOL-ORG-4, VOL-SCOPE-1, VOL-HOURS-1, VOL-HONOUR-1, VOL-DUTY-4, VOL-EXIT-1: one row per
    organisation in scope (teams and their size, county teams under 50 members marked;
    registered, active, new and exited volunteers; activities per scope category and major
    projects; confirmed hours; volunteers per star level; certificates issued), a subtotal after
    each county's organisations and the total. Volunteers are counted once per row."""
    export = service.volunteer_service(
        session=session,
        principal=principal,
        year=year,
        county_code=county_code,
        organization_id=organization_id,
        today=local_date(now),
    )
    return download(export, format)


@router.get(
    "/reports/base-compliance",
    summary="The yearly compliance of every accredited base (XLSX or CSV)",
    response_class=Response,
    responses={**download_responses("The report file"), **problem_responses(404)},
)
def base_compliance_report(
    principal: BaseReportsRead,
    session: SessionDep,
    now: NowDep,
    year: Year,
    county_code: CountyCode = None,
    format: Format = FileFormat.XLSX,
) -> Response:
    """BASE-OPEN-1..4, BASE-ACT-1, BASE-THEME-1, BASE-REPORT-1, BASE-EVENT-1, BASE-LIAISON-1:
    one row per base accredited during the year (the bases of the compliance dashboard), its
    figures and one status column per yearly duty; year to date during the year."""
    export = service.base_compliance(
        session=session,
        principal=principal,
        year=year,
        county_code=county_code,
        today=local_date(now),
    )
    return download(export, format)


@router.get(
    "/reports/service-hours",
    summary="The hours sheet of an activity or an organisation (XLSX or CSV)",
    response_class=Response,
    responses={**download_responses("The hours sheet"), **problem_responses(403, 404)},
)
def service_hours_report(
    principal: VolunteerReportsRead,
    session: SessionDep,
    activity_id: Annotated[
        str | None, Query(pattern=ID_PATTERN, description="The activity (or organization_id)")
    ] = None,
    organization_id: Annotated[
        str | None,
        Query(pattern=ID_PATTERN, description="The organisation and those under it"),
    ] = None,
    starts_on: Annotated[Day | None, Query(description="Records starting on or after")] = None,
    ends_on: Annotated[Day | None, Query(description="Records starting on or before")] = None,
    format: Format = FileFormat.XLSX,
) -> Response:
    """VOL-HOURS-1, VOL-DUTY-1: one row per confirmed service record (volunteer, masked ID
    number, activity, organisation, date, start, end, hours, source) in time order, and a total
    row. Give `activity_id` or `organization_id`; the days filter the record's local start."""
    export = service.service_hours(
        session=session,
        principal=principal,
        activity_id=activity_id,
        organization_id=organization_id,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    return download(export, format)
