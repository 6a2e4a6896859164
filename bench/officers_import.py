"""Officer figures: import rows/s against raw `COPY`, and `GET /officer-metrics` latency (issue 6).

    .venv/bin/python -m bench.officers_import --db sqlite|postgresql [--reuse]
        [--officers 100000] [--days 28] [--api-rows 100000] [--api-imports 3] [--queries 30]
    .venv/bin/python -m bench.officers_import --metrics-only URL [--year 2025] [--queries 30]

Not a test. The first form builds a database of its own (`bench/data/officers.db`, or the
PostgreSQL database `kepu_officers_import` on the server of `TEST_DATABASE_URL`; `--reuse` keeps
the officers and figures of an earlier run), runs the app in process and:

1. registers the officers through `POST /officers:bulk` (10,000 per request);
2. loads `--days` days of figures before the timed part: by `COPY` and totals in SQL on
   PostgreSQL (as `bench.dataset` does), by `officers_figures.import_figures` on SQLite;
3. imports `--api-imports` times `--api-rows` rows of the days after the last stored day
   through `POST /officer-disseminations:bulk` as CSV (the whole request: body parsing, row
   checks, account lookup, staging, upserts) and prints rows/s beside the raw insert rate
   measured in the same run (`COPY` into a keyed table on PostgreSQL, `executemany` on SQLite);
4. times the metrics questions (`officer_metrics`, the route's service, called in process).

`--metrics-only URL` times the metrics questions alone against an existing database (such as
the full-scale data set of `bench.dataset`) in read-only transactions: nothing is written.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, text
from sqlmodel import Session

from app.config import ROOT, Settings
from app.db import normalise_url
from app.domain.access import Principal, Role
from app.domain.officers import GroupBy
from app.main import create_app
from app.migrate import upgrade
from app.repositories import officers_figures, users
from app.security import personal
from app.services.officers_figures import officer_metrics
from bench import baselines, dataset
from bench.dataset import COUNTIES, TOWNSHIPS_PER_COUNTY

API = "/api/v1"
PASSWORD = "bench password 1234"  # noqa: S105 - a throwaway bench user
CITY = "150400"
FIRST_DAY = date(2025, 1, 1)
CHANNELS = ["wechat_group", "wechat_moments", "app"]
CITY_ADMIN = Principal(user_id="bench", username="bench", role=Role.CITY_ADMIN, session_id="-")


def database_url(db: str, reuse: bool) -> str:
    """The bench's own database, emptied unless reused."""
    if db == "sqlite":
        path = ROOT / "bench" / "data" / "officers.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    server = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    admin = create_engine(normalise_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = 'kepu_officers_import'")
        ).first()
        if not (reuse and exists):
            conn.execute(text("DROP DATABASE IF EXISTS kepu_officers_import"))
            conn.execute(text("CREATE DATABASE kepu_officers_import"))
    admin.dispose()
    return server.rsplit("/", 1)[0] + "/kepu_officers_import"


