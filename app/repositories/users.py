"""User accounts, login sessions with rotating refresh tokens, and the login throttle."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, delete, or_, update
from sqlalchemy import select as core_select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, Session, SQLModel, col, func, select

from app.domain.access import Principal, Role
from app.errors import Conflict
from app.i18n import _
from app.ids import new_id
from app.repositories.base import Entity, PageRequest, PageResult, save
from app.repositories.scope import convention_clause, get_in_scope, list_in_scope, org_path
from app.repositories.types import Encrypted, UTCDateTime, utcnow

#: Longest username; a longer login name cannot exist and is refused without a lookup.
USERNAME_MAX = 64
THROTTLE_KEY_MAX = 300


class User(Entity, table=True):
    """A login; its role fixes which scope column applies."""

    __tablename__ = "users"
    __resource__ = "user"

    username: str = Field(max_length=USERNAME_MAX, unique=True)
    display_name: str = Field(default="", max_length=100)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=32)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    org_id: str | None = Field(default=None, max_length=26, index=True)
    base_id: str | None = Field(default=None, max_length=26, index=True)
    #: One person, one login (VOL-REG-2): a volunteer has at most one account.
    volunteer_id: str | None = Field(default=None, max_length=26, index=True, unique=True)
    is_active: bool = Field(default=True)

    @property
    def organization_id(self) -> str | None:
        """The organisation an organisation administrator acts for (the API's name)."""
        return self.org_id

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
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class UsedRefreshToken(SQLModel, table=True):
    """Every refresh token a login has rotated away from: presenting one again ends that login."""

    __tablename__ = "used_refresh_tokens"

    token_hash: str = Field(primary_key=True, max_length=64)
    session_id: str = Field(foreign_key="auth_sessions.id", max_length=26, index=True)
    used_at: datetime = Field(sa_type=UTCDateTime)
    #: The token it was swapped for, encrypted: handed out again within the grace window.
    successor: str | None = Field(default=None, sa_type=Encrypted)


class LoginThrottle(SQLModel, table=True):
    """Failed logins per key, in the database so every worker sees the same count: a username
    with the source address it is tried from, and the username alone (a higher ceiling)."""

    __tablename__ = "login_throttle"

    key: str = Field(primary_key=True, max_length=THROTTLE_KEY_MAX)
    failures: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


def token_hash(token: str) -> str:
    """SHA-256 of a refresh token: only hashes are stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def get_by_username(session: Session, username: str) -> User | None:
    """The user with this username, if any."""
    return session.exec(select(User).where(User.username == username)).first()


def _principal_query() -> Select[Any]:
    u, a = User.__table__.c, AuthSession.__table__.c  # type: ignore[attr-defined]
    return (
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
        .where(u.id == bindparam("user_id"), a.id == bindparam("session_id"))
    )


#: Built once: building the statement and its cache key cost twice as much as running it.
_PRINCIPAL_QUERY = _principal_query()


def principal_for(
    session: Session, user_id: str, session_id: str, now: datetime
) -> Principal | None:
    """The principal of a live login session, or None when revoked, expired or deactivated."""
    # Runs on every authenticated request: one prepared statement, plain columns, no ORM objects.
    row = session.execute(_PRINCIPAL_QUERY, {"user_id": user_id, "session_id": session_id}).first()
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


def count_attempt(
    session: Session, key: str, now: datetime, *, max_failures: int, lockout: timedelta
) -> int | None:
    """Count a login attempt before its password is checked, in one atomic upsert, so concurrent
    guesses cannot slip past the limit; seconds to wait when the account is locked, else None."""
    table = LoginThrottle.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    upsert = (
        insert(table)
        .values(key=key, failures=1)
        .on_conflict_do_update(
            index_elements=[table.c.key], set_={"failures": table.c.failures + 1}
        )
        .returning(table.c.failures, table.c.locked_until)
    )
    failures, locked_until = session.execute(upsert).one()
    row = table.c.key == key
    if locked_until is not None:
        if locked_until > now:
            return max(1, int((locked_until - now).total_seconds()) + 1)
        # The lock has run out: this attempt starts a fresh count.
        session.execute(update(table).where(row).values(failures=1, locked_until=None))
        failures = 1
    if failures >= max_failures:
        # This is the last allowed guess; it is still checked, the next ones wait.
        session.execute(update(table).where(row).values(locked_until=now + lockout))
    return None


def clear_attempts(session: Session, *keys: str) -> None:
    """Forget counted attempts of these keys after a successful login."""
    session.execute(delete(LoginThrottle).where(col(LoginThrottle.key).in_(keys)))


def open_login(
    session: Session, user: User, refresh_token: str, expires_at: datetime
) -> AuthSession:
    """A new login session holding the hash of its first refresh token."""
    login = AuthSession(
        user_id=user.id, refresh_hash=token_hash(refresh_token), expires_at=expires_at
    )
    return save(session, login)


def rotate_refresh(
    session: Session, refresh_token: str, new_token: str, now: datetime, *, grace: timedelta
) -> tuple[AuthSession, str] | None:
    """Swap a live refresh token for a new one: the login and the refresh token to hand out.
    Within `grace` of a rotation, the token rotated away from gets the same successor again
    (a client whose answer was lost, or two refreshes at once, stays logged in); later, or once
    the successor has itself been used, presenting it revokes the whole login (it has leaked)."""
    digest = token_hash(refresh_token)
    login = session.exec(select(AuthSession).where(AuthSession.refresh_hash == digest)).first()
    if login is None:
        return _rotated_before(session, digest, now, grace)
    if login.revoked_at is not None or login.expires_at <= now:
        return None
    swapped = session.execute(
        update(AuthSession)
        .where(
            col(AuthSession.id) == login.id,
            col(AuthSession.refresh_hash) == digest,
            col(AuthSession.revoked_at).is_(None),
        )
        .values(refresh_hash=token_hash(new_token))
    )
    if getattr(swapped, "rowcount", 0) != 1:
        # Another request rotated it first: within the grace window it gets the same answer.
        return _rotated_before(session, digest, now, grace)
    session.add(
        UsedRefreshToken(token_hash=digest, session_id=login.id, used_at=now, successor=new_token)
    )
    session.refresh(login)
    return login, new_token


def _rotated_before(
    session: Session, digest: str, now: datetime, grace: timedelta
) -> tuple[AuthSession, str] | None:
    used = session.get(UsedRefreshToken, digest)
    if used is None:
        return None
    # Read the login again: this session may hold it as it was before a concurrent rotation.
    login = session.get(AuthSession, used.session_id, populate_existing=True)
    current = (
        login is not None
        and login.revoked_at is None
        and login.expires_at > now
        and used.successor is not None
        and login.refresh_hash == token_hash(used.successor)
    )
    if current and now - used.used_at <= grace and login is not None and used.successor:
        return login, used.successor
    revoke_login(session, used.session_id, now)
    return None


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
        raise Conflict(_("username {username} is taken", username=repr(username)))
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
    return save(session, user)


def taken_usernames(session: Session, names: Iterable[str]) -> set[str]:
    """Which of these usernames have a user, in one query."""
    wanted = list(set(names))
    if not wanted:
        return set()
    return set(session.exec(select(User.username).where(col(User.username).in_(wanted))))


def login_of_volunteer(session: Session, volunteer_id: str) -> User | None:
    """The account of a volunteer, if it has one."""
    return session.exec(select(User).where(User.volunteer_id == volunteer_id)).first()


def active_user_ids(
    session: Session,
    *,
    role: Role | None = None,
    volunteer_ids: Iterable[str] | None = None,
    **equal: str,
) -> list[str]:
    """The ids of active users of a role, or of these volunteers, with these column values
    (`county_code`, `org_id`, `base_id`): who a notice goes to."""
    stmt = select(User.id).where(col(User.is_active))
    if role is not None:
        stmt = stmt.where(User.role == role.value)
    if volunteer_ids is not None:
        stmt = stmt.where(col(User.volunteer_id).in_(list(volunteer_ids)))
    for name, value in equal.items():
        stmt = stmt.where(getattr(User, name) == value)
    return list(session.exec(stmt.order_by(col(User.id))))


def get_user(session: Session, principal: Principal, user_id: str) -> User:
    """A user in the caller's scope, or 404."""
    return get_in_scope(session, principal, User, user_id)


def list_users(
    session: Session, principal: Principal, *, page: PageRequest, role: Role | None
) -> PageResult[User]:
    """Users in the caller's scope."""
    return list_in_scope(session, principal, User, page, equal={"role": role})


def update_user(session: Session, user: User, changes: dict[str, Any]) -> User:
    """Set the changed fields of a user and write them (a new version)."""
    for name, value in changes.items():
        setattr(user, name, value)
    return save(session, user)


def active_city_admins(session: Session) -> int:
    """How many active city administrators there are."""
    query = select(func.count()).where(User.role == Role.CITY_ADMIN.value, col(User.is_active))
    return int(session.exec(query).one())


def clear_throttle(session: Session, username: str) -> None:
    """Forget the failed logins of a username from every address (its locks too)."""
    pair = col(LoginThrottle.key).startswith(f"{username}|", autoescape=True)
    session.execute(delete(LoginThrottle).where(or_(col(LoginThrottle.key) == username, pair)))


def any_user(session: Session) -> bool:
    """Whether any user exists (the first run creates an administrator when none)."""
    return session.exec(select(User.id).limit(1)).first() is not None
