"""Officer figures at city scale: import rows/s and `GET /officer-metrics` latency (issue 5).

    .venv/bin/python -m bench.officers_import --db sqlite|postgresql
        [--officers 100000] [--days 365] [--api-days 7] [--queries 100] [--seed 5]

Not a test: it builds a fresh database (`bench/data/officers.db`, or the PostgreSQL database
`kepu_bench_officers` on the server of `TEST_DATABASE_URL`), runs the app in process and:

1. registers the officers through `POST /officers:bulk` (10,000 per request) and prints officers/s;
2. loads the year's daily figures, one day (one row per officer) per transaction: the first
   `days - api_days` days through `officers_figures.import_figures` (the upsert behind the
   endpoint, without HTTP and row parsing), the last `api_days` days through
   `POST /officer-disseminations:bulk` as CSV — and prints rows/s for each;
3. times `GET /officer-metrics` for a county-year, a city-month (by county) and one officer's year
   (by month), `--queries` times each, and prints p50 and p99 in milliseconds.

On PostgreSQL every import rewrites one monthly and one yearly total per officer and adds a day
of rows; a server vacuums and analyses those between daily imports (autovacuum). The test server
runs with autovacuum off, so the bench does it every `--vacuum-every` days of figures, outside the
timed imports.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app.config import ROOT, Settings
from app.db import normalise_url
from app.domain.access import Role
from app.domain.officers import Channel, Dissemination
from app.main import create_app
from app.migrate import upgrade
from app.repositories import officers_figures, users

API = "/api/v1"
PASSWORD = "bench password 1234"  # noqa: S105 - a throwaway bench user
COUNTIES = [
    "150402",
    "150403",
    "150404",
    "150421",
    "150422",
    "150423",
    "150424",
    "150425",
    "150426",
    "150428",
    "150429",
    "150430",
]
TOWNSHIPS_PER_COUNTY = 10
YEAR = 2024
CHANNELS = [Channel.WECHAT_GROUP, Channel.WECHAT_MOMENTS, Channel.APP]


def database_url(db: str) -> str:
    """A fresh, empty database of the requested kind."""
    if db == "sqlite":
        path = ROOT / "bench" / "data" / "officers.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    server = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    admin = create_engine(normalise_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS kepu_bench_officers"))
        conn.execute(text("CREATE DATABASE kepu_bench_officers"))
    admin.dispose()
    return server.rsplit("/", 1)[0] + "/kepu_bench_officers"


def figure(rng: random.Random, keenness: float) -> tuple[Channel, int, int]:
    """One officer-day: a channel, shares (often 0 for the less keen) and reads."""
    shares = 0 if rng.random() > keenness else rng.randint(1, 6)
    return rng.choice(CHANNELS), shares, shares * rng.randint(5, 40) + rng.randint(0, 3)


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) in milliseconds."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def report(label: str, rows: int, seconds: float) -> None:
    """Print a rate."""
    print(f"  {label}: {rows:,} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s", flush=True)


def main() -> None:
    """Load, import, query, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--officers", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--api-days", type=int, default=7)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--vacuum-every", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    settings = Settings(
        database_url=database_url(args.db),
        secret_key="bench-secret-key-that-is-long-enough-0123456789",  # noqa: S106 - bench only
        argon2_time_cost=1,
        argon2_memory_kib=64,
        access_token_minutes=24 * 60,
        max_bulk_body_bytes=256 * 1_048_576,
        log_level="WARNING",
    )
    app = create_app(settings)
    ctx = app.state.ctx
    upgrade(ctx.engine)
    with ctx.sessions() as session:
        users.create_user(
            session,
            username="bench",
            password_hash=ctx.passwords.hash(PASSWORD),
            role=Role.CITY_ADMIN,
        )
        session.commit()
    client = TestClient(app)
    token = client.post(f"{API}/auth/token", data={"username": "bench", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    townships = [f"{c}{t:03d}" for c in COUNTIES for t in range(1, TOWNSHIPS_PER_COUNTY + 1)]
    for code in townships:
        region = {"code": code, "name": f"镇{code}", "parent_code": code[:6]}
        client.post(f"{API}/regions", json=region, headers=headers).raise_for_status()
    print(f"{args.db}: {args.officers:,} officers, {args.days} days", flush=True)

    def register() -> float:
        seconds = 0.0
        for start in range(0, args.officers, 10_000):
            rows = [
                {
                    "name": f"信息员{n}",
                    "mobile": f"13{n:09d}",
                    "region_code": townships[n % len(townships)],
                    "source_group": "farmer_herder" if n % 3 else "science_worker",
                    "app_account_id": f"kp{n:06d}",
                    "certified_on": (date(YEAR - 1, 6, 1) + timedelta(days=n % 500)).isoformat()
                    if n % 5
                    else None,
                }
                for n in range(start, min(start + 10_000, args.officers))
            ]
            rows = [{k: v for k, v in r.items() if v is not None} for r in rows]
            started = time.perf_counter()
            response = client.post(
                f"{API}/officers:bulk?include_ok=false", json=rows, headers=headers
            )
            seconds += time.perf_counter() - started
            response.raise_for_status()
        return seconds

    report("officers via POST /officers:bulk", args.officers, register())
    with ctx.sessions() as session:
        ids = dict(session.execute(text("SELECT app_account_id, id FROM officers")).all())
    accounts = [f"kp{n:06d}" for n in range(args.officers)]
    keenness = [rng.random() ** 2 for _ in accounts]
    days = [date(YEAR, 1, 1) + timedelta(days=d) for d in range(args.days)]
    direct_days, api_days = days[: -args.api_days or None], days[len(days) - args.api_days :]

    def direct() -> float:
        seconds, row_no = 0.0, 0
        for day in direct_days:
            staged = []
            for account, keen in zip(accounts, keenness, strict=True):
                channel, shares, reads = figure(rng, keen)
                row_no += 1
                staged.append(
                    officers_figures.StagedFigure(
                        row_no=row_no,
                        officer_id=ids[account],
                        figure=Dissemination(
                            app_account_id=account,
                            day=day,
                            channel=channel,
                            shares=shares,
                            reads=reads,
                        ),
                    )
                )
            started = time.perf_counter()
            with ctx.sessions() as session:
                officers_figures.import_figures(session, staged)
                session.commit()
            seconds += time.perf_counter() - started
            if args.db == "postgresql" and day.toordinal() % args.vacuum_every == 0:
                vacuum()
        return seconds

    def vacuum() -> None:
        with ctx.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(
                "VACUUM ANALYZE officer_dissemination_months, officer_dissemination_years"
            )
            conn.exec_driver_sql("ANALYZE officer_disseminations")

    def through_api() -> float:
        seconds = 0.0
        for day in api_days:
            lines = ["app_account_id,date,channel,shares,reads"]
            for account, keen in zip(accounts, keenness, strict=True):
                channel, shares, reads = figure(rng, keen)
                lines.append(f"{account},{day.isoformat()},{channel.value},{shares},{reads}")
            body = ("\n".join(lines) + "\n").encode()
            started = time.perf_counter()
            response = client.post(
                f"{API}/officer-disseminations:bulk?mode=partial",
                content=body,
                headers={**headers, "Content-Type": "text/csv"},
            )
            seconds += time.perf_counter() - started
            response.raise_for_status()
            assert response.json()["errors"] == 0, response.text[:500]
        return seconds

    if direct_days:
        report(
            "figures via officers_figures.import_figures (one day per transaction)",
            len(direct_days) * args.officers,
            direct(),
        )
    if api_days:
        report(
            "figures via POST /officer-disseminations:bulk (CSV, one day per request)",
            len(api_days) * args.officers,
            through_api(),
        )
    with ctx.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    officer_ids = list(ids.values())
    queries: dict[str, Callable[[random.Random], dict[str, Any]]] = {
        "county-year (total)": lambda r: {
            "region_code": r.choice(COUNTIES),
            "from": f"{YEAR}-01-01",
            "to": f"{YEAR}-12-31",
        },
        "city-month (by county)": lambda r: {
            "region_code": "150400",
            "from": date(YEAR, (m := r.randint(1, 12)), 1).isoformat(),
            "to": (date(YEAR + m // 12, m % 12 + 1, 1) - timedelta(days=1)).isoformat(),
            "group_by": "county",
        },
        "one officer-year (by month)": lambda r: {
            "officer_id": r.choice(officer_ids),
            "from": f"{YEAR}-01-01",
            "to": f"{YEAR}-12-31",
            "group_by": "month",
        },
    }
    print(f"GET /officer-metrics, {args.queries} queries each (in process, after a warm-up):")
    for label, params in queries.items():
        client.get(f"{API}/officer-metrics", params=params(rng), headers=headers)
        samples = []
        for _ in range(args.queries):
            query = params(rng)
            started = time.perf_counter()
            response = client.get(f"{API}/officer-metrics", params=query, headers=headers)
            samples.append(time.perf_counter() - started)
            response.raise_for_status()
        p50, p99 = percentile(samples, 50), percentile(samples, 99)
        mean = statistics.mean(samples) * 1000
        print(f"  {label}: p50 {p50:.0f} ms, p99 {p99:.0f} ms, mean {mean:.0f} ms", flush=True)


if __name__ == "__main__":
    main()
