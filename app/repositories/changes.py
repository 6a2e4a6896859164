"""Reading the change feed and the audit log, each within the caller's scope."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from app.domain.access import Principal, Role
from app.domain.changes import ChangeOp
from app.errors import InvalidInput
from app.i18n import _
from app.repositories.base import (
    SEQ_CURSOR_PATTERN,
    ChangeEvent,
    Entity,
    PageRequest,
    PageResult,
    encode_cursor,
    where_equal,
)
from app.repositories.scope import convention_clause

FEED_OPS = tuple(ChangeOp)
#: Events no table writes through the ORM, appended with `record_event` under these names.
EVENT_ONLY_RESOURCES = frozenset({"officer_dissemination_import"})


def resource_names() -> list[str]:
    """Every resource name an event may carry: each table's `__resource__`, and the event-only
    names (call it once every repository module is imported)."""
    names = set(EVENT_ONLY_RESOURCES)
    pending: list[type[Entity]] = [Entity]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__resource__ is not None:
            names.add(cls.__resource__)
    return sorted(names)


def _visible(principal: Principal) -> ColumnElement[bool]:
    # An event carries its row's scope columns, so the column convention applies; a volunteer's
    # events are owned by its volunteer record, and everyone sees the events it owns.
    own = col(ChangeEvent.owner_id) == principal.user_id
    if principal.role is Role.VOLUNTEER and principal.volunteer_id:
        return or_(col(ChangeEvent.owner_id) == principal.volunteer_id, own)
    return or_(convention_clause(principal, ChangeEvent), own)


class FeedEntry(NamedTuple):
    """What the feed shows of an event: no actor, no diff."""

    seq: int
    resource: str
    resource_id: str
    op: str
    at: datetime
    version: int | None
    parents: dict[str, Any] | None


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
            col(ChangeEvent.version),
            col(ChangeEvent.parents),
        )
        .where(col(ChangeEvent.seq) > after, col(ChangeEvent.op).in_(FEED_OPS), _visible(principal))
        .order_by(col(ChangeEvent.seq))
        .limit(limit)
    )
    return [FeedEntry(*row) for row in session.execute(stmt)]


def _after_seq(cursor: str) -> int:
    # A sequence cursor is up to 18 digits (SEQ_CURSOR_PATTERN), more than an id cursor's 12.
    if not re.fullmatch(SEQ_CURSOR_PATTERN, cursor):
        raise InvalidInput.one("query.cursor", _("malformed cursor"), "cursor_invalid")
    return int(cursor)


def audit(
    session: Session,
    *,
    page: PageRequest,
    resource: str | None,
    resource_id: str | None,
    actor_id: str | None,
) -> PageResult[ChangeEvent]:
    """One page of every event, reveals of personal data included, with actor and diff, in
    sequence order (`updated_since` selects events at or after that instant)."""
    stmt = where_equal(
        select(ChangeEvent),
        ChangeEvent,
        {"resource": resource, "resource_id": resource_id, "actor_id": actor_id},
    )
    if page.updated_since is not None:
        stmt = stmt.where(col(ChangeEvent.at) >= page.updated_since)
    total = None
    if page.include_total:
        total = int(session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one())
    if page.cursor:
        stmt = stmt.where(col(ChangeEvent.seq) > _after_seq(page.cursor))
    rows = list(session.exec(stmt.order_by(col(ChangeEvent.seq)).limit(page.limit + 1)).all())
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    return PageResult(
        items=rows, next_cursor=encode_cursor(str(rows[-1].seq)) if more else None, total=total
    )
