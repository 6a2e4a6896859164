"""Version 1 of the API: every resource router, each behind the unit-of-work route."""

from fastapi import APIRouter

from app.errors import problem_responses
from app.routers.route import UnitOfWorkRoute
from app.routers.v1 import (
    activities,
    bases,
    changes,
    ledgers,
    officers,
    officers_figures,
    officers_work,
    regions,
    scorecards,
    service_records,
    users,
    volunteers,
    volunteers_support,
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
api_router.include_router(volunteers_support.router)
api_router.include_router(volunteers_support.public_router)
api_router.include_router(officers.router)
api_router.include_router(officers_figures.router)
api_router.include_router(officers_work.router)
api_router.include_router(ledgers.router)
api_router.include_router(scorecards.router)
