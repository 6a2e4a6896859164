"""The exports county staff ask for (issue 15): volunteer service, base compliance, hours."""

from app.routers.v1.reports.routes import router

__all__ = ["router"]
