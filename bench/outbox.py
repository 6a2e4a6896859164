"""Notices under load (issue 14, PLAT-NOTIFY-1), on SQLite or PostgreSQL, the service's own
code in process (the worker is a process of its own in production too):

    .venv/bin/python -m bench.outbox --db postgresql      # uses $TEST_DATABASE_URL
    .venv/bin/python -m bench.outbox --db sqlite

1. The cost a notice adds to a write: 500 transactions that each change a user (a write as
   any request makes one), against 500 that make the same change and call `notify` for one
   person with an email address (an inbox row and an outbox row). Ratio of the medians.
2. Email throughput: 2,000 outbox messages delivered by one worker to a real SMTP server
   (aiosmtpd, on loopback): messages per second.
3. Webhook throughput: 2,000 change-feed events delivered by one worker to a real HTTP receiver
   (`http.server`, threaded, on loopback): events per second.

Prints the figures and writes `bench/results/<date>-outbox-<db>.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from app.channels import EmailSender
from app.config import Settings
from app.domain.access import Role
from app.domain.notifications import NoticeKind
from app.main import create_app
from app.repositories import notifications, users, webhooks
from app.repositories.base import ChangeEvent
from app.services import outbox
from app.services import webhooks as webhook_service
from app.services.notifications import notify
from tests.reliability.harness import SECRET, free_port, fresh_database

ROOT = Path(__file__).resolve().parent.parent
WRITES = 500
MESSAGES = 2000
EVENTS = 2000
NO_PASSWORD = "!"  # noqa: S105 - not a password: a hash nothing matches


def write_cost(sessions: Any) -> dict[str, float]:
    """Median milliseconds of a write transaction without and with one notice."""
    with sessions() as session:
        user = users.create_user(
            session, username="bench-liaison", password_hash=NO_PASSWORD, role=Role.BASE_STAFF
        )
        notifications.save_preferences(session, user.id, {"email": "liaison@example.cn"})
        session.commit()
        user_id = user.id

    def run(n: int, *, with_notice: bool) -> float:
        began = time.perf_counter()
        with sessions() as session:
            row = session.get(users.User, user_id)
            assert row is not None
            row.display_name = f"联络员{n}"
            session.add(row)
            if with_notice:
                notify(
                    session,
                    user_ids=[user_id],
                    kind=NoticeKind.HOURS_CONFIRMED,
                    variables={"activity_title": "科普讲解", "hours": "2.5", "reason": ""},
                    resource_path="/api/v1/service-records/x",
                    dedupe_key=f"bench:{n}:{with_notice}",
                    now=datetime.now(UTC),
                )
            session.commit()
        return (time.perf_counter() - began) * 1000

    for n in range(20):  # warm the statement cache
        run(-n - 1, with_notice=True)
    plain = [run(n, with_notice=False) for n in range(WRITES)]
    noticed = [run(n, with_notice=True) for n in range(WRITES)]
    return {
        "write_ms_p50": round(statistics.median(plain), 2),
        "write_with_notice_ms_p50": round(statistics.median(noticed), 2),
        "notice_cost_ratio": round(statistics.median(noticed) / statistics.median(plain), 2),
    }


class _Sink:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        return "250 OK"


def email_throughput(sessions: Any, settings: Settings) -> dict[str, float]:
    """Messages per second one worker hands to a real SMTP server."""
    now = datetime.now(UTC)
    with sessions() as session:
        session.add_all(
            notifications.OutboxRow(
                channel="email",
                target=f"p{n}@example.cn",
                subject="年度报告",
                body="请提交",
                due_at=now,
            )
            for n in range(MESSAGES)
        )
        session.commit()
    port = free_port()
    controller = Controller(_Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    sender = EmailSender(settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}))
    began = time.perf_counter()
    sent = 0
    try:
        while sent < MESSAGES:
            sent += outbox.deliver_due(
                sessions, sender, clock=lambda: datetime.now(UTC), batch=100, claim_seconds=120
            )
    finally:
        controller.stop()
    seconds = time.perf_counter() - began
    return {"email_messages": sent, "email_per_second": round(sent / seconds, 1)}


def webhook_throughput(sessions: Any, settings: Settings) -> dict[str, float]:
    """Events per second one worker delivers to a real HTTP receiver."""
    received = [0]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            received[0] += 1
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    allowed = settings.model_copy(
        update={"webhook_allowed_hosts": "127.0.0.1", "webhook_allow_private": True}
    )
    with sessions() as session:
        webhooks.add_webhook(
            session,
            {
                "url": f"http://127.0.0.1:{server.server_address[1]}/hook",
                "resources": [],
                "secret": "bench-secret-bench-secret-bench-secret",
                "created_by": "bench",
                "due_at": datetime.now(UTC),
            },
        )
        session.add_all(
            ChangeEvent(resource="user", resource_id=f"u{n}", op="update", version=2)
            for n in range(EVENTS)
        )
        session.commit()
    began = time.perf_counter()
    try:
        while received[0] < EVENTS:
            webhook_service.deliver_due(sessions, allowed, clock=lambda: datetime.now(UTC))
    finally:
        server.shutdown()
        server.server_close()
    seconds = time.perf_counter() - began
    return {"webhook_events": received[0], "webhook_per_second": round(received[0] / seconds, 1)}


def main() -> None:
    """Arrange, measure the three figures, print and keep them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="postgresql")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_database(args.db, Path(tmp), os.environ.get("TEST_DATABASE_URL")) as db,
    ):
        os.environ.update(
            {
                "KEPU_DATABASE_URL": db.url,
                "KEPU_SECRET_KEY": SECRET,
                "KEPU_STORAGE_DIR": str(Path(tmp) / "files"),
            }
        )
        app = create_app()
        ctx = app.state.ctx
        figures: dict[str, Any] = {"db": args.db}
        figures |= write_cost(ctx.sessions)
        figures |= email_throughput(ctx.sessions, ctx.settings)
        figures |= webhook_throughput(ctx.sessions, ctx.settings)
        ctx.engine.dispose()
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results" / f"{date.today()}-outbox-{args.db}.json"
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
