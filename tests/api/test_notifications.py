"""Notices (PLAT-NOTIFY-1): written with the change that causes them, in the person's language,
kept in the inbox, and sent by email through a real SMTP server by the outbox worker, which
retries, gives up into a dead state, replays, and never sends one message twice at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.channels import EmailSender
from app.config import Settings
from app.domain.access import Principal, Role
from app.domain.common import SHANGHAI
from app.domain.notifications import MAX_ATTEMPTS, NoticeKind
from app.repositories import notifications as repo
from app.repositories.notifications import NotificationRow, OutboxRow, OutboxStatus
from app.services import outbox
from app.services import volunteers_records as records
from tests.api.test_attendance import API, Site, _site, clock
from tests.conftest import Actor, ActorFactory, assert_problem
from tests.conftest import TestDatabase as Database
from tests.reliability.harness import free_port

__all__ = ["clock"]


class Inbox:
    """What a real SMTP server (aiosmtpd, on a free port) received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def _record(client: TestClient, site: Site, admin: Actor) -> dict[str, Any]:
    enrolments = client.get(f"{site.url}/enrolments", headers=admin.headers).json()["items"]
    created = client.post(
        f"{API}/service-records",
        json={
            "enrolment_id": enrolments[0]["id"],
            "starts_at": site.starts.isoformat(),
            "ends_at": (site.starts + timedelta(hours=2, minutes=30)).isoformat(),
        },
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    return dict(created.json())


def _prefer(client: TestClient, who: Actor, **body: Any) -> Any:
    return client.put(f"{API}/me/notification-preferences", json=body, headers=who.headers)


def _count(db: Session, model: type[NotificationRow] | type[OutboxRow]) -> int:
    db.rollback()
    return int(db.exec(select(func.count()).select_from(model)).one())


def _emailed_hours(client: TestClient, city_admin: Actor, actor: ActorFactory) -> None:
    """A volunteer with an email address whose hours the city administrator confirms."""
    site = _site(client, city_admin, actor)
    record = _record(client, site, city_admin)
    assert _prefer(client, site.volunteer, email="li@example.cn").status_code == 200
    confirmed = client.post(
        f"{API}/service-records/{record['id']}:confirm", headers=city_admin.headers
    )
    assert confirmed.status_code == 200, confirmed.text


def _email(settings: Settings, port: int) -> EmailSender:
    return EmailSender(settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}))


