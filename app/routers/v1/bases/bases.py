"""Accredited bases: the list, the compliance dashboard, one base, its profile, opening-class
history, announcements and yearly compliance (BASE-OPEN-1..4, BASE-ACT-1, BASE-THEME-1,
BASE-REPORT-1, BASE-EVENT-1, BASE-LIAISON-1, BASE-EVAL-1)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Path, Query, Request, Response

from app.domain.bases import BaseCategory, BaseStatus, OpeningClass
from app.domain.common import NameSort, local_date
from app.domain.personal import PersonalKind, mask
from app.errors import problem_responses
from app.repositories import bases, regions
from app.repositories.bases import BaseRow
from app.repositories.reveal import reveal as audit_reveal
from app.routers.deps import NowDep, PageDep, SessionDep, check_if_match, set_etag
from app.routers.lists import NameQuery, SortQuery
from app.routers.pages import Page, page_map, page_of
from app.routers.route import resource_router
from app.routers.v1.bases.auth import BasesDashboard, BasesRead, BasesWrite
from app.routers.v1.bases.schemas import (
    REGION_PATTERN,
    BaseAnnouncementPublic,
    BaseClassChangePublic,
    BaseComplianceDashboard,
    BaseCompliancePublic,
    BaseComplianceSummary,
    BasePublic,
    BaseUpdate,
)
from app.services import bases as service

router = resource_router("bases")
Year = Annotated[int, Path(ge=2000, le=2100)]
RegionFilter = Annotated[
    str | None, Query(pattern=REGION_PATTERN, description="A region of any level")
]


def public(row: BaseRow, today: date, *, reveal: bool = False) -> BasePublic:
    """The signed-in view of a base; the liaison's phone masked unless `reveal`."""
    phone = row.liaison_phone if reveal else mask(PersonalKind.PHONE, row.liaison_phone)
    return BasePublic.of(row, service.standing(row, today), phone)


@router.get("/bases", summary="List bases")
def list_bases(
    principal: BasesRead,
    session: SessionDep,
    page: PageDep,
    now: NowDep,
    category: Annotated[BaseCategory | None, Query()] = None,
    opening_class: Annotated[OpeningClass | None, Query()] = None,
    region_code: RegionFilter = None,
    status: Annotated[BaseStatus | None, Query()] = None,
    evaluation_due_before: Annotated[date | None, Query()] = None,
    q: NameQuery = None,
    sort: SortQuery[NameSort] = None,
) -> Page[BasePublic]:
    """Bases in the caller's scope, filtered by category, class, a region of any level, status,
    evaluation due date (BASE-EVAL-1) or name."""
    if region_code is not None:
        regions.require_region(session, region_code, field="query.region_code")
    today = local_date(now)
    result = bases.list_bases(
        session,
        principal,
        page=page.sorted_by(sort),
        today=today,
        category=category,
        opening_class=opening_class,
        region_code=region_code,
        status=status,
        evaluation_due_before=evaluation_due_before,
        q=q,
    )
    return page_map(lambda b: public(b, today), result)


@router.get("/bases/compliance", summary="Compliance of every base in scope for a year")
def list_bases_compliance(
    principal: BasesDashboard,
    session: SessionDep,
    now: NowDep,
    year: Annotated[int, Query(ge=2000, le=2100)],
    region_code: RegionFilter = None,
) -> BaseComplianceDashboard:
    """The city dashboard: one compliance per base, from four queries whatever the number of
    bases (BASE-OPEN-1..4, BASE-ACT-1, BASE-THEME-1, BASE-REPORT-1, BASE-EVENT-1,
    BASE-LIAISON-1)."""
    if region_code is not None:
        regions.require_region(session, region_code, field="query.region_code")
    today = local_date(now)
    board = service.dashboard(
        session, principal=principal, year=year, region_code=region_code, today=today
    )
    items = [BaseCompliancePublic.of(i) for i in board.items]
    return BaseComplianceDashboard(
        year=board.year,
        evaluated_on=today,
        policy_effective_on=board.policy_effective_on,
        summary=BaseComplianceSummary(
            bases=len(items), ok=sum(1 for i in items if i.ok), by_rule=board.by_rule
        ),
        items=items,
    )


@router.get("/bases/{base_id}", summary="Read a base", responses=problem_responses(404))
def get_base(
    base_id: str,
    principal: BasesRead,
    session: SessionDep,
    now: NowDep,
    response: Response,
    reveal: Annotated[bool, Query(description="Show the liaison's full phone (audited)")] = False,
) -> BasePublic:
    """One base; `reveal=true` shows the liaison's phone to the city administrator and the base's
    own staff, and is audited."""
    row = bases.get_base(session, principal, base_id)
    if reveal:
        audit_reveal(session, principal, row, ["liaison_phone"])
    set_etag(response, row)
    return public(row, local_date(now), reveal=reveal)


@router.patch(
    "/bases/{base_id}", summary="Update a base", responses=problem_responses(404, 409, 412)
)
def update_base(
    base_id: str,
    body: BaseUpdate,
    principal: BasesWrite,
    session: SessionDep,
    now: NowDep,
    request: Request,
    response: Response,
) -> BasePublic:
    """Contact and liaison (BASE-LIAISON-1) by the base's staff or the city administrator; the
    opening class only by the city administrator, with a written reason (BASE-OPEN-3)."""
    today = local_date(now)
    row = service.update_base(
        session,
        principal=principal,
        base_id=base_id,
        values=body.model_dump(exclude_unset=True),
        now=now,
        today=today,
        check_version=lambda r: check_if_match(request, r),
    )
    set_etag(response, row)
    return public(row, today)


@router.get(
    "/bases/{base_id}/class-history",
    summary="A base's opening-class overrides",
    responses=problem_responses(404),
)
def get_base_class_history(
    base_id: str, principal: BasesRead, session: SessionDep, page: PageDep
) -> Page[BaseClassChangePublic]:
    """Every override with who, when and why (BASE-OPEN-3)."""
    row = bases.get_base(session, principal, base_id)
    return page_of(BaseClassChangePublic, bases.class_history(session, row.id, page))


@router.get(
    "/bases/{base_id}/announcements",
    summary="A base's accreditation announcements",
    responses=problem_responses(404),
)
def list_base_announcements(
    base_id: str, principal: BasesRead, session: SessionDep, page: PageDep
) -> Page[BaseAnnouncementPublic]:
    """The public announcement made on accreditation (BASE-REVIEW-1)."""
    row = bases.get_base(session, principal, base_id)
    return page_of(BaseAnnouncementPublic, bases.announcements(session, row.id, page))


@router.get(
    "/bases/{base_id}/compliance/{year}",
    summary="A base's compliance for a year",
    responses=problem_responses(404),
)
def get_base_compliance(
    base_id: str, year: Year, principal: BasesRead, session: SessionDep, now: NowDep
) -> BaseCompliancePublic:
    """One item per yearly duty, year-to-date during the year (BASE-OPEN-1..4, BASE-ACT-1,
    BASE-THEME-1, BASE-REPORT-1, BASE-EVENT-1, BASE-LIAISON-1)."""
    item = service.compliance_of(
        session, principal=principal, base_id=base_id, year=year, today=local_date(now)
    )
    return BaseCompliancePublic.of(item)
