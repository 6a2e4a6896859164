"""Structured logs (issue 2): one JSON object per line, each carrying the request id."""

from __future__ import annotations

import io
import json
import logging

from fastapi.testclient import TestClient

from app.logging import JsonFormatter
from tests.conftest import METRICS_AUTH


def test_access_log_lines_are_json_with_the_request_id(client: TestClient) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("kepu.access")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        client.get("/api/v1/regions", headers={"X-Request-ID": "log-trace-1"})
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines, "no access log line was written"
    entry = lines[-1]
    assert entry["request_id"] == "log-trace-1"
    assert entry["route"] == "/api/v1/regions"
    assert entry["status"] == 401
    assert {"time", "level", "logger", "message", "method", "ms"} <= entry.keys()


def test_metrics_count_requests_per_route_template_not_per_url(client: TestClient) -> None:
    client.get("/api/v1/regions/150402")
    client.get("/api/v1/regions/150404")
    metrics = client.get("/metrics", headers=METRICS_AUTH).text
    line = (
        'kepu_http_requests_total{method="GET",route="/api/v1/regions/{region_code}",status="401"}'
    )
    assert line in metrics
    assert "/api/v1/regions/150402" not in metrics


def test_an_unexpected_error_is_a_bare_500_carrying_the_request_id(settings) -> None:  # type: ignore[no-untyped-def]
    from app.main import create_app

    broken = create_app(settings)

    @broken.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals: SELECT * FROM users")

    with TestClient(broken, raise_server_exceptions=False) as test_client:
        response = test_client.get("/boom", headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "boom-1"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["request_id"] == "boom-1"
    assert "SELECT" not in response.text
    assert "Traceback" not in response.text
