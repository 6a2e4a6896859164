"""Pure ASGI middleware: request ids and access logs, Prometheus metrics, body limits, headers."""

from __future__ import annotations

import json
import logging
import os
import re
import time
from typing import Any

from fastapi import HTTPException
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import PROBLEM_JSON
from app.logging import request_id_var

log = logging.getLogger("kepu.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestContext:
    """Honour or generate X-Request-ID, echo it, log one JSON line per request, count metrics."""

    def __init__(self, app: ASGIApp, registry: CollectorRegistry, production: bool) -> None:
        self.app = app
        self.production = production
        self.requests = Counter(
            "kepu_http_requests_total", "Requests", ["method", "route", "status"], registry=registry
        )
        self.latency = Histogram(
            "kepu_http_request_seconds",
            "Latency",
            ["method", "route"],
            registry=registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap one HTTP request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        # 32 random hex digits like uuid4().hex, without building a UUID object (a tenth the cost).
        rid = incoming if incoming and _SAFE_ID.match(incoming) else os.urandom(16).hex()
        scope.setdefault("state", {})["request_id"] = rid
        token = request_id_var.set(rid)
        start = time.perf_counter()
        status = 500
        docs = scope["path"].startswith(("/docs", "/redoc"))

        status_sent = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, status_sent
            if message["type"] == "http.response.start":
                status = message["status"]
                status_sent = True
                headers = message.setdefault("headers", [])
                headers.append((b"x-request-id", rid.encode()))
                headers.extend(_security_headers(docs, self.production))
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception:
            # Rendered here, inside the request's context, so the 500 carries its request id
            # (header, body and log line) and the usual headers; the body says nothing more.
            log.exception("unhandled error")
            if status_sent:
                raise
            await _internal_error(scope, send_wrapper, rid)
        finally:
            elapsed = time.perf_counter() - start
            route = _route_template(scope)
            self.requests.labels(scope["method"], route, str(status)).inc()
            self.latency.labels(scope["method"], route).observe(elapsed)
            log.info(
                "request",
                extra={
                    "fields": {
                        "method": scope["method"],
                        "route": route,
                        "status": status,
                        "ms": round(elapsed * 1000, 2),
                    }
                },
            )
            request_id_var.reset(token)


async def _internal_error(scope: Scope, send: Send, request_id: str) -> None:
    body = json.dumps(
        {
            "type": "https://kepu-api.example/problems/internal",
            "title": "Internal server error",
            "status": 500,
            "detail": "An unexpected error occurred; quote the request id when reporting it.",
            "instance": scope["path"],
            "request_id": request_id,
        }
    ).encode()
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": 500, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _route_template(scope: Scope) -> str:
    # FastAPI keeps the route of an included router without the include prefixes; the full
    # template is on its effective route context (falls back to the bare route path).
    context = scope.get("fastapi", {}).get("effective_route_context")
    template = getattr(context, "path_format", None) or getattr(scope.get("route"), "path", None)
    return str(template) if template else "unmatched"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _security_headers(docs: bool, production: bool) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"cache-control", b"no-store"),
    ]
    if not docs:
        headers.append((b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"))
    if production:
        headers.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))
    return headers


def is_upload(method: str, path: str) -> bool:
    """A bulk import or an attachment upload: a larger body limit and a longer deadline."""
    large = path.endswith((":bulk", "/attachments"))
    return method == "POST" and large and path.startswith("/api/v1/")


class BodyLimit:
    """413 problem+json for bodies over the limit, whether announced or streamed."""

    def __init__(self, app: ASGIApp, *, default: int, bulk: int) -> None:
        self.app = app
        self.default = default
        self.bulk = bulk

    def _limit(self, method: str, path: str) -> int:
        # Only uploads earn the large limit: a POST to a bulk import or an attachment list.
        return self.bulk if is_upload(method, path) else self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse early on Content-Length, and count streamed bytes."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["method"], scope["path"])
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(scope, send, limit)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _too_large(scope, send, limit)


class _TooLarge(HTTPException):
    # An HTTPException, so FastAPI's body parsing re-raises it rather than calling it a 400.
    def __init__(self) -> None:
        super().__init__(status_code=413, detail="the body exceeds its size limit")


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    body = json.dumps(
        {
            "type": "https://kepu-api.example/problems/payload-too-large",
            "title": "Payload too large",
            "status": 413,
            "detail": f"the body exceeds {limit} bytes",
            "instance": scope["path"],
            "request_id": scope.get("state", {}).get("request_id"),
        }
    ).encode()
    start: dict[str, Any] = {
        "type": "http.response.start",
        "status": 413,
        "headers": [
            (b"content-type", PROBLEM_JSON.encode()),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body})
