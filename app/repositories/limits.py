"""Rate limits shared by every worker: hits per key in a fixed window, counted in the database
(docs/reliability.md, "Rate limits"): the one store every deployment has, SQLite on one host as
PostgreSQL behind several workers; Redis would be a second required service."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, Session, SQLModel

from app.repositories.types import UTCDateTime

KEY_MAX = 300


class RateLimitRow(SQLModel, table=True):
    """The hits of one key (`<route>|<source address>`) in its current window."""

    __tablename__ = "rate_limits"

    key: str = Field(primary_key=True, max_length=KEY_MAX)
    window_started_at: datetime = Field(sa_type=UTCDateTime)
    hits: int = 0


def hit(session: Session, key: str, now: datetime, *, limit: int, window: timedelta) -> int | None:
    """Count one hit in one atomic upsert, so concurrent requests of all workers cannot slip
    past the limit; the seconds to wait when this hit is over it, else None."""
    table = RateLimitRow.__table__  # type: ignore[attr-defined]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    upsert = (
        insert(table)
        .values(key=key[:KEY_MAX], window_started_at=now, hits=1)
        .on_conflict_do_update(index_elements=[table.c.key], set_={"hits": table.c.hits + 1})
        .returning(table.c.hits, table.c.window_started_at)
    )
    hits, started = session.execute(upsert).one()
    if started + window <= now:
        # The window has run out: this hit opens the next one.
        row = table.c.key == key[:KEY_MAX]
        session.execute(update(table).where(row).values(hits=1, window_started_at=now))
        return None
    if hits > limit:
        return max(1, int((started + window - now).total_seconds()) + 1)
    return None
