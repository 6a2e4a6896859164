"""Service records and certificates: the signed-in router and the public verification."""

from fastapi import APIRouter

from app.routers.v1.service_records import certificates, declarations, records

router = APIRouter()
router.include_router(records.router)
router.include_router(declarations.router)
router.include_router(certificates.router)
public_router = certificates.public_router

__all__ = ["public_router", "router"]
