"""Concurrency (issue 7): 50 writers at once against a real server with two worker processes, on
the run's database — no 5xx, no "database is locked", one winner per If-Match version, one row per
unique name, one effect per Idempotency-Key. scripts/concurrency_test.py runs many rounds."""

from __future__ import annotations

import pytest

from tests.reliability import storm
from tests.reliability.harness import LiveServer


@pytest.mark.parametrize("scenario", storm.SCENARIOS, ids=lambda s: s.__name__)
def test_fifty_concurrent_writers_keep_every_promise(
    scenario: storm.Scenario, live_server: tuple[LiveServer, dict[str, str]]
) -> None:
    server, headers = live_server

    outcome = scenario(server, headers, storm.WRITERS)

    assert outcome.problems == [], (outcome.problems, dict(outcome.statuses))


def test_server_logged_no_lock_error_or_traceback(
    live_server: tuple[LiveServer, dict[str, str]],
) -> None:
    server, headers = live_server
    storm.distinct_creates(server, headers, 10)
    logs = server.logs().lower()
    assert "database is locked" not in logs
    assert "traceback" not in logs
