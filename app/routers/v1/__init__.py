"""Version 1 of the API: every resource router, each behind the unit-of-work route."""

from fastapi import APIRouter

from app.errors import problem_responses
from app.routers.route import UnitOfWorkRoute
from app.routers.v1 import (
    activities,
    base_applications,
    base_policies,
    bases,
    changes,
    officers,
    organizations,
    public_bases,
    regions,
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
api_router.include_router(base_policies.router)
api_router.include_router(base_applications.router)
api_router.include_router(bases.router)
api_router.include_router(public_bases.router)
api_router.include_router(organizations.router)
api_router.include_router(volunteers.router)
api_router.include_router(volunteers.public_router)
api_router.include_router(activities.router)
api_router.include_router(service_records.router)
api_router.include_router(service_records.public_router)
api_router.include_router(volunteers_support.router)
api_router.include_router(volunteers_support.public_router)
for officers_router in officers.routers:
    api_router.include_router(officers_router)
