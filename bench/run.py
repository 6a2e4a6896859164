"""The benchmark suite of issue 6: load (or reuse) the city-scale data set, start the server as
in production, and measure every target side by side with its baselines.

    .venv/bin/python -m bench.run --db sqlite|postgresql [--scale S] [--seconds N] [--fresh]

Layout on this 2-core machine: the server (uvicorn, `--workers` processes) is pinned to core 0,
wrk and this driver to core 1; PostgreSQL is shared and not pinned. Prints a table and writes
`bench/results/<date>-<db>.json` (`<date>-<db>-s<scale>.json` below full scale).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from app.db import normalise_url
from bench import baselines, dataset
from bench.load import LoadResult, run_wrk
from bench.server import ROOT, Server, serve

RESULTS = ROOT / "bench" / "results"
API = "/api/v1"
#: Days of 2026 the figure import sends (today is later; the loaded year is 2025).
IMPORT_YEAR = 2026
IMPORT_DAYS = 325


@dataclass
class Row:
    """One line of the table: a measurement, its target and whether it is met."""

    name: str
    value: str
    target: str
    met: bool | None
    detail: dict[str, Any] = field(default_factory=dict)


def machine() -> dict[str, Any]:
    """What the figures ran on."""
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


class RssSampler:
    """Samples the RSS of every worker twice a second; keeps the peak of each."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.peak: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                now = self.server.rss_mb()
            except (FileNotFoundError, ProcessLookupError):
                now = []
            if len(now) != len(self.peak):
                self.peak = [0.0] * len(now)
            self.peak = [max(a, b) for a, b in zip(self.peak, now, strict=True)]
            self._stop.wait(0.5)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Bench:
    """One benchmark run against one database."""

    db: str
    scale: float
    seconds: int
    connections: int
    server_cpus: str
    load_cpus: str
    workers: int
    log: Callable[[str], None] = print
    rows: list[Row] = field(default_factory=list)
    #: The targets' sizes; a smoke run (scale below 0.1) sends a tenth.
    volunteer_rows: int = 10_000
    figure_rows: int = 100_000
    storm_seconds: int = 30
    loads: list[float] = field(default_factory=list)

    @property
    def url(self) -> str:
        return dataset.database_url(self.db, self.scale)

    def note_load(self) -> None:
        self.loads.append(os.getloadavg()[0])

    def wrk(self, name: str, server: Server, paths: list[str], **kw: Any) -> LoadResult:
        kw.setdefault("connections", self.connections)
        kw.setdefault("seconds", self.seconds)
        self.note_load()
        result = run_wrk(
            name, server.base_url, paths, cpus=self.load_cpus, cpu_seconds=server.cpu_seconds, **kw
        )
        cpu = result.cpu_ms_per_request or 0.0
        self.log(
            f"  {name:<48} {result.requests_per_s:>7,.0f} req/s  p50 {result.p50_ms:7.1f} ms"
            f"  p99 {result.p99_ms:7.1f} ms  max {result.max_ms:6.0f} ms  err {result.errors}"
            f"  cpu {cpu:5.2f} ms/req"
        )
        return result


def _counter(url: str, name: str) -> int:
    """The next value of a named counter kept in the bench database (fresh rows every run)."""
    engine = create_engine(normalise_url(url))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(dataset.META_RUN_DDL)
            n = conn.execute(text("SELECT n FROM bench_counters WHERE name = :n"), {"n": name})
            value = n.scalar()
            if value is None:
                conn.execute(text("INSERT INTO bench_counters VALUES (:n, 1)"), {"n": name})
                return 0
            conn.execute(text("UPDATE bench_counters SET n = n + 1 WHERE name = :n"), {"n": name})
            return int(value)
    finally:
        engine.dispose()


@dataclass
class Samples:
    """Ids the requests use, drawn from the loaded data."""

    volunteers: list[str]
    bases: list[str]
    counties: list[str]
    org_id: str
    officer: str
    accounts: list[str]


def samples(url: str, seed: int) -> Samples:
    """Draw the ids once, deterministically."""
    rng = random.Random(seed)
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            vols = [r[0] for r in conn.execute(text("SELECT id FROM volunteers ORDER BY id"))]
            bases = [r[0] for r in conn.execute(text("SELECT id FROM bases ORDER BY id"))]
            org = conn.execute(
                text("SELECT id FROM organizations WHERE level = 'county_team' ORDER BY id")
            ).first()
            officer = conn.execute(text("SELECT id FROM officers ORDER BY app_account_id")).first()
            accounts = [
                r[0] for r in conn.execute(text("SELECT app_account_id FROM officers ORDER BY 1"))
            ]
    finally:
        engine.dispose()
    if not (vols and bases and org and officer and accounts):
        raise RuntimeError("the bench database is not loaded")
    return Samples(
        volunteers=rng.sample(vols, min(500, len(vols))),
        bases=bases,
        counties=list(dataset.COUNTIES),
        org_id=str(org[0]),
        officer=str(officer[0]),
        accounts=accounts,
    )


