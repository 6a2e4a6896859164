"""User accounts, login sessions with rotating refresh tokens, and the login throttle."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, update
from sqlalchemy import select as core_select
from sqlmodel import Field, Session, SQLModel, col, select

from app.domain.access import Principal, Role
from app.errors import Conflict, NotFound
from app.ids import new_id
from app.repositories.base import Entity, PageRequest, PageResult, paginate
from app.repositories.scope import convention_clause, org_path, scoped
from app.repositories.types import UTCDateTime, utcnow


class User(Entity, table=True):
    """A login; its role fixes which scope column applies."""

    __tablename__ = "users"
    __resource__ = "user"

    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(default="", max_length=100)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=32)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    org_id: str | None = Field(default=None, max_length=26, index=True)
    base_id: str | None = Field(default=None, max_length=26, index=True)
    volunteer_id: str | None = Field(default=None, max_length=26, index=True)
    is_active: bool = Field(default=True)

    @property
    def owner_id(self) -> str:
        """A user's own events belong to the user."""
        return self.id

    @classmethod
    def scope_clause(cls, principal: Principal) -> ColumnElement[bool]:
        """The convention, and every user always sees itself."""
        return or_(convention_clause(principal, cls), col(cls.id) == principal.user_id)


class AuthSession(SQLModel, table=True):
    """One login: the refresh token rotates on every use; reusing an old one revokes the login."""

    __tablename__ = "auth_sessions"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=26)
    user_id: str = Field(foreign_key="users.id", max_length=26, index=True)
    refresh_hash: str = Field(max_length=64, unique=True)
    previous_hash: str | None = Field(default=None, max_length=64, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginThrottle(SQLModel, table=True):
    """Failed logins per username, in the database so every worker sees the same count."""

    __tablename__ = "login_throttle"

    username: str = Field(primary_key=True, max_length=64)
    failures: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


def token_hash(token: str) -> str:
    """SHA-256 of a refresh token: only hashes are stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def get_by_username(session: Session, username: str) -> User | None:
    """The user with this username, if any."""
    return session.exec(select(User).where(User.username == username)).first()


def principal_for(
    session: Session, user_id: str, session_id: str, now: datetime
) -> Principal | None:
    """The principal of a live login session, or None when revoked, expired or deactivated."""
    # Runs on every authenticated request: plain columns, no ORM objects to build.
    u, a = User.__table__.c, AuthSession.__table__.c  # type: ignore[attr-defined]
    row = session.execute(
        core_select(
            u.username,
            u.role,
            u.county_code,
            u.org_id,
            u.base_id,
            u.volunteer_id,
            u.is_active,
            a.revoked_at,
            a.expires_at,
        )
        .join_from(User.__table__, AuthSession.__table__, a.user_id == u.id)  # type: ignore[attr-defined]
        .where(u.id == user_id, a.id == session_id)
    ).first()
    if row is None or not row.is_active or row.revoked_at is not None or row.expires_at <= now:
        return None
    role = Role(row.role)
    return Principal(
        user_id=user_id,
        username=row.username,
        role=role,
        session_id=session_id,
        county_code=row.county_code,
        org_id=row.org_id,
        org_path=org_path(session, row.org_id) if role is Role.ORG_ADMIN and row.org_id else None,
        base_id=row.base_id,
        volunteer_id=row.volunteer_id,
    )


def check_throttle(session: Session, username: str, now: datetime) -> int | None:
    """Seconds until the account may try again, or None when it may try now."""
    row = session.get(LoginThrottle, username)
    if row is None or row.locked_until is None or row.locked_until <= now:
        return None
    return max(1, int((row.locked_until - now).total_seconds()) + 1)


def record_failure(
    session: Session, username: str, now: datetime, *, max_failures: int, lockout: timedelta
) -> None:
    """Count a failed login; lock the account for `lockout` once `max_failures` is reached."""
    row = session.get(LoginThrottle, username) or LoginThrottle(username=username)
    row.failures += 1
    if row.failures >= max_failures:
        row.locked_until = now + lockout
        row.failures = 0
    session.add(row)


def clear_failures(session: Session, username: str) -> None:
    """Forget failed logins after a success."""
    row = session.get(LoginThrottle, username)
    if row is not None:
        session.delete(row)


def open_login(
    session: Session, user: User, refresh_token: str, expires_at: datetime
) -> AuthSession:
    """A new login session holding the hash of its first refresh token."""
    login = AuthSession(
        user_id=user.id, refresh_hash=token_hash(refresh_token), expires_at=expires_at
    )
    session.add(login)
    return login


def rotate_refresh(
    session: Session, refresh_token: str, new_token: str, now: datetime
) -> AuthSession | None:
    """Swap a live refresh token for a new one; a reused old token revokes its whole login."""
    digest = token_hash(refresh_token)
    login = session.exec(select(AuthSession).where(AuthSession.refresh_hash == digest)).first()
    if login is None:
        reused = session.exec(
            select(AuthSession).where(AuthSession.previous_hash == digest)
        ).first()
        if reused is not None and reused.revoked_at is None:
            reused.revoked_at = now
            session.add(reused)
        return None
    if login.revoked_at is not None or login.expires_at <= now:
        return None
    login.previous_hash = login.refresh_hash
    login.refresh_hash = token_hash(new_token)
    session.add(login)
    return login


def revoke_login(session: Session, session_id: str, now: datetime) -> None:
    """End a login: its refresh token and every access token naming it stop working at once."""
    session.execute(
        update(AuthSession)
        .where(col(AuthSession.id) == session_id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=now)
    )


def revoke_all_logins(session: Session, user_id: str, now: datetime) -> None:
    """End every login of a user (password reset, deactivation)."""
    session.execute(
        update(AuthSession)
        .where(col(AuthSession.user_id) == user_id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=now)
    )


def create_user(
    session: Session,
    *,
    username: str,
    password_hash: str,
    role: Role,
    display_name: str = "",
    county_code: str | None = None,
    org_id: str | None = None,
    base_id: str | None = None,
    volunteer_id: str | None = None,
) -> User:
    """A new user; 409 when the username is taken."""
    if get_by_username(session, username) is not None:
        raise Conflict(f"username {username!r} is taken")
    user = User(
        username=username,
        password_hash=password_hash,
        role=role,
        display_name=display_name,
        county_code=county_code,
        org_id=org_id,
        base_id=base_id,
        volunteer_id=volunteer_id,
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, principal: Principal, user_id: str) -> User:
    """A user in the caller's scope, or 404."""
    user = session.exec(scoped(select(User).where(User.id == user_id), principal, User)).first()
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def list_users(
    session: Session, principal: Principal, *, page: PageRequest, role: Role | None
) -> PageResult[User]:
    """Users in the caller's scope."""
    stmt = scoped(select(User), principal, User)
    if role is not None:
        stmt = stmt.where(User.role == role)
    return paginate(session, stmt, col(User.id), page)


def any_user(session: Session) -> bool:
    """Whether any user exists (the first run creates an administrator when none)."""
    return session.exec(select(User.id).limit(1)).first() is not None
