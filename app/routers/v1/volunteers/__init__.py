"""Volunteers and their organisations: registration, memberships, hours, organisations.
`schemas` holds the API models, `auth` the role sets, the other modules routes."""

from app.routers.v1.volunteers import hours, memberships, organizations, registrations, registry

#: The routers of this package, in the order the API includes them.
ROUTERS = (
    organizations.router,
    registry.router,
    registrations.router,
    registrations.public_router,
    memberships.router,
    hours.router,
)

__all__ = ["ROUTERS"]
