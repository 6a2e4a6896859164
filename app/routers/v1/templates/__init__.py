"""The spreadsheet templates of the imports."""

from app.routers.v1.templates.routes import router

__all__ = ["router"]
