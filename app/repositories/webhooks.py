"""Webhook subscriptions (PLAT-NOTIFY-1): each follows the change feed from where it was made,
with its own position, so one failing endpoint never holds back another."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, func, update
from sqlmodel import Field, Session, col, select

from app.errors import NotFound
from app.i18n import _
from app.repositories import claims
from app.repositories.base import ChangeEvent, Entity, PageRequest, PageResult, presigned, save
from app.repositories.changes import FEED_OPS
from app.repositories.scope import list_rows
from app.repositories.types import Encrypted, UTCDateTime


class WebhookStatus(StrEnum):
    """Delivering, or stopped after too many failures until resumed."""

    ACTIVE = "active"
    FAILING = "failing"


class WebhookRow(Entity, table=True):
    """A subscription: where to send, which resources, the signing secret, how far it got."""

    __tablename__ = "webhook_subscriptions"
    __resource__ = "webhook"

    url: str = Field(max_length=2000)
    resources: list[str] = Field(
        default_factory=presigned(list), sa_column=Column(JSON, nullable=False)
    )
    secret: str = Field(sa_type=Encrypted)
    created_by: str = Field(max_length=26)
    status: str = Field(default=WebhookStatus.ACTIVE.value, max_length=16)
    #: The last change-feed `seq` delivered (or skipped as not subscribed).
    after_seq: int = 0
    attempts: int = 0
    due_at: datetime = Field(sa_type=UTCDateTime)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    last_delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


def last_seq(session: Session) -> int:
    """The newest sequence number of the feed (0 when empty)."""
    return int(session.exec(select(func.max(ChangeEvent.seq))).one() or 0)


def add_webhook(session: Session, values: dict[str, Any]) -> WebhookRow:
    """A new subscription, delivering from the next event on."""
    return save(session, WebhookRow(**values, after_seq=last_seq(session)))


def get_webhook(session: Session, webhook_id: str) -> WebhookRow:
    """One subscription, or 404."""
    row = session.get(WebhookRow, webhook_id)
    if row is None:
        raise NotFound(_("{resource} {id} not found", resource="webhook", id=webhook_id))
    return row


def list_webhooks(session: Session, page: PageRequest) -> PageResult[WebhookRow]:
    """A page of every subscription."""
    return list_rows(session, WebhookRow, page)


def delete_webhook(session: Session, row: WebhookRow) -> None:
    """Forget a subscription; nothing more is sent to it."""
    session.delete(row)
    session.flush()


def resume(session: Session, row: WebhookRow, now: datetime) -> None:
    """Deliver again from where it stopped, from a first attempt."""
    row.status = WebhookStatus.ACTIVE.value
    row.attempts = 0
    row.due_at = now
    row.last_error = None
    save(session, row)


# --- the worker's side ---------------------------------------------------------------------------


def claim_due(session: Session, *, now: datetime, until: datetime, limit: int) -> list[WebhookRow]:
    """Subscriptions due for delivery, each taken by one worker at a time so its events go out
    in order."""
    return claims.claim(
        session, WebhookRow, status=WebhookStatus.ACTIVE.value, now=now, until=until, limit=limit
    )


def pending_events(
    session: Session, *, after: int, resources: Sequence[str], limit: int
) -> tuple[list[ChangeEvent], int]:
    """The next events after `after` of the subscribed resources (all when none are named),
    oldest first, and the sequence number read up to (so skipped events are not read again)."""
    stmt = (
        select(ChangeEvent)
        .where(col(ChangeEvent.seq) > after, col(ChangeEvent.op).in_(FEED_OPS))
        .order_by(col(ChangeEvent.seq))
        .limit(limit)
    )
    events = list(session.exec(stmt))
    through = (events[-1].seq or after) if events else after
    wanted = set(resources)
    return [e for e in events if not wanted or e.resource in wanted], through


def advance(session: Session, webhook_id: str, *, through: int, at: datetime | None) -> None:
    """Delivered (or skipped) up to `through`: the next attempt starts after it."""
    values: dict[str, Any] = {"after_seq": through, "attempts": 0, "last_error": None}
    if at is not None:
        values["last_delivered_at"] = at
    session.execute(update(WebhookRow).where(col(WebhookRow.id) == webhook_id).values(**values))


def fail(
    session: Session, webhook_id: str, *, attempts: int, error: str, retry_at: datetime | None
) -> None:
    """A delivery failed: try again at `retry_at`, or stop (failing) when None."""
    values: dict[str, Any] = {
        "attempts": attempts,
        "last_error": error[:500],
        "claimed_until": None,
    }
    if retry_at is None:
        values["status"] = WebhookStatus.FAILING.value
    else:
        values["due_at"] = retry_at
    session.execute(update(WebhookRow).where(col(WebhookRow.id) == webhook_id).values(**values))


def release(session: Session, webhook_id: str) -> None:
    """The worker is done with the subscription for now."""
    session.execute(
        update(WebhookRow).where(col(WebhookRow.id) == webhook_id).values(claimed_until=None)
    )
