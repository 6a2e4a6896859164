"""Pure ASGI middleware: request ids and access logs, Prometheus metrics, body limits, headers,
conditional reads and their caching, compression."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
from typing import Any
from urllib.parse import parse_qs

from fastapi import HTTPException
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.middleware.gzip import (
    DEFAULT_EXCLUDED_CONTENT_TYPES,
    GZipMiddleware,
    GZipResponder,
    IdentityResponder,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.domain.messages import N_
from app.errors import PROBLEM_JSON
from app.i18n import _, negotiate, using
from app.logging import request_id_var

log = logging.getLogger("kepu.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestContext:
    """Honour or generate X-Request-ID, echo it, log one JSON line per request, count metrics;
    security headers, and `Cache-Control: no-store` on any answer no inner layer made cacheable."""

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
        locale = negotiate(_header(scope, b"accept-language"))
        language = locale.value.encode()
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
                if not any(key == b"cache-control" for key, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                headers.append((b"x-request-id", rid.encode()))
                headers.append((b"vary", b"Accept-Language"))
                if status != 304:
                    headers.append((b"content-language", language))
                headers.extend(_security_headers(docs, self.production))
            await send(message)

        try:
            with using(locale):
                await self.app(scope, receive, send_wrapper)
        except Exception:
            # Rendered here, inside the request's context, so the 500 carries its request id
            # (header, body and log line) and the usual headers; the body says nothing more.
            log.exception("unhandled error")
            if status_sent:
                raise
            with using(locale):
                await _internal_error(scope, send_wrapper, rid)
        finally:
            elapsed = time.perf_counter() - start
            route = route_template(scope)
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
            "title": _("Internal server error"),
            "status": 500,
            "detail": _("An unexpected error occurred; quote the request id when reporting it."),
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


def route_template(scope: Scope) -> str:
    """The matched route's full path template (`/api/v1/bases/{base_id}`), or "unmatched"."""
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


_API_POLICY = b"default-src 'none'; frame-ancestors 'none'"
# The documentation pages load nothing from elsewhere, and the browser holds them to it. Swagger
# UI starts from an inline script, both UIs set inline styles, ReDoc runs a worker from a blob.
_DOCS_POLICY = (
    b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'"
)


def _security_headers(docs: bool, production: bool) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
    ]
    headers.append((b"content-security-policy", _DOCS_POLICY if docs else _API_POLICY))
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
        super().__init__(status_code=413, detail=N_("the body exceeds its size limit"))


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    body = json.dumps(
        {
            "type": "https://kepu-api.example/problems/payload-too-large",
            "title": _("Payload too large"),
            "status": 413,
            "detail": _("the body exceeds {limit} bytes", limit=limit),
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


#: Reads anyone may make: the directory of bases and the verification of certificates.
PUBLIC_READS = "/api/v1/public/"
# A minute: a shared cache or a browser spares the database most repeated directory reads, and a
# revoked base or a voided certificate is seen as such within a minute (BASE-REVOKE-1..6,
# VOL-DUTY-4). Caches must not change the body (no-transform: the ETag is of these bytes).
PUBLIC_CACHE = b"public, max-age=60, no-transform"
# A signed-in caller's resource may sit in the browser's own cache but is revalidated before each
# use (a 304 costs no body), and never in a shared cache; it differs per caller.
PRIVATE_CACHE = b"private, no-cache"
# A 304 carries what would guide a cache; the content itself, and its description, are absent.
_NOT_IN_304 = frozenset(
    {
        b"content-type",
        b"content-length",
        b"content-encoding",
        b"content-disposition",
        b"content-language",
        b"content-range",
    }
)


class ConditionalReads:
    """GET answers with an ETag: `If-None-Match` → 304, `Cache-Control` for their revalidation.

    A public read (under `PUBLIC_READS`) gets an ETag of its body when its route sets none, and
    may be cached briefly by anyone. A signed-in read with an ETag (a single resource) may be
    kept by the browser and revalidated. Everything else, and any read with `reveal=true`
    (personal data in full), keeps `no-store` (set by RequestContext).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 304 when the client's copy is current; add the caching headers."""
        if scope["type"] != "http" or scope["method"] != "GET" or _reveals(scope):
            await self.app(scope, receive, send)
            return
        condition = _header(scope, b"if-none-match")
        if scope["path"].startswith(PUBLIC_READS):
            await self._public(scope, receive, send, condition)
        else:
            await self._private(scope, receive, send, condition)

    async def _private(
        self, scope: Scope, receive: Receive, send: Send, condition: str | None
    ) -> None:
        not_modified = False

        async def conditional_send(message: Message) -> None:
            nonlocal not_modified
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                etag = _value(headers, b"etag")
                if message["status"] != 200 or etag is None:
                    await send(message)
                    return
                _set_default(headers, b"cache-control", PRIVATE_CACHE)
                _add_vary(headers, b"Authorization")
                not_modified = condition is not None and _none_match(condition, etag)
                await send(_not_modified(message) if not_modified else message)
            elif not not_modified:
                await send(message)
            elif not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b""})

        await self.app(scope, receive, conditional_send)

    async def _public(
        self, scope: Scope, receive: Receive, send: Send, condition: str | None
    ) -> None:
        # The body is needed whole for its ETag; public answers are pages of JSON.
        start: Message = {}
        chunks: list[bytes] = []

        async def buffered_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            headers = start.setdefault("headers", [])
            if start["status"] == 200:
                etag = _value(headers, b"etag")
                if etag is None:
                    etag = f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
                    headers.append((b"etag", etag.encode()))
                _set_default(headers, b"cache-control", PUBLIC_CACHE)
                _add_vary(headers, b"Accept-Encoding")
                if condition is not None and _none_match(condition, etag):
                    await send(_not_modified(start))
                    await send({"type": "http.response.body", "body": b""})
                    return
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffered_send)


