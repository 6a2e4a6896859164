"""The unit of work: one session per request, committed on success, rolled back on any error,
with Idempotency-Key replay stored in the same transaction and retries on transient lock errors."""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Annotated, Any, get_args, get_origin

import anyio
from fastapi import APIRouter, Query, Request, Response, params
from fastapi.datastructures import DefaultPlaceholder
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_typed_return_annotation, get_typed_signature
from fastapi.routing import APIRoute
from pydantic import (
    AwareDatetime,
    FutureDate,
    FutureDatetime,
    NaiveDatetime,
    PastDate,
    PastDatetime,
)
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.convertors import StringConvertor, register_url_convertor
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

from app.context import AppContext
from app.db import DEADLINE, WRITE_INTENT, past_deadline
from app.domain.common import hidden_text_fields
from app.domain.messages import N_
from app.errors import (
    Conflict,
    InvalidInput,
    RequestTimeout,
    TooManyRequests,
    UnsupportedMediaType,
    problem_responses,
    refuse_hidden_text,
)
from app.i18n import _
from app.middleware import is_upload, route_template
from app.repositories import idempotency, limits, users
from app.repositories.base import PageRequest
from app.routers import pages
from app.routers.downloads import download, download_contents
from app.security.tokens import TokenError
from app.spreadsheets import CSV, XLSX, FileFormat

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_ATTEMPTS = 3
_TRANSIENT = (
    "database is locked",
    "deadlock detected",
    "could not serialize",
    "lock timeout",
)
#: Never replayed: answers holding fresh credentials must not be stored.
NO_IDEMPOTENCY_PREFIX = "/api/v1/auth/"
#: What an Idempotency-Key may be (the spec declares it): 1 to 255 visible ASCII characters.
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]{1,255}$"
_IDEMPOTENCY_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)
Handler = Callable[[Request], Coroutine[Any, Any, Response]]


#: The spellings of `true` that FastAPI accepts for a boolean query parameter.
_TRUE = frozenset({"1", "true", "on", "yes", "t", "y"})


def _reveals(request: Request) -> bool:
    # A read that reveals personal data writes its audit event (app.repositories.reveal) in this
    # request's unit of work, so it runs as a writer and the audit commits with the answer.
    return request.query_params.get("reveal", "").lower() in _TRUE


def _idempotency_key(request: Request) -> str | None:
    """The `Idempotency-Key` of a POST that may be replayed; a 422 when it is not of the
    declared form."""
    if request.method != "POST" or request.url.path.startswith(NO_IDEMPOTENCY_PREFIX):
        return None
    key = request.headers.get("idempotency-key")
    if key is not None and not _IDEMPOTENCY_KEY.match(key):
        raise InvalidInput.one(
            "header.Idempotency-Key", _("1 to 255 visible ASCII characters"), "pattern"
        )
    return key


def _transient(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return any(t in text for t in _TRANSIENT)


def _caller(ctx: AppContext, request: Request) -> tuple[str, str] | None:
    # Keys belong to a signed-in caller (user id, login session); an anonymous or forged
    # request gets no idempotency, so no caller can read another's stored answer.
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("bearer "):
        return None
    try:
        claims = ctx.tokens.verify(auth[7:])
    except TokenError:
        return None
    return claims.sub, claims.sid


def _in_worker_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """`endpoint` (a plain function) as a coroutine that runs it in the thread pool."""

    # FastAPI validates the answer of a plain-function endpoint in one more thread-pool hop,
    # which costs more than the validation; as a coroutine, the answer is validated on the
    # event loop. The signature (and so the spec) is read through `__wrapped__`, unchanged.
    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return run


def _plain_function(endpoint: Callable[..., Any]) -> bool:
    # Unwrapped as FastAPI unwraps it; coroutines and generators are left to FastAPI.
    inner = inspect.unwrap(endpoint)
    special = (inspect.iscoroutinefunction, inspect.isgeneratorfunction, inspect.isasyncgenfunction)
    return inspect.isfunction(inner) and not any(check(inner) for check in special)


#: What a date or an instant in a query string must look like: the spec's `format: date` and
#: `format: date-time`. Pydantic alone also reads `0` or `2.5` as Unix timestamps.
_CALENDAR = {
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "date-time": re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}"),
}
_CALENDAR_MESSAGES = {"date": N_("an ISO 8601 date"), "date-time": N_("an ISO 8601 date-time")}


