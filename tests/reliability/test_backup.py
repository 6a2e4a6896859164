"""Backup and restore (issue 7): `python -m app backup` / `restore` round-trip exactly, a backup
taken under concurrent writes is consistent, and bad input is refused with a clear message."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, Table, inspect, select

from app import backup
from app.db import make_engine
from app.domain.access import Role
from app.main import create_app
from tests.reliability.harness import ROOT, Database

# Tables whose content depends on the clock of the login, not on the data being backed up.
VOLATILE = {"login_throttle"}


def _cli(db: Database, *args: str) -> subprocess.CompletedProcess[str]:
    if db.schema:
        args = (*args, "--schema", db.schema)
    return subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=db.env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    engine = make_engine(db.settings())
    try:
        with engine.connect() as conn:
            names = sorted(set(inspect(conn).get_table_names()) - VOLATILE)
            meta = MetaData()
            tables = [Table(name, meta, autoload_with=conn) for name in names]
            return {
                t.name: sorted(tuple(map(repr, row)) for row in conn.execute(select(t)))
                for t in tables
            }
    finally:
        engine.dispose()


@pytest.fixture
def api(live_db: Database) -> Iterator[tuple[TestClient, dict[str, str]]]:
    if live_db.schema and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump/pg_restore are not installed: PostgreSQL backups need them")
    admin = live_db.create_user(Role.CITY_ADMIN)
    app = create_app(live_db.settings())
    with TestClient(app, raise_server_exceptions=False) as client:
        token = client.post(
            "/api/v1/auth/token", data={"username": admin, "password": "correct horse battery"}
        ).json()["access_token"]
        yield client, {"Authorization": f"Bearer {token}"}
    app.state.ctx.engine.dispose()


def _make_users(client: TestClient, headers: dict[str, str], prefix: str, n: int) -> list[str]:
    ids = []
    for i in range(n):
        made = client.post(
            "/api/v1/users",
            json={
                "username": f"{prefix}-{i}",
                "password": "long-enough-pw",
                "role": "county_admin",
                "county_code": "150402",
            },
            headers=headers,
        )
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    return ids


def test_cli_backup_then_restore_gives_back_exactly_the_backed_up_content(
    live_db: Database, api: tuple[TestClient, dict[str, str]], tmp_path: Path
) -> None:
    client, headers = api
    kept = _make_users(client, headers, "kept", 12)
    client.patch(f"/api/v1/users/{kept[0]}", json={"display_name": "Before"}, headers=headers)
    before = _snapshot(live_db)
    file = tmp_path / "kepu.backup"

    made = _cli(live_db, "backup", "--to", str(file))

    assert made.returncode == 0, made.stderr
    _make_users(client, headers, "lost", 5)
    client.patch(f"/api/v1/users/{kept[0]}", json={"display_name": "After"}, headers=headers)
    assert _snapshot(live_db) != before
    client.app.state.ctx.engine.dispose()  # type: ignore[attr-defined]

    restored = _cli(live_db, "restore", "--from", str(file))

    assert restored.returncode == 0, restored.stderr
    assert _snapshot(live_db) == before
    listed = client.get("/api/v1/users", params={"role": "county_admin"}, headers=headers)
    assert [u["id"] for u in listed.json()["items"]] == sorted(kept)


def test_backup_taken_during_writes_is_a_consistent_snapshot(
    live_db: Database, api: tuple[TestClient, dict[str, str]], tmp_path: Path
) -> None:
    client, headers = api
    stop = threading.Event()
    made: list[str] = []

    def write() -> None:
        while not stop.is_set() and len(made) < 300:
            made.extend(_make_users(client, headers, f"busy{len(made)}", 1))

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(made) < 5:
            time.sleep(0.01)
        started = len(made)
        backup.backup(live_db.settings(), tmp_path / "busy.backup", schema=live_db.schema)
        finished = len(made)
        time.sleep(0.2)
    finally:
        stop.set()
        writer.join()
    assert len(made) > finished  # writes went on after the snapshot
    client.app.state.ctx.engine.dispose()  # type: ignore[attr-defined]

    backup.restore(live_db.settings(), tmp_path / "busy.backup", schema=live_db.schema)

    n_users = live_db.scalar("SELECT count(*) FROM users")
    n_created = live_db.scalar(
        "SELECT count(*) FROM change_events WHERE resource = 'user' AND op = 'create'"
    )
    # A user row and its change event commit together: a torn snapshot would count differently.
    assert n_users == n_created
    assert started <= n_users - 1 <= finished


def test_sqlite_restore_keeps_the_replaced_content_beside_the_database(
    live_db: Database, api: tuple[TestClient, dict[str, str]], tmp_path: Path
) -> None:
    if live_db.schema:
        pytest.skip("SQLite only: PostgreSQL restores in one transaction")
    client, headers = api
    file = tmp_path / "early.backup"
    backup.backup(live_db.settings(), file)
    _make_users(client, headers, "late", 2)
    client.app.state.ctx.engine.dispose()  # type: ignore[attr-defined]

    backup.restore(live_db.settings(), file)

    saved = backup.sqlite_path(live_db.settings()).with_name("live.db.pre-restore")
    assert saved.is_file()
    assert live_db.scalar("SELECT count(*) FROM users WHERE username LIKE 'late-%'") == 0


def test_restore_refuses_a_file_that_is_not_a_kepu_database(
    live_db: Database, tmp_path: Path
) -> None:
    if live_db.schema:
        pytest.skip("SQLite file checks")
    junk = tmp_path / "junk.backup"
    junk.write_text("not a database")
    with pytest.raises(backup.BackupError, match="not a SQLite database"):
        backup.restore(live_db.settings(), junk)
    with pytest.raises(backup.BackupError, match="does not exist"):
        backup.restore(live_db.settings(), tmp_path / "missing.backup")


def test_restore_refuses_a_sqlite_file_without_migrations(
    live_db: Database, tmp_path: Path
) -> None:
    if live_db.schema:
        pytest.skip("SQLite file checks")
    import sqlite3

    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(backup.BackupError, match="not a kepu-api database"):
        backup.restore(live_db.settings(), other)


def test_postgresql_without_client_tools_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, live_db: Database, tmp_path: Path
) -> None:
    monkeypatch.setattr(backup.shutil, "which", lambda _name: None)
    settings = live_db.settings(database_url="postgresql://kepu@127.0.0.1:5432/kepu")
    with pytest.raises(backup.BackupError, match="pg_dump is not installed"):
        backup.backup(settings, tmp_path / "pg.backup")
    (tmp_path / "pg.backup").write_bytes(b"PGDMP")
    with pytest.raises(backup.BackupError, match="pg_restore is not installed"):
        backup.restore(settings, tmp_path / "pg.backup")
