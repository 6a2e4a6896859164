"""On-site check-in under load (issue 13, VOL-CHECKIN-1): 500 volunteers check in to one
activity within 60 s, against one worker configured as it ships, on SQLite or PostgreSQL.

    .venv/bin/python -m bench.checkin --db sqlite
    .venv/bin/python -m bench.checkin --db postgresql      # uses $TEST_DATABASE_URL

Arranging (volunteers, enrolments, logins) goes through the app in process and is not measured;
ten more volunteers check in first, to warm the worker up.
Each volunteer then checks in at its own moment, spread evenly over the minute, with the code a
captain's screen shows (fetched as the screen would, once per step). Prints p50, p99, max and
errors; writes `bench/results/<date>-checkin-<db>.json`. The server runs on core 0, the client
on core 1 with its collector paused for the minute, so the figures are the server's.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from app.domain.access import Role
from app.domain.volunteers import Declarations, EnrolmentStatus, IdType, MembershipStatus
from app.main import create_app
from app.repositories import users
from app.repositories import volunteers as volunteer_repo
from app.repositories import volunteers_activities as activities
from app.repositories import volunteers_orgs as orgs
from app.rules.identity import resident_id_check_char
from bench.server import serve
from tests.reliability.harness import SECRET, fresh_database

ROOT = Path(__file__).resolve().parent.parent
#: The bench users never log in: their tokens are minted in process, so no hash can match.
NO_PASSWORD = "!"  # noqa: S105 - not a password: a hash nothing matches
VOLUNTEERS = 500
#: Volunteers who check in before the measured minute: the worker's first requests connect to
#: the database and fill SQLAlchemy's statement cache (about 0.6 s), as any server's do once.
WARM_UP = 10
SECONDS = 60
CLIENT_THREADS = 64


def _id_number(n: int) -> str:
    born = date(1980, 1, 1) + timedelta(days=n // 900)
    body = f"150402{born:%Y%m%d}{n % 900 + 1:03d}"
    return body + resident_id_check_char(body)


def arrange(env: dict[str, str]) -> tuple[str, str, list[str]]:
    """An organisation, an activity starting in 10 minutes, 500 confirmed volunteers with a
    login each: the activity id, an administrator's token, the volunteers' tokens."""
    os.environ.update(env)
    app = create_app()
    ctx = app.state.ctx
    now = datetime.now(UTC)
    tokens: list[str] = []
    with ctx.sessions() as session:
        admin = users.create_user(
            session, username="bench-admin", password_hash=NO_PASSWORD, role=Role.CITY_ADMIN
        )
        org = orgs.OrganizationRow(name="赤峰市科技志愿服务队", kind="team", level="city_team")
        org.path = f"/{org.id}/"
        session.add(org)
        session.flush()
        starts = now + timedelta(minutes=10)
        activity = activities.add_activity(
            session,
            org,
            {
                "title": "科技馆科普讲解",
                "scope": 1,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=4),
                "capacity": VOLUNTEERS + WARM_UP,
            },
        )
        rows = [
            volunteer_repo.volunteer_values(
                name=f"志愿者{n}",
                id_type=IdType.RESIDENT_ID,
                id_number=_id_number(n),
                mobile=f"139{n:08d}",
                address=None,
                birth_date=date(1980, 1, 1) + timedelta(days=n // 900),
                region_code="150402",
                county_code="150402",
                skills=["科普讲解"],
                service_targets=[],
                declarations=Declarations(
                    good_conduct=True,
                    healthy=True,
                    law_abiding=True,
                    supports_science=True,
                    civil_capacity=True,
                ),
                guardian=None,
            )
            for n in range(VOLUNTEERS + WARM_UP)
        ]
        ids = volunteer_repo.create_volunteers(session, rows)
        volunteer_repo.join_many(
            session,
            [(i, None) for i in ids],
            org=org,
            status=MembershipStatus.ACTIVE,
            by=admin.id,
            at=now,
        )
        for volunteer_id in ids:
            enrolment = activities.add_enrolment(session, activity, volunteer_id)
            enrolment.status = EnrolmentStatus.CONFIRMED.value
            enrolment.confirmed_at = now
            session.add(enrolment)
            user = users.create_user(
                session,
                username=f"v-{volunteer_id}",
                password_hash=NO_PASSWORD,
                role=Role.VOLUNTEER,
                volunteer_id=volunteer_id,
            )
            tokens.append(_token(session, ctx, user, now))
        admin_token = _token(session, ctx, admin, now)
        session.commit()
        activity_id = activity.id
    ctx.engine.dispose()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return activity_id, admin_token, tokens


def _token(session: Any, ctx: Any, user: users.User, now: datetime) -> str:
    login = users.open_login(session, user, f"bench-refresh-{user.id}", now + timedelta(days=1))
    return str(ctx.tokens.issue(user_id=user.id, session_id=login.id, now=now))


def measure(base: str, activity_id: str, admin: str, tokens: list[str]) -> dict[str, Any]:
    """Each volunteer checks in at its moment of the minute; latency of each check-in."""
    code = {"value": ""}
    stop = threading.Event()

    def screen() -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {admin}"}) as c:
            while not stop.is_set():
                shown = c.post(f"/api/v1/activities/{activity_id}/check-in-codes").json()
                code["value"] = shown["code"]
                until = datetime.fromisoformat(shown["valid_until"])
                stop.wait(max(0.2, (until - datetime.now(UTC)).total_seconds() + 0.05))

    threading.Thread(target=screen, daemon=True).start()
    while not code["value"]:
        time.sleep(0.05)
    warm, tokens = tokens[:WARM_UP], tokens[WARM_UP:]
    with httpx.Client(base_url=base, timeout=30) as client:
        for token in warm:
            client.post(
                f"/api/v1/activities/{activity_id}/attendance:check-in",
                json={"code": code["value"]},
                headers={"Authorization": f"Bearer {token}"},
            )
    # The client is the instrument: kept off the server's core, and its collector held still
    # for the minute (a full pass over its 500 clients' objects stalls every thread and was
    # measured as check-in latency: 170 ms once, while the server collected nothing).
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {1})
    gc.collect()
    gc.freeze()
    gc.disable()
    start = time.monotonic()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    local = threading.local()

    def check_in(n: int) -> None:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=base, timeout=30)
        time.sleep(max(0.0, start + n * SECONDS / len(tokens) - time.monotonic()))
        began = time.perf_counter()
        answer = local.client.post(
            f"/api/v1/activities/{activity_id}/attendance:check-in",
            json={"code": code["value"]},
            headers={"Authorization": f"Bearer {tokens[n]}"},
        )
        took = (time.perf_counter() - began) * 1000
        with lock:
            latencies.append(took)
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1

    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        list(pool.map(check_in, range(len(tokens))))
    gc.enable()
    stop.set()
    ordered = sorted(latencies)
    return {
        "check_ins": len(latencies),
        "seconds": round(time.monotonic() - start, 1),
        "statuses": statuses,
        "errors": sum(v for k, v in statuses.items() if k != 200),
        "p50_ms": round(statistics.median(ordered), 1),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 1),
        "max_ms": round(ordered[-1], 1),
    }


def main() -> None:
    """Arrange, serve one worker as shipped, measure, print and keep the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_database(args.db, Path(tmp), os.environ.get("TEST_DATABASE_URL")) as db,
    ):
        env = {
            "KEPU_DATABASE_URL": db.url,
            "KEPU_SECRET_KEY": SECRET,
            "KEPU_STORAGE_DIR": str(Path(tmp) / "files"),
        }
        activity_id, admin, tokens = arrange(env)
        # The activity opens for check-in 30 minutes before its start: now.
        with serve(env, workers=1, cpus="0") as server:
            figures = measure(server.base_url, activity_id, admin, tokens)
    figures |= {"db": args.db, "volunteers": VOLUNTEERS, "within_s": SECONDS, "workers": 1}
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results" / f"{date.today()}-checkin-{args.db}.json"
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
