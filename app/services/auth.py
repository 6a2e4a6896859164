"""Logging in and renewing a login: the throttle, the password check and the token pair."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlmodel import Session

from app.context import AppContext
from app.db import WRITE_INTENT
from app.errors import TooManyRequests, Unauthorized
from app.repositories import users
from app.security.tokens import new_refresh_token


class IssuedTokens(NamedTuple):
    """An access token, its lifetime in seconds, and the refresh token that renews it."""

    access_token: str
    expires_in: int
    refresh_token: str


def log_in(
    *, session: Session, ctx: AppContext, username: str, password: str, now: datetime
) -> IssuedTokens:
    """A token pair for valid credentials; repeated failures lock the account for a while."""
    name = username[: users.USERNAME_MAX]
    wait = users.count_attempt(
        session,
        name,
        now,
        max_failures=ctx.settings.login_max_failures,
        lockout=timedelta(seconds=ctx.settings.login_lockout_seconds),
    )
    user = users.get_by_username(session, name) if wait is None else None
    # The one use case that ends its transaction midway: the attempt counts even when the
    # login fails, and the slow password hash never holds the database's write lock.
    session.commit()
    if wait is not None:
        raise TooManyRequests("too many failed logins; try again later", retry_after=wait)
    ok = ctx.passwords.verify(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active or len(username) > users.USERNAME_MAX:
        raise Unauthorized("wrong username or password")
    session.connection(execution_options={WRITE_INTENT: True})
    users.clear_attempts(session, name)
    refresh = new_refresh_token()
    login = users.open_login(
        session, user, refresh, now + timedelta(days=ctx.settings.refresh_token_days)
    )
    return IssuedTokens(
        access_token=ctx.tokens.issue(user_id=user.id, session_id=login.id, now=now),
        expires_in=ctx.tokens.lifetime_seconds,
        refresh_token=refresh,
    )


def refresh_login(
    *, session: Session, ctx: AppContext, refresh_token: str, now: datetime
) -> IssuedTokens:
    """A new pair; the old refresh token stops working, and reusing it ends the login, except
    within `KEPU_REFRESH_GRACE_SECONDS` of its rotation, when it gets the same refresh token."""
    grace = timedelta(seconds=ctx.settings.refresh_grace_seconds)
    rotated = users.rotate_refresh(session, refresh_token, new_refresh_token(), now, grace=grace)
    if rotated is None:
        # Keep a reuse-triggered revocation although the request itself is refused.
        session.commit()
        raise Unauthorized("invalid, expired or reused refresh token")
    login, refresh = rotated
    return IssuedTokens(
        access_token=ctx.tokens.issue(user_id=login.user_id, session_id=login.id, now=now),
        expires_in=ctx.tokens.lifetime_seconds,
        refresh_token=refresh,
    )
