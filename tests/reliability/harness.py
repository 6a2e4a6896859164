"""A real server process on a throwaway database, for the concurrency, crash and backup checks.

Used by tests/reliability and by scripts/crash_test.py and scripts/concurrency_test.py, so it
depends on nothing of pytest. A database is a SQLite file or a PostgreSQL schema of its own
(pinned through libpq's `options=-csearch_path=...`, so a server process needs only the URL).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import httpx
from sqlalchemy import create_engine, text

from app.config import Settings
from app.db import make_engine, make_session_factory, normalise_url
from app.domain.access import Role
from app.migrate import upgrade
from app.repositories import users
from app.security import personal
from app.security.passwords import Passwords

ROOT = Path(__file__).resolve().parents[2]
#: The test suite's secret, so the process-wide key ring stays the same whoever configures it.
SECRET = "test-secret-key-that-is-long-enough-0123456789"
PASSWORD = "correct horse battery"
#: A rate limit no check reaches.
UNLIMITED = 10**9
#: What the test apps and servers expect from Prometheus on /metrics.
METRICS_TOKEN = "test-metrics-token"


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Database:
    """A database of its own: the URL a server process gets, and its PostgreSQL schema if any."""

    url: str
    tmp: Path
    schema: str | None = None

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return "postgresql" if self.schema else "sqlite"

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a server process on this database (cheap password hashing)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("KEPU_")}
        env.update(
            KEPU_DATABASE_URL=self.url,
            KEPU_SECRET_KEY=SECRET,
            KEPU_STORAGE_DIR=str(self.tmp / "files"),
            KEPU_ARGON2_TIME_COST="1",
            KEPU_ARGON2_MEMORY_KIB="64",
            KEPU_LOG_LEVEL="INFO",
            # Every client of these checks is one address; the limits have checks of their own.
            KEPU_PUBLIC_WRITE_LIMIT=str(UNLIMITED),
            KEPU_LOGIN_SOURCE_LIMIT=str(UNLIMITED),
        )
        env.update(extra)
        return env

    def settings(self, **overrides: Any) -> Settings:
        """Settings equal to a server process's, for arranging and checking in-process."""
        values: dict[str, Any] = {
            "database_url": self.url,
            "secret_key": SECRET,
            "storage_dir": self.tmp / "files",
            "argon2_time_cost": 1,
            "argon2_memory_kib": 64,
            "db_pool_size": 5,
            "log_level": "WARNING",
            "metrics_token": METRICS_TOKEN,
            "public_write_limit": UNLIMITED,
            "login_source_limit": UNLIMITED,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    def migrate(self) -> None:
        """Apply every migration."""
        engine = make_engine(self.settings())
        try:
            upgrade(engine)
        finally:
            engine.dispose()

    def scalar(self, sql: str, **params: Any) -> Any:
        """One value of a query on this database."""
        engine = make_engine(self.settings())
        try:
            with engine.connect() as conn:
                return conn.execute(text(sql), params).scalar()
        finally:
            engine.dispose()

    def create_user(self, role: Role, username: str | None = None, **scope: str | None) -> str:
        """A user of a role, made directly in the database; returns the username."""
        name = username or f"{role.value}-{uuid.uuid4().hex[:8]}"
        settings = self.settings()
        personal.configure(personal.KeyRing.from_settings(settings))
        engine = make_engine(settings)
        try:
            with make_session_factory(engine)() as session:
                users.create_user(
                    session,
                    username=name,
                    password_hash=Passwords(settings).hash(PASSWORD),
                    role=role,
                    **scope,
                )
                session.commit()
        finally:
            engine.dispose()
        return name


@contextmanager
def fresh_database(kind: str, tmp: Path, pg_url: str | None = None) -> Iterator[Database]:
    """A migrated, empty database: a SQLite file under `tmp`, or a new PostgreSQL schema."""
    if kind == "sqlite":
        db = Database(url=f"sqlite:///{tmp / 'live.db'}", tmp=tmp)
        db.migrate()
        yield db
        return
    if not pg_url:
        raise RuntimeError("PostgreSQL needs TEST_DATABASE_URL")
    schema = f"kepu_rel_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(pg_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in pg_url else "?"
    url = f"{pg_url}{sep}options={quote(f'-csearch_path={schema}')}"
    try:
        db = Database(url=url, tmp=tmp, schema=schema)
        db.migrate()
        yield db
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@dataclass
class LiveServer:
    """`uvicorn app.main:app` in a process of its own, on a free loopback port."""

    db: Database
    workers: int = 1
    env_extra: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    _log: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> None:
        """Start the process and wait until `/readyz` answers ok."""
        self.port = free_port()
        self.log_path = self.db.tmp / f"server-{self.port}.log"
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own server
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                "--no-access-log",
            ],
            cwd=ROOT,
            env=self.db.env(**self.env_extra),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.logs()[-2000:]}")
            try:
                if httpx.get(f"{self.base_url}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server not ready in {timeout}s: {self.logs()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown handler, no rollback, no flush."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._close_log()

    def stop(self) -> None:
        """SIGTERM and wait (SIGKILL after 10 s)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def logs(self) -> str:
        """Everything the process wrote so far."""
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def login(self, username: str, password: str = PASSWORD) -> dict[str, str]:
        """Authorization headers of a fresh login."""
        response = httpx.post(
            f"{self.base_url}/api/v1/auth/token",
            data={"username": username, "password": password},
            timeout=30,
        )
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def __enter__(self) -> LiveServer:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
