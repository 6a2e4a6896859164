"""Engine and session factory: SQLite (WAL) embedded by default, PostgreSQL in production."""

from __future__ import annotations

import time
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app.config import Settings
from app.errors import RequestTimeout

#: Execution option a write transaction sets so SQLite takes its write lock up front (see below).
WRITE_INTENT = "kepu_write"
#: Execution option of a read-only request: SQLite then opens no explicit transaction.
READ_ONLY = "kepu_read_only"
#: The current request's deadline, as `(time.monotonic() value, allowed seconds)`; set by the
#: unit of work and copied into the worker threads that run its queries.
DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("kepu_deadline", default=None)
#: SQLite calls the deadline check every this many virtual-machine instructions of a query.
_SQLITE_CHECK_EVERY = 10_000


def past_deadline() -> bool:
    """True when the current request has run past its deadline."""
    deadline = DEADLINE.get()
    return deadline is not None and time.monotonic() > deadline[0]


def normalise_url(url: str) -> str:
    """Use psycopg 3 for any PostgreSQL URL."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(
    settings: Settings, *, schema: str | None = None, statement_timeout: float | None = None
) -> Engine:
    """An engine for the configured database; `schema` pins PostgreSQL's search_path (tests);
    `statement_timeout` bounds each PostgreSQL statement (the app's requests, not the CLI's)."""
    url = normalise_url(settings.database_url)
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        if not in_memory:
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        pool: dict[str, Any] = (
            {} if in_memory else {"pool_size": settings.db_pool_size, "max_overflow": 10}
        )
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            hide_parameters=True,
            **pool,
        )
        _configure_sqlite(engine)
        _check_deadline(engine)
        return engine
    # No lock wait or forgotten transaction may stall writers for ever: a lock wait gives up
    # (the unit of work retries it) and an abandoned transaction is ended by the server.
    options = "-clock_timeout=10s -cidle_in_transaction_session_timeout=60s"
    # connect_args replace the URL's own `options` (e.g. `?options=-csearch_path=kepu`): keep them.
    given = make_url(url).query.get("options")
    for extra in (given,) if isinstance(given, str) else given or ():
        options += f" {extra}"
    if schema:
        options += f" -csearch_path={schema}"
    if statement_timeout is not None:
        options += f" -cstatement_timeout={int(statement_timeout * 1000)}"
    engine = create_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=10,
        pool_pre_ping=True,
        hide_parameters=True,
        connect_args={"options": options},
    )
    _check_deadline(engine)
    return engine


def _check_deadline(engine: Engine) -> None:
    # Between statements: a request past its deadline starts no more work. Within one
    # statement, SQLite's progress handler and PostgreSQL's statement_timeout stop it.
    @event.listens_for(engine, "before_cursor_execute")
    def _before(*_args: Any) -> None:
        deadline = DEADLINE.get()
        if deadline is not None and time.monotonic() > deadline[0]:
            raise RequestTimeout(deadline[1])


def _interrupt() -> int:
    # Called by SQLite during a query: non-zero interrupts it ("interrupted").
    return 1 if past_deadline() else 0


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so BEGIN can be IMMEDIATE for writers.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        # 512 KiB of page cache per connection instead of 2 MiB: a worker holds up to 30
        # connections, the OS caches the file for all of them, and any commit empties every
        # other connection's cache in WAL mode anyway (docs/performance.md, RSS).
        cur.execute("PRAGMA cache_size=-512")
        cur.close()
        dbapi_conn.set_progress_handler(_interrupt, _SQLITE_CHECK_EVERY)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred transaction that later writes can fail at once with "database is locked"
        # when another writer got there first; IMMEDIATE makes writers queue on busy_timeout.
        # Read-only requests (GET) open no transaction at all: each statement reads a
        # consistent WAL snapshot, and the saved statement is a large share of a small request.
        options = conn.get_execution_options()
        if options.get(WRITE_INTENT, False):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif not options.get(READ_ONLY, False):
            conn.exec_driver_sql("BEGIN")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (responses are built after it)."""
    return sessionmaker(engine, class_=Session, expire_on_commit=False, autoflush=True)
