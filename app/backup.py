"""Backup and restore: SQLite through its online backup API, PostgreSQL through pg_dump/pg_restore.

A SQLite backup is a consistent snapshot taken while the service keeps running (one read
transaction; in WAL mode writers are not blocked). A PostgreSQL backup is a `pg_dump` custom-format
archive, which is consistent by itself (it runs in one repeatable-read transaction).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from app.config import Settings
from app.db import normalise_url

SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def sqlite_path(settings: Settings) -> Path:
    """The database file of a SQLite URL; in-memory databases cannot be backed up."""
    url = make_url(settings.database_url)
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def backup(settings: Settings, dest: Path, *, schema: str | None = None) -> str:
    """Write a backup of the configured database to `dest`; returns a one-line summary."""
    if settings.is_sqlite:
        return _sqlite_backup(sqlite_path(settings), dest)
    return _pg_backup(settings, dest, schema=schema)


def restore(settings: Settings, source: Path, *, schema: str | None = None) -> str:
    """Replace the configured database's content with the backup in `source`."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    if settings.is_sqlite:
        return _sqlite_restore(source, sqlite_path(settings))
    return _pg_restore(settings, source, schema=schema)


# --- SQLite ------------------------------------------------------------------------------------


def _check_sqlite_file(path: Path) -> str:
    """Refuse anything but an intact kepu database; return its migration revisions."""
    with path.open("rb") as fh:
        if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise BackupError(f"{path} is not a SQLite database")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchone()
        if verdict is None or verdict[0] != "ok":
            raise BackupError(f"{path} is damaged: {verdict}")
        try:
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is not a kepu-api database (no migrations)") from exc
    finally:
        conn.close()
    return ", ".join(sorted(r[0] for r in rows)) or "none"


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    # One step: the whole copy reads one snapshot, so concurrent writers cannot tear it.
    source.backup(target, pages=-1)


def _sqlite_backup(db: Path, dest: Path) -> str:
    if not db.is_file():
        raise BackupError(f"database {db} does not exist")
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    part.unlink(missing_ok=True)
    source = sqlite3.connect(db, timeout=30)
    target = sqlite3.connect(part)
    try:
        _copy(source, target)
        # A backup is one self-contained file: no -wal/-shm companions.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()
    revisions = _check_sqlite_file(part)
    with part.open("rb") as fh:
        os.fsync(fh.fileno())
    part.replace(dest)
    return f"backed up {db} to {dest} ({dest.stat().st_size} bytes, revisions {revisions})"


def _sqlite_restore(source: Path, db: Path) -> str:
    revisions = _check_sqlite_file(source)
    db.parent.mkdir(parents=True, exist_ok=True)
    saved = ""
    if db.is_file():
        keep = db.with_name(db.name + ".pre-restore")
        _sqlite_backup(db, keep)
        saved = f"; the previous content is in {keep}"
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target = sqlite3.connect(db, timeout=30)
    try:
        _copy(src, target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
        src.close()
    return f"restored {db} from {source} (revisions {revisions}){saved}"


# --- PostgreSQL --------------------------------------------------------------------------------


def _pg_env(settings: Settings) -> dict[str, str]:
    # Connection details go through libpq's environment, so no password shows in `ps`.
    url = make_url(normalise_url(settings.database_url))
    env = dict(os.environ)
    for var, value in (
        ("PGHOST", url.host),
        ("PGPORT", str(url.port) if url.port else None),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value:
            env[var] = value
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client tools (same major version "
            f"as the server, e.g. `apt-get install postgresql-client`) or run {name} yourself "
            "as docs/reliability.md shows"
        )
    return found


def _run(args: list[str], settings: Settings) -> None:
    done = subprocess.run(  # noqa: S603 - fixed tool, arguments are ours
        args, env=_pg_env(settings), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()}")


def _pg_backup(settings: Settings, dest: Path, *, schema: str | None) -> str:
    tool = _pg_tool("pg_dump")
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    args = [tool, "--format=custom", "--no-owner", "--no-privileges", f"--file={part}"]
    if schema:
        args.append(f"--schema={schema}")
    _run(args, settings)
    part.replace(dest)
    return f"backed up PostgreSQL to {dest} ({dest.stat().st_size} bytes)"


def _pg_restore(settings: Settings, source: Path, *, schema: str | None) -> str:
    tool = _pg_tool("pg_restore")
    args = [
        tool,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
    ]
    if schema:
        args.append(f"--schema={schema}")
    database = make_url(normalise_url(settings.database_url)).database
    if not database:
        raise BackupError("KEPU_DATABASE_URL names no database to restore into")
    args += [f"--dbname={database}", str(source)]
    _run(args, settings)
    return f"restored PostgreSQL from {source}"
