"""`python -m app`: migrate, create users, reset a password, export the OpenAPI spec, seed demo
data, serve, back up and restore, close attendance left open, deliver the outbox and replay its
failures."""

from __future__ import annotations

import argparse
import getpass
import json
import secrets
import sys
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app import backup
from app.channels import EmailSender
from app.config import ROOT, Environment, Settings, get_settings
from app.db import make_engine, make_session_factory
from app.domain.access import Role
from app.domain.common import local_date
from app.i18n import Locale, using
from app.migrate import upgrade
from app.repositories import notifications, users
from app.security import personal
from app.security.passwords import Passwords
from app.services import outbox, reminders, webhooks
from app.services.users import reset_password
from app.services.volunteers_attendance import close_ended

OPENAPI_PATH = ROOT / "openapi" / "openapi.json"


def _sessions(settings: Settings) -> sessionmaker[Session]:
    personal.configure(personal.KeyRing.from_settings(settings))
    return make_session_factory(make_engine(settings))


def _session(settings: Settings) -> Session:
    return _sessions(settings)()


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    """Apply all migrations."""
    engine = make_engine(settings)
    upgrade(engine)
    engine.dispose()
    print("migrated")
    return 0


def _password_from_stdin() -> str | None:
    """A password typed at a prompt (twice), or the first line of piped input; never an
    argument, which other users of the machine could read from the process list."""
    if sys.stdin.isatty():
        first = getpass.getpass("new password: ")
        return first if getpass.getpass("again: ") == first else None
    return sys.stdin.readline().rstrip("\r\n")


def _read_password() -> str | None:
    password = _password_from_stdin()
    if password is None or not 10 <= len(password) <= 256:
        print(
            "a password of 10 to 256 characters, the same twice, on standard input", file=sys.stderr
        )
        return None
    return password


def cmd_create_user(settings: Settings, args: argparse.Namespace) -> int:
    """Create one user from the command line; the password is read from standard input."""
    password = _read_password()
    if password is None:
        return 2
    # A refusal (the username is taken) reaches the operator's terminal: in English.
    with using(Locale.EN), _session(settings) as session:
        users.create_user(
            session,
            username=args.username,
            password_hash=Passwords(settings).hash(password),
            role=Role(args.role),
            county_code=args.region,
            org_id=args.org,
            base_id=args.base,
        )
        session.commit()
    print(f"created {args.role} {args.username}")
    return 0


def cmd_reset_password(settings: Settings, args: argparse.Namespace) -> int:
    """Give a user (a lost administrator) a new password read from standard input: the account
    is active and unlocked again, and every earlier login of it ends."""
    password = _read_password()
    if password is None:
        return 2
    with _session(settings) as session:
        user = reset_password(
            session=session,
            passwords=Passwords(settings),
            username=args.username,
            password=password,
            now=datetime.now(UTC),
        )
        if user is None:
            print(f"no user {args.username}", file=sys.stderr)
            return 1
        session.commit()
    print(f"new password set for {args.username}; earlier logins ended")
    return 0


def ensure_first_admin(settings: Settings) -> None:
    """In development with no user yet, create `admin` (password from env or printed once)."""
    if settings.env is not Environment.DEVELOPMENT:
        return
    with _session(settings) as session:
        if users.any_user(session):
            return
        password = settings.admin_password or secrets.token_urlsafe(12)
        users.create_user(
            session,
            username="admin",
            password_hash=Passwords(settings).hash(password),
            role=Role.CITY_ADMIN,
            display_name="First administrator",
        )
        session.commit()
    shown = "(from KEPU_ADMIN_PASSWORD)" if settings.admin_password else password
    print(f"created first administrator: username admin, password {shown}", flush=True)


