"""County reports to the city (OFF-CASE-1): typical cases, problems, suggestions, handled by the
city with colon verbs (`:read`, `:reply`, `:feature`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Query, Request, Response

from app.domain.officers import OfficerCaseKind, OfficerCaseStatus
from app.errors import problem_responses
from app.repositories import officers_cases as repo
from app.routers.deps import NowDep, PageDep, SessionDep, check_if_match, set_etag
from app.routers.pages import Page, mark_created, page_map
from app.routers.route import resource_router
from app.routers.v1.officers.auth import OfficerCasesHandle, OfficerCasesReport, OfficersRead
from app.routers.v1.officers.cases.schemas import (
    OfficerCaseCreate,
    OfficerCasePublic,
    OfficerCaseReply,
)
from app.services import officers_cases as service

router = resource_router("officer cases")
_HANDLING = problem_responses(404, 409, 412)


@router.post("/officer-cases", status_code=201, summary="Report a case to the city")
def create_case(
    body: OfficerCaseCreate,
    principal: OfficerCasesReport,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> OfficerCasePublic:
    """OFF-CASE-1: submitted by a county administrator for its county."""
    row = repo.create_case(
        session,
        county_code=principal.county_code or "",
        kind=body.kind,
        title=body.title,
        body=body.body,
        at=now,
    )
    mark_created(response, f"/api/v1/officer-cases/{row.id}", row)
    return OfficerCasePublic.of(row)


@router.get("/officer-cases", summary="List cases")
def list_cases(
    principal: OfficersRead,
    session: SessionDep,
    page: PageDep,
    kind: Annotated[OfficerCaseKind | None, Query()] = None,
    status: Annotated[OfficerCaseStatus | None, Query()] = None,
) -> Page[OfficerCasePublic]:
    """Cases in scope: a county its own, the city all."""
    result = repo.list_cases(session, principal, page=page, kind=kind, status=status)
    return page_map(OfficerCasePublic.of, result)


@router.get(
    "/officer-cases/{officer_case_id}", summary="Read a case", responses=problem_responses(404)
)
def get_case(
    officer_case_id: str, principal: OfficersRead, session: SessionDep, response: Response
) -> OfficerCasePublic:
    """One case in scope."""
    row = repo.get_case(session, principal, officer_case_id)
    set_etag(response, row)
    return OfficerCasePublic.of(row)


#: Moves the case of the request's path to a status (with the reply, for `:reply`).
Handle = Callable[[OfficerCaseStatus, str | None], OfficerCasePublic]


def _handler(
    officer_case_id: str,
    principal: OfficerCasesHandle,
    session: SessionDep,
    now: NowDep,
    request: Request,
    response: Response,
) -> Handle:
    """The city's handling of one case: If-Match honoured, the step checked by OFF-CASE-1."""

    def handle(target: OfficerCaseStatus, reply: str | None) -> OfficerCasePublic:
        row = repo.get_case(session, principal, officer_case_id)
        check_if_match(request, row)
        service.handle_case(
            session=session, principal=principal, row=row, target=target, reply=reply, now=now
        )
        set_etag(response, row)
        return OfficerCasePublic.of(row)

    return handle


HandleDep = Annotated[Handle, Depends(_handler)]


@router.post(
    "/officer-cases/{officer_case_id}:read", summary="Mark a case read", responses=_HANDLING
)
def read_case(handle: HandleDep) -> OfficerCasePublic:
    """OFF-CASE-1: the city has read the report."""
    return handle(OfficerCaseStatus.READ, None)


@router.post(
    "/officer-cases/{officer_case_id}:reply", summary="Reply to a case", responses=_HANDLING
)
def reply_case(body: OfficerCaseReply, handle: HandleDep) -> OfficerCasePublic:
    """OFF-CASE-1: the city answers (replying also marks it read)."""
    return handle(OfficerCaseStatus.REPLIED, body.reply)


@router.post(
    "/officer-cases/{officer_case_id}:feature",
    summary="Feature a typical case",
    responses=_HANDLING,
)
def feature_case(handle: HandleDep) -> OfficerCasePublic:
    """OFF-CASE-1: the city publicises a typical case (Art. 10); other kinds are refused."""
    return handle(OfficerCaseStatus.FEATURED, None)
