"""Logging in and renewing a login: the throttle, the password check and the token pair."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlmodel import Session

from app.context import AppContext
from app.db import WRITE_INTENT
from app.errors import TooManyRequests, Unauthorized
from app.i18n import _
from app.repositories import users
from app.security.tokens import new_refresh_token


class IssuedTokens(NamedTuple):
    """An access token, its lifetime in seconds, and the refresh token that renews it."""

    access_token: str
    expires_in: int
    refresh_token: str


def log_in(
    *,
    session: Session,
    ctx: AppContext,
    username: str,
    password: str,
    source: str,
    now: datetime,
) -> IssuedTokens:
    """A token pair for valid credentials. Failures lock the username for a while from the
    address they come from (`KEPU_LOGIN_MAX_FAILURES`), so one source cannot lock an account
    for everyone; from all addresses together only at a much higher ceiling
    (`KEPU_LOGIN_ACCOUNT_MAX_FAILURES`). An unknown username counts the same (nothing tells)."""
    name = username[: users.USERNAME_MAX]
    settings = ctx.settings
    lockout = timedelta(seconds=settings.login_lockout_seconds)
    keys = {
        f"{name}|{source}": settings.login_max_failures,
        name: settings.login_account_max_failures,
    }
    waits = [
        users.count_attempt(session, key, now, max_failures=limit, lockout=lockout)
        for key, limit in keys.items()
    ]
    wait = max((w for w in waits if w is not None), default=None)
    user = users.get_by_username(session, name) if wait is None else None
    # The one use case that ends its transaction midway: the attempt counts even when the
    # login fails, and the slow password hash never holds the database's write lock.
    session.commit()
    if wait is not None:
        raise TooManyRequests(_("too many failed logins; try again later"), retry_after=wait)
    ok = ctx.passwords.verify(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active or len(username) > users.USERNAME_MAX:
        raise Unauthorized(_("wrong username or password"))
    session.connection(execution_options={WRITE_INTENT: True})
    users.clear_attempts(session, *keys)
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
        raise Unauthorized(_("invalid, expired or reused refresh token"))
    login, refresh = rotated
    return IssuedTokens(
        access_token=ctx.tokens.issue(user_id=login.user_id, session_id=login.id, now=now),
        expires_in=ctx.tokens.lifetime_seconds,
        refresh_token=refresh,
    )