def sign_in(base_url: str, username: str) -> dict[str, str]:
    """Bearer headers of a bench user."""
    response = httpx.post(
        f"{base_url}{API}/auth/token",
        data={"username": username, "password": dataset.PASSWORD},
        timeout=60,
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _timed_post(
    client: httpx.Client, path: str, rows: list[dict[str, Any]], params: dict[str, str]
) -> tuple[float, dict[str, Any]]:
    body = json.dumps(rows).encode()
    started = time.perf_counter()
    response = client.post(
        path, params=params, content=body, headers={"Content-Type": "application/json"}
    )
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
    return elapsed, response.json()


def volunteer_bulk(
    bench: Bench, server: Server, headers: dict[str, str], s: Samples, raw_rate: float
) -> Row:
    """`POST /volunteers:bulk` with 10,000 new people (in requests of the endpoint's maximum)."""
    run = _counter(bench.url, "volunteer_bulk")
    first = 10_000_000 + run * 10_000
    rng = random.Random(run)
    counties = dataset.COUNTIES
    rows = [
        dataset.volunteer_row(first + i, rng, counties[i % len(counties)])
        for i in range(bench.volunteer_rows)
    ]
    bench.note_load()
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=600) as client:
        params = {"organization_id": s.org_id, "include_ok": "false"}
        per_request = 10_000
        elapsed, body = 0.0, {}
        probe = client.post(
            f"{API}/volunteers:bulk",
            params=params,
            json=[{**rows[0], "id_number": "x"}] * 10_000,
        )
        if probe.status_code == 422 and "too_many" in probe.text:
            per_request = 5_000
        created = 0
        for start in range(0, len(rows), per_request):
            took, body = _timed_post(
                client, f"{API}/volunteers:bulk", rows[start : start + per_request], params
            )
            elapsed += took
            created += int(body["created"])
    rate = len(rows) / elapsed
    ratio = rate / raw_rate
    bench.log(
        f"  POST /volunteers:bulk {len(rows):,} rows ({per_request:,}/request): {elapsed:.2f} s, "
        f"{rate:,.0f} rows/s = {ratio:.1%} of raw executemany"
    )
    return Row(
        f"POST /volunteers:bulk {len(rows):,} rows",
        f"{rate:,.0f} rows/s ({ratio:.1%} of raw)",
        "≥ 25 % of raw executemany (SQLite)",
        ratio >= 0.25 if bench.db == "sqlite" else None,
        {
            "seconds": elapsed,
            "rows_per_s": rate,
            "raw_rows_per_s": raw_rate,
            "ratio": ratio,
            "rows_per_request": per_request,
            "created": created,
        },
    )


def figures_bulk(
    bench: Bench, server: Server, headers: dict[str, str], s: Samples, raw_rate: float
) -> Row:
    """`POST /officer-disseminations:bulk` with 100,000 rows of 2026 for a rotating block of
    officers (rows the database does not hold yet, until the rotation wraps)."""
    run = _counter(bench.url, "figures_bulk")
    per_officer = IMPORT_DAYS
    officers = -(-bench.figure_rows // per_officer)
    start = run * officers % max(1, len(s.accounts) - officers)
    block = s.accounts[start : start + officers]
    rng = random.Random(run)
    channels = ["wechat_group", "wechat_moments", "wechat_official", "weibo", "app"]
    rows: list[dict[str, Any]] = []
    for account in block:
        for d in range(per_officer):
            shares = rng.randrange(0, 12)
            rows.append(
                {
                    "app_account_id": account,
                    "date": (date(IMPORT_YEAR, 1, 1) + timedelta(days=d)).isoformat(),
                    "channel": channels[d % len(channels)],
                    "shares": shares,
                    "reads": shares * 17,
                }
            )
    rows = rows[: bench.figure_rows]
    bench.note_load()
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=900) as client:
        elapsed, body = _timed_post(
            client, f"{API}/officer-disseminations:bulk", rows, {"include_ok": "false"}
        )
    rate = len(rows) / elapsed
    ratio = rate / raw_rate
    what = "COPY" if bench.db == "postgresql" else "executemany"
    bench.log(
        f"  POST /officer-disseminations:bulk {len(rows):,} rows: {elapsed:.2f} s, "
        f"{rate:,.0f} rows/s"
        f" = {ratio:.1%} of raw {what} (created {body['created']}, updated {body['updated']},"
        f" unchanged {body['matched_existing']})"
    )
    return Row(
        f"POST /officer-disseminations:bulk {len(rows):,} rows",
        f"{rate:,.0f} rows/s ({ratio:.1%} of raw {what})",
        "≥ 30 % of raw COPY (PostgreSQL)",
        ratio >= 0.30 if bench.db == "postgresql" else None,
        {
            "seconds": elapsed,
            "rows_per_s": rate,
            "raw_rows_per_s": raw_rate,
            "ratio": ratio,
            "created": body["created"],
            "updated": body["updated"],
            "matched_existing": body["matched_existing"],
        },
    )


