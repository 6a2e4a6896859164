"""The OpenAPI document: FastAPI's spec, completed from every route's facts and built once.

FastAPI declares what a route's signature shows. What the shared mechanisms add to every route
(problem+json errors, ETag and If-Match, Idempotency-Key, Location, Retry-After, binary
downloads, tag descriptions) is added here, generically, so that no router declares it by hand.
"""

from __future__ import annotations

import copy
import functools
import inspect
import json
import re
from collections.abc import Callable, Iterable, Iterator
from types import CodeType, FunctionType
from typing import Any, TypedDict

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute

from app.domain.common import PLAIN_TEXT_PATTERN
from app.errors import PROBLEM_JSON
from app.i18n import Locale
from app.middleware import PUBLIC_READS
from app.routers import deps, pages
from app.routers.bulk import add_row_schemas
from app.routers.route import IDEMPOTENCY_KEY_PATTERN, NO_IDEMPOTENCY_PREFIX
from app.spreadsheets import XLSX


class Tag(TypedDict):
    """An OpenAPI tag: its name and what its operations are about."""

    name: str
    description: str


#: Every tag, in the order a reader meets them: the public face first, then the platform,
#: then the three areas. An operation's tag must be one of these (tests/test_openapi.py).
TAGS: tuple[Tag, ...] = (
    Tag(
        name="public",
        description="Open to everyone, no token: the directory of science education bases, "
        "certificate checks, complaints and volunteer registration.",
    ),
    Tag(
        name="auth",
        description="Sign in with a username and password (OAuth2 password flow), rotate the "
        "refresh token, sign out, and read who is signed in.",
    ),
    Tag(name="users", description="Accounts and their roles and scopes (city administrators)."),
    Tag(
        name="regions",
        description="The region tree of Chifeng (GB/T 2260 codes): city, counties, townships, "
        "villages.",
    ),
    Tag(
        name="changes",
        description="The change feed (every create, update and delete, by sequence number) and "
        "the audit log.",
    ),
    Tag(
        name="webhooks",
        description="Webhook subscriptions: the change feed pushed, signed, to integrators.",
    ),
    Tag(
        name="notifications",
        description="Each person's notices (inbox and read state) and notification preferences "
        "(language, email, channels per kind, quiet hours).",
    ),
    Tag(name="health", description="Liveness, readiness and Prometheus metrics."),
    Tag(
        name="certificate page",
        description="The page a person opens from a certificate's QR code (HTML, no login).",
    ),
    Tag(
        name="base-policies",
        description="Science education bases: the yearly policy (quotas, thresholds, windows).",
    ),
    Tag(
        name="base-applications",
        description="Science education bases: applications, eligibility, review, inspections "
        "and accreditation.",
    ),
    Tag(
        name="bases",
        description="Science education bases: the register, activities, annual reports, "
        "evaluations, rectification and revocation.",
    ),
    Tag(
        name="organizations",
        description="Tech volunteer service: organisations, their tree and their leaders.",
    ),
    Tag(name="volunteers", description="Tech volunteer service: volunteers and memberships."),
    Tag(
        name="activities",
        description="Tech volunteer service: activities, enrolments and insurance.",
    ),
    Tag(
        name="service-records",
        description="Tech volunteer service: service records, hours and certificates.",
    ),
    Tag(
        name="recruitment",
        description="Tech volunteer service: recruitment drives and applications.",
    ),
    Tag(name="agreements", description="Tech volunteer service: service agreements."),
    Tag(
        name="incidents",
        description="Tech volunteer service: incidents of harm and their handling.",
    ),
    Tag(
        name="complaints",
        description="Tech volunteer service: complaints and reports, their notes and closing.",
    ),
    Tag(name="funds", description="Tech volunteer service: fund records and yearly summaries."),
    Tag(
        name="commendations",
        description="Tech volunteer service: commendations and the priority list.",
    ),
    Tag(
        name="officers",
        description="Science popularisation information officers: the register and bulk imports.",
    ),
    Tag(
        name="officer figures",
        description="Information officers: dissemination figures and their metrics.",
    ),
    Tag(
        name="officer training",
        description="Information officers: training plans, sessions, attendance.",
    ),
    Tag(name="officer activity plans", description="Information officers: activity plans."),
    Tag(
        name="officer cases",
        description="Information officers: typical cases reported by counties.",
    ),
    Tag(name="officer ledgers", description="The county ledgers of officers (CSV, XLSX)."),
    Tag(name="officer scorecards", description="The yearly scorecards of the counties."),
    Tag(
        name="reports",
        description="The reports county staff hand in (XLSX, CSV): volunteer service of a year, "
        "base compliance, the hours sheet of a team.",
    ),
    Tag(
        name="templates",
        description="The spreadsheet templates of the imports: Chinese headers, drop-down lists.",
    ),
)

