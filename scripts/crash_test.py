#!/usr/bin/env python3
"""Crash safety (issue 7): SIGKILL a real server in the middle of a large write sent with an
Idempotency-Key, check that nothing half-written remains, restart it, retry with the same key,
and check that the write happened exactly once.

    .venv/bin/python scripts/crash_test.py                      # every target, SQLite
    .venv/bin/python scripts/crash_test.py --db postgresql      # TEST_DATABASE_URL
    .venv/bin/python scripts/crash_test.py --target volunteers --rows 3000 --rounds 5

A target is an endpoint plus a payload generator (`TARGETS`): to drive another bulk endpoint,
add a `Target` naming its path, how to prepare what it refers to, its rows and its table.
Round i of n kills the server after 1.2·(i+1)/n of the time a full import takes; the last round
kills it only after the import answered, so the retry must be a replay.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.domain.access import Role  # noqa: E402
from app.rules.identity import resident_id_check_char  # noqa: E402
from tests.reliability.harness import Database, LiveServer, fresh_database  # noqa: E402

Json = Any
Prepare = Callable[[httpx.Client, random.Random], dict[str, str]]
Payload = Callable[[int, random.Random, dict[str, str]], Json]


@dataclass(frozen=True)
class Target:
    """A write to crash: where it goes, what it needs first, its body, the table it fills."""

    path: str
    prepare: Prepare
    payload: Payload
    table: str
    #: Query parameters from what `prepare` returned.
    query: Callable[[dict[str, str]], dict[str, str]] = lambda _ctx: {}


#: Every generated person is new: the n-th gets birth date 1960-01-01 + n // 1000 days.
_PEOPLE = itertools.count()


def _resident_id() -> str:
    n = next(_PEOPLE)
    born = date(1960, 1, 1) + timedelta(days=n // 1000)
    first17 = f"150402{born:%Y%m%d}{n % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def _mobile(rng: random.Random) -> str:
    return f"13{rng.randrange(10**9):09d}"


def _created(response: httpx.Response) -> None:
    if response.status_code not in (200, 201, 409):
        raise RuntimeError(f"prepare failed: {response.status_code} {response.text[:300]}")


def _organisation(client: httpx.Client, rng: random.Random) -> dict[str, str]:
    made = client.post(
        "/api/v1/organizations",
        json={
            "name": f"红山区科技志愿者队 {rng.randrange(10**6)}",
            "kind": "team",
            "level": "city_team",
        },
    )
    _created(made)
    return {"organization_id": made.json()["id"]}


def _volunteer_rows(n: int, rng: random.Random, _ctx: dict[str, str]) -> Json:
    rows = []
    for i in range(n):
        rows.append(
            {
                "name": f"志愿者{i}",
                "id_number": _resident_id(),
                "mobile": _mobile(rng),
                "region_code": "150402",
                "skills": "科普讲解",
                "good_conduct": True,
                "healthy": True,
                "law_abiding": True,
                "supports_science": True,
                "civil_capacity": True,
            }
        )
    return rows


TOWNSHIP = "150402001"


def _township(client: httpx.Client, _rng: random.Random) -> dict[str, str]:
    _created(
        client.post(
            "/api/v1/regions",
            json={"code": TOWNSHIP, "name": "崩溃测试街道", "parent_code": "150402"},
        )
    )
    return {}


def _officer_rows(n: int, rng: random.Random, _ctx: dict[str, str]) -> Json:
    tag = rng.randrange(10**8)
    return [
        {
            "name": f"信息员{i}",
            "mobile": _mobile(rng),
            "township_code": TOWNSHIP,
            "source_group": "farmer_herder",
            "app_account_id": f"kp{tag}-{i}",
        }
        for i in range(n)
    ]


def _officers_for_figures(client: httpx.Client, rng: random.Random) -> dict[str, str]:
    _township(client, rng)
    rows = _officer_rows(50, rng, {})
    _created(client.post("/api/v1/officers:bulk", json=rows))
    return {"accounts": ",".join(r["app_account_id"] for r in rows)}


#: Every generated figure has a (account, day, channel) of its own.
_FIGURES = itertools.count()


def _dissemination_rows(n: int, rng: random.Random, ctx: dict[str, str]) -> Json:
    accounts = ctx["accounts"].split(",")
    channels = ("wechat_group", "wechat_moments", "weibo", "qq", "app")
    rows = []
    for _ in range(n):
        k = next(_FIGURES)
        day = date(2020, 1, 1) + timedelta(days=k // (len(accounts) * len(channels)))
        rows.append(
            {
                "app_account_id": accounts[k % len(accounts)],
                "date": day.isoformat(),
                "channel": channels[(k // len(accounts)) % len(channels)],
                "shares": rng.randrange(50),
                "reads": rng.randrange(500),
            }
        )
    return rows


def _user(n: int, rng: random.Random, _ctx: dict[str, str]) -> Json:
    return {
        "username": f"crash-{rng.randrange(10**9)}",
        "password": "long-enough-pw",
        "role": "auditor",
    }


TARGETS: dict[str, Target] = {
    "volunteers": Target(
        "/api/v1/volunteers:bulk",
        _organisation,
        _volunteer_rows,
        "volunteers",
        query=lambda ctx: {"organization_id": ctx["organization_id"]},
    ),
    "officers": Target("/api/v1/officers:bulk", _township, _officer_rows, "officers"),
    "officer-disseminations": Target(
        "/api/v1/officer-disseminations:bulk",
        _officers_for_figures,
        _dissemination_rows,
        "officer_disseminations",
    ),
    "users": Target("/api/v1/users", lambda _c, _r: {}, _user, "users"),
}


@dataclass
class Round:
    """What one kill-and-retry round saw."""

    target: str
    rows: int
    kill_after: float
    first: str
    after_kill: int
    retry_status: int
    replayed: bool
    after_retry: int
    problems: list[str]


def _count(db: Database, table: str) -> int:
    return int(db.scalar(f'SELECT count(*) FROM "{table}"'))  # noqa: S608 - our table names


def _integrity(db: Database) -> str:
    if db.schema:
        return "ok"
    path = db.url.removeprefix("sqlite:///")
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _expected(target: Target, rows: int) -> int:
    return 1 if target.path == "/api/v1/users" else rows


def crash_round(
    db: Database, admin: str, name: str, rows: int, fraction: float, seed: int
) -> Round:
    """One round: import, SIGKILL after `fraction` of a full import's time, restart, retry."""
    target = TARGETS[name]
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    server = LiveServer(db)
    server.start()
    try:
        headers = server.login(admin)
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=300) as client:
            ctx = target.prepare(client, rng)
            query = target.query(ctx)
            # A full run of the same size, to know when "halfway" is.
            started = time.monotonic()
            warm = client.post(target.path, params=query, json=target.payload(rows, rng, ctx))
            full = time.monotonic() - started
            if warm.status_code >= 300:
                raise RuntimeError(
                    f"{name}: calibration failed {warm.status_code} {warm.text[:300]}"
                )
        body = target.payload(rows, rng, ctx)
        key = uuid.uuid4().hex
        before = _count(db, target.table)
        outcome: dict[str, str] = {}

        def first_attempt() -> None:
            try:
                sent = httpx.post(
                    f"{server.base_url}{target.path}",
                    params=query,
                    json=body,
                    headers={**headers, "Idempotency-Key": key},
                    timeout=300,
                )
                outcome["first"] = str(sent.status_code)
            except httpx.HTTPError as exc:
                outcome["first"] = f"killed ({type(exc).__name__})"

        sender = threading.Thread(target=first_attempt)
        sender.start()
        delay = full * fraction
        time.sleep(delay)
        if fraction > 1:
            sender.join()  # killed after the commit: the retry must replay the answer
        server.kill()
        sender.join()
    finally:
        server.stop()
    after_kill = _count(db, target.table) - before
    problems = []
    want = _expected(target, rows)
    if after_kill not in (0, want):
        problems.append(f"half-written: {after_kill} of {want} rows after the kill")
    if (verdict := _integrity(db)) != "ok":
        problems.append(f"integrity_check: {verdict}")
    server = LiveServer(db)
    server.start()
    try:
        headers = server.login(admin)
        retry = httpx.post(
            f"{server.base_url}{target.path}",
            params=query,
            json=body,
            headers={**headers, "Idempotency-Key": key},
            timeout=300,
        )
    finally:
        server.stop()
    after_retry = _count(db, target.table) - before
    if retry.status_code not in (200, 201):
        problems.append(f"retry answered {retry.status_code}: {retry.text[:300]}")
    if after_retry != want:
        problems.append(f"after the retry {after_retry} rows (want {want}): {retry.text[:300]}")
    replayed = retry.headers.get("idempotent-replayed") == "true"
    if outcome.get("first", "").isdigit() and int(outcome["first"]) < 300 and not replayed:
        problems.append("the first attempt finished but the retry was not a replay")
    if "traceback" in server.logs().lower():
        problems.append("a traceback in the server log")
    return Round(
        name,
        rows,
        round(delay, 3),
        outcome.get("first", "?"),
        after_kill,
        retry.status_code,
        replayed,
        after_retry,
        problems,
    )


