"""The delivery worker's use cases (PLAT-NOTIFY-1): claim what is due, send it, record the
outcome; retry with a doubling wait, then dead; list and replay the dead."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app.channels import DeliveryError, EmailSender
from app.domain.notifications import retry_delay
from app.repositories import notifications as repo


def deliver_due(
    sessions: sessionmaker[Session],
    email: EmailSender,
    *,
    clock: Callable[[], datetime],
    batch: int,
    claim_seconds: int,
) -> int:
    """Send one batch of due messages; returns how many were tried. The claim is committed
    before anything is sent, and each outcome in its own transaction, so a worker that dies
    leaves at most its claimed messages, which another worker takes once the claim expires
    (each then sent again, with the same Message-ID: at least once, recognisably)."""
    if not email.configured:
        return 0
    now = clock()
    with sessions() as session:
        claimed = [
            (r.id, r.target, r.subject, r.body, r.attempts)
            for r in repo.claim(
                session, now=now, until=now + timedelta(seconds=claim_seconds), limit=batch
            )
        ]
        session.commit()
    for message_id, target, subject, body, attempts in claimed:
        try:
            email.send(to=target, subject=subject, body=body, message_id=message_id)
        except DeliveryError as exc:
            delay = retry_delay(attempts)
            with sessions() as session:
                repo.failed(
                    session,
                    message_id,
                    error=str(exc),
                    retry_at=clock() + delay if delay is not None else None,
                )
                session.commit()
            continue
        with sessions() as session:
            repo.delivered(session, message_id, clock())
            session.commit()
    return len(claimed)


def replay(
    sessions: sessionmaker[Session], message_ids: Sequence[str] | None, *, now: datetime
) -> int:
    """Dead messages pending again (all of them when no ids are given); returns how many."""
    with sessions() as session:
        count = repo.replay(session, message_ids, now=now)
        session.commit()
    return count
