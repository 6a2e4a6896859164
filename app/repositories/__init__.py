"""SQLModel tables and every query; importing this package registers every table."""

from app.repositories import (
    base,
    bases,
    bases_applications,
    bases_attachments,
    bases_oversight,
    bases_policies,
    idempotency,
    regions,
    users,
    volunteers,
    volunteers_activities,
    volunteers_orgs,
    volunteers_records,
    volunteers_support,
)

__all__ = [
    "base",
    "bases",
    "bases_applications",
    "bases_attachments",
    "bases_oversight",
    "bases_policies",
    "idempotency",
    "regions",
    "users",
    "volunteers",
    "volunteers_activities",
    "volunteers_orgs",
    "volunteers_records",
    "volunteers_support",
]
