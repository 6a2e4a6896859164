"""Liveness, readiness and metrics: no authentication, no unit of work."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from app.errors import problem_response, problem_responses

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """Service status."""

    status: str


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> Health:
    """Always ok while the process serves requests."""
    return Health(status="ok")


@router.get("/readyz", summary="Readiness: the database answers", responses=problem_responses(503))
async def readyz(request: Request) -> Response:
    """Ok when a query succeeds, 503 problem+json otherwise."""
    engine = request.app.state.ctx.engine

    def ping() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    try:
        await run_in_threadpool(ping)
    except Exception:
        return problem_response(
            request, 503, "Not ready", slug="not-ready", detail="database unreachable"
        )
    return Response(Health(status="ok").model_dump_json(), media_type="application/json")


@router.get(
    "/metrics",
    summary="Prometheus metrics: requests and latency per route template and status",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text"}},
)
async def metrics(request: Request) -> Response:
    """The Prometheus exposition of this worker's counters."""
    return Response(generate_latest(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)
