"""Notices (PLAT-NOTIFY-1): each person's inbox, their preferences, and the outbox of messages
still to be sent, each row written in the transaction of the change that causes it.

None of these tables is in the change feed: an inbox is one person's, and the outbox is the
service's own bookkeeping.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, ColumnElement, Index, update
from sqlmodel import Field, Session, col, select

from app.domain.notifications import Channel, Language, NoticeKind, Preferences, QuietHours
from app.errors import NotFound
from app.i18n import _
from app.repositories import claims
from app.repositories.base import Entity, PageRequest, PageResult, presigned, save
from app.repositories.scope import list_rows
from app.repositories.types import Encrypted, UTCDateTime


class NotificationRow(Entity, table=True):
    """One notice in one person's inbox; `dedupe_key` makes a reminder arrive once."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_id_id", "user_id", "id"),)

    user_id: str = Field(foreign_key="users.id", max_length=26)
    kind: str = Field(max_length=32)
    subject: str = Field(max_length=200)
    body: str = Field(max_length=2000)
    resource_path: str | None = Field(default=None, max_length=300)
    dedupe_key: str = Field(max_length=200, unique=True)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OutboxStatus(StrEnum):
    """Where a message stands: waiting (or waiting again after a failure), sent, or given up."""

    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


class OutboxRow(Entity, table=True):
    """A message to send over a channel; claimed by one worker at a time."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_due", "status", "due_at"),)

    channel: str = Field(max_length=16)
    #: Who receives it: an email address (encrypted: personal data).
    target: str = Field(sa_type=Encrypted)
    subject: str = Field(max_length=200)
    body: str = Field(max_length=2000)
    notification_id: str | None = Field(default=None, max_length=26, unique=True)
    status: str = Field(default=OutboxStatus.PENDING.value, max_length=16)
    attempts: int = 0
    due_at: datetime = Field(sa_type=UTCDateTime)
    #: A worker's claim: no other worker takes the message before this instant.
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PreferenceRow(Entity, table=True):
    """A person's notification preferences (one row per user, made on first change)."""

    __tablename__ = "notification_preferences"

    user_id: str = Field(foreign_key="users.id", max_length=26, unique=True)
    language: str = Field(default=Language.ZH.value, max_length=8)
    email: str | None = Field(default=None, sa_type=Encrypted)
    channels: dict[str, list[str]] = Field(
        default_factory=presigned(dict), sa_column=Column(JSON, nullable=False)
    )
    quiet_starts: time | None = None
    quiet_ends: time | None = None

    def to_domain(self) -> Preferences:
        """The preferences as the notice rules take them; kinds not named keep the default."""
        defaults = Preferences()
        chosen = {NoticeKind(k): tuple(Channel(c) for c in v) for k, v in self.channels.items()}
        quiet = (
            QuietHours(starts=self.quiet_starts, ends=self.quiet_ends)
            if self.quiet_starts is not None and self.quiet_ends is not None
            else None
        )
        return Preferences(
            language=Language(self.language),
            email=self.email,
            channels={**defaults.channels, **chosen},
            quiet_hours=quiet,
        )


def preferences_of(session: Session, user_ids: Sequence[str]) -> dict[str, Preferences]:
    """The preferences of these users (the default for those who never chose), in one query."""
    rows = session.exec(select(PreferenceRow).where(col(PreferenceRow.user_id).in_(user_ids)))
    found = {r.user_id: r.to_domain() for r in rows}
    return {u: found.get(u, Preferences()) for u in user_ids}


def preference_row(session: Session, user_id: str) -> PreferenceRow | None:
    """The stored preferences of a user, if any."""
    return session.exec(select(PreferenceRow).where(PreferenceRow.user_id == user_id)).first()


def save_preferences(session: Session, user_id: str, values: dict[str, Any]) -> PreferenceRow:
    """Replace a user's preferences."""
    row = preference_row(session, user_id) or PreferenceRow(user_id=user_id)
    for name, value in values.items():
        setattr(row, name, value)
    return save(session, row)


def known_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """Which of these dedupe keys already have a notice."""
    if not keys:
        return set()
    stmt = select(NotificationRow.dedupe_key).where(col(NotificationRow.dedupe_key).in_(keys))
    return set(session.exec(stmt))


def add_notice(session: Session, row: NotificationRow, message: OutboxRow | None) -> None:
    """Store a notice and, when it is also sent, its message, in the caller's transaction."""
    save(session, row)
    if message is not None:
        message.notification_id = row.id
        save(session, message)


def inbox(
    session: Session, user_id: str, page: PageRequest, *, unread: bool | None
) -> PageResult[NotificationRow]:
    """A page of one person's notices, oldest first (newest last, as every page)."""
    where: list[ColumnElement[bool]] = [col(NotificationRow.user_id) == user_id]
    if unread is not None:
        where.append(
            col(NotificationRow.read_at).is_(None)
            if unread
            else col(NotificationRow.read_at).is_not(None)
        )
    return list_rows(session, NotificationRow, page, *where)


def own_notice(session: Session, user_id: str, notification_id: str) -> NotificationRow:
    """One of the person's notices, or 404 (another's is not found either)."""
    row = session.get(NotificationRow, notification_id)
    if row is None or row.user_id != user_id:
        raise NotFound(_("notification {id} not found", id=notification_id))
    return row


def mark_read(session: Session, row: NotificationRow, at: datetime) -> None:
    """Read now, if not read before."""
    if row.read_at is None:
        row.read_at = at
        save(session, row)


# --- the worker's side ---------------------------------------------------------------------------


def claim(session: Session, *, now: datetime, until: datetime, limit: int) -> list[OutboxRow]:
    """Take up to `limit` due messages for one worker until `until`, counting the attempt."""
    return claims.claim(
        session,
        OutboxRow,
        status=OutboxStatus.PENDING.value,
        now=now,
        until=until,
        limit=limit,
        attempts=OutboxRow.attempts + 1,
    )


def delivered(session: Session, message_id: str, at: datetime) -> None:
    """The message reached its channel."""
    session.execute(
        update(OutboxRow)
        .where(col(OutboxRow.id) == message_id)
        .values(status=OutboxStatus.DELIVERED.value, delivered_at=at, claimed_until=None)
    )


def failed(session: Session, message_id: str, *, error: str, retry_at: datetime | None) -> None:
    """The channel refused or failed: try again at `retry_at`, or give up (dead) when None."""
    values: dict[str, Any] = {"last_error": error[:500], "claimed_until": None}
    if retry_at is None:
        values["status"] = OutboxStatus.DEAD.value
    else:
        values["due_at"] = retry_at
    session.execute(update(OutboxRow).where(col(OutboxRow.id) == message_id).values(**values))


def messages(session: Session, *, status: OutboxStatus, limit: int) -> list[OutboxRow]:
    """Messages in one state, oldest first."""
    stmt = (
        select(OutboxRow)
        .where(OutboxRow.status == status.value)
        .order_by(col(OutboxRow.created_at), col(OutboxRow.id))
        .limit(limit)
    )
    return list(session.exec(stmt))


def replay(session: Session, message_ids: Sequence[str] | None, *, now: datetime) -> int:
    """Send dead messages again from their first attempt (all of them when `message_ids` is
    None); returns how many."""
    stmt = update(OutboxRow).where(col(OutboxRow.status) == OutboxStatus.DEAD.value)
    if message_ids is not None:
        stmt = stmt.where(col(OutboxRow.id).in_(message_ids))
    result = session.execute(
        stmt.values(status=OutboxStatus.PENDING.value, attempts=0, due_at=now, last_error=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
