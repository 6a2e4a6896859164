"""Scale-out (issue 12): two server processes on one database, driven at the same time, share
every piece of state a single process would keep: the login throttle, the anonymous rate limits,
idempotent replays, the change feed's order and the refresh grace window. Nothing of it lives in
a process's memory. Run on SQLite and, with `--db=postgresql`, on PostgreSQL."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.domain.access import Role
from tests.reliability.harness import PASSWORD, Database, LiveServer, fresh_database

#: The limits the two processes run with: low enough to reach in a test.
LIMITS = {
    "KEPU_PUBLIC_WRITE_LIMIT": "4",
    "KEPU_LOGIN_MAX_FAILURES": "3",
}


@dataclass
class Pair:
    """Two server processes on one database, and a city administrator's username."""

    db: Database
    a: LiveServer
    b: LiveServer
    admin: str

    def url(self, n: int, path: str) -> str:
        """`path` on the first server for even `n`, on the second for odd."""
        return f"{(self.a, self.b)[n % 2].base_url}{path}"


@pytest.fixture(scope="module")
def pair(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Pair]:
    """Two one-worker servers on one fresh database."""
    tmp: Path = tmp_path_factory.mktemp("scale-out")
    kind = request.config.getoption("--db")
    with fresh_database(kind, tmp, os.environ.get("TEST_DATABASE_URL")) as db:
        admin = db.create_user(Role.CITY_ADMIN)
        with LiveServer(db, env_extra=LIMITS) as a, LiveServer(db, env_extra=LIMITS) as b:
            yield Pair(db, a, b, admin)


def _at_once(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    """Run the calls together, released by one barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], httpx.Response]) -> httpx.Response:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _login(pair: Pair, n: int, username: str, password: str) -> httpx.Response:
    return httpx.post(
        pair.url(n, "/api/v1/auth/token"),
        data={"username": username, "password": password},
        timeout=30,
    )


def test_the_login_throttle_counts_failures_on_both_servers(pair: Pair) -> None:
    username = pair.db.create_user(Role.AUDITOR)
    answers = [_login(pair, n, username, "wrong-guess").status_code for n in range(4)]
    assert answers == [401, 401, 401, 429], "three failures, alternating servers, lock"
    assert _login(pair, 4, username, PASSWORD).status_code == 429
    assert _login(pair, 5, username, PASSWORD).status_code == 429


def test_the_anonymous_rate_limit_is_one_count_for_both_servers(pair: Pair) -> None:
    answers = [
        httpx.post(pair.url(n, "/api/v1/public/volunteer-registrations"), json={}, timeout=30)
        for n in range(6)
    ]
    assert [r.status_code for r in answers] == [422] * 4 + [429] * 2
    assert all(int(r.headers["Retry-After"]) > 0 for r in answers[4:])


def test_an_idempotent_post_sent_to_both_servers_at_once_is_done_once(pair: Pair) -> None:
    headers = pair.a.login(pair.admin) | {"Idempotency-Key": "scale-out-org-1"}
    body = {"name": "赤峰市科技志愿服务总队", "kind": "team", "level": "city_team"}

    def send(n: int) -> Callable[[], httpx.Response]:
        return lambda: httpx.post(
            pair.url(n, "/api/v1/organizations"), json=body, headers=headers, timeout=30
        )

    answers = _at_once([send(n) for n in range(4)])
    assert [r.status_code for r in answers] == [201] * 4, [r.text for r in answers]
    assert len({r.json()["id"] for r in answers}) == 1
    assert sorted(r.headers.get("Idempotent-Replayed", "") for r in answers) == [""] + ["true"] * 3
    listed = httpx.get(
        pair.url(1, "/api/v1/organizations"), params={"limit": 100}, headers=headers, timeout=30
    ).json()["items"]
    assert [o["name"] for o in listed].count(body["name"]) == 1


def test_a_reader_of_the_change_feed_misses_and_repeats_nothing_while_both_servers_write(
    pair: Pair,
) -> None:
    headers = pair.a.login(pair.admin)
    start = httpx.get(
        pair.url(0, "/api/v1/changes"), params={"after": 0, "limit": 1000}, headers=headers
    ).json()["next_after"]
    created: list[str] = []
    done = threading.Event()

    def write(server: int) -> None:
        for n in range(25):
            answer = httpx.post(
                pair.url(server, "/api/v1/organizations"),
                json={"name": f"志愿服务队{server}-{n}", "kind": "team", "level": "city_team"},
                headers=headers,
                timeout=30,
            )
            assert answer.status_code == 201, answer.text
            created.append(answer.json()["id"])

    seen: list[dict[str, Any]] = []

    def read() -> None:
        after, turn = start, 0
        while True:
            finished = done.is_set()
            page = httpx.get(
                pair.url(turn, "/api/v1/changes"),
                params={"after": after, "limit": 7},
                headers=headers,
                timeout=30,
            ).json()
            seen.extend(page["items"])
            after, turn = page["next_after"], turn + 1
            if finished and not page["items"]:
                return

    reader = threading.Thread(target=read)
    reader.start()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(write, (0, 1)))
    done.set()
    reader.join(timeout=120)
    seqs = [e["seq"] for e in seen]
    assert seqs == sorted(set(seqs)), "the feed repeated or reordered an event"
    creations = {e["id"] for e in seen if e["resource"] == "organization" and e["op"] == "create"}
    assert creations == set(created)
    assert len(created) == 50


def test_a_refresh_sent_to_both_servers_at_once_gets_one_new_refresh_token(pair: Pair) -> None:
    username = pair.db.create_user(Role.AUDITOR)
    tokens = _login(pair, 0, username, PASSWORD).json()

    def refresh(n: int) -> Callable[[], httpx.Response]:
        return lambda: httpx.post(
            pair.url(n, "/api/v1/auth/refresh"),
            json={"refresh_token": tokens["refresh_token"]},
            timeout=30,
        )

    answers = _at_once([refresh(n) for n in range(4)])
    assert [r.status_code for r in answers] == [200] * 4, [r.text for r in answers]
    assert len({r.json()["refresh_token"] for r in answers}) == 1
    for n, answer in enumerate(answers):
        me = httpx.get(
            pair.url(n + 1, "/api/v1/me"),
            headers={"Authorization": f"Bearer {answer.json()['access_token']}"},
            timeout=30,
        )
        assert me.status_code == 200
