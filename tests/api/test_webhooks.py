"""Webhooks (PLAT-NOTIFY-1): subscriptions follow the change feed and deliver each event, signed,
in order, to a real HTTP receiver started by the test; a failing receiver holds back only its
own subscription; targets are https, allow-listed and public unless configured otherwise."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.config import Environment, Settings
from app.domain.notifications import MAX_ATTEMPTS
from app.domain.webhooks import SIGNATURE_HEADER, signature, verify
from app.services import webhooks
from tests.conftest import Actor, assert_problem

API = "/api/v1"
SECRET = "whsec_0123456789abcdef0123456789abcdef"


@dataclass
class Receiver:
    """A real HTTP server on loopback answering `status` and keeping what it got."""

    status: int = 204
    got: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"


@pytest.fixture
def receivers() -> Iterator[list[Receiver]]:
    made: list[Receiver] = []
    servers: list[ThreadingHTTPServer] = []

    def start() -> Receiver:
        receiver = Receiver()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.got.append((dict(self.headers.items()), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                return

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        receiver.port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        made.append(receiver)
        return receiver

    start()
    start()
    yield made
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def hook_settings(app: FastAPI, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Loopback allowed, as a test receiver needs; production refuses it by default."""
    allowed = settings.model_copy(
        update={"webhook_allowed_hosts": "127.0.0.1", "webhook_allow_private": True}
    )
    monkeypatch.setattr(app.state.ctx, "settings", allowed)
    return allowed


def _subscribe(client: TestClient, admin: Actor, url: str, *resources: str) -> Any:
    body = {"url": url, "resources": list(resources), "secret": SECRET}
    return client.post(f"{API}/webhooks", json=body, headers=admin.headers)


def _users(client: TestClient, admin: Actor, *names: str) -> list[str]:
    made = []
    for name in names:
        body = {"username": name, "password": "long-enough-pw", "role": "auditor"}
        answer = client.post(f"{API}/users", json=body, headers=admin.headers)
        assert answer.status_code == 201, answer.text
        made.append(answer.json()["id"])
    return made


def _deliver(app: FastAPI, settings: Settings, at: datetime | None = None) -> int:
    moment = at or datetime.now(UTC)
    return webhooks.deliver_due(app.state.ctx.sessions, settings, clock=lambda: moment)


def test_plat_notify_1_events_arrive_signed_in_order_and_verify_with_the_documented_recipe(
    client: TestClient,
    app: FastAPI,
    city_admin: Actor,
    hook_settings: Settings,
    receivers: list[Receiver],
) -> None:
    receiver = receivers[0]
    made = _subscribe(client, city_admin, receiver.url, "user")
    assert made.status_code == 201, made.text
    assert "secret" not in made.json()
    ids = _users(client, city_admin, "hook-a", "hook-b")
    client.patch(f"{API}/users/{ids[0]}", json={"display_name": "甲"}, headers=city_admin.headers)
    assert _deliver(app, hook_settings) == 3
    events = [json.loads(body) for _, body in receiver.got]
    assert [(e["resource"], e["id"], e["op"], e["version"]) for e in events] == [
        ("user", ids[0], "create", 1),
        ("user", ids[1], "create", 1),
        ("user", ids[0], "update", 2),
    ]
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs)
    for headers, body in receiver.got:
        assert headers[SIGNATURE_HEADER].startswith("t=")
        now = int(datetime.now(UTC).timestamp())
        assert verify(SECRET, headers[SIGNATURE_HEADER], body, now=now)
        assert not verify(SECRET, headers[SIGNATURE_HEADER], body + b" ", now=now)
        assert not verify(
            "another-secret-another-secret-xx", headers[SIGNATURE_HEADER], body, now=now
        )
        assert headers["Kepu-Event-Seq"] == str(json.loads(body)["seq"])
    assert _deliver(app, hook_settings) == 0, "nothing is sent twice once delivered"
    feed = client.get(f"{API}/changes", headers=city_admin.headers).json()["items"]
    assert {e["seq"]: e for e in feed if e["resource"] == "user"}[seqs[-1]] == events[-1]


def test_plat_notify_1_a_signature_older_than_the_tolerance_is_refused() -> None:
    body = b'{"seq":1}'
    header = signature(SECRET, 1_000_000, body)
    assert verify(SECRET, header, body, now=1_000_300)
    assert not verify(SECRET, header, body, now=1_000_301)


