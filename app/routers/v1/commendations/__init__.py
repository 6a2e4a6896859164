"""Commendations and the priority list (VOL-HONOUR-1)."""

from app.routers.v1.commendations.routes import router

__all__ = ["router"]