def export_openapi() -> str:
    """The spec of the app as committed: sorted keys, two-space indent, trailing newline."""
    from app.main import create_app

    spec = create_app(Settings(database_url="sqlite://")).openapi()
    return json.dumps(spec, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def cmd_export_openapi(_settings: Settings, args: argparse.Namespace) -> int:
    """Write openapi/openapi.json (or print it with --stdout)."""
    text = export_openapi()
    if args.stdout:
        sys.stdout.write(text)
    else:
        OPENAPI_PATH.parent.mkdir(exist_ok=True)
        OPENAPI_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {OPENAPI_PATH.relative_to(ROOT)}")
    return 0


def cmd_seed_demo(settings: Settings, _args: argparse.Namespace) -> int:
    """Demo users, one per role, for trying the API (development only)."""
    if settings.env is not Environment.DEVELOPMENT:
        print("seed-demo runs only in development", file=sys.stderr)
        return 2
    demo = [
        ("demo-city", Role.CITY_ADMIN, None),
        ("demo-county", Role.COUNTY_ADMIN, "150402"),
        ("demo-auditor", Role.AUDITOR, None),
        ("demo-reviewer", Role.REVIEWER, None),
    ]
    hasher = Passwords(settings)
    with _session(settings) as session:
        for name, role, county in demo:
            if users.get_by_username(session, name) is None:
                users.create_user(
                    session,
                    username=name,
                    password_hash=hasher.hash("demo-password"),
                    role=role,
                    county_code=county,
                )
        session.commit()
    print("demo users: " + ", ".join(n for n, _, _ in demo) + " (password: demo-password)")
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    """Migrate, create the first administrator if needed, and serve with uvicorn."""
    import uvicorn

    cmd_migrate(settings, args)
    ensure_first_admin(settings)
    uvicorn.run(
        "app.main:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        proxy_headers=True,
    )
    return 0


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    """Write a consistent backup of the database (safe while the service runs)."""
    try:
        print(backup.backup(settings, Path(args.to), schema=args.schema))
    except backup.BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    """Replace the database's content with a backup (stop the service first)."""
    try:
        print(backup.restore(settings, Path(args.source), schema=args.schema))
    except backup.BackupError as exc:
        print(f"restore failed: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_close_attendance(settings: Settings, _args: argparse.Namespace) -> int:
    """Close the check-ins left without a check-out once their activity's check-out window has
    passed (VOL-CHECKIN-1); run it every few minutes, from cron or a timer. Safe to repeat."""
    with _session(settings) as session:
        closed, left = close_ended(session=session, now=datetime.now(UTC))
        session.commit()
    print(f"closed {closed} check-ins; {left} left open, flagged not_recorded")
    return 0


def cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    """Deliver the outbox's email and the webhooks until stopped (`--once`: one turn); any
    number may run at once on PostgreSQL."""
    sessions = _sessions(settings)
    email = EmailSender(settings)

    def batch() -> int:
        mailed = outbox.deliver_due(
            sessions,
            email,
            clock=lambda: datetime.now(UTC),
            batch=settings.worker_batch,
            claim_seconds=settings.worker_claim_seconds,
        )
        return mailed + webhooks.deliver_due(sessions, settings, clock=lambda: datetime.now(UTC))

    reminded_on: date | None = None

    def remind() -> None:
        # Once a day per worker; idempotent, so many workers running it tell nobody twice.
        nonlocal reminded_on
        now = datetime.now(UTC)
        if reminded_on != local_date(now):
            with sessions() as session:
                reminders.send_reminders(session, today=local_date(now), now=now)
                session.commit()
            reminded_on = local_date(now)

    if args.once:
        remind()
        print(f"delivered or tried {batch()} messages")
        return 0
    try:
        while True:
            remind()
            if batch() == 0:
                time.sleep(settings.worker_idle_seconds)
    except KeyboardInterrupt:
        return 0


def cmd_remind(settings: Settings, _args: argparse.Namespace) -> int:
    """Compute today's reminders from the rules and tell each person once (PLAT-NOTIFY-1);
    run it daily (the worker also runs it each day); a second run tells nobody again."""
    now = datetime.now(UTC)
    with _session(settings) as session:
        told = reminders.send_reminders(session, today=local_date(now), now=now)
        session.commit()
    print(f"told {told} people")
    return 0


def cmd_outbox_list(settings: Settings, args: argparse.Namespace) -> int:
    """Print the messages in one state (dead by default), one JSON object per line."""
    with _session(settings) as session:
        rows = notifications.messages(
            session, status=notifications.OutboxStatus(args.status), limit=args.limit
        )
        for row in rows:
            line = {
                "id": row.id,
                "channel": row.channel,
                "subject": row.subject,
                "attempts": row.attempts,
                "due_at": row.due_at.isoformat(),
                "last_error": row.last_error,
            }
            print(json.dumps(line, ensure_ascii=False))
    return 0


def cmd_outbox_replay(settings: Settings, args: argparse.Namespace) -> int:
    """Send dead messages again: the ids given, or every dead message with `--all`."""
    if not args.ids and not args.all:
        print("name the messages to replay, or --all", file=sys.stderr)
        return 2
    count = outbox.replay(_sessions(settings), args.ids or None, now=datetime.now(UTC))
    print(f"replayed {count} messages")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    create = sub.add_parser("create-user", help="create a user")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--region", help="county code, for county_admin")
    create.add_argument("--org", help="organisation id, for org_admin")
    create.add_argument("--base", help="base id, for base_staff")
    create.set_defaults(func=cmd_create_user)
    reset = sub.add_parser(
        "reset-password", help="set a new password (read from standard input) for a user"
    )
    reset.add_argument("--username", required=True)
    reset.set_defaults(func=cmd_reset_password)
    export = sub.add_parser("export-openapi", help="write openapi/openapi.json")
    export.add_argument("--stdout", action="store_true")
    export.set_defaults(func=cmd_export_openapi)
    sub.add_parser("seed-demo", help="create demo users").set_defaults(func=cmd_seed_demo)
    serve = sub.add_parser("serve", help="migrate and serve")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)
    save = sub.add_parser("backup", help="back up the database to a file")
    save.add_argument("--to", required=True, help="backup file to write")
    save.add_argument("--schema", help="PostgreSQL: only this schema")
    save.set_defaults(func=cmd_backup)
    sub.add_parser(
        "close-attendance", help="close check-ins left open after their activity"
    ).set_defaults(func=cmd_close_attendance)
    sub.add_parser("remind", help="send today's reminders (daily; safe to repeat)").set_defaults(
        func=cmd_remind
    )
    worker = sub.add_parser("worker", help="deliver the outbox (email) and webhooks")
    worker.add_argument("--once", action="store_true", help="one batch, then exit")
    worker.set_defaults(func=cmd_worker)
    box = sub.add_parser("outbox", help="list or replay outbox messages").add_subparsers(
        dest="outbox_command", required=True
    )
    listing = box.add_parser("list", help="messages in one state, as JSON lines")
    listing.add_argument(
        "--status", choices=[s.value for s in notifications.OutboxStatus], default="dead"
    )
    listing.add_argument("--limit", type=int, default=100)
    listing.set_defaults(func=cmd_outbox_list)
    again = box.add_parser("replay", help="send dead messages again")
    again.add_argument("ids", nargs="*", help="message ids")
    again.add_argument("--all", action="store_true", help="every dead message")
    again.set_defaults(func=cmd_outbox_replay)
    load = sub.add_parser("restore", help="restore the database from a backup file")
    load.add_argument("--from", dest="source", required=True, help="backup file to read")
    load.add_argument("--schema", help="PostgreSQL: only this schema")
    load.set_defaults(func=cmd_restore)
    args = parser.parse_args(argv)
    result: int = args.func(get_settings(), args)
    return result
