"""Recruitment drives and the applications volunteers make to them (VOL-RECRUIT-1)."""

from app.routers.v1.recruitment.routes import router

__all__ = ["router"]