def test_plat_notify_1_confirmed_hours_reach_the_inbox_in_the_volunteers_language(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    site = _site(client, city_admin, actor)
    record = _record(client, site, city_admin)
    assert _prefer(client, site.volunteer, language="en").status_code == 200
    confirmed = client.post(
        f"{API}/service-records/{record['id']}:confirm", headers=city_admin.headers
    )
    assert confirmed.status_code == 200, confirmed.text
    inbox = client.get(f"{API}/me/notifications", headers=site.volunteer.headers).json()["items"]
    assert [(n["kind"], n["subject"], n["resource_path"]) for n in inbox] == [
        ("hours_confirmed", "Hours confirmed: 2.5 h", f"/api/v1/service-records/{record['id']}")
    ]
    assert "科技馆科普讲解" in inbox[0]["body"]
    read = client.post(
        f"{API}/me/notifications/{inbox[0]['id']}:read", headers=site.volunteer.headers
    )
    assert read.json()["read_at"] is not None
    unread = client.get(
        f"{API}/me/notifications", params={"unread": True}, headers=site.volunteer.headers
    )
    assert unread.json()["items"] == []
    assert_problem(
        client.post(f"{API}/me/notifications/{inbox[0]['id']}:read", headers=city_admin.headers),
        404,
    )


def test_plat_notify_1_a_voided_record_tells_the_volunteer_why_in_chinese_by_default(
    client: TestClient, city_admin: Actor, actor: ActorFactory
) -> None:
    site = _site(client, city_admin, actor)
    record = _record(client, site, city_admin)
    voided = client.post(
        f"{API}/service-records/{record['id']}:void",
        json={"reason": "重复登记"},
        headers=city_admin.headers,
    )
    assert voided.status_code == 200, voided.text
    inbox = client.get(f"{API}/me/notifications", headers=site.volunteer.headers).json()["items"]
    assert [(n["kind"], n["subject"]) for n in inbox] == [
        ("hours_rejected", "服务时长未确认：科技馆科普讲解")
    ]
    assert inbox[0]["body"].endswith("原因：重复登记")


def test_plat_notify_1_a_rolled_back_change_writes_no_notice_and_sends_nothing(
    client: TestClient, city_admin: Actor, actor: ActorFactory, app: FastAPI
) -> None:
    site = _site(client, city_admin, actor)
    record = _record(client, site, city_admin)
    assert _prefer(client, site.volunteer, email="li@example.cn").status_code == 200
    admin = Principal(
        user_id=city_admin.user_id,
        username=city_admin.username,
        role=Role.CITY_ADMIN,
        session_id="test",
    )
    with app.state.ctx.sessions() as session:
        records.confirm_record(
            session=session, principal=admin, record_id=record["id"], now=datetime.now(UTC)
        )
        session.flush()
        assert session.exec(select(func.count()).select_from(OutboxRow)).one() == 1
        session.rollback()
    with app.state.ctx.sessions() as session:
        assert session.exec(select(func.count()).select_from(NotificationRow)).one() == 0
        assert session.exec(select(func.count()).select_from(OutboxRow)).one() == 0


def test_plat_notify_1_a_real_smtp_server_receives_the_chinese_email_intact(
    client: TestClient,
    city_admin: Actor,
    actor: ActorFactory,
    app: FastAPI,
    settings: Settings,
    smtp: tuple[Inbox, int],
) -> None:
    received, port = smtp
    _emailed_hours(client, city_admin, actor)
    sent = outbox.deliver_due(
        app.state.ctx.sessions,
        _email(settings, port),
        clock=lambda: datetime.now(UTC),
        batch=10,
        claim_seconds=60,
    )
    assert sent == 1
    [mail] = received.messages
    assert mail["To"] == "li@example.cn"
    assert mail["Subject"] == "服务时长已确认：2.5 小时"
    assert "您在「科技馆科普讲解」的服务时长 2.5 小时已确认。" in mail.get_content()
    assert "赤峰市科学技术协会" in mail["From"]


def test_plat_notify_1_a_worker_killed_mid_delivery_sends_again_once_with_the_same_id(
    client: TestClient,
    city_admin: Actor,
    actor: ActorFactory,
    app: FastAPI,
    settings: Settings,
    smtp: tuple[Inbox, int],
    db: Session,
) -> None:
    received, port = smtp
    _emailed_hours(client, city_admin, actor)
    email = _email(settings, port)

    class Killed(BaseException):
        """The worker process ending between the send and its record."""

    class DyingSender(EmailSender):
        def send(self, **message: str) -> None:
            super().send(**message)
            raise Killed

    start = datetime.now(UTC)
    with pytest.raises(Killed):
        outbox.deliver_due(
            app.state.ctx.sessions,
            DyingSender(email.settings),
            clock=lambda: start,
            batch=10,
            claim_seconds=60,
        )
    assert len(received.messages) == 1
    still_claimed = start + timedelta(seconds=59)
    assert (
        outbox.deliver_due(
            app.state.ctx.sessions, email, clock=lambda: still_claimed, batch=10, claim_seconds=60
        )
        == 0
    ), "another worker leaves a claimed message alone"
    after = start + timedelta(seconds=61)
    for _ in range(2):
        outbox.deliver_due(
            app.state.ctx.sessions, email, clock=lambda: after, batch=10, claim_seconds=60
        )
    first, again = received.messages
    assert first["Message-ID"] == again["Message-ID"], "the resend is recognisably the same"
    db.rollback()
    [row] = db.exec(select(OutboxRow)).all()
    assert (row.status, row.attempts) == (OutboxStatus.DELIVERED.value, 2)


def test_plat_notify_1_failures_wait_longer_each_time_then_die_and_replay(
    client: TestClient,
    city_admin: Actor,
    actor: ActorFactory,
    app: FastAPI,
    settings: Settings,
    smtp: tuple[Inbox, int],
    db: Session,
) -> None:
    received, port = smtp
    _emailed_hours(client, city_admin, actor)
    closed = _email(settings, free_port())  # nothing listens there
    moment = [datetime.now(UTC)]
    sessions = app.state.ctx.sessions

    def run(sender: EmailSender) -> int:
        return outbox.deliver_due(
            sessions, sender, clock=lambda: moment[0], batch=10, claim_seconds=60
        )

    waits = []
    for _ in range(MAX_ATTEMPTS):
        assert run(closed) == 1
        db.rollback()
        row = db.exec(select(OutboxRow)).one()
        waits.append(round((row.due_at - moment[0]).total_seconds() / 60))
        moment[0] = max(moment[0], row.due_at)
    assert waits[:-1] == [1, 2, 4, 8, 16]
    assert (row.status, row.attempts) == (OutboxStatus.DEAD.value, MAX_ATTEMPTS)
    assert "ConnectionRefusedError" in (row.last_error or "")
    assert run(_email(settings, port)) == 0, "a dead message is not tried again"
    assert outbox.replay(sessions, None, now=moment[0]) == 1
    run(_email(settings, port))
    assert len(received.messages) == 1


def test_plat_notify_1_two_workers_never_claim_the_same_message(
    client: TestClient,
    app: FastAPI,
    test_db: Database,
    city_admin: Actor,
    actor: ActorFactory,
) -> None:
    if test_db.dialect != "postgresql":
        pytest.skip("SQLite runs one worker; SKIP LOCKED is PostgreSQL's")
    now = datetime.now(UTC)
    with app.state.ctx.sessions() as session:
        for n in range(20):
            session.add(
                OutboxRow(
                    channel="email", target=f"p{n}@example.cn", subject="s", body="b", due_at=now
                )
            )
        session.commit()
    first = app.state.ctx.sessions()
    second = app.state.ctx.sessions()
    try:
        until = now + timedelta(minutes=1)
        taken_first = {r.id for r in repo.claim(first, now=now, until=until, limit=12)}
        # The first worker's transaction is still open, its rows locked: the second skips them.
        taken_second = {r.id for r in repo.claim(second, now=now, until=until, limit=12)}
        first.commit()
        second.commit()
    finally:
        first.close()
        second.close()
    assert len(taken_first) == 12
    assert len(taken_second) == 8
    assert not taken_first & taken_second


def test_plat_notify_1_preferences_name_known_kinds_and_channels_only(
    client: TestClient, city_admin: Actor
) -> None:
    assert_problem(
        _prefer(client, city_admin, channels={"lottery": ["email"]}),
        422,
        field="channels.lottery.[key]",
    )
    assert_problem(_prefer(client, city_admin, channels={"report_due": ["pigeon"]}), 422)
    assert_problem(_prefer(client, city_admin, email="not an address"), 422, field="email")
    for starts in (0, "00:00:00Z", "24:00", "7:00"):
        quiet = {"starts": starts, "ends": "07:00"}
        assert_problem(_prefer(client, city_admin, quiet_hours=quiet), 422)
    chosen = _prefer(
        client,
        city_admin,
        email="city@example.cn",
        channels={"report_due": ["in_app"]},
        quiet_hours={"starts": "22:00", "ends": "07:00"},
    )
    assert chosen.status_code == 200, chosen.text
    back = client.get(f"{API}/me/notification-preferences", headers=city_admin.headers).json()
    assert back["channels"]["report_due"] == ["in_app"]
    assert back["channels"]["evaluation_due"] == ["in_app", "email"]
    assert back["quiet_hours"] == {"starts": "22:00", "ends": "07:00"}
    assert set(back["channels"]) == {k.value for k in NoticeKind}


def test_plat_notify_1_quiet_hours_hold_the_email_but_not_the_inbox(
    client: TestClient, city_admin: Actor, actor: ActorFactory, db: Session
) -> None:
    site = _site(client, city_admin, actor)
    record = _record(client, site, city_admin)
    local = datetime.now(SHANGHAI)
    quiet = {
        "starts": f"{local - timedelta(hours=1):%H:%M}",
        "ends": f"{local + timedelta(hours=1):%H:%M}",
    }
    _prefer(client, site.volunteer, email="li@example.cn", quiet_hours=quiet)
    client.post(f"{API}/service-records/{record['id']}:confirm", headers=city_admin.headers)
    assert _count(db, NotificationRow) == 1
    row = db.exec(select(OutboxRow)).one()
    assert row.due_at > datetime.now(UTC), "the email waits for the quiet hours to end"
