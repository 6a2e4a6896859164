"""County recommendation quotas (名额, BASE-APPLY-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request, Response

from app.errors import problem_responses
from app.repositories import bases_applications
from app.routers.deps import PageDep, SessionDep, check_if_match
from app.routers.pages import Page, page_map, upserted
from app.routers.route import resource_router
from app.routers.v1.bases.auth import QuotasRead, QuotasWrite
from app.routers.v1.bases.schemas import RecommendationQuotaPublic, RecommendationQuotaPut
from app.services import bases_applications as service

router = resource_router("base-applications")
Year = Annotated[int, Path(ge=2000, le=2100)]


@router.put(
    "/recommendation-quotas/{year}/{county_code}",
    summary="Set a county's recommendation quota",
    responses=problem_responses(412),
)
def put_recommendation_quota(
    year: Year,
    county_code: str,
    body: RecommendationQuotaPut,
    principal: QuotasWrite,
    session: SessionDep,
    request: Request,
    response: Response,
) -> RecommendationQuotaPublic:
    """BASE-APPLY-1: how many units a county may recommend in the year (名额); `county_code`
    must name a county (404 otherwise)."""
    row, used, created = service.set_quota(
        session,
        year=year,
        county_code=county_code,
        quota=body.quota,
        check_version=lambda r: check_if_match(request, r),
    )
    location = f"/api/v1/recommendation-quotas/{year}/{county_code}"
    upserted(response, location, row, created=created)
    return RecommendationQuotaPublic(
        year=year, county_code=county_code, quota=row.quota, used=used, updated_at=row.updated_at
    )


@router.get("/recommendation-quotas", summary="List recommendation quotas of a year")
def list_recommendation_quotas(
    principal: QuotasRead,
    session: SessionDep,
    page: PageDep,
    year: Annotated[int, Query(ge=2000, le=2100)],
) -> Page[RecommendationQuotaPublic]:
    """Each county's quota and use (a county administrator: its own)."""
    result, used = bases_applications.list_quotas(session, principal, year=year, page=page)
    return page_map(
        lambda q: RecommendationQuotaPublic(
            year=q.year,
            county_code=q.county_code,
            quota=q.quota,
            used=used.get(q.county_code, 0),
            updated_at=q.updated_at,
        ),
        result,
    )
