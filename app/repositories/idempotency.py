"""Stored answers to POSTs carrying an `Idempotency-Key`, replayed for 24 h (issue 2)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, UniqueConstraint, delete
from sqlmodel import Field, Session, SQLModel, col, select

from app.ids import new_id
from app.repositories.types import UTCDateTime, utcnow

RETENTION = timedelta(hours=24)
#: First key of PostgreSQL's two-key advisory locks taken per idempotency key ("kepi").
LOCK_NAMESPACE = 0x6B657069


class IdempotencyRecord(SQLModel, table=True):
    """The first answer given to one caller's key."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("caller", "key"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=26)
    caller: str = Field(max_length=64)
    key: str = Field(max_length=255)
    method: str = Field(max_length=8)
    path: str = Field(max_length=512)
    body_hash: str = Field(max_length=64)
    status: int
    media_type: str | None = Field(default=None, max_length=128)
    headers: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    body: bytes = Field(sa_column=Column(LargeBinary))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


def find(session: Session, caller: str, key: str, now: datetime) -> IdempotencyRecord | None:
    """The live record for this caller and key, if any."""
    return session.exec(
        select(IdempotencyRecord).where(
            IdempotencyRecord.caller == caller,
            IdempotencyRecord.key == key,
            IdempotencyRecord.created_at > now - RETENTION,
        )
    ).first()


def lock(session: Session, caller: str, key: str) -> None:
    """Hold one caller's key until commit (on SQLite every writer is already serialised)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.sha256(f"{caller}\n{key}".encode()).digest()
    session.connection().exec_driver_sql(
        "SELECT pg_advisory_xact_lock(%s, %s)",
        (LOCK_NAMESPACE, int.from_bytes(digest[:4], "big", signed=True)),
    )


def store(session: Session, **fields: Any) -> None:
    """Keep an answer, replacing an expired record of the same key (never a live one: a
    concurrent first answer must win through the unique constraint, not be overwritten)."""
    session.execute(
        delete(IdempotencyRecord).where(
            col(IdempotencyRecord.caller) == fields["caller"],
            col(IdempotencyRecord.key) == fields["key"],
            col(IdempotencyRecord.created_at) <= fields["created_at"] - RETENTION,
        )
    )
    session.add(IdempotencyRecord(**fields))


def purge(session: Session, now: datetime) -> int:
    """Delete records older than the retention; returns how many."""
    result = session.execute(
        delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) <= now - RETENTION)
    )
    return int(getattr(result, "rowcount", 0) or 0)
