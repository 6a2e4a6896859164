"""One error hierarchy, rendered as RFC 9457 `application/problem+json` by one set of handlers."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel
from pydantic_core import PydanticKnownError
from sqlalchemy.exc import DataError, StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.domain.common import Finding, Severity
from app.domain.messages import N_
from app.i18n import Locale, _, current, label, render

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://kepu-api.example/problems/"
log = logging.getLogger("kepu.errors")
#: What a 503 asks the client to wait before retrying.
RETRY_AFTER_SECONDS = 5


class FieldError(BaseModel):
    """One invalid input field: `code` is stable, `message` is in the caller's language."""

    field: str
    message: str
    code: str


class Violation(BaseModel):
    """One unmet rule, by its ID in docs/rules.md: `code` is stable, `message` is in the
    caller's language."""

    rule: str
    code: str
    message: str
    field: str | None = None

    @classmethod
    def of(cls, finding: Finding) -> Violation:
        """The finding as a refusal lists it, rendered in the current language."""
        return cls(
            rule=finding.rule, code=finding.code, message=render(finding), field=finding.field
        )


class FindingPublic(BaseModel):
    """One rule not (yet) satisfied, or a warning that informs without refusing: `code` is
    stable, `message` is in the caller's language."""

    rule: str
    code: str
    message: str
    field: str | None
    severity: Severity

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> list[FindingPublic]:
        """The findings as the API shows them, rendered in the current language."""
        return [
            cls(
                rule=f.rule,
                code=f.code,
                message=render(f),
                field=f.field,
                severity=f.severity,
            )
            for f in findings
        ]


class Problem(BaseModel):
    """The body of every error response (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None
    violations: list[Violation] | None = None


class AppError(Exception):
    """Base of every error the API answers on purpose."""

    status = 400
    slug = "bad-request"
    #: An English template (`N_`), rendered in the caller's language when answered.
    title = N_("Bad request")

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.headers = headers or {}

    def extra(self) -> dict[str, Any]:
        """Members added to the problem body by a subclass."""
        return {}


class Unauthorized(AppError):
    """Missing or invalid credentials."""

    status, slug, title = 401, "unauthorized", N_("Authentication required")

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(AppError):
    """The caller's role may never take this action."""

    status, slug, title = 403, "forbidden", N_("Forbidden")


class NotFound(AppError):
    """No such resource in the caller's scope; `errors` names the field when an identifier in
    the query or the body names nothing (docs/api.md, "References")."""

    status, slug, title = 404, "not-found", N_("Not found")

    def __init__(self, detail: str | None = None, *, errors: Sequence[FieldError] = ()) -> None:
        super().__init__(detail)
        self.errors = list(errors)

    @classmethod
    def field(cls, field: str, message: str, code: str = "not_found") -> NotFound:
        """An identifier in the query or the body that names nothing in the caller's scope."""
        return cls(
            f"{field}: {message}", errors=[FieldError(field=field, message=message, code=code)]
        )

    def extra(self) -> dict[str, Any]:
        """The `errors` member, when a field is named."""
        return {"errors": [e.model_dump() for e in self.errors]} if self.errors else {}


class Conflict(AppError):
    """The request conflicts with the resource's current state."""

    status, slug, title = 409, "conflict", N_("Conflict")


class PreconditionFailed(AppError):
    """`If-Match` names a version that is no longer current."""

    status, slug, title = 412, "precondition-failed", N_("Precondition failed")


class PayloadTooLarge(AppError):
    """The body or upload exceeds its limit."""

    status, slug, title = 413, "payload-too-large", N_("Payload too large")


class UnsupportedMediaType(AppError):
    """The content type is not accepted here."""

    status, slug, title = 415, "unsupported-media-type", N_("Unsupported media type")


class TooManyRequests(AppError):
    """Throttled; retry after the given number of seconds."""

    status, slug, title = 429, "too-many-requests", N_("Too many requests")

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


class RequestTimeout(AppError):
    """The request ran past its deadline and was rolled back; retry later."""

    status, slug, title = 503, "request-timeout", N_("Request took too long")

    def __init__(self, seconds: float) -> None:
        super().__init__(
            _(
                "not finished within {seconds} s; nothing was changed, retry later",
                seconds=format(seconds, "g"),
            ),
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )


