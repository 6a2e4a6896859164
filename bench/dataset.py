"""A city-scale data set for the benchmarks, deterministic from a seed, loaded through the
project's own fastest paths and timed per part (issue 6).

    .venv/bin/python -m bench.dataset --db sqlite|postgresql [--scale S] [--seed N] [--reuse]

At scale 1: 12 counties with 10 townships each; 300 bases with 10 years of monthly statistics,
activities (one evidence file each) and annual reports; 2,000 organisations; 50,000 volunteers
with their memberships; 20,000 activities; 1,000,000 enrolments and as many service records;
100,000 officers with 365 days of daily dissemination figures (36.5 M rows) on PostgreSQL, a
tenth of the officers (3.65 M rows) on SQLite.

How each part is loaded (the `method` column of the timings):

- townships, users: the repositories (`regions.add_region`, `users.create_user`);
- volunteers and memberships: `POST /volunteers:bulk` in process, one request per organisation;
- officers: `officers.create_officers` in chunks (the function behind `POST /officers:bulk`);
- dissemination figures: `officers_figures.import_figures` in chunks (behind
  `POST /officer-disseminations:bulk`), which also keeps the month and year totals;
- bases (applications, bases, monthly statistics, activities, evidence, reports), organisations,
  volunteer activities, enrolments and service records: no bulk path exists in those areas, so
  SQLAlchemy Core `executemany` into their tables, with the same column values the API writes.

Parts already loaded (same seed and scale) are skipped with `--reuse`; without it the bench
database is dropped and loaded again. Content is deterministic from the seed; ids are
deterministic where this module assigns them and ULIDs of the run where the app assigns them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple, cast

from sqlalchemy import Engine, text
from sqlmodel import Session

from app.config import ROOT, Settings
from app.domain.access import Role
from app.domain.bases import (
    SUBTYPES,
    BaseCategory,
    OpeningClass,
    derived_opening_class,
)
from app.domain.common import Observance
from app.domain.officers import (
    CertificationStatus,
    Channel,
    Dissemination,
    Officer,
    OfficerStatus,
    SourceGroup,
)
from app.main import create_app
from app.migrate import upgrade
from app.repositories import officers as officers_repo
from app.repositories import officers_figures as figures_repo
from app.repositories import regions as regions_repo
from app.repositories import users as users_repo
from app.rules.identity import resident_id_check_char

BENCH_DIR = ROOT / "var" / "bench"
SECRET = "kepu-bench-secret-key-0123456789abcdef"  # noqa: S105 - a throwaway bench database
PASSWORD = "bench-password-123"  # noqa: S105
PG_SERVER = os.environ.get("KEPU_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
COUNTIES = (
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
)
TOWNSHIPS_PER_COUNTY = 10
#: The calendar year of the loaded dissemination figures (the metrics targets ask about it).
FIGURE_YEAR = 2025
#: The daily figures and the totals kept from them.
FIGURE_TABLES = (
    "officer_disseminations",
    "officer_dissemination_months",
    "officer_dissemination_years",
)
#: Bases report monthly from January of the first year to the last month of the last one.
BASE_FIRST_YEAR, BASE_LAST_YEAR, BASE_LAST_MONTH = 2017, 2026, 10
#: Users the benchmark signs in as.
BENCH_USERS = (
    ("bench-city", Role.CITY_ADMIN, {}),
    ("bench-county", Role.COUNTY_ADMIN, {"county_code": COUNTIES[0]}),
    ("bench-auditor", Role.AUDITOR, {}),
)
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


# --- plan and target ------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """How many of each thing a load makes."""

    dialect: str
    scale: float
    seed: int

    def n(self, full: int) -> int:
        """`full` at this scale, at least one."""
        return max(1, round(full * self.scale))

    @property
    def bases(self) -> int:
        return self.n(300)

    @property
    def organisations(self) -> int:
        return max(13, self.n(2_000))

    @property
    def volunteers(self) -> int:
        return self.n(50_000)

    @property
    def activities(self) -> int:
        return self.n(20_000)

    @property
    def records(self) -> int:
        return self.n(1_000_000)

    @property
    def officers(self) -> int:
        return self.n(100_000 if self.dialect == "postgresql" else 10_000)

    @property
    def figure_days(self) -> int:
        return (date(FIGURE_YEAR, 12, 31) - date(FIGURE_YEAR, 1, 1)).days + 1

    def counts(self) -> dict[str, int]:
        """The headline counts, for reports."""
        return {
            "counties": len(COUNTIES),
            "townships": len(COUNTIES) * TOWNSHIPS_PER_COUNTY,
            "bases": self.bases,
            "organisations": self.organisations,
            "volunteers": self.volunteers,
            "activities": self.activities,
            "service_records": self.records,
            "officers": self.officers,
            "dissemination_rows": self.officers * self.figure_days,
        }


def scale_tag(scale: float) -> str:
    """`1` → `s1`, `0.01` → `s0_01`: part of the database name."""
    return "s" + f"{scale:g}".replace(".", "_")


def database_url(dialect: str, scale: float) -> str:
    """The bench database of a dialect and scale (never the development or test database)."""
    if dialect == "sqlite":
        return f"sqlite:///{BENCH_DIR / f'kepu-bench-{scale_tag(scale)}.db'}"
    return f"{PG_SERVER.rstrip('/')}/kepu_bench_{scale_tag(scale)}"


def bench_env(dialect: str, scale: float) -> dict[str, str]:
    """The environment the loader and the benchmarked server share (same keys, same database)."""
    return {
        "KEPU_ENV": "development",
        "KEPU_DATABASE_URL": database_url(dialect, scale),
        "KEPU_SECRET_KEY": SECRET,
        "KEPU_ACCESS_TOKEN_MINUTES": "600",
        "KEPU_STORAGE_DIR": str(BENCH_DIR / "files"),
        "KEPU_LOG_LEVEL": "WARNING",
        "KEPU_ADMIN_PASSWORD": PASSWORD,
    }


def bench_settings(dialect: str, scale: float) -> Settings:
    """Settings equal to what `bench_env` gives the server."""
    env = bench_env(dialect, scale)
    return Settings(
        database_url=env["KEPU_DATABASE_URL"],
        secret_key=SECRET,
        access_token_minutes=600,
        storage_dir=Path(env["KEPU_STORAGE_DIR"]),
        log_level="WARNING",
        # The loader's own statements (totals over 36.5 M rows) outlast a request's deadline.
        request_timeout_seconds=3600,
        bulk_request_timeout_seconds=3600,
        _env_file=None,  # type: ignore[call-arg]
    )


def drop_database(dialect: str, scale: float) -> None:
    """Remove the bench database of this dialect and scale."""
    url = database_url(dialect, scale)
    if dialect == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_SERVER.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def ensure_database(dialect: str, scale: float) -> None:
    """Create the bench database when missing."""
    url = database_url(dialect, scale)
    if dialect == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_SERVER.rstrip('/')}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if found is None:
            conn.execute(f'CREATE DATABASE "{name}"')


# --- deterministic values ---------------------------------------------------------------------


class Ids:
    """ULID-shaped ids from a seeded generator: time-ordered like the app's, reproducible."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def at(self, when: datetime) -> str:
        """An id whose time part is `when`."""
        ms = int(when.timestamp() * 1000)
        value = (ms << 80) | self.rng.getrandbits(80)
        return "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in range(25, -1, -1))


