"""Many writers at once against one real server: each scenario returns what it observed, and
`problems()` lists every broken promise (5xx, lock errors, two winners, duplicates).

Shared by tests/reliability/test_concurrency.py (one round) and scripts/concurrency_test.py
(many rounds, both databases).
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from tests.api.test_volunteers_bulk import bulk_row
from tests.api.test_volunteers_gate import id_number
from tests.reliability.harness import LiveServer

WRITERS = 50
#: One birth date per capacity round in this process (each run starts on a fresh database).
_ROUNDS = itertools.count()
#: Places on the activity of the capacity scenario: a fifth of the writers get one.
CAPACITY = 10


@dataclass
class Outcome:
    """The answers of one scenario, and the promises it checked."""

    name: str
    statuses: Counter[int] = field(default_factory=Counter)
    bodies: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def expect(self, ok: bool, message: str) -> None:
        """Record a broken promise when `ok` is false."""
        if not ok:
            self.problems.append(f"{self.name}: {message}")


def storm(
    server: LiveServer, send: Callable[[httpx.Client, int], httpx.Response], writers: int
) -> list[httpx.Response]:
    """Send `writers` requests from as many threads, released together by a barrier."""
    barrier = threading.Barrier(writers)
    limits = httpx.Limits(max_connections=writers, max_keepalive_connections=writers)
    with httpx.Client(base_url=server.base_url, timeout=60, limits=limits) as client:

        def one(i: int) -> httpx.Response:
            barrier.wait()
            return send(client, i)

        with ThreadPoolExecutor(writers) as pool:
            return list(pool.map(one, range(writers)))


def _outcome(name: str, responses: list[httpx.Response]) -> Outcome:
    out = Outcome(name, Counter(r.status_code for r in responses), [r.text for r in responses])
    out.expect(not [s for s in out.statuses if s >= 500], f"server errors {dict(out.statuses)}")
    out.expect(
        not [b for b in out.bodies if "locked" in b.lower()], "'database is locked' in a body"
    )
    return out


def _new_user(client: httpx.Client, headers: dict[str, str], username: str) -> dict[str, str]:
    made = client.post(
        "/api/v1/users",
        json={"username": username, "password": "long-enough-pw", "role": "auditor"},
        headers=headers,
    )
    made.raise_for_status()
    body: dict[str, str] = made.json()
    return body


def same_version_patches(server: LiveServer, headers: dict[str, str], writers: int) -> Outcome:
    """Every writer PATCHes one user with `If-Match` of the same version: one wins."""
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        user = _new_user(client, headers, f"target-{uuid.uuid4().hex[:8]}")
    responses = storm(
        server,
        lambda c, i: c.patch(
            f"/api/v1/users/{user['id']}",
            json={"display_name": f"writer {i}"},
            headers={**headers, "If-Match": '"1"'},
        ),
        writers,
    )
    out = _outcome("same If-Match", responses)
    out.expect(out.statuses[200] == 1, f"winners: {out.statuses[200]} (want 1)")
    out.expect(
        set(out.statuses) <= {200, 409, 412}, f"losers must get 409/412: {dict(out.statuses)}"
    )
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        final = client.get(f"/api/v1/users/{user['id']}", headers=headers)
    winner = next((r for r in responses if r.status_code == 200), None)
    out.expect(final.headers.get("etag") == '"2"', f"final ETag {final.headers.get('etag')}")
    out.expect(
        winner is not None and final.json()["display_name"] == winner.json()["display_name"],
        "the stored name is not the winner's",
    )
    return out


def same_username_creates(server: LiveServer, headers: dict[str, str], writers: int) -> Outcome:
    """Every writer creates a user with one username: one is created, the rest get 409."""
    name = f"dup-{uuid.uuid4().hex[:8]}"
    responses = storm(
        server,
        lambda c, i: c.post(
            "/api/v1/users",
            json={"username": name, "password": f"password-{i:04d}", "role": "auditor"},
            headers=headers,
        ),
        writers,
    )
    out = _outcome("same username", responses)
    out.expect(out.statuses[201] == 1, f"created: {out.statuses[201]} (want 1)")
    out.expect(set(out.statuses) <= {201, 409}, f"others must get 409: {dict(out.statuses)}")
    out.expect(_count_users(server, headers, name) == 1, "not exactly one row")
    return out


def same_idempotency_key(server: LiveServer, headers: dict[str, str], writers: int) -> Outcome:
    """Every writer retries one POST with one Idempotency-Key: all get the same 201, once."""
    name = f"idem-{uuid.uuid4().hex[:8]}"
    key = uuid.uuid4().hex
    responses = storm(
        server,
        lambda c, _i: c.post(
            "/api/v1/users",
            json={"username": name, "password": "long-enough-pw", "role": "auditor"},
            headers={**headers, "Idempotency-Key": key},
        ),
        writers,
    )
    out = _outcome("same Idempotency-Key", responses)
    out.expect(out.statuses == Counter({201: writers}), f"want {writers}×201: {out.statuses}")
    ids = {r.json().get("id") for r in responses if r.status_code == 201}
    out.expect(len(ids) == 1, f"{len(ids)} different ids")
    fresh = [r for r in responses if r.headers.get("idempotent-replayed") != "true"]
    out.expect(len(fresh) == 1, f"{len(fresh)} answers were not replays (want 1)")
    out.expect(_count_users(server, headers, name) == 1, "not exactly one row")
    return out


def distinct_creates(server: LiveServer, headers: dict[str, str], writers: int) -> Outcome:
    """Every writer creates its own user: all succeed, none waits into a lock error."""
    tag = uuid.uuid4().hex[:8]
    responses = storm(
        server,
        lambda c, i: c.post(
            "/api/v1/users",
            json={"username": f"w{i}-{tag}", "password": "long-enough-pw", "role": "auditor"},
            headers=headers,
        ),
        writers,
    )
    out = _outcome("distinct creates", responses)
    out.expect(out.statuses == Counter({201: writers}), f"want {writers}×201: {out.statuses}")
    return out


def _enrolments(client: httpx.Client, headers: dict[str, str], writers: int) -> str:
    """An activity with `CAPACITY` places and `writers` pending enrolments; its enrolments URL."""
    tag = uuid.uuid4().hex[:8]
    org = client.post(
        "/api/v1/organizations",
        json={"name": f"并发容量队{tag}", "kind": "team", "level": "city_team"},
        headers=headers,
    )
    org.raise_for_status()
    org_id = org.json()["id"]
    # People no other round registered: a birth date of this round's own, ID numbers valid.
    born = datetime(1960, 1, 1) + timedelta(days=next(_ROUNDS))
    rows = [bulk_row(i, id_number=id_number(f"{born:%Y%m%d}", i)) for i in range(1, writers + 1)]
    made = client.post(
        "/api/v1/volunteers:bulk",
        params={"organization_id": org_id, "include_ok": "true"},
        json=rows,
        headers=headers,
    )
    assert made.status_code == 200, made.text
    volunteers = [r["id"] for r in made.json()["rows"]]
    starts = datetime.now(UTC) + timedelta(days=5)
    activity = client.post(
        "/api/v1/activities",
        json={
            "organization_id": org_id,
            "title": f"容量{tag}",
            "scope": 3,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=4)).isoformat(),
            "capacity": CAPACITY,
        },
        headers=headers,
    )
    activity.raise_for_status()
    url = f"/api/v1/activities/{activity.json()['id']}/enrolments"
    for volunteer_id in volunteers:
        client.post(url, json={"volunteer_id": volunteer_id}, headers=headers).raise_for_status()
    return url


def capacity_confirmations(server: LiveServer, headers: dict[str, str], writers: int) -> Outcome:
    """Every writer confirms its own enrolment on an activity with fewer places: exactly the
    capacity is confirmed, every other writer gets a 409 naming the capacity."""
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        url = _enrolments(client, headers, writers)
        pending = client.get(url, params={"limit": 500}, headers=headers).json()["items"]
    responses = storm(
        server, lambda c, i: c.post(f"{url}/{pending[i]['id']}:confirm", headers=headers), writers
    )
    out = _outcome("capacity confirmations", responses)
    want = Counter({200: CAPACITY, 409: writers - CAPACITY})
    out.expect(out.statuses == want, f"want {dict(want)}: {dict(out.statuses)}")
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        page = client.get(url, params={"status": "confirmed", "limit": 500}, headers=headers)
    confirmed = len(page.json()["items"])
    out.expect(confirmed == CAPACITY, f"{confirmed} confirmed on {CAPACITY} places")
    return out


def _count_users(server: LiveServer, headers: dict[str, str], username: str) -> int:
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        items = []
        cursor = None
        while True:
            params = {"limit": 500, "role": "auditor", **({"cursor": cursor} if cursor else {})}
            page = client.get("/api/v1/users", params=params, headers=headers).json()
            items += page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                break
    return sum(1 for u in items if u["username"] == username)


Scenario = Callable[[LiveServer, dict[str, str], int], Outcome]
SCENARIOS: tuple[Scenario, ...] = (
    same_version_patches,
    same_username_creates,
    same_idempotency_key,
    distinct_creates,
    capacity_confirmations,
)
