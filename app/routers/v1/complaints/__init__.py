"""Complaints and reports about organisations and volunteers, and their handling (VOL-SUPER-1)."""

from app.routers.v1.complaints.routes import public_router, router

__all__ = ["public_router", "router"]
