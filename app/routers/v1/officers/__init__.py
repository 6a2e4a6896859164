"""The information officers area (OFF-*): one module set per concept, role sets in `auth`.

Each concept is a package of `schemas` (API models) and `routes` (parse, call a repository or a
service of app/services, respond); `routers` lists their routers in the order of the spec."""

from fastapi import APIRouter

from app.routers.v1.officers.activity_plans import routes as activity_plans
from app.routers.v1.officers.cases import routes as cases
from app.routers.v1.officers.figures import routes as figures
from app.routers.v1.officers.ledgers import routes as ledgers
from app.routers.v1.officers.registry import routes as registry
from app.routers.v1.officers.scorecards import routes as scorecards
from app.routers.v1.officers.training import routes as training

routers: list[APIRouter] = [
    registry.router,
    figures.router,
    training.router,
    activity_plans.router,
    cases.router,
    ledgers.router,
    scorecards.router,
]