PROBLEM = {"$ref": "#/components/schemas/Problem"}
BINARY = {"type": "string", "format": "binary"}

HEADERS: dict[str, dict[str, Any]] = {
    "ETag": {
        "description": 'The strong tag of this version of the resource (`"<version>"`): send it '
        "back in `If-Match` to update, in `If-None-Match` to revalidate.",
        "required": True,
        "schema": {"type": "string"},
    },
    "Location": {
        "description": "The path of the created resource.",
        "required": True,
        "schema": {"type": "string"},
    },
    "IdempotentReplayed": {
        "description": "`true` when this is the stored answer of an earlier request with the "
        "same `Idempotency-Key` (nothing was done again).",
        "required": False,
        "schema": {"type": "string", "enum": ["true"]},
    },
    "RetryAfter": {
        "description": "Seconds to wait before retrying.",
        "required": True,
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    },
    "CacheControl": {
        "description": "A public read may be kept by any cache for a minute "
        "(`public, max-age=60, no-transform`); revalidate with `If-None-Match`.",
        "required": True,
        "schema": {"type": "string"},
    },
    "WWWAuthenticate": {
        "description": "The authentication scheme to use (`Bearer`).",
        "required": True,
        "schema": {"type": "string"},
    },
    "ContentDisposition": {
        "description": "An answer that is a file (a spreadsheet, a PDF, an attached file): "
        "`attachment` (or `inline` for a certificate's PDF) with its name, RFC 6266 "
        "(`filename*=UTF-8''…` for a Chinese name).",
        "required": False,
        "schema": {"type": "string"},
    },
    "ContentLanguage": {
        "description": "The language of the messages in this answer: `zh-CN` unless "
        "`Accept-Language` prefers `en`.",
        "required": True,
        "schema": {"type": "string", "enum": [locale.value for locale in Locale]},
    },
    "RequestId": {
        "description": "The request's id (the `X-Request-ID` sent, or one generated): quote it "
        "when reporting a problem; every log line of the request carries it.",
        "required": True,
        "schema": {"type": "string"},
    },
}

PARAMETERS: dict[str, dict[str, Any]] = {
    "AcceptLanguage": {
        "name": "Accept-Language",
        "in": "header",
        "required": False,
        "description": "The language of messages, problem texts and file headers: Chinese "
        "(`zh-CN`) by default, English when `en` is preferred (for example `en`, "
        "`en-US,zh;q=0.5`). Codes, rule IDs and field names never change with it.",
        "schema": {"type": "string"},
    },
    "IdempotencyKey": {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": "Makes a retried POST safe: the same caller, key and body within 24 h "
        "answer the stored result (with `Idempotent-Replayed: true`) instead of acting twice.",
        "schema": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "pattern": IDEMPOTENCY_KEY_PATTERN,
        },
    },
    "IfMatch": {
        "name": "If-Match",
        "in": "header",
        "required": False,
        "description": "The `ETag` last read: the change is refused with 412 when the resource "
        "has changed since (`*` matches any version).",
        "schema": {"type": "string"},
    },
    "IfNoneMatch": {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "description": "The `ETag` last read: 304 with no body when it is still current.",
        "schema": {"type": "string"},
    },
}

#: Headers of a response by status, for every operation that declares the status.
STATUS_HEADERS: dict[str, tuple[str, ...]] = {
    "401": ("WWW-Authenticate",),
    "429": ("Retry-After",),
    "503": ("Retry-After",),
}
_HEADER_REFS = {
    "ETag": "ETag",
    "Location": "Location",
    "Idempotent-Replayed": "IdempotentReplayed",
    "Retry-After": "RetryAfter",
    "WWW-Authenticate": "WWWAuthenticate",
    "Cache-Control": "CacheControl",
    "Content-Language": "ContentLanguage",
    "Content-Disposition": "ContentDisposition",
    "X-Request-ID": "RequestId",
}
METHODS = ("get", "put", "post", "patch", "delete")
ROUTERS = "app.routers."
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
_JSON = re.compile(r"^application/(?:[\w.+-]+\+)?json$")


