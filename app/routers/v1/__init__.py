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
    officers,
    recruitment,
    regions,
    service_records,
    users,
    volunteers,
)

api_router = APIRouter(
    prefix="/api/v1",
    route_class=UnitOfWorkRoute,
    responses=problem_responses(400, 422),
)
api_router.include_router(users.login_router)
api_router.include_router(users.router)
api_router.include_router(regions.router)
api_router.include_router(changes.router)
for bases_router in bases.routers:
    api_router.include_router(bases_router)
for volunteers_router in volunteers.ROUTERS:
    api_router.include_router(volunteers_router)
api_router.include_router(activities.router)
api_router.include_router(service_records.router)
api_router.include_router(service_records.public_router)
api_router.include_router(recruitment.router)
api_router.include_router(agreements.router)
api_router.include_router(incidents.router)
api_router.include_router(complaints.router)
api_router.include_router(complaints.public_router)
api_router.include_router(funds.router)
api_router.include_router(commendations.router)
for officers_router in officers.routers:
    api_router.include_router(officers_router)