def _calendar_params(dependant: Dependant) -> tuple[tuple[str, str], ...]:
    """`(name, format)` of every query parameter typed as a date or an instant."""
    found: list[tuple[str, str]] = []
    todo = [dependant]
    while todo:
        current = todo.pop()
        todo += current.dependencies
        for param in current.query_params:
            types = set(_leaf_types(param.field_info.annotation))
            if types & _INSTANTS or any(issubclass(t, datetime) for t in types):
                found.append((param.alias, "date-time"))
            elif types & _DATES or any(issubclass(t, date) for t in types):
                found.append((param.alias, "date"))
    return tuple(found)


_INSTANTS = {AwareDatetime, NaiveDatetime, PastDatetime, FutureDatetime}
_DATES = {PastDate, FutureDate}


def _leaf_types(annotation: Any) -> Iterator[type]:
    """The classes an annotation names, through `Annotated[...]` and unions."""
    if get_origin(annotation) is Annotated:
        yield from _leaf_types(get_args(annotation)[0])
    elif get_args(annotation):
        for arg in get_args(annotation):
            yield from _leaf_types(arg)
    elif isinstance(annotation, type):
        yield annotation


def _check_calendar(request: Request, params: tuple[tuple[str, str], ...]) -> None:
    for name, kind in params:
        for value in request.query_params.getlist(name):
            if not _CALENDAR[kind].match(value):
                raise InvalidInput.one(f"query.{name}", _(_CALENDAR_MESSAGES[kind]), "iso_8601")


_FORMS = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
_JSON_MEDIA = re.compile(r"^application/(?:[\w.-]+\+)?json$")


def _body_media(route: APIRoute) -> frozenset[str] | None:
    """The media types the route's body is read as: JSON, a form, or none declared (no body,
    or a body the endpoint reads itself, as a bulk import does)."""
    if route.body_field is None:
        return None
    info = route.body_field.field_info
    if isinstance(info, params.File):
        return frozenset({"multipart/form-data"})
    if isinstance(info, params.Form):
        return _FORMS
    return frozenset({"application/json"})


# A quick look at the raw body for what may be a hidden character, raw in UTF-8 or escaped in
# JSON (over-approximate: only a hit costs parsing the body to find and name the field).
MAYBE_HIDDEN = re.compile(
    rb"(?i:\\u(?:00[01]|007f|00[89]|200[b-f]|202[a-e]|206|feff))"
    rb"|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa0-\xa9]|\xef\xbb\xbf|\xc2[\x80-\x9f]"
)


