"""The change feed, the audit log and webhook subscriptions."""

from fastapi import APIRouter

from app.routers.v1.changes import routes, webhooks

router = APIRouter()
router.include_router(routes.router)
router.include_router(webhooks.router)

__all__ = ["router"]