def run(kind: str, targets: list[str], rows: int, rounds: int) -> list[Round]:
    """Every round of every target on a fresh database of the given kind."""
    results = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_database(kind, Path(tmp), os.environ.get("TEST_DATABASE_URL")) as db,
    ):
        admin = db.create_user(Role.CITY_ADMIN)
        for name in targets:
            for i in range(rounds):
                # The last round kills after the import finished: the retry must be a replay.
                fraction = 1.2 * (i + 1) / rounds
                result = crash_round(db, admin, name, rows, fraction, seed=i)
                print(
                    f"{kind} {name}: {rows} rows, killed after {result.kill_after}s; "
                    f"first {result.first}; after kill {result.after_kill}; "
                    f"retry {result.retry_status} replayed={result.replayed}; "
                    f"after retry {result.after_retry}; "
                    f"{'OK' if not result.problems else result.problems}",
                    flush=True,
                )
                results.append(result)
    return results


def main() -> int:
    """Parse arguments, run, and exit 1 on any broken promise."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS))
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results = run(args.db, args.target or list(TARGETS), args.rows, args.rounds)
    failed = [r for r in results if r.problems]
    killed = sum(1 for r in results if r.first.startswith("killed"))
    print(
        f"crash test ({args.db}): {len(results)} rounds, {killed} killed mid-request, "
        f"{len(failed)} failed"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
