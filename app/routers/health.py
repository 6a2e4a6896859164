"""Liveness and readiness (public), metrics (Prometheus' bearer token); no unit of work."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from app.domain.messages import N_
from app.errors import Forbidden, Unauthorized, problem_response, problem_responses
from app.i18n import _

router = APIRouter(tags=["health"])
_metrics_bearer = HTTPBearer(
    scheme_name="metricsToken",
    description="`KEPU_METRICS_TOKEN`, given to Prometheus only",
    auto_error=False,
)


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
            request, 503, N_("Not ready"), slug="not-ready", detail=_("database unreachable")
        )
    return Response(Health(status="ok").model_dump_json(), media_type="application/json")


@router.get(
    "/metrics",
    summary="Prometheus metrics: requests and latency per route template and status",
    response_class=Response,
    responses={
        200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text"},
        **problem_responses(401, 403),
    },
)
async def metrics(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_metrics_bearer)],
) -> Response:
    """The Prometheus exposition of this worker's counters: only with `KEPU_METRICS_TOKEN`
    (route templates and traffic are internal; with no token configured, closed to all)."""
    # No credentials is a 401 whether or not metrics are open, as the spec's security says.
    if credentials is None:
        raise Unauthorized(_("the metrics token is missing"))
    expected = request.app.state.ctx.settings.metrics_token
    if not expected:
        raise Forbidden(_("metrics are closed: set KEPU_METRICS_TOKEN to open them to Prometheus"))
    if not hmac.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise Unauthorized(_("the metrics token is wrong"))
    return Response(generate_latest(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)