def day_values(rng: random.Random, keenness: float) -> tuple[str, int, int]:
    """One officer-day: a channel, shares (often 0 for the less keen) and reads."""
    shares = 0 if rng.random() > keenness else rng.randint(1, 6)
    return rng.choice(CHANNELS), shares, shares * rng.randint(5, 40) + rng.randint(0, 3)


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) in milliseconds."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def questions(year: int, officer_ids: list[str]) -> dict[str, Callable[[random.Random], Any]]:
    """The metrics questions: the three of the issue's targets, then harder extras."""
    last = date(year, 12, 31)

    def month(r: random.Random) -> tuple[date, date]:
        m = r.randint(1, 12)
        return date(year, m, 1), date(year + m // 12, m % 12 + 1, 1) - timedelta(days=1)

    return {
        "county × year (total)": lambda r: (r.choice(COUNTIES), None, date(year, 1, 1), last, None),
        "city × month by county": lambda r: (CITY, None, *month(r), GroupBy.COUNTY),
        "one officer × year by month": lambda r: (
            None,
            r.choice(officer_ids),
            date(year, 1, 1),
            last,
            GroupBy.MONTH,
        ),
        "city × year by county": lambda r: (CITY, None, date(year, 1, 1), last, GroupBy.COUNTY),
        "city × year by month": lambda r: (CITY, None, date(year, 1, 1), last, GroupBy.MONTH),
        "city × 3 Mar–20 Nov (loose days)": lambda r: (
            CITY,
            None,
            date(year, 3, 3),
            date(year, 11, 20),
            None,
        ),
    }


def time_metrics(sessions: Callable[[], Session], year: int, count: int, read_only: bool) -> None:
    """Ask each question `count` times (after one warm-up) and print p50, p99 and the mean."""
    with sessions() as session:
        ids = [r[0] for r in session.execute(text("SELECT id FROM officers ORDER BY id"))]
    rng = random.Random(5)
    print(f"officer metrics, {count} questions each (in process, no HTTP):", flush=True)
    for label, make in questions(year, ids).items():
        samples = []
        for n in range(count + 1):
            region, officer, start, end, group_by = make(rng)
            with sessions() as session:
                if read_only and session.get_bind().dialect.name == "postgresql":
                    session.connection().exec_driver_sql("SET TRANSACTION READ ONLY")
                started = time.perf_counter()
                officer_metrics(
                    principal=CITY_ADMIN,
                    session=session,
                    starts_on=start,
                    ends_on=end,
                    region_code=region,
                    officer_id=officer,
                    group_by=group_by,
                    limit=100,
                )
                if n:
                    samples.append(time.perf_counter() - started)
                session.rollback()
        p50, p99 = percentile(samples, 50), percentile(samples, 99)
        mean = statistics.mean(samples) * 1000
        print(f"  {label}: p50 {p50:.1f} ms, p99 {p99:.1f} ms, mean {mean:.1f} ms", flush=True)


def metrics_only(url: str, year: int, count: int) -> None:
    """Time the questions on an existing database of `bench.dataset`, read-only."""
    # The data set's key ring, to read an officer's (encrypted) row.
    personal.configure(personal.KeyRing.from_settings(Settings(secret_key=dataset.SECRET)))
    if url.startswith("sqlite:///"):
        engine = create_engine(
            f"sqlite:///file:{url.removeprefix('sqlite:///')}?mode=ro&uri=true",
            connect_args={"check_same_thread": False},
        )
    else:
        engine = create_engine(normalise_url(url))

        @event.listens_for(engine, "connect")
        def _read_only(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET default_transaction_read_only = on")
            dbapi_connection.commit()

    time_metrics(lambda: Session(engine), year, count, read_only=True)


def main() -> None:
    """Load, import, query, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--officers", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--api-rows", type=int, default=100_000)
    parser.add_argument("--api-imports", type=int, default=3)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--metrics-only", metavar="URL")
    parser.add_argument("--year", type=int, default=FIRST_DAY.year)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    if args.metrics_only:
        metrics_only(args.metrics_only, args.year, args.queries)
        return
    settings = Settings(
        database_url=database_url(args.db, args.reuse),
        secret_key="bench-secret-key-that-is-long-enough-0123456789",  # noqa: S106 - bench only
        argon2_time_cost=1,
        argon2_memory_kib=64,
        access_token_minutes=24 * 60,
        max_bulk_body_bytes=256 * 1_048_576,
        log_level="WARNING",
        # Preloading a year of figures outlasts a request's deadline.
        request_timeout_seconds=3600,
        bulk_request_timeout_seconds=3600,
    )
    app = create_app(settings)
    ctx = app.state.ctx
    upgrade(ctx.engine)
    client = TestClient(app)
    with ctx.sessions() as session:
        fresh = session.execute(text("SELECT count(*) FROM officers")).scalar_one() == 0
    if fresh:
        with ctx.sessions() as session:
            users.create_user(
                session,
                username="bench",
                password_hash=ctx.passwords.hash(PASSWORD),
                role=Role.CITY_ADMIN,
            )
            session.commit()
    token = client.post(f"{API}/auth/token", data={"username": "bench", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    rng = random.Random(args.seed)
    keenness = [rng.random() ** 2 for _ in range(args.officers)]
    accounts = [f"kp{n:06d}" for n in range(args.officers)]
    if fresh:
        register(client, headers, args.officers)
        with ctx.sessions() as session:
            ids = dict(session.execute(text("SELECT app_account_id, id FROM officers")).all())
        preload(ctx, args.db, [(a, ids[a]) for a in accounts], keenness, args.days, rng)
    with ctx.sessions() as session:
        last = session.execute(text("SELECT max(day) FROM officer_disseminations")).scalar_one()
    next_day = (date.fromisoformat(last) if isinstance(last, str) else last) + timedelta(days=1)
    print(f"{args.db}: {args.officers:,} officers, figures up to {next_day - timedelta(1)}")
    if args.db == "postgresql":
        raw = baselines.postgres_copy(normalise_url(settings.database_url), args.api_rows)
        print(f"  raw COPY into a keyed table: {raw:,.0f} rows/s", flush=True)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            raw = baselines.sqlite_executemany(Path(tmp) / "raw.db", args.api_rows)
        print(f"  raw executemany: {raw:,.0f} rows/s", flush=True)
    for _ in range(args.api_imports):
        body, next_day = csv_body(accounts, keenness, next_day, args.api_rows, rng)
        started = time.perf_counter()
        response = client.post(
            f"{API}/officer-disseminations:bulk",
            content=body,
            headers={**headers, "Content-Type": "text/csv"},
        )
        seconds = time.perf_counter() - started
        response.raise_for_status()
        assert response.json()["errors"] == 0, response.text[:500]
        rate = args.api_rows / seconds
        print(
            f"  POST /officer-disseminations:bulk, {args.api_rows:,} rows (CSV): {seconds:.2f} s"
            f" = {rate:,.0f} rows/s = {rate / raw:.1%} of raw",
            flush=True,
        )
    if args.queries:
        with ctx.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
        time_metrics(ctx.sessions, args.year, args.queries, read_only=False)


def register(client: TestClient, headers: dict[str, str], count: int) -> None:
    """The city's townships, then the officers through `POST /officers:bulk`."""
    townships = [f"{c}{t:03d}" for c in COUNTIES for t in range(1, TOWNSHIPS_PER_COUNTY + 1)]
    for code in townships:
        region = {"code": code, "name": f"镇{code}", "parent_code": code[:6]}
        client.post(f"{API}/regions", json=region, headers=headers).raise_for_status()
    started = time.perf_counter()
    for start in range(0, count, 10_000):
        rows = [
            {
                "name": f"信息员{n}",
                "mobile": f"13{n:09d}",
                "township_code": townships[n % len(townships)],
                "source_group": "farmer_herder" if n % 3 else "science_worker",
                "app_account_id": f"kp{n:06d}",
                **(
                    {"certified_on": (date(2024, 6, 1) + timedelta(days=n % 500)).isoformat()}
                    if n % 5
                    else {}
                ),
            }
            for n in range(start, min(start + 10_000, count))
        ]
        response = client.post(f"{API}/officers:bulk?include_ok=false", json=rows, headers=headers)
        response.raise_for_status()
    seconds = time.perf_counter() - started
    print(f"  {count:,} officers via POST /officers:bulk: {count / seconds:,.0f} rows/s")


def preload(
    ctx: Any,
    db: str,
    officers: list[tuple[str, str]],
    keenness: list[float],
    days: int,
    rng: random.Random,
) -> None:
    """Figures before the timed imports, one day after the other."""
    started = time.perf_counter()
    for d in range(days):
        day = FIRST_DAY + timedelta(days=d)
        rows = [
            (n + 1, oid, day, *day_values(rng, keen))
            for n, ((_, oid), keen) in enumerate(zip(officers, keenness, strict=True))
        ]
        with ctx.sessions() as session:
            if db == "postgresql":
                driver: Any = session.connection().connection.driver_connection
                with (
                    driver.cursor() as cursor,
                    cursor.copy(
                        "COPY officer_disseminations (officer_id, day, channel, shares, reads) "
                        "FROM STDIN"
                    ) as copy,
                ):
                    copy.write("".join(f"{r[1]}\t{day}\t{r[3]}\t{r[4]}\t{r[5]}\n" for r in rows))
            else:
                officers_figures.import_rows(session, rows)
            session.commit()
    if db == "postgresql":
        with ctx.sessions() as session:
            for sql in (
                "INSERT INTO officer_dissemination_months (month, officer_id, shares, reads) "
                "SELECT (EXTRACT(YEAR FROM day) * 100 + EXTRACT(MONTH FROM day))::int, "
                "officer_id, SUM(shares), SUM(reads) FROM officer_disseminations "
                "GROUP BY 1, 2 ORDER BY 1, 2",
                "INSERT INTO officer_dissemination_years (year, officer_id, shares, reads) "
                "SELECT month / 100, officer_id, SUM(shares), SUM(reads) "
                "FROM officer_dissemination_months GROUP BY 1, 2 ORDER BY 1, 2",
            ):
                session.connection().exec_driver_sql(sql)
            session.commit()
        with ctx.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    seconds = time.perf_counter() - started
    print(f"  {days * len(officers):,} figures preloaded in {seconds:.0f} s", flush=True)


def csv_body(
    accounts: list[str], keenness: list[float], first: date, rows: int, rng: random.Random
) -> tuple[bytes, date]:
    """`rows` figures as CSV, every officer's day after day from `first`; the next free day."""
    lines = ["app_account_id,date,channel,shares,reads"]
    day = first
    while len(lines) <= rows:
        for account, keen in zip(accounts, keenness, strict=True):
            if len(lines) > rows:
                break
            channel, shares, reads = day_values(rng, keen)
            lines.append(f"{account},{day.isoformat()},{channel},{shares},{reads}")
        day += timedelta(days=1)
    return ("\n".join(lines) + "\n").encode(), day


if __name__ == "__main__":
    main()
