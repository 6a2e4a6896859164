"""User administration within the caller's scope (issue 2)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from app.domain.access import Role
from app.errors import problem_responses
from app.repositories import users
from app.routers.deps import ContextDep, NowDep, PageDep, SessionDep, check_if_match, set_etag
from app.routers.pages import Page, created, page_of
from app.routers.route import resource_router
from app.routers.v1.users.auth import UsersRead, UsersWrite
from app.routers.v1.users.schemas import UserCreate, UserPublic, UserUpdate
from app.services import users as service

router = resource_router("users")


@router.get("/users", summary="List users in the caller's scope")
def list_users(
    principal: UsersRead,
    session: SessionDep,
    page: PageDep,
    role: Annotated[Role | None, Query()] = None,
) -> Page[UserPublic]:
    """Users the caller may see."""
    return page_of(UserPublic, users.list_users(session, principal, page=page, role=role))


@router.post(
    "/users",
    status_code=201,
    summary="Create a user within the caller's scope",
    responses=problem_responses(409),
)
def create_user(
    body: UserCreate,
    principal: UsersWrite,
    ctx: ContextDep,
    session: SessionDep,
    response: Response,
) -> UserPublic:
    """City admins create any user; county admins only organisation, base and volunteer users
    of their own county. `county_code` must be a county; the organisation, base or volunteer a
    role acts for must exist (and lie in a county administrator's county)."""
    user = service.create_user(
        session=session,
        principal=principal,
        passwords=ctx.passwords,
        username=body.username,
        password=body.password,
        role=body.role,
        display_name=body.display_name,
        scope=body.model_dump(
            include={"county_code", "organization_id", "base_id", "volunteer_id"}
        ),
    )
    return created(response, f"/api/v1/users/{user.id}", user, UserPublic)


@router.get("/users/{user_id}", summary="Read a user", responses=problem_responses(404))
def get_user(
    user_id: str, principal: UsersRead, session: SessionDep, response: Response
) -> UserPublic:
    """One user in the caller's scope."""
    user = users.get_user(session, principal, user_id)
    set_etag(response, user)
    return UserPublic.model_validate(user, from_attributes=True)


@router.patch(
    "/users/{user_id}",
    summary="Update a user",
    responses=problem_responses(403, 404, 409, 412),
)
def update_user(
    user_id: str,
    body: UserUpdate,
    principal: UsersWrite,
    ctx: ContextDep,
    session: SessionDep,
    request: Request,
    response: Response,
    now: NowDep,
) -> UserPublic:
    """Change name, activity or password; honours If-Match. A county administrator manages only
    the organisation, base and volunteer accounts of its county; a new password ends every login
    of the account."""
    user = service.user_to_manage(session=session, principal=principal, user_id=user_id)
    check_if_match(request, user)
    service.update_user(
        session=session,
        passwords=ctx.passwords,
        user=user,
        changes=body.model_dump(exclude_unset=True),
        now=now,
    )
    set_etag(response, user)
    return UserPublic.model_validate(user, from_attributes=True)
