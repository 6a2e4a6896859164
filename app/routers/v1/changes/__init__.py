"""The change feed and the audit log."""

from app.routers.v1.changes.routes import router

__all__ = ["router"]
