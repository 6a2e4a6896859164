"""Spreadsheets in and out (issue 15): imports from XLSX against the same rows as JSON, and the
export of a city-wide year, with the server's peak RSS.

    .venv/bin/python -m bench.spreadsheets [--db sqlite|postgresql] [--volunteers 10000]
        [--figures 100000] [--workers 1]
    .venv/bin/python -m bench.spreadsheets --city-year [--db sqlite|postgresql] [--scale 1]

Not a test. Builds a database of its own (`var/bench/spreadsheets.db`, or the PostgreSQL
database `kepu_bench_spreadsheets` on the server of `TEST_DATABASE_URL`), starts the service as
it ships (`uvicorn app.main:app`, a separate process), and over HTTP:

1. registers `--volunteers` volunteers of one team as XLSX (the template's Chinese headers) and,
   in a second team, the same number as JSON — rows/s of each and their ratio;
2. registers the officers the figures need, then imports `--figures` daily figures as XLSX and
   the next `--figures` as JSON — rows/s and ratio;
3. downloads the city-wide year: the volunteer service report and every volunteer as a list
   export, XLSX and CSV — seconds and size of each;

and prints the peak RSS of the server's processes over each step. Ratios in one run are the
figures to compare; seconds depend on the machine.

`--city-year` instead downloads the reports of 2025 from the data set of `bench.dataset` (load
it first: `.venv/bin/python -m bench.dataset --db sqlite`): the volunteer service and the base
compliance of the whole city, and the hours sheet of every organisation of the city (about a
quarter of the data set's million service records), as XLSX and CSV.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import httpx
from openpyxl import Workbook
from sqlalchemy import create_engine, text

from app import imports
from app.cli import ensure_first_admin
from app.config import Settings
from app.db import make_engine
from app.migrate import upgrade
from app.spreadsheets import XLSX
from bench import dataset
from bench.run import RssSampler
from bench.server import Server, serve

API = "/api/v1"
#: The year of the reports (the volunteers are registered now), and the first day of figures.
YEAR = 2026
FIGURES_FROM = date(2025, 1, 1)
CHANNELS = ["wechat_group", "wechat_moments", "wechat_official", "weibo", "app"]


def _url(dialect: str) -> str:
    if dialect == "sqlite":
        return f"sqlite:///{dataset.BENCH_DIR / 'spreadsheets.db'}"
    return f"{dataset.PG_SERVER.rstrip('/')}/kepu_bench_spreadsheets"


def _fresh(dialect: str, url: str) -> None:
    """An empty database, migrated, with its first administrator."""
    if dialect == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            path = dataset.BENCH_DIR / f"spreadsheets.db{suffix}"
            path.unlink(missing_ok=True)
        dataset.BENCH_DIR.mkdir(parents=True, exist_ok=True)
    else:
        server = create_engine(
            f"{dataset.PG_SERVER.rstrip('/')}/postgres", isolation_level="AUTOCOMMIT"
        )
        with server.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS kepu_bench_spreadsheets"))
            conn.execute(text("CREATE DATABASE kepu_bench_spreadsheets"))
        server.dispose()
    settings = Settings(database_url=url, admin_password=dataset.PASSWORD)
    engine = make_engine(settings)
    upgrade(engine)
    engine.dispose()
    ensure_first_admin(settings)


def _workbook(kind: str, rows: list[dict[str, Any]]) -> bytes:
    """Rows under the template's Chinese headers, as a clerk's workbook holds them."""
    columns = imports.mappings()[kind].columns
    book = Workbook(write_only=True)
    sheet = book.create_sheet("填写")
    sheet.append([c.header for c in columns])
    for row in rows:
        sheet.append([_cell(row.get(c.key)) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "；".join(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


@contextmanager
def _step(server: Server, log: Callable[[str], None], name: str) -> Iterator[dict[str, float]]:
    """Time a step and sample the server's RSS while it runs."""
    out: dict[str, float] = {}
    with RssSampler(server) as rss:
        started = time.perf_counter()
        yield out
        out["seconds"] = time.perf_counter() - started
    out["peak_rss_mb"] = sum(rss.peak)
    log(f"  {name:<58} {out['seconds']:8.2f} s   peak RSS {out['peak_rss_mb']:7.0f} MB")


def _post(client: httpx.Client, path: str, body: bytes, media: str, **params: str) -> Any:
    response = client.post(path, params=params, content=body, headers={"Content-Type": media})
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
    return response.json()


