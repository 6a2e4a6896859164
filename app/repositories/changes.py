"""Reading the change feed and the audit log, each within the caller's scope."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, or_, true
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from app.domain.access import Principal, Role
from app.repositories.base import ChangeEvent

FEED_OPS = ("create", "update", "delete")


def _visible(principal: Principal) -> ColumnElement[bool]:
    if principal.city_wide:
        return true()
    own = col(ChangeEvent.owner_id) == principal.user_id
    if principal.role is Role.COUNTY_ADMIN:
        return or_(col(ChangeEvent.county_code) == principal.county_code, own)
    if principal.role is Role.ORG_ADMIN and principal.org_path:
        return or_(col(ChangeEvent.org_path).startswith(principal.org_path), own)
    if principal.role is Role.BASE_STAFF:
        return or_(col(ChangeEvent.base_id) == principal.base_id, own)
    if principal.role is Role.VOLUNTEER and principal.volunteer_id:
        return or_(col(ChangeEvent.owner_id) == principal.volunteer_id, own)
    return own


class FeedEntry(NamedTuple):
    """What the feed shows of an event: no actor, no diff."""

    seq: int
    resource: str
    resource_id: str
    op: str
    at: datetime


def feed(session: Session, principal: Principal, *, after: int, limit: int) -> list[FeedEntry]:
    """Creates, updates and deletes after `after`, oldest first, that the caller may see."""
    # Plain columns: a page is up to 1,000 events, and ORM objects with their JSON diffs
    # (never shown here) cost most of the request.
    stmt = (
        core_select(
            col(ChangeEvent.seq),
            col(ChangeEvent.resource),
            col(ChangeEvent.resource_id),
            col(ChangeEvent.op),
            col(ChangeEvent.at),
        )
        .where(col(ChangeEvent.seq) > after, col(ChangeEvent.op).in_(FEED_OPS), _visible(principal))
        .order_by(col(ChangeEvent.seq))
        .limit(limit)
    )
    return [FeedEntry(*row) for row in session.execute(stmt)]


def audit(
    session: Session,
    *,
    after: int,
    limit: int,
    resource: str | None,
    resource_id: str | None,
    actor_id: str | None,
    since: datetime | None,
) -> list[ChangeEvent]:
    """Every event, reveals of personal data included, with actor and diff."""
    stmt = select(ChangeEvent).where(col(ChangeEvent.seq) > after)
    if resource is not None:
        stmt = stmt.where(ChangeEvent.resource == resource)
    if resource_id is not None:
        stmt = stmt.where(ChangeEvent.resource_id == resource_id)
    if actor_id is not None:
        stmt = stmt.where(ChangeEvent.actor_id == actor_id)
    if since is not None:
        stmt = stmt.where(col(ChangeEvent.at) >= since)
    return list(session.exec(stmt.order_by(col(ChangeEvent.seq)).limit(limit)).all())