def changes(bench: Bench, server: Server, headers: dict[str, str]) -> Row:
    """`GET /changes`: 10,000 events in 20 pages of 500, followed by `next_after`; best of 3."""
    times: list[float] = []
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as client:
        for _ in range(3):
            bench.note_load()
            after, got = 0, 0
            started = time.perf_counter()
            while got < 10_000:
                page = client.get(f"{API}/changes", params={"after": after, "limit": 500})
                page.raise_for_status()
                body = page.json()
                if not body["items"]:
                    break
                got += len(body["items"])
                after = body["next_after"]
            times.append(time.perf_counter() - started)
    best, median = min(times), statistics.median(times)
    bench.log(f"  GET /changes {got:,} events in pages of 500: median {median:.3f} s")
    # A small data set may hold fewer than 10,000 events: then the figure is for what it holds.
    return Row(
        f"GET /changes {got:,} events, pages of 500",
        f"{median:.3f} s",
        "≤ 1 s for 10,000",
        median <= 1.0 if got >= 10_000 else None,
        {"seconds": times, "median": median, "best": best, "events": got},
    )


def _log_problems(path: Path, since: int) -> list[str]:
    """Server log lines after byte `since` that tell of pool exhaustion or server errors."""
    if not path.exists():
        return []
    with path.open("rb") as f:
        f.seek(since)
        text_ = f.read().decode("utf-8", "replace")
    marks = ("QueuePool limit", "TimeoutError", "Traceback", '"status": 500', "Exception")
    return [line[:300] for line in text_.splitlines() if any(m in line for m in marks)]


def _pct(a: float, b: float) -> float:
    return a / b if b else 0.0


def _cpu_share(r: LoadResult, health: LoadResult) -> float:
    """The endpoint's rate as a share of /healthz's, had each the server core to itself: the
    ratio of server CPU per request (steadier than req/s when other work shares the core)."""
    if not r.cpu_ms_per_request or not health.cpu_ms_per_request:
        return 0.0
    return health.cpu_ms_per_request / r.cpu_ms_per_request


_TARGETED = ("county × year", "city × month (by county)", "one officer × year (by month)")


def _metric_paths(s: Samples) -> dict[str, str]:
    """The three questions of the target, shaped as `bench/officers_import.py` asks them, and
    heavier ones for the record."""
    year = f"starts_on={dataset.FIGURE_YEAR}-01-01&ends_on={dataset.FIGURE_YEAR}-12-31"
    june = f"starts_on={dataset.FIGURE_YEAR}-06-01&ends_on={dataset.FIGURE_YEAR}-06-30"
    return {
        "county × year": f"{API}/officer-metrics?{year}&region_code={s.counties[0]}",
        "city × month (by county)": f"{API}/officer-metrics?{june}&region_code=150400"
        "&group_by=county",
        "one officer × year (by month)": f"{API}/officer-metrics?{year}&officer_id={s.officer}"
        "&group_by=month",
        "city × year by county": f"{API}/officer-metrics?{year}&group_by=county",
        "city × year by month": f"{API}/officer-metrics?{year}&region_code=150400&group_by=month",
        "city × 3 Mar–20 Nov (loose days)": (
            f"{API}/officer-metrics?starts_on={dataset.FIGURE_YEAR}-03-03"
            f"&ends_on={dataset.FIGURE_YEAR}-11-20&region_code=150400"
        ),
    }


