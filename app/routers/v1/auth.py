"""Login, refresh, logout and `me` (issue 2, identity and access)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, ConfigDict, Field

from app.errors import TooManyRequests, Unauthorized, problem_responses
from app.repositories import users
from app.routers.deps import AnyUser, ContextDep, NowDep, SessionDep, begin_write
from app.routers.route import resource_router
from app.routers.v1.users import UserPublic, to_public
from app.security.tokens import new_refresh_token

router = resource_router("auth", public=True)


class TokenPair(BaseModel):
    """An access token and the refresh token that renews it."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int
    refresh_token: str


class RefreshRequest(BaseModel):
    """The refresh token to rotate."""

    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(max_length=512)


class Me(UserPublic):
    """The caller, with the scope its role acts in."""

    org_path: str | None = None


@router.post(
    "/auth/token",
    summary="Log in with username and password (OAuth2 password flow)",
    responses=problem_responses(401, 429),
)
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    ctx: ContextDep,
    session: SessionDep,
    now: NowDep,
) -> TokenPair:
    """A token pair for valid credentials; repeated failures lock the account for a while.

    The attempt is counted and committed first, and the password checked outside any
    transaction, so a slow hash never holds the database's write lock."""
    username = form.username[: users.USERNAME_MAX]
    wait = users.count_attempt(
        session,
        username,
        now,
        max_failures=ctx.settings.login_max_failures,
        lockout=timedelta(seconds=ctx.settings.login_lockout_seconds),
    )
    user = users.get_by_username(session, username) if wait is None else None
    session.commit()
    if wait is not None:
        raise TooManyRequests("too many failed logins; try again later", retry_after=wait)
    ok = ctx.passwords.verify(user.password_hash if user else None, form.password)
    if user is None or not ok or not user.is_active or len(form.username) > users.USERNAME_MAX:
        raise Unauthorized("wrong username or password")
    begin_write(session)
    users.clear_attempts(session, username)
    refresh = new_refresh_token()
    login_session = users.open_login(
        session, user, refresh, now + timedelta(days=ctx.settings.refresh_token_days)
    )
    session.flush()
    return TokenPair(
        access_token=ctx.tokens.issue(user_id=user.id, session_id=login_session.id, now=now),
        expires_in=ctx.tokens.lifetime_seconds,
        refresh_token=refresh,
    )


@router.post(
    "/auth/refresh",
    summary="Rotate a refresh token for a new token pair",
    responses=problem_responses(401),
)
def refresh(body: RefreshRequest, ctx: ContextDep, session: SessionDep, now: NowDep) -> TokenPair:
    """A new pair; the old refresh token stops working, and reusing it ends the login."""
    new = new_refresh_token()
    login_session = users.rotate_refresh(session, body.refresh_token, new, now)
    if login_session is None:
        session.commit()  # keep a reuse-triggered revocation
        raise Unauthorized("invalid, expired or reused refresh token")
    return TokenPair(
        access_token=ctx.tokens.issue(
            user_id=login_session.user_id, session_id=login_session.id, now=now
        ),
        expires_in=ctx.tokens.lifetime_seconds,
        refresh_token=new,
    )


@router.post(
    "/auth/logout",
    status_code=204,
    summary="End the current login: its refresh and access tokens stop working",
    responses=problem_responses(401),
)
def logout(principal: AnyUser, session: SessionDep, now: NowDep) -> None:
    """Revoke the caller's login session."""
    users.revoke_login(session, principal.session_id, now)


@router.get("/me", summary="The caller and its scope", responses=problem_responses(401))
def me(principal: AnyUser, session: SessionDep) -> Me:
    """Who is calling, with role and scope."""
    user = users.get_user(session, principal, principal.user_id)
    return Me(**to_public(user).model_dump(), org_path=principal.org_path)
