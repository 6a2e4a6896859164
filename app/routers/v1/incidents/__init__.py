"""Incidents of harm during service and their handling (VOL-HARM-1)."""

from app.routers.v1.incidents.routes import router

__all__ = ["router"]
