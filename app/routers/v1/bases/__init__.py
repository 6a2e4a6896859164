"""The bases area's routes (Att. 3): applications and their review, quotas, bases and their
records, oversight, revocation, policies, and the public directory."""

from fastapi import APIRouter

from app.routers.v1.bases import (
    activities,
    applications,
    bases,
    oversight,
    policies,
    public,
    quotas,
    reports,
    reviews,
    revocation,
    statistics,
)

#: In the order they are included: `/bases/compliance` before `/bases/{base_id}`.
routers: list[APIRouter] = [
    policies.router,
    applications.router,
    reviews.router,
    quotas.router,
    bases.router,
    statistics.router,
    activities.router,
    reports.router,
    oversight.router,
    revocation.router,
    public.router,
]