def install(app: FastAPI) -> None:
    """Serve the completed spec from `app.openapi()`, built on the first call and kept."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(plain(), app.routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def complete(spec: dict[str, Any], routes: Iterable[BaseRoute]) -> dict[str, Any]:
    """`spec` with every mechanism the routes share declared, and only what it references."""
    spec = add_row_schemas(spec)
    components = spec.setdefault("components", {})
    components["headers"] = copy.deepcopy(HEADERS)
    components["parameters"] = copy.deepcopy(PARAMETERS)
    endpoints = {
        (route.path_format, method.lower()): route.endpoint
        for route in iter_route_contexts(list(routes))
        if isinstance(route.original_route, APIRoute) and route.endpoint is not None
        for method in route.methods or ()
    }
    for path, method, op in operations(spec):
        if op.get("requestBody"):
            # A body of a media type the operation does not read (app.routers.route).
            op.setdefault("responses", {}).setdefault("415", _problem("Unsupported media type"))
        _declare_problems(op)
        _declare_binary(op)
        _declare_headers(path, method, op, endpoints.get((path, method)))
    _declare_plain_text(spec)
    spec["tags"] = list(TAGS)
    _prune_schemas(spec)
    return _named_by_title(spec)


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """`(path, method, operation)` of every operation of `spec`."""
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _declare_problems(op: dict[str, Any]) -> None:
    # Every error is RFC 9457 problem+json (app.errors), whatever FastAPI's defaults say; only a
    # page for people (the certificate page) answers its own errors as HTML. A refused
    # spreadsheet may also be answered as its error report workbook (app/routers/bulk.py).
    for status, response in op.get("responses", {}).items():
        content = response.get("content", {})
        if status[0] in "45" and not ("text/html" in content and PROBLEM_JSON not in content):
            report = {XLSX: {"schema": BINARY}} if XLSX in content else {}
            response["content"] = {PROBLEM_JSON: {"schema": PROBLEM}, **report}


def _declare_binary(op: dict[str, Any]) -> None:
    # Files in and out (CSV, XLSX, PDF, images): bytes to a client, whatever their media type.
    contents = [op.get("requestBody", {}).get("content", {})]
    contents += [r.get("content", {}) for s, r in op.get("responses", {}).items() if s[0] == "2"]
    for content in contents:
        for media, body in content.items():
            if not _JSON.match(media.split(";")[0].strip()) and media not in FORMS:
                body["schema"] = BINARY


def _declare_headers(
    path: str, method: str, op: dict[str, Any], endpoint: Callable[..., Any] | None
) -> None:
    responses: dict[str, Any] = op.setdefault("responses", {})
    refs = _references(endpoint) if endpoint is not None else frozenset()
    # A public read gets an ETag of its body when its route sets none (app.middleware).
    public_read = method == "get" and path.startswith(PUBLIC_READS)
    tagged = public_read or bool(
        refs & {deps.set_etag, pages.mark_created, pages.created, pages.upserted}
    )
    if pages.upserted in refs and "200" in responses:
        responses.setdefault("201", {**responses["200"], "description": "Created"})
    if_match = deps.check_if_match in refs or "412" in responses
    idempotent = (
        method == "post"
        and path.startswith("/api/v1/")
        and not path.startswith(NO_IDEMPOTENCY_PREFIX)
    )
    if if_match:
        responses.setdefault("412", _problem("Stale If-Match"))
        _add_parameter(op, "IfMatch")
    if idempotent:
        _add_parameter(op, "IdempotencyKey")
    _add_parameter(op, "AcceptLanguage")
    if tagged and method == "get":
        _add_parameter(op, "IfNoneMatch")
        responses.setdefault(
            "304",
            {
                "description": "Not modified: the `If-None-Match` tag is current",
                "headers": {"ETag": _header("ETag")},
            },
        )
    for status, response in responses.items():
        # Every answer carries its request id and language (app.middleware); a 304 has no body.
        wanted = ["X-Request-ID", *["Content-Language"] * (status != "304")]
        wanted += STATUS_HEADERS.get(status, ())
        if status.startswith("2"):
            wanted += ["ETag"] * tagged + ["Location"] * (status == "201")
            wanted += ["Cache-Control"] * (public_read and status == "200")
            wanted += ["Idempotent-Replayed"] * idempotent
        files = [m for m in response.get("content", {}) if not _JSON.match(m) and m != "text/html"]
        wanted += ["Content-Disposition"] * bool(files)
        if wanted:
            headers = response.setdefault("headers", {})
            for name in wanted:
                headers[name] = _header(name)


def _declare_plain_text(spec: dict[str, Any]) -> None:
    # Every free text a JSON body carries refuses hidden characters (app.routers.route), so
    # its schema says so; a text with a pattern, an enum or a format of its own already says more.
    schemas = spec.get("components", {}).get("schemas", {})
    todo = [
        body["schema"]
        for _, _, op in operations(spec)
        for media, body in op.get("requestBody", {}).get("content", {}).items()
        if _JSON.match(media) and "schema" in body
    ]
    seen: set[int] = set()
    while todo:
        node = todo.pop()
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        ref = node.get("$ref")
        if isinstance(ref, str):
            todo.append(schemas.get(ref.rsplit("/", 1)[-1]))
        free_text = node.get("type") == "string" and node.get("format") in (None, "password")
        if free_text and not {"pattern", "enum", "const"} & node.keys():
            node["pattern"] = PLAIN_TEXT_PATTERN
        for key in ("items", "additionalProperties"):
            todo.append(node.get(key))
        for key in ("anyOf", "oneOf", "allOf"):
            todo += node.get(key, [])
        todo += list(node.get("properties", {}).values())


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": PROBLEM}}}


def _header(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/headers/{_HEADER_REFS[name]}"}


def _add_parameter(op: dict[str, Any], name: str) -> None:
    params: list[dict[str, Any]] = op.setdefault("parameters", [])
    declared = PARAMETERS[name]["name"].lower()
    if not any(str(p.get("name", "")).lower() == declared for p in params):
        params.append({"$ref": f"#/components/parameters/{name}"})


def _references(endpoint: Callable[..., Any]) -> frozenset[FunctionType]:
    """The functions `endpoint` calls by their global name, and those that the router functions
    among them call: how a route sets an ETag or checks `If-Match` (`set_etag`, `mark_created`,
    `created`, `check_if_match`) shows in its code, whichever area wrote it."""
    function = inspect.unwrap(endpoint)
    return _calls(function, 3) if isinstance(function, FunctionType) else frozenset()


@functools.cache
def _calls(function: FunctionType, depth: int) -> frozenset[FunctionType]:
    found: set[FunctionType] = set()
    for name in _names(function.__code__):
        value = function.__globals__.get(name)
        if isinstance(value, FunctionType):
            found.add(value)
            if depth > 1 and value.__module__.startswith(ROUTERS):
                found |= _calls(value, depth - 1)
    return frozenset(found)


def _names(code: CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names |= _names(const)
    return names


def _named_by_title(spec: dict[str, Any]) -> dict[str, Any]:
    """`spec` with each schema keyed by its title where pydantic's key is not it: a generic
    model's key spells its parameters' module paths (`Page_UserPublic_`), its title is
    `UserPublicPage` (`Page.model_parametrized_name`). Keys that share a title stay as they
    are: they are two classes of one name, which tests/test_openapi.py names."""
    schemas: dict[str, Any] = spec.get("components", {}).get("schemas", {})
    wanted: dict[str, list[str]] = {}
    for key, schema in schemas.items():
        title = schema.get("title")
        if isinstance(title, str) and title != key and re.fullmatch(r"[A-Za-z]\w*", title):
            wanted.setdefault(title, []).append(key)
    renames = {
        keys[0]: title for title, keys in wanted.items() if len(keys) == 1 and title not in schemas
    }
    if not renames:
        return spec
    text = re.sub(
        r'"#/components/schemas/([^"]+)"',
        lambda m: f'"#/components/schemas/{renames.get(m[1], m[1])}"',
        json.dumps(spec),
    )
    renamed: dict[str, Any] = json.loads(text)
    old = renamed["components"]["schemas"]
    renamed["components"]["schemas"] = {renames.get(k, k): v for k, v in old.items()}
    return renamed


def _prune_schemas(spec: dict[str, Any]) -> None:
    # FastAPI's own validation-error schemas, replaced by Problem, are referenced no more.
    schemas: dict[str, Any] = spec.get("components", {}).get("schemas", {})
    reached: set[str] = set()
    todo = [json.dumps(spec.get("paths", {})), json.dumps(spec["components"].get("parameters"))]
    while todo:
        for name in re.findall(r'"#/components/schemas/([^"]+)"', todo.pop()):
            if name not in reached and name in schemas:
                reached.add(name)
                todo.append(json.dumps(schemas[name]))
    for name in [n for n in schemas if n not in reached]:
        del schemas[name]