def json_body_schema(request: Request) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The JSON Schema of the operation's JSON body in the spec, and the spec's components."""
    spec = request.app.openapi()
    path = route_template(request.scope)
    op = spec.get("paths", {}).get(path, {}).get(request.method.lower(), {})
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    return body.get("schema"), spec.get("components", {}).get("schemas", {})


def _check_json_text(request: Request, body: bytes) -> None:
    if not MAYBE_HIDDEN.search(body):
        return
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return  # malformed: FastAPI answers it
    refuse_hidden_text(hidden_text_fields(value, *json_body_schema(request)))


def _check_media(request: Request, accepted: frozenset[str] | None) -> None:
    """415 for a body sent as a media type the operation does not read (a missing
    Content-Type is read as the operation's own)."""
    sent = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if accepted is None or not sent:
        return
    if sent in accepted or ("application/json" in accepted and _JSON_MEDIA.match(sent)):
        return
    if len(accepted) == 1:
        (media_type,) = accepted
        raise UnsupportedMediaType(_("send the body as {media_type}", media_type=media_type))
    types = ", ".join(sorted(accepted))
    raise UnsupportedMediaType(_("send the body as one of {types}", types=types))


class SegmentConvertor(StringConvertor):
    """A path parameter that holds no colon: `/x/{id}` then never matches the colon verb
    `/x/{id}:verb`, so another method on a verb's path is a 405, not a lookup of "id:verb"."""

    regex = "[^/:]+"


register_url_convertor("segment", SegmentConvertor())
_PLAIN_PARAMETER = re.compile(r"\{(\w+)\}")

#: How a list export asks the endpoint for one page: its arguments, the cursor, whether to count.
Paging = Callable[[dict[str, Any], str | None, bool], dict[str, Any]]
_FORMAT = inspect.Parameter(
    "format",
    inspect.Parameter.KEYWORD_ONLY,
    default=None,
    annotation=Annotated[
        FileFormat | None,
        Query(
            description="A file of every item the filters match instead of a page: `xlsx`, "
            "or `csv` (UTF-8 with a BOM); headers in the language of `Accept-Language`. "
            "`limit`, `cursor` and `include_total` do not apply; more than "
            f"{pages.EXPORT_MAX_ROWS:,} matching items is a 422 (`too_many_rows`)."
        ),
    ],
)


def _exported(
    path: str, endpoint: Callable[..., Any], options: dict[str, Any]
) -> Callable[..., Any] | None:
    """`endpoint` answering, with `?format=`, every item of its list as a file; None unless it
    is a list: a GET answering a `Page` of objects, a plain function that takes the page
    parameters (`PageDep`, or `limit` and `cursor` of its own)."""
    model = options.get("response_model")
    if isinstance(model, DefaultPlaceholder):
        model = get_typed_return_annotation(endpoint)
    if not (isinstance(model, type) and issubclass(model, pages.Page)):
        return None
    if pages.item_model(model) is None or "GET" not in (options.get("methods") or ()):
        return None
    parameters = get_typed_signature(endpoint).parameters
    paging = _paging(parameters)
    if paging is None or "format" in parameters or not _plain_function(endpoint):
        return None
    segments = [s for s in path.split("/") if s and not s.startswith("{")]
    return _exporting(endpoint, model, paging, segments[-1] if segments else "items")


def _paging(parameters: Mapping[str, inspect.Parameter]) -> Paging | None:
    """How to ask for a page of the export: through the `PageRequest` parameter, or through
    `limit` and `cursor` (and `include_total`) parameters; None when there are neither."""
    request = next(
        (n for n, p in parameters.items() if PageRequest in set(_leaf_types(p.annotation))), None
    )
    if request is not None:

        def through_request(
            kwargs: dict[str, Any], cursor: str | None, first: bool
        ) -> dict[str, Any]:
            asked = replace(
                kwargs[request],
                limit=pages.EXPORT_PAGE_SIZE,
                cursor=cursor,
                include_total=first,
            )
            return {**kwargs, request: asked}

        return through_request
    if not {"limit", "cursor"} <= parameters.keys():
        return None
    counts = "include_total" in parameters

    def through_parameters(
        kwargs: dict[str, Any], cursor: str | None, first: bool
    ) -> dict[str, Any]:
        asked = {**kwargs, "limit": pages.EXPORT_PAGE_SIZE, "cursor": cursor}
        return {**asked, "include_total": first} if counts else asked

    return through_parameters


def _exporting(
    endpoint: Callable[..., Any], model: type[pages.Page[Any]], paging: Paging, segment: str
) -> Callable[..., Any]:
    """`endpoint` with a `format` parameter: without it, its page; with it, a file of every
    item, the pages asked for in turn with the same arguments (caller, session, filters)."""

    @functools.wraps(endpoint)
    def run(*args: Any, format: FileFormat | None = None, **kwargs: Any) -> Any:
        if format is None:
            return endpoint(*args, **kwargs)

        def fetch(cursor: str | None, *, first: bool) -> pages.Page[Any]:
            answer = endpoint(*args, **paging(kwargs, cursor, first))
            if isinstance(answer, Response):
                # A list that serialises its own page: the file shows what its JSON shows.
                return model.model_validate_json(bytes(answer.body))
            return model.model_validate(answer, from_attributes=True)

        return download(pages.list_export(fetch, model, segment), format)

    signature = inspect.signature(endpoint)
    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), _FORMAT]
    )
    return run


def _with_files(responses: dict[int | str, Any] | None) -> dict[int | str, Any]:
    """`responses` whose 200 also lists the files of a list export."""
    answers = dict(responses or {})
    ok = answers.get(200, {})
    answers[200] = {**ok, "content": {**ok.get("content", {}), **download_contents()}}
    return answers