def _reveals(scope: Scope) -> bool:
    query: bytes = scope.get("query_string", b"")
    if b"reveal" not in query:
        return False
    values = parse_qs(query.decode("latin-1")).get("reveal", [])
    return any(v.lower() not in ("false", "0", "no", "off") for v in values)


def _none_match(condition: str, etag: str) -> bool:
    # If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/"3" matches "3".
    if condition.strip() == "*":
        return True
    current = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == current for tag in condition.split(","))


def _not_modified(start: Message) -> Message:
    headers = [(k, v) for k, v in start.get("headers", []) if k not in _NOT_IN_304]
    return {"type": "http.response.start", "status": 304, "headers": headers}


def _value(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _set_default(headers: list[tuple[bytes, bytes]], name: bytes, value: bytes) -> None:
    if _value(headers, name) is None:
        headers.append((name, value))


def _add_vary(headers: list[tuple[bytes, bytes]], field: bytes) -> None:
    tokens = [t.strip().lower() for k, v in headers if k.lower() == b"vary" for t in v.split(b",")]
    if field.lower() not in tokens:
        headers.append((b"vary", field))


#: Media types that are compressed already (or gain nothing): sent as they are.
ALREADY_COMPRESSED = (
    *DEFAULT_EXCLUDED_CONTENT_TYPES,
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


class Compression(GZipMiddleware):
    """gzip for answers of at least `minimum_size` bytes to clients that accept it.

    Never for media that are compressed already (spreadsheets, PDFs, images, archives): the
    downloads stream through unchanged. Below about a kilobyte the saving is under one packet.
    Level 6, zlib's own default: a page of 500 officers (217 KB) becomes 41 KB in 3 ms, where
    level 9 (Starlette's default) takes 50 ms for 39 KB.
    """

    def __init__(self, app: ASGIApp, *, minimum_size: int = 1024, compresslevel: int = 6) -> None:
        super().__init__(
            app,
            minimum_size=minimum_size,
            compresslevel=compresslevel,
            exclude_content_types=ALREADY_COMPRESSED,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Compress when Accept-Encoding allows gzip (a `q=0` refuses it)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accepts = _accepts_gzip(_header(scope, b"accept-encoding"))
        send = _one_vary(send)
        responder: IdentityResponder | None = None

        async def compressing_send(message: Message) -> None:
            nonlocal responder
            if message["type"] == "http.response.start":
                # An answer announced as small goes out as it is, without a responder's work.
                length = _value(message.get("headers", []), b"content-length")
                if length is not None and length.isdigit() and int(length) < self.minimum_size:
                    await send(message)
                    return
                responder = self._responder(accepts)
                responder.send = send
            if responder is None:
                await send(message)
            else:
                await responder.send_with_compression(message)

        await self.app(scope, receive, compressing_send)

    def _responder(self, accepts: bool) -> IdentityResponder:
        if accepts:
            return GZipResponder(
                self.app,
                self.minimum_size,
                compresslevel=self.compresslevel,
                thread_minimum_size=self.thread_minimum_size,
                exclude_content_types=self.exclude_content_types,
            )
        return IdentityResponder(
            self.app, self.minimum_size, exclude_content_types=self.exclude_content_types
        )


def _accepts_gzip(accept_encoding: str | None) -> bool:
    if not accept_encoding:
        return False
    accepted = False
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.partition(";")
        if coding.strip() not in ("gzip", "*"):
            continue
        q = params.strip().removeprefix("q=").strip() if "q=" in params else "1"
        try:
            weight = float(q)
        except ValueError:
            weight = 0.0
        if coding.strip() == "gzip":
            return weight > 0
        accepted = weight > 0
    return accepted


def _one_vary(send: Send) -> Send:
    # The compressor adds Vary: Accept-Encoding after ConditionalReads may have; say it once.
    async def deduplicated(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = message.get("headers", [])
            varies = [v for k, v in headers if k.lower() == b"vary"]
            if len(varies) > 1 or (varies and b"," in varies[0]):
                tokens = dict.fromkeys(
                    t.strip() for v in varies for t in v.split(b",") if t.strip()
                )
                message["headers"] = [(k, v) for k, v in headers if k.lower() != b"vary"] + [
                    (b"vary", b", ".join(tokens))
                ]
        await send(message)

    return deduplicated