def test_plat_notify_1_a_failing_receiver_holds_back_only_its_own_subscription(
    client: TestClient,
    app: FastAPI,
    city_admin: Actor,
    hook_settings: Settings,
    receivers: list[Receiver],
) -> None:
    good, bad = receivers
    bad.status = 500
    _subscribe(client, city_admin, good.url, "user")
    broken = _subscribe(client, city_admin, bad.url, "user").json()
    _users(client, city_admin, "fail-a", "fail-b")
    now = datetime.now(UTC)
    assert _deliver(app, hook_settings, now) == 2
    assert len(good.got) == 2
    assert len(bad.got) == 1, "a failure stops its subscription at the first event"
    state = client.get(f"{API}/webhooks/{broken['id']}", headers=city_admin.headers).json()
    assert (state["attempts"], state["status"]) == (1, "active")
    assert "HTTP 500" in state["last_error"]
    assert _deliver(app, hook_settings, now + timedelta(seconds=30)) == 0, "it waits a minute"
    bad.status = 204
    assert _deliver(app, hook_settings, now + timedelta(minutes=1)) == 2
    first, *rest = [json.loads(b)["seq"] for _, b in bad.got]
    assert rest[0] == first, "the failed event comes again, first"
    assert rest == sorted(rest)


def test_plat_notify_1_a_subscription_stops_after_its_last_try_and_resumes(
    client: TestClient,
    app: FastAPI,
    city_admin: Actor,
    hook_settings: Settings,
    receivers: list[Receiver],
) -> None:
    bad = receivers[1]
    bad.status = 503
    hook = _subscribe(client, city_admin, bad.url).json()
    _users(client, city_admin, "dead-a")
    moment = datetime.now(UTC)
    for _ in range(MAX_ATTEMPTS):
        _deliver(app, hook_settings, moment)
        moment += timedelta(hours=1)
    state = client.get(f"{API}/webhooks/{hook['id']}", headers=city_admin.headers).json()
    assert (state["status"], state["attempts"]) == ("failing", MAX_ATTEMPTS)
    tried = len(bad.got)
    _deliver(app, hook_settings, moment)
    assert len(bad.got) == tried, "a failing subscription is not tried"
    bad.status = 200
    resumed = client.post(f"{API}/webhooks/{hook['id']}:resume", headers=city_admin.headers)
    assert resumed.json()["status"] == "active"
    assert _deliver(app, hook_settings) >= 1


@pytest.mark.parametrize(
    ("url", "update", "code"),
    [
        ("http://hooks.example.cn/kepu", {"env": Environment.PRODUCTION}, "scheme_not_allowed"),
        ("https://elsewhere.example.cn/kepu", {}, "host_not_allowed"),
        ("https://127.0.0.1/kepu", {"webhook_allowed_hosts": "127.0.0.1"}, "address_not_public"),
        ("https://10.1.2.3/kepu", {"webhook_allowed_hosts": "10.1.2.3"}, "address_not_public"),
        ("https://user:pw@hooks.example.cn/kepu", {}, "credentials_in_url"),
    ],
)
def test_plat_notify_1_a_target_must_be_https_allow_listed_and_public(
    client: TestClient,
    app: FastAPI,
    city_admin: Actor,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    update: dict[str, Any],
    code: str,
) -> None:
    configured = settings.model_copy(update={"webhook_allowed_hosts": "hooks.example.cn", **update})
    monkeypatch.setattr(app.state.ctx, "settings", configured)
    refused = assert_problem(_subscribe(client, city_admin, url), 422, rule="PLAT-NOTIFY-1")
    assert any(v["code"] == code and v["field"] == "url" for v in refused["violations"])
    listed = client.get(f"{API}/webhooks", headers=city_admin.headers).json()["items"]
    assert listed == []


def test_plat_notify_1_a_name_resolving_to_a_private_address_is_refused_at_delivery(
    client: TestClient,
    app: FastAPI,
    city_admin: Actor,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    receivers: list[Receiver],
) -> None:
    receiver = receivers[0]
    allowed = settings.model_copy(update={"webhook_allowed_hosts": "localhost"})
    monkeypatch.setattr(app.state.ctx, "settings", allowed)
    hook = _subscribe(client, city_admin, f"http://localhost:{receiver.port}/hook").json()
    _users(client, city_admin, "ssrf-a")
    assert _deliver(app, allowed) == 0
    assert receiver.got == [], "nothing is sent to a loopback address"
    state = client.get(f"{API}/webhooks/{hook['id']}", headers=city_admin.headers).json()
    assert "non-public address" in state["last_error"]
