"""Dependencies every router uses: the request's session, the caller, pages, ETags, the clock."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response, Security
from fastapi.security import OAuth2PasswordBearer, SecurityScopes
from pydantic import StringConstraints
from sqlmodel import Session

from app.context import AppContext
from app.domain.access import Principal, Role
from app.domain.common import Instant
from app.errors import Forbidden, PreconditionFailed, Unauthorized
from app.i18n import _
from app.repositories import users
from app.repositories.base import ID_PATTERN, Cursor, Entity, PageRequest, SeqCursor
from app.security.tokens import TokenError
from app.storage import FileStore

# The small dependencies below are `async def` on purpose: FastAPI runs every plain `def`
# dependency in the thread pool, and each hop costs more than the work they do.

ROLE_DESCRIPTIONS = {
    Role.CITY_ADMIN: "City association administrator: everything",
    Role.COUNTY_ADMIN: "County association administrator: one county",
    Role.ORG_ADMIN: "Volunteer organisation administrator: one organisation and its subtree",
    Role.BASE_STAFF: "Science education base staff: one base",
    Role.REVIEWER: "Review panel member: assigned applications",
    Role.AUDITOR: "Auditor: read-only, audit log included",
    Role.VOLUNTEER: "Volunteer: own record",
}

oauth2 = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token",
    scopes={r.value: d for r, d in ROLE_DESCRIPTIONS.items()},
    auto_error=False,
)


async def get_context(request: Request) -> AppContext:
    """The app's services."""
    ctx: AppContext = request.app.state.ctx
    return ctx


async def get_session(request: Request) -> Session:
    """The request's unit of work (opened and committed by UnitOfWorkRoute)."""
    session: Session = request.state.db
    return session


ContextDep = Annotated[AppContext, Depends(get_context)]
SessionDep = Annotated[Session, Depends(get_session)]


async def get_files(ctx: ContextDep) -> FileStore:
    """The file store for uploads and generated documents."""
    return ctx.files


FilesDep = Annotated[FileStore, Depends(get_files)]


async def get_now(ctx: ContextDep) -> datetime:
    """The current instant from the app's clock."""
    return ctx.clock()


NowDep = Annotated[datetime, Depends(get_now)]


async def get_public_url(ctx: ContextDep) -> str:
    """Where people reach the service (`KEPU_PUBLIC_URL`), without a trailing slash."""
    return ctx.settings.public_url.rstrip("/")


PublicUrlDep = Annotated[str, Depends(get_public_url)]


def current_principal(
    security_scopes: SecurityScopes,
    ctx: ContextDep,
    session: SessionDep,
    token: Annotated[str | None, Depends(oauth2)],
) -> Principal:
    """The caller of a live login whose role is among the operation's scopes; else 401/403."""
    if not token:
        raise Unauthorized(_("bearer token required"))
    try:
        claims = ctx.tokens.verify(token)
    except TokenError as exc:
        raise Unauthorized(_("invalid or expired token")) from exc
    principal = users.principal_for(session, claims.sub, claims.sid, ctx.clock())
    if principal is None:
        raise Unauthorized(_("login ended or account disabled"))
    if security_scopes.scopes and principal.role.value not in security_scopes.scopes:
        raise Forbidden(_("role {role} may not do this", role=principal.role.value))
    session.info["actor_id"] = principal.user_id
    return principal


def allow(*roles: Role) -> Any:
    """Declare who may call an operation; the roles appear as OAuth2 scopes in the spec."""
    return Security(current_principal, scopes=[r.value for r in roles])


AnyUser = Annotated[Principal, allow(*Role)]
#: A volunteer's own activities, hours and certificates (`/me/...`): the volunteer itself.
VolunteerItself = Annotated[Principal, allow(Role.VOLUNTEER)]


Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
IncludeTotal = Annotated[bool, Query(description="Add the total count")]
UpdatedSince = Annotated[
    Instant | None, Query(description="Only items updated at or after this instant")
]


Ids = Annotated[
    list[Annotated[str, StringConstraints(pattern=ID_PATTERN)]] | None,
    Query(
        max_length=100,
        description="Only these items (`?ids=A&ids=B`, at most 100): fetch the records a "
        "change feed or a webhook named, in one call",
    ),
]


async def page_request(
    limit: Limit = 50,
    cursor: Annotated[Cursor | None, Query(description="From next_cursor")] = None,
    include_total: IncludeTotal = False,
    updated_since: UpdatedSince = None,
    ids: Ids = None,
) -> PageRequest:
    """The keyset page parameters of every list."""
    return PageRequest(
        limit=limit,
        cursor=cursor,
        include_total=include_total,
        updated_since=updated_since,
        ids=tuple(ids) if ids else None,
    )


async def sequence_page_request(
    limit: Limit = 50,
    cursor: Annotated[SeqCursor | None, Query(description="From next_cursor")] = None,
    include_total: IncludeTotal = False,
    updated_since: UpdatedSince = None,
) -> PageRequest:
    """The page parameters of a sequence-numbered log, whose cursor is a sequence number."""
    return PageRequest(
        limit=limit, cursor=cursor, include_total=include_total, updated_since=updated_since
    )


PageDep = Annotated[PageRequest, Depends(page_request)]
SequencePageDep = Annotated[PageRequest, Depends(sequence_page_request)]


def check_if_match(request: Request, entity: Entity) -> None:
    """412 when `If-Match` names another version than the current one."""
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*":
        return
    # If-Match uses strong comparison (RFC 9110 13.1.1): a weak tag never matches.
    tags = {t.strip() for t in header.split(",")}
    if entity.etag not in tags:
        raise PreconditionFailed(_("current version is {etag}", etag=entity.etag))


def set_etag(response: Response, entity: Entity) -> None:
    """Put the entity's ETag on the response."""
    response.headers["ETag"] = entity.etag
