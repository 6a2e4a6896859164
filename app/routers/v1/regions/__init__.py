"""The region tree."""

from app.routers.v1.regions.routes import router

__all__ = ["router"]