def _team(client: httpx.Client, name: str) -> str:
    body = {"name": name, "kind": "team", "level": "city_team"}
    response = client.post(f"{API}/organizations", json=body)
    response.raise_for_status()
    return str(response.json()["id"])


def _officers(client: httpx.Client, count: int) -> list[str]:
    for code in ("150402001", "150403001"):
        body = {"code": code, "name": f"乡镇{code[-3:]}", "parent_code": code[:6]}
        client.post(f"{API}/regions", json=body)
    rows = [
        {
            "name": f"员{n}",
            "mobile": f"1390{n:07d}",
            "township_code": "150402001" if n % 2 else "150403001",
            "source_group": "other",
            "app_account_id": f"kp-{n}",
            "certification_status": "certified",
            "certified_on": FIGURES_FROM.isoformat(),
        }
        for n in range(count)
    ]
    for start in range(0, count, 10_000):
        _post(
            client,
            f"{API}/officers:bulk",
            json.dumps(rows[start : start + 10_000]).encode(),
            "application/json",
        )
    return [str(r["app_account_id"]) for r in rows]


def _figures(accounts: list[str], first_day: int, count: int) -> list[dict[str, Any]]:
    days = -(-count // len(accounts))
    rng = random.Random(first_day)
    rows = [
        {
            "app_account_id": account,
            "date": (FIGURES_FROM + timedelta(days=first_day + d)).isoformat(),
            "channel": CHANNELS[d % len(CHANNELS)],
            "shares": (shares := rng.randrange(0, 12)),
            "reads": shares * 17,
        }
        for d in range(days)
        for account in accounts
    ]
    return rows[:count]


def run(dialect: str, volunteers: int, figures: int, workers: int) -> dict[str, Any]:
    """Every step; returns the figures."""
    url = _url(dialect)
    _fresh(dialect, url)
    env = {**dataset.bench_env(dialect, 1.0), "KEPU_DATABASE_URL": url}
    log = print
    result: dict[str, Any] = {"db": dialect, "volunteers": volunteers, "figures": figures}
    cpus = f"0-{(os.cpu_count() or 1) - 1}"
    with serve(env, workers=workers, cpus=cpus) as server:
        token = httpx.post(
            f"{server.base_url}{API}/auth/token",
            data={"username": "admin", "password": dataset.PASSWORD},
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        result["idle_rss_mb"] = sum(server.rss_mb())
        log(f"  server RSS after start and one login: {result['idle_rss_mb']:.0f} MB")
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=1800) as client:
            rng = random.Random(1)
            people = [dataset.volunteer_row(i, rng, "150402") for i in range(2 * volunteers)]
            xlsx_team, json_team = _team(client, "表格导入队"), _team(client, "JSON导入队")
            # One small import of each kind first: the first request loads openpyxl.
            warm = _team(client, "预热队")
            spare = [dataset.volunteer_row(10_000_000 + i, rng, "150402") for i in range(20)]
            _post(
                client,
                f"{API}/volunteers:bulk",
                _workbook("volunteers", spare[:10]),
                XLSX,
                organization_id=warm,
            )
            _post(
                client,
                f"{API}/volunteers:bulk",
                json.dumps(spare[10:]).encode(),
                "application/json",
                organization_id=warm,
            )
            sheet = _workbook("volunteers", people[:volunteers])
            body = json.dumps(people[volunteers:]).encode()
            with _step(server, log, f"POST /volunteers:bulk {volunteers:,} rows, XLSX") as vx:
                _post(client, f"{API}/volunteers:bulk", sheet, XLSX, organization_id=xlsx_team)
            with _step(server, log, f"POST /volunteers:bulk {volunteers:,} rows, JSON") as vj:
                _post(
                    client,
                    f"{API}/volunteers:bulk",
                    body,
                    "application/json",
                    organization_id=json_team,
                )
            accounts = _officers(client, max(1, figures // 300))
            days = -(-figures // len(accounts))
            sheet = _workbook("officer-disseminations", _figures(accounts, 0, figures))
            body = json.dumps(_figures(accounts, days, figures)).encode()
            with _step(server, log, f"POST /officer-disseminations:bulk {figures:,}, XLSX") as fx:
                _post(client, f"{API}/officer-disseminations:bulk", sheet, XLSX)
            with _step(server, log, f"POST /officer-disseminations:bulk {figures:,}, JSON") as fj:
                _post(client, f"{API}/officer-disseminations:bulk", body, "application/json")
            exports: dict[str, Any] = {}
            for name, path, params in (
                ("volunteer service report", "/reports/volunteer-service", {"year": str(YEAR)}),
                ("every volunteer (list export)", "/volunteers", {}),
            ):
                for fmt in ("xlsx", "csv"):
                    with _step(server, log, f"GET {path} city-wide {YEAR}, {fmt}") as out:
                        response = client.get(f"{API}{path}", params={**params, "format": fmt})
                        response.raise_for_status()
                    out["bytes"] = len(response.content)
                    exports[f"{name} {fmt}"] = out
    for label, xlsx, plain, rows in (
        ("volunteers", vx, vj, volunteers),
        ("figures", fx, fj, figures),
    ):
        result[label] = {
            "xlsx_rows_per_s": rows / xlsx["seconds"],
            "json_rows_per_s": rows / plain["seconds"],
            "xlsx_to_json": plain["seconds"] / xlsx["seconds"],
            "xlsx_peak_rss_mb": xlsx["peak_rss_mb"],
            "json_peak_rss_mb": plain["peak_rss_mb"],
        }
        r = result[label]
        log(
            f"  {label}: XLSX {r['xlsx_rows_per_s']:,.0f} rows/s, JSON {r['json_rows_per_s']:,.0f}"
            f" rows/s (XLSX at {r['xlsx_to_json']:.0%} of JSON's rate)"
        )
    result["exports"] = exports
    return result


def city_year(dialect: str, scale: float, workers: int) -> dict[str, Any]:
    """The reports of 2025 over the loaded data set: seconds, size and peak RSS of each."""
    env = dataset.bench_env(dialect, scale)
    engine = create_engine(env["KEPU_DATABASE_URL"])
    with engine.connect() as conn:
        roots = [
            str(r[0])
            for r in conn.execute(text("SELECT id FROM organizations WHERE parent_id IS NULL"))
        ]
        records = conn.execute(
            text(
                "SELECT count(*) FROM volunteer_service_records"
                " WHERE starts_at >= :a AND starts_at < :b"
            ),
            {"a": "2025-01-01", "b": "2026-01-01"},
        ).scalar_one()
    engine.dispose()
    log = print
    log(f"  {len(roots)} top organisations, {records:,} service records starting in 2025")
    result: dict[str, Any] = {"db": dialect, "scale": scale, "records_2025": records}
    cpus = f"0-{(os.cpu_count() or 1) - 1}"
    with serve(env, workers=workers, cpus=cpus) as server:
        token = httpx.post(
            f"{server.base_url}{API}/auth/token",
            data={"username": "bench-city", "password": dataset.PASSWORD},
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        result["idle_rss_mb"] = sum(server.rss_mb())
        log(f"  server RSS after start and one login: {result['idle_rss_mb']:.0f} MB")
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=1800) as client:
            asks = [
                ("volunteer service", "/reports/volunteer-service", {"year": "2025"}),
                ("base compliance", "/reports/base-compliance", {"year": "2025"}),
                *(
                    (
                        f"hours of organisation {n + 1}",
                        "/reports/service-hours",
                        {
                            "organization_id": root,
                            "starts_on": "2025-01-01",
                            "ends_on": "2025-12-31",
                        },
                    )
                    for n, root in enumerate(roots)
                ),
            ]
            for name, path, params in asks:
                for fmt in ("xlsx", "csv"):
                    with _step(server, log, f"GET {path} ({name}), {fmt}") as out:
                        response = client.get(f"{API}{path}", params={**params, "format": fmt})
                        response.raise_for_status()
                    out["bytes"] = len(response.content)
                    result[f"{name} {fmt}"] = out
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures as JSON at the end."""
    parser = argparse.ArgumentParser(prog="python -m bench.spreadsheets")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--volunteers", type=int, default=10_000)
    parser.add_argument("--figures", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--city-year", action="store_true", help="the reports of 2025")
    parser.add_argument("--scale", type=float, default=1.0, help="the data set's (--city-year)")
    args = parser.parse_args(argv)
    if args.city_year:
        figures = city_year(args.db, args.scale, args.workers)
    else:
        figures = run(args.db, args.volunteers, args.figures, args.workers)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
