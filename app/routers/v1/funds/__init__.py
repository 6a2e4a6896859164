"""Fund records of volunteer organisations and their yearly summary (VOL-FUND-1)."""

from app.routers.v1.funds.routes import router

__all__ = ["router"]
