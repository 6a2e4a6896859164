"""The CLI and settings (issue 2): serve from nothing, first administrator, production refusals."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError
from sqlmodel import Session

from app.config import DEFAULT_SECRET, Environment, Settings
from app.db import make_engine
from app.repositories import users
from app.security.passwords import Passwords

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEPU_")}
    env.update(
        KEPU_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}",
        KEPU_STORAGE_DIR=str(tmp_path / "files"),
        KEPU_ARGON2_TIME_COST="1",
        KEPU_ARGON2_MEMORY_KIB="64",
        **extra,
    )
    return env


def _cli(
    tmp_path: Path, *args: str, stdin: str = "", **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=_env(tmp_path, **extra),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(ValidationError, match="KEPU_SECRET_KEY"):
        Settings(env=Environment.PRODUCTION, secret_key=DEFAULT_SECRET, data_keys="k1:" + "A" * 44)


def test_production_refuses_missing_data_keys() -> None:
    with pytest.raises(ValidationError, match="KEPU_DATA_KEYS"):
        Settings(env=Environment.PRODUCTION, secret_key="s" * 40)


def test_migrate_then_create_user(tmp_path: Path) -> None:
    assert _cli(tmp_path, "migrate").returncode == 0
    made = _cli(
        tmp_path,
        "create-user",
        "--username",
        "zhang",
        "--role",
        "county_admin",
        "--region",
        "150402",
        stdin="long-enough-pw\n",
    )
    assert made.returncode == 0, made.stderr
    again = _cli(
        tmp_path,
        "create-user",
        "--username",
        "zhang",
        "--role",
        "auditor",
        stdin="long-enough-pw\n",
    )
    assert again.returncode != 0


def test_vol_checkin_1_close_attendance_runs_on_a_fresh_database_and_says_what_it_did(
    tmp_path: Path,
) -> None:
    assert _cli(tmp_path, "migrate").returncode == 0
    ran = _cli(tmp_path, "close-attendance")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "closed 0 check-ins; 0 left open, flagged not_recorded"


def test_plat_notify_1_remind_and_one_worker_turn_run_on_a_fresh_database(tmp_path: Path) -> None:
    assert _cli(tmp_path, "migrate").returncode == 0
    reminded = _cli(tmp_path, "remind")
    assert reminded.returncode == 0, reminded.stderr
    assert reminded.stdout.strip() == "told 0 people"
    turn = _cli(tmp_path, "worker", "--once")
    assert turn.returncode == 0, turn.stderr
    assert turn.stdout.strip() == "delivered or tried 0 messages"
    dead = _cli(tmp_path, "outbox", "list")
    assert (dead.returncode, dead.stdout) == (0, "")
    assert _cli(tmp_path, "outbox", "replay").returncode == 2, "replay names messages or --all"


def test_serve_from_nothing_creates_the_first_admin_who_can_log_in(tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "app", "serve", "--port", str(port)],
        cwd=ROOT,
        env=_env(tmp_path, KEPU_ADMIN_PASSWORD="first-admin-pw"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        # Generous: on a loaded 2-core machine migrating a fresh database takes a while.
        deadline = time.monotonic() + 300
        ready = False
        while not ready and time.monotonic() < deadline and proc.poll() is None:
            try:
                ready = httpx.get(f"{base}/healthz").status_code == 200
            except httpx.TransportError:
                time.sleep(0.5)
        assert ready, "the server did not come up"
        assert httpx.get(f"{base}/docs").status_code == 200
        token = httpx.post(
            f"{base}/api/v1/auth/token", data={"username": "admin", "password": "first-admin-pw"}
        )
        assert token.status_code == 200, token.text
        me = httpx.get(
            f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"}
        )
        assert me.json()["role"] == "city_admin"
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    assert "created first administrator" in output
    assert "first-admin-pw" not in output


def test_production_never_creates_a_demo_admin(tmp_path: Path) -> None:
    assert _cli(tmp_path, "migrate").returncode == 0
    demo = _cli(
        tmp_path,
        "seed-demo",
        KEPU_ENV="production",
        KEPU_SECRET_KEY="s" * 40,
        KEPU_DATA_KEYS="k1:" + "A" * 43 + "=",
        KEPU_INDEX_KEY="i" * 40,
    )
    assert demo.returncode == 2


def test_production_refuses_a_missing_index_key() -> None:
    with pytest.raises(ValidationError, match="KEPU_INDEX_KEY"):
        Settings(env=Environment.PRODUCTION, secret_key="s" * 40, data_keys="k1:" + "A" * 44)


def test_hole_12_reset_password_reads_stdin_and_lets_a_lost_admin_in_again(tmp_path: Path) -> None:
    assert _cli(tmp_path, "migrate").returncode == 0
    made = _cli(
        tmp_path,
        "create-user",
        "--username",
        "li",
        "--role",
        "city_admin",
        stdin="old-password-1\n",
    )
    assert made.returncode == 0, made.stderr
    reset = _cli(tmp_path, "reset-password", "--username", "li", stdin="new-password-2\n")
    assert reset.returncode == 0, reset.stderr
    assert "new-password-2" not in reset.stdout + reset.stderr
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'cli.db'}", argon2_time_cost=1, argon2_memory_kib=64
    )
    passwords = Passwords(settings)
    engine = make_engine(settings)
    with Session(engine) as session:
        user = users.get_by_username(session, "li")
        assert user is not None
        assert user.is_active
        assert passwords.verify(user.password_hash, "new-password-2")
        assert not passwords.verify(user.password_hash, "old-pw-long-1")
    engine.dispose()


def test_hole_12_reset_password_takes_no_password_argument_and_refuses_a_short_one(
    tmp_path: Path,
) -> None:
    assert _cli(tmp_path, "migrate").returncode == 0
    argument = _cli(tmp_path, "reset-password", "--username", "li", "--password", "x" * 12)
    assert argument.returncode == 2
    short = _cli(tmp_path, "reset-password", "--username", "li", stdin="short\n")
    assert short.returncode == 2
    missing = _cli(tmp_path, "reset-password", "--username", "nobody", stdin="long-enough-pw\n")
    assert missing.returncode == 1
