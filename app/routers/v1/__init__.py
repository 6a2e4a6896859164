"""Version 1 of the API: every resource router, each behind the unit-of-work route."""

from fastapi import APIRouter

from app.errors import problem_responses
from app.routers.route import UnitOfWorkRoute
from app.routers.v1 import (
    activities,
    agreements,
    bases,
    changes,
    commendations,
    complaints,
    funds,
    incidents,
    notifications,
    officers,
    recruitment,
    regions,
    reports,
    service_records,
    templates,
    users,
    volunteers,
)

api_router = APIRouter(
    prefix="/api/v1",
    route_class=UnitOfWorkRoute,
    responses=problem_responses(400, 422),
)
#: In the order they are matched and listed in the spec.
AREA_ROUTERS: list[APIRouter] = [
    users.login_router,
    users.router,
    regions.router,
    changes.router,
    notifications.router,
    *bases.routers,
    *volunteers.ROUTERS,
    activities.router,
    service_records.router,
    service_records.public_router,
    recruitment.router,
    agreements.router,
    incidents.router,
    complaints.router,
    complaints.public_router,
    funds.router,
    commendations.router,
    *officers.routers,
    reports.router,
    templates.router,
]
for area_router in AREA_ROUTERS:
    api_router.include_router(area_router)