def resident_id(index: int, region: str = "150402") -> str:
    """A valid, unique 18-character resident ID for person `index` (an adult in 2026)."""
    born = date(1960, 1, 1) + timedelta(days=(index // 1000) * 271 % 16_000)
    first17 = f"{region}{born:%Y%m%d}{index % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def volunteer_row(index: int, rng: random.Random, region: str) -> dict[str, Any]:
    """One row of `POST /volunteers:bulk` for person `index`."""
    skills = rng.sample(["科普讲解", "急救", "摄影", "编程", "农技", "天文", "医疗"], 2)
    return {
        "name": f"志愿者{index}",
        "id_number": resident_id(index),
        "mobile": f"139{index % 100_000_000:08d}",
        "region_code": region,
        "address": f"赤峰市某街道{index % 500}号",
        "skills": skills,
        "service_targets": ["青少年"],
        "good_conduct": True,
        "healthy": True,
        "law_abiding": True,
        "supports_science": True,
        "civil_capacity": True,
    }


def _subtype(category: BaseCategory, index: int) -> str | None:
    """A subtype of the category, two in three of a public class (BASE-OPEN-3), the rest of an
    institution's, so the dashboard judges every kind of opening threshold."""
    wanted = OpeningClass.PUBLIC if index % 3 else OpeningClass.INSTITUTION
    named = SUBTYPES[category]
    options = [k for k, (_name, cls) in named.items() if cls is wanted] or list(named)
    return options[index % len(options)] if options else None


def townships() -> list[str]:
    """Township codes: ten under each county."""
    return [f"{c}{n:03d}" for c in COUNTIES for n in range(1, TOWNSHIPS_PER_COUNTY + 1)]


def utc(d: date, hour: int = 2) -> datetime:
    """An aware instant on a day."""
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


# --- the loader -------------------------------------------------------------------------------


@dataclass
class PartResult:
    """One timed part of a load."""

    part: str
    rows: int
    seconds: float
    method: str

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


META_DDL = (
    "CREATE TABLE IF NOT EXISTS bench_parts (part VARCHAR(64) PRIMARY KEY, seed INTEGER, "
    "scale VARCHAR(16), rows_loaded BIGINT, seconds DOUBLE PRECISION, method VARCHAR(200))"
)
META_RUN_DDL = "CREATE TABLE IF NOT EXISTS bench_counters (name VARCHAR(64) PRIMARY KEY, n BIGINT)"


@dataclass
class Loader:
    """Loads the parts of a plan into the bench database."""

    plan: Plan
    engine: Engine
    app: Any
    log: Callable[[str], None] = print
    results: list[PartResult] = field(default_factory=list)

    def rng(self, part: str) -> random.Random:
        """A generator per part, so a part's content does not depend on what ran before."""
        return random.Random(f"{self.plan.seed}:{part}")

    def session(self) -> Session:
        session: Session = self.app.state.ctx.sessions()
        return session

    # --- meta ---

    def done(self) -> dict[str, PartResult]:
        with self.engine.begin() as conn:
            rows = conn.execute(
                text(
                    "SELECT part, rows_loaded, seconds, method FROM bench_parts "
                    "WHERE seed = :seed AND scale = :scale"
                ),
                {"seed": self.plan.seed, "scale": f"{self.plan.scale:g}"},
            ).all()
        return {r[0]: PartResult(r[0], int(r[1]), float(r[2]), str(r[3])) for r in rows}

    def mark(self, result: PartResult) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("DELETE FROM bench_parts WHERE part = :p"), {"p": result.part})
            conn.execute(
                text("INSERT INTO bench_parts VALUES (:p, :seed, :scale, :rows, :s, :m)"),
                {
                    "p": result.part,
                    "seed": self.plan.seed,
                    "scale": f"{self.plan.scale:g}",
                    "rows": result.rows,
                    "s": result.seconds,
                    "m": result.method,
                },
            )

    def run(self, reuse: bool, reload: Sequence[str] = ()) -> list[PartResult]:
        """Load every part not yet loaded (all of them unless `reuse`), and the parts named in
        `reload`."""
        with self.engine.begin() as conn:
            conn.exec_driver_sql(META_DDL)
            conn.exec_driver_sql(META_RUN_DDL)
        done = {k: v for k, v in self.done().items() if k not in reload} if reuse else {}
        for name, method, part in self.parts():
            if name in done:
                self.results.append(done[name])
                self.log(f"  {name:<22} reused ({done[name].rows:,} rows)")
                continue
            started = time.perf_counter()
            rows = part()
            result = PartResult(name, rows, time.perf_counter() - started, method)
            self.mark(result)
            self.results.append(result)
            self.log(
                f"  {name:<22} {rows:>12,} rows {result.seconds:>9.1f} s "
                f"{result.rows_per_s:>10,.0f} rows/s  ({method})"
            )
        return self.results

    def parts(self) -> list[tuple[str, str, Callable[[], int]]]:
        return [
            ("townships", "regions.add_region", self.load_townships),
            ("users", "users.create_user", self.load_users),
            ("bases", "Core executemany (no bulk path)", self.load_bases),
            ("organisations", "Core executemany (no bulk path)", self.load_organisations),
            ("volunteers", "POST /volunteers:bulk in process", self.load_volunteers),
            ("volunteer_activities", "Core executemany (no bulk path)", self.load_activities),
            ("service_records", "Core executemany (no bulk path)", self.load_records),
            ("officers", "officers.create_officers", self.load_officers),
            (
                "dissemination_figures",
                "COPY + SQL totals (import_figures too slow, see docs)"
                if self.plan.dialect == "postgresql"
                else "officers_figures.import_figures",
                self.load_figures,
            ),
            ("analyze", "ANALYZE (PostgreSQL; autovacuum would)", self.analyze),
        ]

    # --- parts ---

    def load_townships(self) -> int:
        with self.session() as session:
            known = {
                r[0]
                for r in session.execute(text("SELECT id FROM regions WHERE level = 'township'"))
            }
            made = 0
            for code in townships():
                if code in known:
                    continue
                regions_repo.add_region(
                    session, code=code, name=f"乡镇{code[-3:]}", parent_code=code[:6]
                )
                made += 1
            session.commit()
        return made

    def load_users(self) -> int:
        ctx = self.app.state.ctx
        made = 0
        with self.session() as session:
            for username, role, scope in BENCH_USERS:
                if users_repo.get_by_username(session, username) is not None:
                    continue
                users_repo.create_user(
                    session,
                    username=username,
                    password_hash=ctx.passwords.hash(PASSWORD),
                    role=role,
                    **scope,
                )
                made += 1
            session.commit()
        return made

    def _insert(self, table: Any, rows: Sequence[dict[str, Any]], chunk: int = 20_000) -> int:
        for start in range(0, len(rows), chunk):
            with self.engine.begin() as conn:
                conn.execute(table.insert(), list(rows[start : start + chunk]))
        return len(rows)

    def load_bases(self) -> int:
        from app.repositories.attachments import AttachmentRow
        from app.repositories.bases import (
            ActivityRow,
            AnnualReportRow,
            BaseRow,
            MonthlyStatRow,
        )
        from app.repositories.bases_applications import ApplicationRow

        rng = self.rng("bases")
        ids = Ids(rng)
        towns = townships()
        categories = [c.value for c in BaseCategory if c is not BaseCategory.OTHER]
        apps, bases, stats, acts, evidence, reports = [], [], [], [], [], []
        for b in range(self.plan.bases):
            county = COUNTIES[b % len(COUNTIES)]
            town = towns[(b // len(COUNTIES)) % TOWNSHIPS_PER_COUNTY + COUNTIES.index(county) * 10]
            accredited = date(2012, 1, 1) + timedelta(days=rng.randrange(5 * 365))
            decided = utc(accredited)
            app_id, base_id = ids.at(decided - timedelta(days=60)), ids.at(decided)
            category = categories[b % len(categories)]
            subtype = _subtype(BaseCategory(category), b)
            common = {"created_at": decided, "updated_at": decided, "version": 1}
            apps.append(
                {
                    **common,
                    "id": app_id,
                    "status": "approved",
                    "applicant_name": f"科普基地单位{b}",
                    "category": category,
                    "subtype": subtype,
                    "channel": "direct",
                    "region_code": town,
                    "county_code": county,
                    "decided_at": decided,
                    "submission_year": accredited.year,
                    "base_id": base_id,
                }
            )
            bases.append(
                {
                    **common,
                    "id": base_id,
                    "name": f"科普教育基地{b:03d}",
                    "category": category,
                    "subtype": subtype,
                    "opening_class": derived_opening_class(BaseCategory(category), subtype).value,
                    "region_code": town,
                    "county_code": county,
                    "address": f"赤峰市{b}号",
                    "opening_hours": "09:00-17:00",
                    "contact_phone": "0476-8888888",
                    "liaison_name": f"联络员{b}",
                    "liaison_phone": f"138{b:08d}",
                    "liaison_email": f"base{b}@example.cn",
                    "application_id": app_id,
                    "accredited_on": accredited,
                    "plaque_number": f"赤科协基地〔{accredited.year}〕{b:04d}",
                    "status": "accredited",
                    "evaluation_due_on": date(2027, 12, 31),
                }
            )
            for year in range(BASE_FIRST_YEAR, BASE_LAST_YEAR + 1):
                last = BASE_LAST_MONTH if year == BASE_LAST_YEAR else 12
                for month in range(1, last + 1):
                    at = utc(date(year, month, 28))
                    stats.append(
                        {
                            "id": ids.at(at),
                            "created_at": at,
                            "updated_at": at,
                            "version": 1,
                            "base_id": base_id,
                            "county_code": county,
                            "year": year,
                            "month": month,
                            "open_days": rng.randint(12, 28),
                            "visitors": rng.randint(200, 6000),
                        }
                    )
                    held = date(year, month, rng.randint(1, 27))
                    at = utc(held, 10)
                    act_id = ids.at(at)
                    event = (
                        Observance.SCI_TECH_WEEK.value
                        if month == 5
                        else Observance.SCIENCE_DAY.value
                        if month == 9
                        else None
                    )
                    acts.append(
                        {
                            "id": act_id,
                            "created_at": at,
                            "updated_at": at,
                            "version": 1,
                            "base_id": base_id,
                            "county_code": county,
                            "held_on": held,
                            "title": f"科普活动{year}-{month:02d}",
                            "form": "讲座",
                            "participants": rng.randint(20, 400),
                            "national_event": event,
                            "free_or_discounted": True,
                            "description": "",
                        }
                    )
                    evidence.append(
                        {
                            "id": ids.at(at),
                            "created_at": at,
                            "updated_at": at,
                            "version": 1,
                            "owner_type": "activity",
                            "owner_id": act_id,
                            "base_id": base_id,
                            "county_code": county,
                            "kind": "evidence",
                            "filename": "photo.jpg",
                            "media_type": "image/jpeg",
                            "size": 1024,
                            "sha256": "0" * 64,
                            "storage_key": f"bench/{act_id}",
                        }
                    )
                if year < BASE_LAST_YEAR:
                    at = utc(date(year + 1, 1, 10))
                    reports.append(
                        {
                            "id": ids.at(at),
                            "created_at": at,
                            "updated_at": at,
                            "version": 1,
                            "base_id": base_id,
                            "county_code": county,
                            "year": year,
                            "theme": f"{year}年科普主题",
                            "summary": "年度工作总结。" * 20,
                            "next_year_plan": "下一年度计划。" * 20,
                            "submitted_at": at,
                            "days_late": 0,
                        }
                    )
        tables = [
            (ApplicationRow, apps),
            (BaseRow, bases),
            (MonthlyStatRow, stats),
            (ActivityRow, acts),
            (AttachmentRow, evidence),
            (AnnualReportRow, reports),
        ]
        with self.engine.begin() as conn:
            # A reload (`--reload bases`) replaces what an earlier load wrote; applications and
            # bases point at each other, so the link is cut first.
            conn.execute(ApplicationRow.__table__.update().values(base_id=None))
            for model, _rows in reversed(tables):
                conn.execute(model.__table__.delete())
        return sum(self._insert(model.__table__, rows) for model, rows in tables)

    def load_organisations(self) -> int:
        from app.repositories.volunteers_orgs import OrganizationRow

        rng = self.rng("organisations")
        ids = Ids(rng)
        at = utc(date(2022, 1, 1))
        root = ids.at(at)
        rows: list[dict[str, Any]] = []

        def add(
            org_id: str,
            name: str,
            level: str,
            parent: dict[str, Any] | None,
            county: str | None,
            region: str | None,
        ) -> dict[str, Any]:
            row = {
                "id": org_id,
                "created_at": at,
                "updated_at": at,
                "version": 1,
                "name": name,
                "kind": "team",
                "level": level,
                "parent_id": parent["id"] if parent else None,
                "path": f"{parent['path'] if parent else '/'}{org_id}/",
                "region_code": region,
                "county_code": county,
                "person_in_charge": f"负责人{len(rows)}",
                "registration_status": "not_registered",
            }
            rows.append(row)
            return row

        city = add(root, "赤峰市科技志愿服务队", "city_team", None, None, "150400")
        county_teams = [
            add(ids.at(at), f"{c}科技志愿服务队", "county_team", city, c, c) for c in COUNTIES
        ]
        towns = townships()
        n = len(rows)
        while n < self.plan.organisations:
            parent = county_teams[n % len(county_teams)]
            town = towns[COUNTIES.index(parent["county_code"]) * 10 + rng.randrange(10)]
            add(ids.at(at), f"乡镇分队{n}", "township_subteam", parent, parent["county_code"], town)
            n += 1
        return self._insert(OrganizationRow.__table__, rows)

    def _org_rows(self) -> list[tuple[str, str, str | None, str | None]]:
        with self.engine.connect() as conn:
            return [
                (r[0], r[1], r[2], r[3])
                for r in conn.execute(
                    text("SELECT id, path, county_code, region_code FROM organizations ORDER BY id")
                )
            ]

    def load_volunteers(self) -> int:
        from fastapi.testclient import TestClient

        rng = self.rng("volunteers")
        orgs = self._org_rows()
        members: dict[int, list[int]] = {k: [] for k in range(len(orgs))}
        for i in range(self.plan.volunteers):
            members[i % len(orgs)].append(i)
            if i % 5 == 0:
                members[(i * 31 + 7) % len(orgs)].append(i)
        rows_by_person = {}
        created = 0
        with TestClient(self.app, raise_server_exceptions=True) as client:
            token = client.post(
                "/api/v1/auth/token", data={"username": "bench-city", "password": PASSWORD}
            ).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            for k, (org_id, _path, county, _region) in enumerate(orgs):
                people = members[k]
                if not people:
                    continue
                body = []
                for i in people:
                    if i not in rows_by_person:
                        rows_by_person[i] = volunteer_row(i, rng, county or COUNTIES[0])
                    body.append(rows_by_person[i])
                for start in range(0, len(body), 5000):
                    response = client.post(
                        "/api/v1/volunteers:bulk",
                        params={"organization_id": org_id, "include_ok": "false"},
                        json=body[start : start + 5000],
                        headers=headers,
                    )
                    if response.status_code != 200:
                        raise RuntimeError(f"bulk import failed: {response.text[:500]}")
                    created += int(response.json()["created"])
        return created

    def _volunteer_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(text("SELECT id FROM volunteers ORDER BY id"))]

    def load_activities(self) -> int:
        from app.repositories.volunteers_activities import ActivityRow

        rng = self.rng("activities")
        ids = Ids(rng)
        orgs = self._org_rows()
        rows = []
        start = datetime(2023, 1, 1, 1, tzinfo=UTC)
        span = int((datetime(2026, 10, 31, tzinfo=UTC) - start).total_seconds() // 3600)
        hours = sorted(rng.randrange(span) for _ in range(self.plan.activities))
        for a, offset in enumerate(hours):
            org_id, path, county, region = orgs[a % len(orgs)]
            starts = start + timedelta(hours=offset)
            rows.append(
                {
                    "id": ids.at(starts - timedelta(days=14)),
                    "created_at": starts - timedelta(days=14),
                    "updated_at": starts - timedelta(days=14),
                    "version": 1,
                    "organization_id": org_id,
                    "org_path": path,
                    "county_code": county,
                    "title": f"志愿服务活动{a}",
                    "scope": a % 8 + 1,
                    "region_code": region,
                    "place": "社区活动中心",
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=3),
                    "capacity": 60,
                    "required_skills": [],
                    "minors_allowed": False,
                    "risk": "none",
                    "major_project": False,
                }
            )
        return self._insert(ActivityRow.__table__, rows)

    def load_records(self) -> int:
        from app.repositories.volunteers_activities import EnrolmentRow
        from app.repositories.volunteers_records import ServiceRecordRow

        rng = self.rng("records")
        ids = Ids(rng)
        volunteers = self._volunteer_ids()
        with self.engine.connect() as conn:
            activities = conn.execute(
                text(
                    "SELECT id, organization_id, org_path, county_code, starts_at "
                    "FROM volunteer_activities ORDER BY id"
                )
            ).all()
        per = max(1, self.plan.records // len(activities))
        if per > len(volunteers):
            raise RuntimeError("more records per activity than volunteers")
        total = 0
        enrolments: list[dict[str, Any]] = []
        records: list[dict[str, Any]] = []

        def flush() -> None:
            self._insert(EnrolmentRow.__table__, enrolments)
            self._insert(ServiceRecordRow.__table__, records)
            enrolments.clear()
            records.clear()

        for a, (act_id, org_id, path, county, starts) in enumerate(activities):
            if isinstance(starts, str):
                starts = datetime.fromisoformat(starts)
            if starts.tzinfo is None:
                starts = starts.replace(tzinfo=UTC)
            count = per if total + per <= self.plan.records else self.plan.records - total
            if count <= 0:
                break
            for j in range(count):
                volunteer = volunteers[(a * 7919 + j * 131) % len(volunteers)]
                enrolled = starts - timedelta(days=3)
                enrolment_id = ids.at(enrolled)
                enrolments.append(
                    {
                        "id": enrolment_id,
                        "created_at": enrolled,
                        "updated_at": enrolled,
                        "version": 1,
                        "activity_id": act_id,
                        "volunteer_id": volunteer,
                        "status": "confirmed",
                        "org_path": path,
                        "county_code": county,
                        "confirmed_at": enrolled,
                        "late_notice": False,
                    }
                )
                roll = rng.random()
                status = "confirmed" if roll < 0.9 else "recorded" if roll < 0.98 else "voided"
                ends = starts + timedelta(minutes=rng.choice((90, 120, 150, 180)))
                records.append(
                    {
                        "id": ids.at(ends),
                        "created_at": ends,
                        "updated_at": ends,
                        "version": 1,
                        "volunteer_id": volunteer,
                        "activity_id": act_id,
                        "enrolment_id": enrolment_id,
                        "organization_id": org_id,
                        "org_path": path,
                        "county_code": county,
                        "starts_at": starts,
                        "ends_at": ends,
                        "status": status,
                        "confirmed_at": ends if status == "confirmed" else None,
                        "void_reason": "重复登记" if status == "voided" else None,
                        "revisions": [],
                    }
                )
            total += count
            if len(records) >= 100_000:
                flush()
        flush()
        return total * 2

    def officer(self, index: int, rng: random.Random) -> tuple[Officer, officers_repo.Placement]:
        """Officer `index`: its registration and placement."""
        towns = townships()
        town = towns[index % len(towns)]
        certified = index % 5 != 0
        registered = date(2023, 1, 1) + timedelta(days=rng.randrange(700))
        left = index % 37 == 0
        officer = Officer(
            name=f"信息员{index}",
            mobile=f"13{index % 1_000_000_000:09d}",
            township_code=town,
            source_group=list(SourceGroup)[index % len(SourceGroup)],
            app_account_id=f"kp{index:08d}",
            certification_status=CertificationStatus.CERTIFIED
            if certified
            else CertificationStatus.REGISTERED,
            certified_on=registered + timedelta(days=30) if certified else None,
            registered_on=registered,
            status=OfficerStatus.LEFT if left else OfficerStatus.ACTIVE,
            left_on=date(FIGURE_YEAR, 7, 1) if left else None,
        )
        return officer, officers_repo.Placement(town[:6], town)

    def load_officers(self) -> int:
        rng = self.rng("officers")
        chunk = 10_000
        for start in range(0, self.plan.officers, chunk):
            batch = [
                self.officer(i, rng) for i in range(start, min(start + chunk, self.plan.officers))
            ]
            with self.session() as session:
                officers_repo.create_officers(session, batch)
                session.commit()
        return self.plan.officers

    def _officer_ids(self) -> list[tuple[str, str]]:
        with self.engine.connect() as conn:
            return [
                (r[0], r[1])
                for r in conn.execute(
                    text("SELECT app_account_id, id FROM officers ORDER BY app_account_id")
                )
            ]

    def load_figures(self) -> int:
        """A year of daily figures in day order, as the daily app exports arrive: the rows of one
        day (and the month totals they open) lie together, as in production."""
        officers = sorted(self._officer_ids(), key=lambda o: o[1])
        days = [date(FIGURE_YEAR, 1, 1) + timedelta(days=d) for d in range(self.plan.figure_days)]
        if self.engine.dialect.name == "postgresql":
            return self._copy_figures(officers, days)
        with self.engine.begin() as conn:
            for table in FIGURE_TABLES:
                conn.exec_driver_sql(f"DELETE FROM {table}")  # noqa: S608 - our table names
        total = 0
        for d, day_rows in enumerate(figure_days(self.plan.seed, officers, days)):
            with self.session() as session:
                figures_repo.import_figures(session, day_rows)
                session.commit()
            total += len(day_rows)
            if d % 30 == 29:
                self.log(f"    figures: {total:,} rows")
        return total

    def _copy_figures(self, officers: Sequence[tuple[str, str]], days: Sequence[date]) -> int:
        """PostgreSQL: COPY each day's rows, then the month and year totals from them in SQL,
        written in month (year) order as daily imports would have created them.

        `import_figures` reaches about 8,000 rows/s here (over an hour for 36.5 M rows); the
        totals are computed from the raw rows as `import_figures` keeps them.
        """
        raw = self.engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute("TRUNCATE " + ", ".join(FIGURE_TABLES))
            raw.commit()
            total = 0
            copy_sql = (
                "COPY officer_disseminations (officer_id, day, channel, shares, reads) FROM STDIN"
            )
            for d, day_rows in enumerate(figure_days(self.plan.seed, officers, days)):
                with cur.copy(copy_sql) as copy:
                    copy.write(
                        "".join(
                            f"{s.officer_id}\t{s.figure.day}\t{s.figure.channel.value}"
                            f"\t{s.figure.shares}\t{s.figure.reads}\n"
                            for s in day_rows
                        )
                    )
                total += len(day_rows)
                raw.commit()
                if d % 30 == 29:
                    self.log(f"    figures: {total:,} rows")
            cur.execute("SET work_mem = '256MB'")
            cur.execute(
                "INSERT INTO officer_dissemination_months (month, officer_id, shares, reads) "
                "SELECT (EXTRACT(YEAR FROM day) * 100 + EXTRACT(MONTH FROM day))::int AS m, "
                "officer_id, SUM(shares), SUM(reads) FROM officer_disseminations "
                "GROUP BY 1, 2 ORDER BY 1, 2"
            )
            cur.execute(
                "INSERT INTO officer_dissemination_years (year, officer_id, shares, reads) "
                "SELECT month / 100, officer_id, SUM(shares), SUM(reads) "
                "FROM officer_dissemination_months GROUP BY 1, 2 ORDER BY 1, 2"
            )
            raw.commit()
        finally:
            raw.close()
        return total

    def analyze(self) -> int:
        if self.engine.dialect.name != "postgresql":
            return 0
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
        return 0


class _Figure(NamedTuple):
    """What `import_figures` reads of a `Dissemination`, without validating 36.5 M models
    (the rows are valid by construction; `POST /officer-disseminations:bulk` is benchmarked
    with its parsing)."""

    app_account_id: str
    day: date
    channel: Channel
    shares: int
    reads: int


def figure_values(seed: int, account: str, days: int) -> Iterator[tuple[int, Channel, int, int]]:
    """`(day number, channel, shares, reads)` of one officer: a keenness drawn per officer, one
    channel a day."""
    channels = list(Channel)
    rng = random.Random(f"{seed}:figures:{account}")
    keen = rng.random()
    for d in range(days):
        shares = 1 + int(rng.random() * 12) if rng.random() < keen else 0
        reads = shares * (5 + int(rng.random() * 36))
        yield d, channels[(d + len(account)) % len(channels)], shares, reads


def figure_days(
    seed: int, officers: Sequence[tuple[str, str]], days: Sequence[date]
) -> Iterator[list[figures_repo.StagedFigure]]:
    """Daily figures of these officers (`(app_account_id, officer_id)`), one list per day
    with every officer's row of it; each officer's values come from its own stream."""
    streams = [figure_values(seed, account, len(days)) for account, _ in officers]
    for day in days:
        rows = []
        for n, ((account, officer_id), stream) in enumerate(zip(officers, streams, strict=True)):
            _d, channel, shares, reads = next(stream)
            figure = _Figure(account, day, channel, shares, reads)
            rows.append(
                figures_repo.StagedFigure(
                    row_no=n + 1, officer_id=officer_id, figure=cast(Dissemination, figure)
                )
            )
        yield rows


def open_app(dialect: str, scale: float) -> Any:
    """The app bound to the bench database, migrated."""
    ensure_database(dialect, scale)
    application = create_app(bench_settings(dialect, scale))
    upgrade(application.state.ctx.engine)
    return application


def load(
    dialect: str,
    scale: float,
    *,
    seed: int = 6,
    reuse: bool = False,
    reload: Sequence[str] = (),
    log: Callable[[str], None] = print,
) -> list[PartResult]:
    """Load (or, with `reuse`, complete) the bench database; the timings of every part."""
    if not reuse:
        drop_database(dialect, scale)
    application = open_app(dialect, scale)
    plan = Plan(dialect=dialect, scale=scale, seed=seed)
    log(f"data set {dialect} scale {scale:g} seed {seed}: {json.dumps(plan.counts())}")
    loader = Loader(plan=plan, engine=application.state.ctx.engine, app=application, log=log)
    try:
        return loader.run(reuse, reload)
    finally:
        application.state.ctx.engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--reuse", action="store_true", help="keep what is loaded; load the rest")
    parser.add_argument(
        "--reload", action="append", default=[], help="with --reuse: load this part again"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    load(args.db, args.scale, seed=args.seed, reuse=args.reuse, reload=args.reload)
    print(f"total {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
