"""Service agreements between volunteer, organisation and the party served (VOL-AGREE-1)."""

from app.routers.v1.agreements.routes import router

__all__ = ["router"]