def measure(bench: Bench, seed: int) -> dict[str, Any]:
    """Everything after the load: baselines, endpoints, bulk, feed, 256 connections, RSS."""
    env = dataset.bench_env(bench.db, bench.scale)
    s = samples(bench.url, seed)
    raw_sqlite = baselines.sqlite_executemany(dataset.BENCH_DIR / "raw-baseline.db")
    raw_copy = baselines.postgres_copy(bench.url) if bench.db == "postgresql" else None
    bench.log(f"  raw SQLite executemany: {raw_sqlite:,.0f} rows/s")
    if raw_copy is not None:
        bench.log(f"  raw PostgreSQL COPY:    {raw_copy:,.0f} rows/s")
    log_path = dataset.BENCH_DIR / f"server-{bench.db}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_bytes(b"")
    results: dict[str, Any] = {"wrk": {}}
    with serve(env, workers=bench.workers, cpus=bench.server_cpus, log_path=log_path) as server:
        city = sign_in(server.base_url, "bench-city")
        with RssSampler(server) as rss:
            health = bench.wrk("GET /healthz (unauthenticated ceiling)", server, ["/healthz"])
            vol = bench.wrk(
                "GET /volunteers/{id}",
                server,
                [f"{API}/volunteers/{v}" for v in s.volunteers],
                headers=city,
            )
            base = bench.wrk(
                "GET /bases/{id}", server, [f"{API}/bases/{b}" for b in s.bases], headers=city
            )
            vlist = bench.wrk(
                "GET /volunteers?county_code=&limit=50",
                server,
                [f"{API}/volunteers?county_code={c}&limit=50" for c in s.counties],
                headers=city,
            )
            blist = bench.wrk(
                "GET /bases?category=&limit=50",
                server,
                [
                    f"{API}/bases?category={c}&limit=50&status=accredited"
                    for c in ("venue", "natural", "research", "agri", "production")
                ],
                headers=city,
            )
            for r in (health, vol, base, vlist, blist):
                results["wrk"][r.name] = asdict(r)
            bench.rows.append(
                Row(
                    "GET /healthz, unauthenticated (16 conn)",
                    f"{health.requests_per_s:,.0f} req/s, p99 {health.p99_ms:.1f} ms, "
                    f"cpu {health.cpu_ms_per_request or 0:.2f} ms/req",
                    "(ceiling)",
                    None,
                    asdict(health),
                )
            )
            for r, floor, p99 in (
                (vol, 0.40, 25),
                (base, 0.40, 25),
                (vlist, 0.20, 50),
                (blist, 0.20, 50),
            ):
                share = _pct(r.requests_per_s, health.requests_per_s)
                cpu_share = _cpu_share(r, health)
                bench.rows.append(
                    Row(
                        f"auth {r.name} (16 conn)",
                        f"{r.requests_per_s:,.0f} req/s = {share:.0%} of /healthz "
                        f"(by CPU {cpu_share:.0%}), p99 {r.p99_ms:.1f} ms",
                        f"≥ {floor:.0%} of /healthz, p99 ≤ {p99} ms",
                        share >= floor and r.p99_ms <= p99 and r.errors == 0,
                        {**asdict(r), "share": share, "cpu_share": cpu_share},
                    )
                )
            compliance = bench.wrk(
                "GET /bases/compliance?year= (1 conn)",
                server,
                [f"{API}/bases/compliance?year=2025"],
                headers=city,
                connections=1,
            )
            results["wrk"][compliance.name] = asdict(compliance)
            bench.rows.append(
                Row(
                    f"GET /bases/compliance?year=2025 ({len(s.bases)} bases)",
                    f"p50 {compliance.p50_ms:.1f} ms",
                    "p50 ≤ 100 ms",
                    compliance.p50_ms <= 100 and compliance.errors == 0,
                    asdict(compliance),
                )
            )
            for label, path in _metric_paths(s).items():
                r = bench.wrk(
                    f"GET /officer-metrics {label} (1 conn)",
                    server,
                    [path],
                    headers=city,
                    connections=1,
                )
                results["wrk"][r.name] = asdict(r)
                targeted = label in _TARGETED
                answered = f"p50 {r.p50_ms:.1f} ms" if r.requests else "no answer within 10 s"
                bench.rows.append(
                    Row(
                        f"GET /officer-metrics {label}",
                        answered,
                        "p50 ≤ 100 ms" if targeted else "(extra)",
                        (r.requests > 0 and r.p50_ms <= 100 and r.errors == 0)
                        if targeted
                        else None,
                        {**asdict(r), "path": path},
                    )
                )
            offset = log_path.stat().st_size
            mixed = [f"{API}/volunteers/{v}" for v in s.volunteers[:100]] + [
                f"{API}/bases/{b}" for b in s.bases[:50]
            ]
            mixed += [f"{API}/volunteers?county_code={c}&limit=50" for c in s.counties]
            storm = bench.wrk(
                "256 connections, mixed reads",
                server,
                mixed,
                headers=city,
                connections=256,
                seconds=bench.storm_seconds,
            )
            problems = _log_problems(log_path, offset)
            results["wrk"][storm.name] = asdict(storm)
            bench.rows.append(
                Row(
                    f"256 connections for {bench.storm_seconds} s",
                    f"{storm.requests_per_s:,.0f} req/s, errors {storm.errors}, "
                    f"max {storm.max_ms:,.0f} ms, pool/server errors {len(problems)}",
                    "no error, none over 5 s, no pool exhaustion",
                    storm.errors == 0 and storm.max_ms <= 5000 and not problems,
                    {**asdict(storm), "log_problems": problems[:20]},
                )
            )
        bench.rows.append(
            Row(
                "RSS per worker under read load (peak)",
                ", ".join(f"{p:.0f} MB" for p in rss.peak),
                "≤ 200 MB",
                bool(rss.peak) and max(rss.peak) <= 200,
                {"peak_mb": rss.peak},
            )
        )
        with RssSampler(server) as rss:
            bench.rows.append(volunteer_bulk(bench, server, city, s, raw_sqlite))
            bench.rows.append(
                figures_bulk(bench, server, city, s, raw_copy if raw_copy else raw_sqlite)
            )
            bench.rows.append(changes(bench, server, city))
        bench.rows.append(
            Row(
                "RSS per worker during the bulk imports (peak)",
                ", ".join(f"{p:.0f} MB" for p in rss.peak),
                "≤ 200 MB",
                bool(rss.peak) and max(rss.peak) <= 200,
                {"peak_mb": rss.peak},
            )
        )
    results["baselines"] = {
        "sqlite_executemany_rows_per_s": raw_sqlite,
        "postgres_copy_rows_per_s": raw_copy,
    }
    return results