#: The codes of the input checks a schema cannot state: a combination of fields, the caller's
#: scope, the calendar, what is on record, or the header row of an uploaded sheet (a CSV or
#: XLSX body is a string or bytes to the schema; its columns are docs/spreadsheets.md's).
#: Every other 422 code is a value that the schema itself refuses, so a request valid by the
#: schema never carries one (docs/api.md, "Errors").
CONTEXT_CODES = frozenset(
    {
        "before_accreditation",
        "city_only",
        "county",
        "empty",
        "future",
        "invalid_date",
        "length",
        "level",
        "merged_header",
        "mismatch",
        "missing_column",
        "not_allowed",
        "not_county",
        "not_future",
        "not_reviewer",
        "one_of",
        "order",
        "out_of_scope",
        "pair",
        "prefix",
        "rank_group",
        "registration_incomplete",
        "required",
        "span",
        "too_many_rows",
        "unknown",
        "unknown_column",
    }
)


class InvalidInput(AppError):
    """Field-level validation errors found outside pydantic (e.g. a bad query combination)."""

    status, slug, title = 422, "validation-error", N_("Invalid input")

    def __init__(self, errors: Sequence[FieldError], detail: str | None = None) -> None:
        super().__init__(detail or _joined(f"{e.field}: {e.message}" for e in errors))
        self.errors = list(errors)

    @classmethod
    def one(cls, field: str, message: str, code: str = "invalid") -> InvalidInput:
        """An error naming a single field."""
        return cls([FieldError(field=field, message=message, code=code)])

    @classmethod
    def of(
        cls, errors: Iterable[Mapping[str, Any]], *, prefix: Sequence[str | int] = ()
    ) -> InvalidInput:
        """The errors of a pydantic validation (`exc.errors()`), each naming its field;
        `prefix` locates a model validated inside the request (for example a row of a bulk body)."""
        return cls(
            [_field_error(err, _field_name([*prefix, *err.get("loc", ())])) for err in errors]
        )

    def extra(self) -> dict[str, Any]:
        """The `errors` member."""
        return {"errors": [e.model_dump() for e in self.errors]}


def _joined(parts: Iterable[str]) -> str:
    return ("；" if current() is Locale.ZH else "; ").join(parts)


def _field_error(err: Mapping[str, Any], field: str) -> FieldError:
    """A pydantic error as the API lists it: its type as the code, its message in the current
    language, opening with the field's label."""
    code = str(err.get("type", "value_error"))
    name, problem = label(field), pydantic_message(err)
    message = problem if name is None else _("{label}: {problem}", label=name, problem=problem)
    return FieldError(field=field, code=code, message=message)


def pydantic_message(err: Mapping[str, Any]) -> str:
    """The message of a pydantic error in the current language. Pydantic's own templates are
    in the catalogue (scripts/messages extracts them); a `ValueError` or custom error raised by
    this code carries a marked template of its own."""
    code = str(err.get("type", "value_error"))
    ctx = dict(err.get("ctx") or {})
    if code in {"value_error", "assertion_error"}:
        return _(str(ctx.get("error", err.get("msg", ""))))
    if current() is Locale.EN:
        return str(err.get("msg", code))
    try:
        template = PydanticKnownError(code, ctx or None).message_template  # type: ignore[arg-type]
    except KeyError:
        # A PydanticCustomError of this code: its message is its (marked) template.
        return _(str(err.get("msg", code)))
    return _(template, **{k: str(v) for k, v in ctx.items()})


def refuse_hidden_text(fields: list[str]) -> None:
    """422 naming every field whose text holds a hidden character (`PLAIN_TEXT_PATTERN`)."""
    if fields:
        message = _("holds a control, directional or zero-width character")
        raise InvalidInput(
            [FieldError(field=f, message=message, code="hidden_character") for f in fields]
        )


class RuleViolation(AppError):
    """A rule refusal listing every unmet rule (409 for state, 422 for content)."""

    slug, title = "rule-violation", N_("Rule violation")

    def __init__(self, findings: Iterable[Finding], *, status: int = 422) -> None:
        self.violations = [Violation.of(f) for f in findings]
        super().__init__(_joined(f"{v.rule}: {v.message}" for v in self.violations))
        self.status = status

    def extra(self) -> dict[str, Any]:
        """The `violations` member."""
        return {"violations": [v.model_dump(exclude_none=True) for v in self.violations]}