class UnitOfWorkRoute(APIRoute):
    """An APIRoute whose handler owns the request's database transaction."""

    #: Callable without a login: its writes are rate-limited per source address, up to the
    #: setting of this name.
    anonymous_limit: str | None = None
    #: A list that also answers every matching item as a file (`?format=`).
    exports: bool = False
    #: A report answered only as a spreadsheet (docs/reports.md): written whole before answering.
    spreadsheet: bool = False

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        """The route of `endpoint`; a plain-function endpoint still runs in the thread pool, and
        a list also answers every matching item as a file (`?format=xlsx|csv`)."""
        exported = _exported(path, endpoint, kwargs)
        self.exports = exported is not None
        answers = (kwargs.get("responses") or {}).get(200, {}).get("content", {})
        self.spreadsheet = bool(answers) and set(answers) <= {XLSX, CSV}
        if exported is not None:
            endpoint = exported
            kwargs["responses"] = _with_files(kwargs.get("responses"))
        if _plain_function(endpoint):
            endpoint = _in_worker_thread(endpoint)
        super().__init__(_PLAIN_PARAMETER.sub(r"{\1:segment}", path), endpoint, **kwargs)

    def get_route_handler(self) -> Handler:
        """Wrap FastAPI's handler in session, idempotency and retry handling."""
        inner = super().get_route_handler()
        calendar = _calendar_params(self.dependant)
        media = _body_media(self)

        async def handler(request: Request) -> Response:
            _check_media(request, media)
            _check_calendar(request, calendar)
            ctx: AppContext = request.app.state.ctx
            settings = ctx.settings
            # A list export or a report reads every row and writes the file before answering:
            # as long as an import may take.
            exporting = self.spreadsheet or (self.exports and "format" in request.query_params)
            seconds = (
                settings.bulk_request_timeout_seconds
                if exporting or is_upload(request.method, request.url.path)
                else settings.request_timeout_seconds
            )
            # Every query of this request, in whichever thread, sees the deadline (app.db).
            DEADLINE.set((time.monotonic() + seconds, seconds))
            write = request.method not in SAFE_METHODS or _reveals(request)
            if self.anonymous_limit and request.method not in SAFE_METHODS:
                await run_in_threadpool(_throttle, ctx, request, self.anonymous_limit)
            if write:
                await _read_body(request, seconds)
                if media is not None and "application/json" in media:
                    _check_json_text(request, await request.body())
            key = _idempotency_key(request)
            caller = _caller(ctx, request) if key is not None else None
            if caller is not None and not await run_in_threadpool(_live, ctx, *caller):
                # An ended login reads no stored answer: authentication will answer 401.
                caller = None
            ident: dict[str, Any] | None = None
            if key is not None and caller is not None:
                body = await request.body()
                digest = hashlib.sha256(
                    request.method.encode()
                    + b" "
                    + str(request.url.path).encode()
                    + b"?"
                    + request.url.query.encode()
                    + b"\n"
                    + body
                ).hexdigest()
                ident = {"caller": caller[0], "key": key, "body_hash": digest}
                replay = await run_in_threadpool(_replay, ctx, ident)
                if replay is not None:
                    return replay
            for attempt in range(1, MAX_ATTEMPTS + 1):
                try:
                    async with _admitted(request, write, seconds):
                        return await _attempt(ctx, request, inner, write, ident)
                except OperationalError as exc:
                    if past_deadline():
                        # Interrupted by the deadline (SQLite) or statement_timeout (PostgreSQL).
                        raise RequestTimeout(seconds) from None
                    if attempt == MAX_ATTEMPTS or not _transient(exc):
                        raise
                except StaleDataError:
                    # Two writers read the same version; the other one committed first.
                    raise Conflict(
                        _("changed by another request at the same time; read it again")
                    ) from None
                except IntegrityError:
                    if ident is None:
                        raise Conflict(_("the request conflicts with existing data")) from None
                    replay = await run_in_threadpool(_replay, ctx, ident)
                    if replay is None:
                        raise Conflict(_("the request conflicts with existing data")) from None
                    return replay
            raise AssertionError("unreachable")  # pragma: no cover

        return handler


