"""Work claimed by one worker at a time (the outbox's messages, webhook subscriptions): due rows
in a `status`, with a `due_at` and a `claimed_until` that expires if the worker dies."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.repositories.base import Entity

C = TypeVar("C", bound=Entity)


def claim(
    session: Session,
    model: type[C],
    *,
    status: str,
    now: datetime,
    until: datetime,
    limit: int,
    **values: Any,
) -> list[C]:
    """Take up to `limit` due rows in `status` for this worker until `until`, setting `values`
    too. On PostgreSQL the rows are locked with SKIP LOCKED, so workers on many machines never
    take the same row; on SQLite the database's single writer does the same."""
    table: Any = model
    stmt = (
        select(model)
        .where(
            col(table.status) == status,
            col(table.due_at) <= now,
            col(table.claimed_until).is_(None) | (col(table.claimed_until) <= now),
        )
        .order_by(col(table.due_at), col(table.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = list(session.exec(stmt))
    if rows:
        # The session's copies of the rows are brought up to date by the update itself.
        session.execute(
            update(model)
            .where(col(table.id).in_([r.id for r in rows]))
            .values(claimed_until=until, **values)
        )
    return rows