def problem_response(
    request: Request,
    status: int,
    title: str,
    *,
    slug: str,
    detail: str | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    """A problem+json response carrying the request id; `title` is an English template,
    answered in the caller's language (`detail` is rendered already)."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + slug,
        "title": _(title),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", None),
    }
    body.update(extra or {})
    # The headers the spec promises with these statuses (app.openapi), whoever answers.
    promised = {**_STATUS_HEADERS.get(status, {}), **(headers or {})}
    return JSONResponse(body, status_code=status, headers=promised, media_type=PROBLEM_JSON)


_STATUS_HEADERS = {
    401: {"WWW-Authenticate": "Bearer"},
    429: {"Retry-After": str(RETRY_AFTER_SECONDS)},
    503: {"Retry-After": str(RETRY_AFTER_SECONDS)},
}


def allowed_methods(request: Request) -> str:
    """The `Allow` of a 405 (RFC 9110 15.5.6): every method of the path, where Starlette names
    only those of the first route it tried. The path is the most literal template that matches,
    as the spec lists it: `/bases/compliance`, not `/bases/{base_id}`, for `/bases/compliance`."""
    matching = [
        route
        for route in iter_route_contexts(request.app.routes)
        if route.methods and route.matches(request.scope)[0] is not Match.NONE
    ]
    if not matching:
        return ""
    template = max((str(r.path_format) for r in matching), key=_literal_length)
    methods = {m for r in matching if r.path_format == template for m in r.methods or ()}
    return ", ".join(sorted(methods))


def _literal_length(template: str) -> int:
    return len(re.sub(r"{[^}]*}", "", template))


def _field_name(loc: Sequence[int | str]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        where, rest = parts[0], parts[1:]
        return ".".join(rest) if where == "body" and rest else ".".join([where, *rest])
    return ".".join(parts)


_HTTP_SLUGS = {
    404: ("not-found", N_("Not found")),
    405: ("method-not-allowed", N_("Method not allowed")),
    413: ("payload-too-large", N_("Payload too large")),
    415: ("unsupported-media-type", N_("Unsupported media type")),
}


def install_error_handlers(app: FastAPI) -> None:
    """Render every error as problem+json; a 500 reveals only the request id."""

    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> Response:
        # A refused spreadsheet may be answered as a workbook (app/routers/bulk.py).
        answer = getattr(request.state, "refusal_answer", None)
        if answer is not None and isinstance(exc, InvalidInput):
            response: Response = answer(exc)
            return response
        return problem_response(
            request,
            exc.status,
            exc.title,
            slug=exc.slug,
            detail=exc.detail,
            headers=exc.headers,
            extra=exc.extra(),
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        invalid = InvalidInput.of(exc.errors())
        malformed = any(e.code == "json_invalid" for e in invalid.errors)
        return problem_response(
            request,
            400 if malformed else 422,
            N_("Malformed JSON") if malformed else invalid.title,
            slug="malformed-json" if malformed else invalid.slug,
            detail=invalid.detail,
            extra=invalid.extra(),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug, title = _HTTP_SLUGS.get(exc.status_code, ("http-error", N_("HTTP error")))
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        return problem_response(
            request,
            exc.status_code,
            title,
            slug=slug,
            # Starlette's own detail is the status phrase ("Not Found"): the title says it.
            detail=None if exc.detail == HTTPStatus(exc.status_code).phrase else _(str(exc.detail)),
            headers=headers,
        )

    @app.exception_handler(StatementError)
    async def _statement_error(request: Request, exc: StatementError) -> JSONResponse:
        # The database (or a column type) refused a value the validators let through: a NUL
        # character, a number or date beyond its range. That is the client's input, so a 422
        # that names no SQL; any other database failure stays a 500.
        if not isinstance(exc, DataError) and not isinstance(exc.orig, OverflowError | ValueError):
            return await _unexpected(request, exc)
        return problem_response(
            request,
            422,
            InvalidInput.title,
            slug="validation-error",
            detail=_("a value is out of range or contains characters that cannot be stored"),
        )

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: OverflowError) -> JSONResponse:
        return problem_response(
            request,
            422,
            InvalidInput.title,
            slug="validation-error",
            detail=_("a number or date is out of range"),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return problem_response(
            request,
            500,
            N_("Internal server error"),
            slug="internal",
            detail=_("An unexpected error occurred; quote the request id when reporting it."),
        )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries declaring problem+json bodies for the given statuses."""
    return {
        status: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": _describe(status)}
        for status in statuses
    }


def _describe(status: int) -> str:
    return {
        400: "Malformed request",
        401: "Missing or invalid token",
        403: "Role not allowed",
        404: "Not found or outside the caller's scope",
        409: "Conflict with the current state, or rule refusal",
        412: "Stale If-Match",
        413: "Body too large",
        415: "Unsupported media type",
        422: "Invalid input or rule refusal",
        429: "Throttled",
        503: "Not finished in time (nothing changed) or not ready; see Retry-After",
    }.get(status, "Error")