@asynccontextmanager
async def _admitted(request: Request, write: bool, seconds: float) -> AsyncIterator[None]:
    """Hold a write slot (writers) and a database slot; wait for them no longer than the
    request's deadline."""
    # Write slots: a writer takes its database lock in one thread-pool hop and needs more hops
    # to finish. Were every pool thread held by writers blocked on that lock, the holder could
    # never run (a stall until SQLite's busy timeout; forever on PostgreSQL): so writers first
    # wait here, without a thread, for one of fewer slots than there are threads.
    # Database slots: a request keeps its connection from its first query to its end, across
    # thread-pool hops. With more requests in flight than connections, the threads could all
    # be held by requests waiting for a connection while the connections are held by requests
    # waiting for a thread. So at most `db_pool_size` requests are inside the unit of work; the
    # others wait here, holding neither a thread nor a connection. (Both set by the lifespan.)
    state = request.app.state
    wanted = (
        getattr(state, "write_slots", None) if write else None,
        getattr(state, "db_slots", None),
    )
    slots = [s for s in wanted if s is not None]
    taken: list[anyio.Semaphore] = []
    try:
        for slot in slots:
            await _acquire(slot, seconds)
            taken.append(slot)
        yield
    finally:
        for slot in reversed(taken):
            slot.release()


async def _read_body(request: Request, seconds: float) -> None:
    """Read (and cache) the whole body within the deadline, before any database lock is taken:
    a client sending slowly must not hold SQLite's write lock, or an open PostgreSQL
    transaction, while it sends."""
    try:
        with anyio.fail_after(_remaining(seconds)):
            await request.body()
    except TimeoutError:
        raise RequestTimeout(seconds) from None


def _remaining(seconds: float) -> float:
    deadline = DEADLINE.get()
    return max(0.0, deadline[0] - time.monotonic()) if deadline else seconds


async def _acquire(slot: anyio.Semaphore, seconds: float) -> None:
    # A free slot is taken at once: a cancel scope with a deadline costs a tenth of a small
    # request, so only a request that has to wait sets one up.
    try:
        slot.acquire_nowait()
        return
    except anyio.WouldBlock:
        pass
    try:
        with anyio.fail_after(_remaining(seconds)):
            await slot.acquire()
    except TimeoutError:
        raise RequestTimeout(seconds) from None


async def _attempt(
    ctx: AppContext, request: Request, inner: Handler, write: bool, ident: dict[str, Any] | None
) -> Response:
    # A read-only request gets an engine view whose connections open no transaction on SQLite;
    # the connection itself is checked out lazily, in the worker thread of the first query.
    session = ctx.sessions() if write else ctx.read_sessions()
    request.state.db = session
    try:
        if write:
            await run_in_threadpool(_begin_write, session, request)
            if ident is not None:
                # A retry that raced its original: once the original commits, answer its replay.
                replay = await run_in_threadpool(_claim, session, ctx, ident)
                if replay is not None:
                    await run_in_threadpool(session.rollback)
                    return replay
        response = await inner(request)
        if response.status_code >= 400:
            await run_in_threadpool(session.rollback)
            return response
        if write:
            await run_in_threadpool(_commit, session, request, response, ident, ctx)
        return response
    except BaseException:
        await run_in_threadpool(session.rollback)
        raise
    finally:
        # Returning the connection is a local rollback of an already-finished transaction:
        # cheaper inline than a thread-pool hop.
        session.close()


def _begin_write(session: Session, request: Request) -> None:
    connection = session.connection(execution_options={WRITE_INTENT: True})
    if connection.dialect.name == "postgresql" and is_upload(request.method, request.url.path):
        # The engine bounds each statement by the ordinary deadline's length; an import may take
        # longer. (The body is already read: this transaction waits on no client.)
        seconds = request.app.state.ctx.settings.bulk_request_timeout_seconds
        connection.exec_driver_sql(f"SET LOCAL statement_timeout = {int(seconds * 1000)}")


def _commit(
    session: Session,
    request: Request,
    response: Response,
    ident: dict[str, Any] | None,
    ctx: AppContext,
) -> None:
    if ident is not None and hasattr(response, "body"):
        kept = {k: v for k, v in response.headers.items() if k.lower() in ("location", "etag")}
        idempotency.store(
            session,
            method=request.method,
            path=request.url.path,
            status=response.status_code,
            media_type=response.media_type,
            headers=kept,
            body=bytes(response.body),
            created_at=ctx.clock(),
            caller=ident["caller"],
            key=ident["key"],
            body_hash=ident["body_hash"],
        )
    session.commit()


