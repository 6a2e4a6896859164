"""SQLModel tables and every query; importing this package registers every table."""

from app.repositories import base, idempotency, regions, users

__all__ = ["base", "idempotency", "regions", "users"]
