#!/usr/bin/env python3
"""Concurrency (issue 7), the long run: many rounds of the 50-writer scenarios of
tests/reliability/storm.py against a real server with several worker processes.

    .venv/bin/python scripts/concurrency_test.py                    # SQLite, 5 rounds
    .venv/bin/python scripts/concurrency_test.py --db postgresql    # TEST_DATABASE_URL
    .venv/bin/python scripts/concurrency_test.py --writers 100 --workers 4 --rounds 10
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.domain.access import Role  # noqa: E402
from tests.reliability import storm  # noqa: E402
from tests.reliability.harness import LiveServer, fresh_database  # noqa: E402


def main() -> int:
    """Run every scenario `--rounds` times; exit 1 on any broken promise."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--writers", type=int, default=storm.WRITERS)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    problems: list[str] = []
    requests = 0
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_database(args.db, Path(tmp), os.environ.get("TEST_DATABASE_URL")) as db,
    ):
        admin = db.create_user(Role.CITY_ADMIN)
        with LiveServer(db, workers=args.workers) as server:
            headers = server.login(admin)
            for round_ in range(1, args.rounds + 1):
                for scenario in storm.SCENARIOS:
                    started = time.monotonic()
                    outcome = scenario(server, headers, args.writers)
                    requests += args.writers
                    problems += outcome.problems
                    print(
                        f"{args.db} round {round_} {outcome.name}: {dict(outcome.statuses)} "
                        f"in {time.monotonic() - started:.2f}s "
                        f"{'OK' if not outcome.problems else outcome.problems}",
                        flush=True,
                    )
            logs = server.logs().lower()
        for word in ("database is locked", "traceback"):
            if word in logs:
                problems.append(f"server log contains {word!r}")
    print(
        f"concurrency test ({args.db}): {args.rounds} rounds × {len(storm.SCENARIOS)} scenarios × "
        f"{args.writers} writers = {requests} requests, {len(problems)} problems"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