def _throttle(ctx: AppContext, request: Request, limit_setting: str) -> None:
    """429 once a source address has sent its share of writes to this operation in the
    window; counted in its own committed transaction, so a refused or failed write counts too."""
    settings = ctx.settings
    source = request.client.host if request.client else "unknown"
    key = f"{request.method} {route_template(request.scope)}|{source}"
    with ctx.sessions() as session:
        wait = limits.hit(
            session,
            key,
            ctx.clock(),
            limit=getattr(settings, limit_setting),
            window=timedelta(seconds=settings.public_write_window_seconds),
        )
        session.commit()
    if wait is not None:
        raise TooManyRequests(
            _("too many requests from this address; try again later"), retry_after=wait
        )


def _live(ctx: AppContext, user_id: str, login_id: str) -> bool:
    with ctx.read_sessions() as session:
        return users.principal_for(session, user_id, login_id, ctx.clock()) is not None


def _replay(ctx: AppContext, ident: dict[str, Any]) -> Response | None:
    with ctx.sessions() as session:
        record = idempotency.find(session, ident["caller"], ident["key"], ctx.clock())
    return None if record is None else _replayed(record, ident)


def _claim(session: Session, ctx: AppContext, ident: dict[str, Any]) -> Response | None:
    """Inside the write transaction: wait for any request holding the same key, then replay it."""
    idempotency.lock(session, ident["caller"], ident["key"])
    record = idempotency.find(session, ident["caller"], ident["key"], ctx.clock())
    return None if record is None else _replayed(record, ident)


def _replayed(record: idempotency.IdempotencyRecord, ident: dict[str, Any]) -> Response:
    if record.body_hash != ident["body_hash"]:
        raise InvalidInput.one(
            "header.Idempotency-Key",
            _("this key was already used with another request body"),
            "idempotency_key_reused",
        )
    headers = dict(record.headers)
    headers["Idempotent-Replayed"] = "true"
    return Response(
        content=record.body,
        status_code=record.status,
        headers=headers,
        media_type=record.media_type,
    )


class ResourceRouter(APIRouter):
    """An APIRouter that answers "no match" at once for a path none of its routes can match.

    FastAPI tries the routes of every included router in turn, twice per request (to match,
    then to handle); with a hundred and more routes that scan was a quarter of a small
    request's time. The literal text of a route path before its first parameter appears in
    every path the route matches, so a path containing none of them cannot match here.
    """

    _literals: tuple[int, tuple[str, ...]] = (-1, ())

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """FastAPI's matching, skipped when no route's literal prefix is in the path."""
        count, literals = self._literals
        if count != len(self.routes):
            literals = tuple({_literal(r) for r in self.routes})
            self._literals = (len(self.routes), literals)
        path = scope.get("path", "")
        if "" in literals or any(literal in path for literal in literals):
            return super().matches(scope)
        return Match.NONE, {}


def _literal(route: BaseRoute) -> str:
    """The path text every match of `route` contains ("" when unknown: never filtered)."""
    path = getattr(route, "path", None) if isinstance(route, APIRoute) else None
    return path.split("{", 1)[0] if isinstance(path, str) else ""


class AnonymousRoute(UnitOfWorkRoute):
    """A route callable without a login."""

    anonymous_limit = "public_write_limit"


class LoginRoute(UnitOfWorkRoute):
    """A route that logs in or renews a login."""

    anonymous_limit = "login_source_limit"


def resource_router(tag: str, *, public: bool = False, login: bool = False) -> APIRouter:
    """A router whose routes run in the unit of work, declaring the usual problem responses; a
    public one's writes are rate-limited per source address (429), a login router's less."""
    statuses = (400, 404, 422, 429, 503) if public else (400, 401, 403, 404, 422, 503)
    route_class = LoginRoute if login else AnonymousRoute if public else UnitOfWorkRoute
    return ResourceRouter(
        route_class=route_class,
        tags=[tag],
        responses=problem_responses(*statuses),
    )
