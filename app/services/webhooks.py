"""Webhook subscriptions and their delivery (PLAT-NOTIFY-1): the change feed, signed, at least
once, in order per subscription, deduplicable by `seq`, only to allowed public hosts."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app.config import Environment, Settings
from app.domain.notifications import retry_delay
from app.domain.webhooks import SIGNATURE_HEADER, check_target, is_public, signature
from app.errors import RuleViolation
from app.repositories import webhooks as repo
from app.repositories.base import ChangeEvent

#: Events one subscription is sent per turn, and subscriptions one worker serves at once.
BATCH = 100
PARALLEL = 8


def allowed_hosts(settings: Settings) -> frozenset[str]:
    """The configured allow-list, lower-cased."""
    return frozenset(h.strip().lower() for h in settings.webhook_allowed_hosts.split(",") if h)


def create(
    session: Session,
    settings: Settings,
    *,
    url: str,
    resources: Sequence[str],
    secret: str,
    created_by: str,
    now: datetime,
) -> repo.WebhookRow:
    """A subscription delivering every later event of `resources`; 422 naming the URL when it
    is not https (outside development), not allow-listed, or not a public address."""
    findings = check_target(
        url,
        allowed_hosts=allowed_hosts(settings),
        https_only=settings.env is not Environment.DEVELOPMENT,
        allow_private=settings.webhook_allow_private,
    )
    if findings:
        raise RuleViolation(findings, status=422)
    return repo.add_webhook(
        session,
        {
            "url": url,
            "resources": sorted(set(resources)),
            "secret": secret,
            "created_by": created_by,
            "due_at": now,
        },
    )


def payload(event: ChangeEvent) -> bytes:
    """What a delivery carries: the change-feed event, as `/changes` shows it."""
    body = {
        "seq": event.seq,
        "resource": event.resource,
        "id": event.resource_id,
        "op": event.op,
        "at": event.at.isoformat().replace("+00:00", "Z"),
        "version": event.version,
        "parents": event.parents,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


class TargetRefused(Exception):
    """The target resolves to an address the service may not call."""


def _check_resolved(url: str, settings: Settings) -> None:
    # Checked at each delivery too: a name may resolve elsewhere than when it was allowed.
    if settings.webhook_allow_private:
        return
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError as exc:
        raise TargetRefused(f"{host} does not resolve: {exc}") from exc
    private = sorted(a for a in addresses if not is_public(str(a)))
    if private:
        raise TargetRefused(f"{host} resolves to a non-public address {private[0]}")


def _deliver_one(
    sessions: sessionmaker[Session],
    client: httpx.Client,
    settings: Settings,
    hook: repo.WebhookRow,
    clock: Callable[[], datetime],
) -> int:
    """Send one subscription its next events in order; stop at the first failure."""
    sent = 0
    try:
        with sessions() as session:
            events, through = repo.pending_events(
                session, after=hook.after_seq, resources=hook.resources, limit=BATCH
            )
        for event in events:
            _check_resolved(hook.url, settings)
            body = payload(event)
            answer = client.post(
                hook.url,
                content=body,
                headers={
                    "Content-Type": "application/json",
                    SIGNATURE_HEADER: signature(hook.secret, int(clock().timestamp()), body),
                    "Kepu-Event-Seq": str(event.seq),
                    "User-Agent": "kepu-api-webhooks",
                },
            )
            if not answer.is_success:
                raise TargetRefused(f"HTTP {answer.status_code}")
            with sessions() as session:
                repo.advance(session, hook.id, through=event.seq or 0, at=clock())
                session.commit()
            sent += 1
        with sessions() as session:
            repo.advance(session, hook.id, through=through, at=None)
            repo.release(session, hook.id)
            session.commit()
    except (TargetRefused, httpx.HTTPError) as exc:
        attempts = hook.attempts + 1
        delay = retry_delay(attempts)
        with sessions() as session:
            repo.fail(
                session,
                hook.id,
                attempts=attempts,
                error=f"{type(exc).__name__}: {exc}",
                retry_at=clock() + delay if delay is not None else None,
            )
            session.commit()
    return sent


def deliver_due(
    sessions: sessionmaker[Session],
    settings: Settings,
    *,
    clock: Callable[[], datetime],
    transport: httpx.BaseTransport | None = None,
) -> int:
    """One turn of webhook delivery: each due subscription (claimed by this worker alone) gets
    its next events, subscriptions side by side so a slow endpoint delays only itself. Returns
    how many events were delivered."""
    now = clock()
    with sessions() as session:
        # The rows stay readable after the commit (sessions do not expire on commit).
        hooks = repo.claim_due(
            session,
            now=now,
            until=now + timedelta(seconds=settings.worker_claim_seconds),
            limit=PARALLEL * 4,
        )
        session.commit()
    if not hooks:
        return 0
    options: dict[str, Any] = {"timeout": settings.webhook_timeout_seconds}
    if transport is not None:
        options["transport"] = transport
    with (
        httpx.Client(follow_redirects=False, **options) as client,
        ThreadPoolExecutor(min(PARALLEL, len(hooks))) as pool,
    ):
        return sum(pool.map(lambda h: _deliver_one(sessions, client, settings, h, clock), hooks))
