"""A person's notices and notification preferences (PLAT-NOTIFY-1)."""

from app.routers.v1.notifications.routes import router

__all__ = ["router"]