def print_table(bench: Bench) -> None:
    """The table on stdout."""
    width = max(len(r.name) for r in bench.rows)
    vwidth = max(len(r.value) for r in bench.rows)
    print()
    print(f"{'what':<{width}}  {'measured':<{vwidth}}  {'target':<44} met")
    print("-" * (width + vwidth + 54))
    for r in bench.rows:
        met = "n/a" if r.met is None else "yes" if r.met else "NO"
        print(f"{r.name:<{width}}  {r.value:<{vwidth}}  {r.target:<44} {met}")


@contextmanager
def _pinned(cpus: str) -> Iterator[None]:
    """Run this driver on the load generator's cores."""
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {int(c) for c in cpus.split(",")})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seconds", type=int, default=10, help="per endpoint, after 2 s warm-up")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--fresh", action="store_true", help="drop and reload the data set")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--server-cpus", default="0")
    parser.add_argument("--load-cpus", default="1")
    args = parser.parse_args(argv)
    bench = Bench(
        db=args.db,
        scale=args.scale,
        seconds=args.seconds,
        connections=args.connections,
        server_cpus=args.server_cpus,
        load_cpus=args.load_cpus,
        workers=args.workers,
    )
    if args.scale < 0.1:
        bench.volunteer_rows, bench.figure_rows = 1_000, 10_000
        bench.storm_seconds = min(30, 3 * args.seconds)
    started = datetime.now(UTC)
    print(f"kepu-api benchmark: {args.db}, scale {args.scale:g}, {json.dumps(machine())}")
    print("data set:")
    parts = dataset.load(args.db, args.scale, seed=args.seed, reuse=not args.fresh)
    print("measurements:")
    with _pinned(args.load_cpus):
        results = measure(bench, args.seed)
    print_table(bench)
    tag = "" if args.scale == 1 else f"-{dataset.scale_tag(args.scale)}"
    out = RESULTS / f"{started:%Y-%m-%d}-{args.db}{tag}.json"
    RESULTS.mkdir(parents=True, exist_ok=True)
    document = {
        "command": "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "started": started.isoformat(),
        "finished": datetime.now(UTC).isoformat(),
        "db": args.db,
        "scale": args.scale,
        "seed": args.seed,
        "layout": {
            "server_cpus": args.server_cpus,
            "load_cpus": args.load_cpus,
            "workers": args.workers,
            "connections": args.connections,
            "seconds_per_endpoint": args.seconds,
            "postgresql": "shared, not pinned",
        },
        "machine": machine(),
        "load_average_1m_during": bench.loads,
        "dataset": {
            "counts": dataset.Plan(args.db, args.scale, args.seed).counts(),
            "parts": [{**asdict(p), "rows_per_s": p.rows_per_s} for p in parts],
        },
        "targets": [asdict(r) for r in bench.rows],
        **results,
    }
    out.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"\nwritten {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
