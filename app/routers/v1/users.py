"""User administration within the caller's scope (issue 2)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from app.domain.access import Principal, Role
from app.errors import Forbidden, InvalidInput, problem_responses
from app.repositories import regions, users
from app.repositories.base import PageResult
from app.repositories.scope import scope_target
from app.routers.deps import (
    ContextDep,
    NowDep,
    PageDep,
    SessionDep,
    allow,
    check_if_match,
    set_etag,
)
from app.routers.pages import Page
from app.routers.route import resource_router

router = resource_router("users")
Admin = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN)]
Reader = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.AUDITOR)]

#: Roles a county administrator may hand out, always inside its own county.
COUNTY_GRANTABLE = frozenset({Role.ORG_ADMIN, Role.BASE_STAFF, Role.VOLUNTEER})
#: The scope fields each role may carry (city-wide roles carry none).
ROLE_SCOPE_FIELDS: dict[Role, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset(),
    Role.AUDITOR: frozenset(),
    Role.REVIEWER: frozenset(),
    Role.COUNTY_ADMIN: frozenset({"county_code"}),
    Role.ORG_ADMIN: frozenset({"county_code", "org_id"}),
    Role.BASE_STAFF: frozenset({"county_code", "base_id"}),
    Role.VOLUNTEER: frozenset({"county_code", "volunteer_id"}),
}
#: Where each scope id must exist.
SCOPE_TABLES = {"org_id": "organizations", "base_id": "bases", "volunteer_id": "volunteers"}


class UserPublic(BaseModel):
    """A user as the API shows it (never the password hash)."""

    id: str
    username: str
    display_name: str
    role: Role
    county_code: str | None
    org_id: str | None
    base_id: str | None
    volunteer_id: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime


class UserCreate(BaseModel):
    """A new user; the scope field its role needs is required."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=10, max_length=256)
    role: Role
    display_name: str = Field(default="", max_length=100)
    county_code: str | None = Field(default=None, max_length=12)
    org_id: str | None = Field(default=None, max_length=26)
    base_id: str | None = Field(default=None, max_length=26)
    volunteer_id: str | None = Field(default=None, max_length=26)


class UserUpdate(BaseModel):
    """Fields an administrator may change; role and scope are fixed at creation."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, max_length=100)
    is_active: bool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=256)


def to_public(user: users.User) -> UserPublic:
    """The public view of a user row."""
    return UserPublic.model_validate(user, from_attributes=True)


def _page(result: PageResult[users.User]) -> Page[UserPublic]:
    return Page(
        items=[to_public(u) for u in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


@router.get("/users", summary="List users in the caller's scope")
def list_users(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    role: Annotated[Role | None, Query()] = None,
) -> Page[UserPublic]:
    """Users the caller may see."""
    return _page(users.list_users(session, principal, page=page, role=role))


@router.post(
    "/users",
    status_code=201,
    summary="Create a user within the caller's scope",
    responses=problem_responses(409),
)
def create_user(
    body: UserCreate, principal: Admin, ctx: ContextDep, session: SessionDep, response: Response
) -> UserPublic:
    """City admins create any user; county admins only organisation, base and volunteer users
    of their own county. The scope a role acts in must exist (and lie in the caller's county)."""
    allowed = ROLE_SCOPE_FIELDS[body.role]
    for field in ("county_code", "org_id", "base_id", "volunteer_id"):
        if getattr(body, field) is not None and field not in allowed:
            raise InvalidInput.one(field, f"not used by role {body.role.value}", "not_allowed")
    county = body.county_code
    if principal.role is Role.COUNTY_ADMIN:
        if body.role not in COUNTY_GRANTABLE:
            raise Forbidden(f"a county administrator cannot create a {body.role.value}")
        if county is not None and county != principal.county_code:
            raise InvalidInput.one("county_code", "outside your county", "out_of_scope")
        county = principal.county_code
    if county is not None and regions.county_of(session, county) != county:
        raise InvalidInput.one("county_code", "must be a county-level region code", "not_county")
    for field, table in SCOPE_TABLES.items():
        target = getattr(body, field)
        if target is None:
            continue
        found, target_county = scope_target(session, table, target)
        if not found:
            raise InvalidInput.one(field, f"no such {table[:-1]}", "unknown")
        if principal.role is Role.COUNTY_ADMIN and target_county != principal.county_code:
            raise InvalidInput.one(field, "outside your county", "out_of_scope")
        county = county or target_county
    required = {
        Role.COUNTY_ADMIN: ("county_code", county),
        Role.ORG_ADMIN: ("org_id", body.org_id),
        Role.BASE_STAFF: ("base_id", body.base_id),
        Role.VOLUNTEER: ("volunteer_id", body.volunteer_id),
    }.get(body.role)
    if required is not None and required[1] is None:
        raise InvalidInput.one(required[0], f"required for role {body.role.value}", "missing")
    user = users.create_user(
        session,
        username=body.username,
        password_hash=ctx.passwords.hash(body.password),
        role=body.role,
        display_name=body.display_name,
        county_code=county,
        org_id=body.org_id,
        base_id=body.base_id,
        volunteer_id=body.volunteer_id,
    )
    response.headers["Location"] = f"/api/v1/users/{user.id}"
    set_etag(response, user)
    return to_public(user)


@router.get("/users/{user_id}", summary="Read a user", responses=problem_responses(404))
def get_user(
    user_id: str, principal: Reader, session: SessionDep, response: Response
) -> UserPublic:
    """One user in the caller's scope."""
    user = users.get_user(session, principal, user_id)
    set_etag(response, user)
    return to_public(user)


@router.patch(
    "/users/{user_id}",
    summary="Update a user",
    responses=problem_responses(404, 412),
)
def update_user(
    user_id: str,
    body: UserUpdate,
    principal: Admin,
    ctx: ContextDep,
    session: SessionDep,
    request: Request,
    response: Response,
    now: NowDep,
) -> UserPublic:
    """Change name, activity or password; honours If-Match. A county administrator manages only
    the organisation, base and volunteer accounts of its county; a new password ends every login
    of the account."""
    user = users.get_user(session, principal, user_id)
    if principal.role is Role.COUNTY_ADMIN and Role(user.role) not in COUNTY_GRANTABLE:
        raise Forbidden(f"a county administrator cannot change a {user.role}")
    check_if_match(request, user)
    changes = body.model_dump(exclude_unset=True, exclude={"password"})
    for field, value in changes.items():
        if value is None:
            raise InvalidInput.one(field, "may not be null", "null")
        setattr(user, field, value)
    if body.password is not None:
        user.password_hash = ctx.passwords.hash(body.password)
        users.revoke_all_logins(session, user.id, now)
    if body.is_active is False:
        users.revoke_all_logins(session, user.id, now)
    session.add(user)
    session.flush()
    set_etag(response, user)
    return to_public(user)
