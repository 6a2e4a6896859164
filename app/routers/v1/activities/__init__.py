"""Activities, their enrolments and the insurance that covers them: one router."""

from fastapi import APIRouter

from app.routers.v1.activities import activities, attendance, enrolments, insurance, public

router = APIRouter()
router.include_router(activities.router)
router.include_router(enrolments.router)
router.include_router(insurance.router)
router.include_router(attendance.router)
router.include_router(public.router)

__all__ = ["router"]
