"""Login, refresh, logout and `me` (issue 2, identity and access)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request

from app.errors import problem_responses
from app.repositories import users
from app.routers.deps import AnyUser, ContextDep, NowDep, SessionDep
from app.routers.route import resource_router
from app.routers.v1.users.schemas import LoginForm, MePublic, TokenPair, TokenRefresh
from app.services import auth

router = resource_router("auth", public=True, login=True)


@router.post(
    "/auth/token",
    summary="Log in with username and password (OAuth2 password flow)",
    responses=problem_responses(401, 429),
)
def login(
    form: Annotated[LoginForm, Form()],
    ctx: ContextDep,
    session: SessionDep,
    now: NowDep,
    request: Request,
) -> TokenPair:
    """A token pair for valid credentials; repeated failures lock the account for a while.

    The attempt is counted and committed first, and the password checked outside any
    transaction, so a slow hash never holds the database's write lock."""
    issued = auth.log_in(
        session=session,
        ctx=ctx,
        username=form.username,
        password=form.password,
        source=request.client.host if request.client else "unknown",
        now=now,
    )
    return TokenPair(**issued._asdict())


@router.post(
    "/auth/refresh",
    summary="Rotate a refresh token for a new token pair",
    responses=problem_responses(401),
)
def refresh(body: TokenRefresh, ctx: ContextDep, session: SessionDep, now: NowDep) -> TokenPair:
    """A new pair; the old refresh token stops working, and reusing it ends the login."""
    issued = auth.refresh_login(session=session, ctx=ctx, refresh_token=body.refresh_token, now=now)
    return TokenPair(**issued._asdict())


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
def me(principal: AnyUser, session: SessionDep) -> MePublic:
    """Who is calling, with role and scope."""
    user = users.get_user(session, principal, principal.user_id)
    return MePublic.model_validate(user, from_attributes=True).model_copy(
        update={"org_path": principal.org_path}
    )
