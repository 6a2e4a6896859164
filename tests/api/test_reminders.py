"""The daily reminder job (PLAT-NOTIFY-1) against a seeded base: each reminder reaches the
base's liaison (and, for the county's concerns, the county administrator) once, at 30, 7 and 1
days before the report is due, however often the job runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.domain.access import Role
from app.domain.common import SHANGHAI
from app.services.reminders import send_reminders
from tests.api.test_bases_api import HONGSHAN, make_base
from tests.conftest import Actor, ActorFactory

API = "/api/v1"


def _run(db: Session, day: date) -> int:
    now = datetime.combine(day, time(8), tzinfo=SHANGHAI).astimezone(UTC)
    told = send_reminders(db, today=day, now=now)
    db.commit()
    return told


def _inbox(client: TestClient, who: Actor) -> list[tuple[str, str]]:
    items = client.get(f"{API}/me/notifications", headers=who.headers).json()["items"]
    return [(n["kind"], n["subject"]) for n in items]


def test_plat_notify_1_the_report_reminder_goes_at_30_7_and_1_days_once_each(
    client: TestClient, db: Session, actor: ActorFactory
) -> None:
    base_id = make_base(db, "红山科技馆", accredited_on=date(2025, 3, 15))
    db.commit()
    liaison = actor(Role.BASE_STAFF, base_id=base_id)
    county = actor(Role.COUNTY_ADMIN, county_code=HONGSHAN)

    def report_reminders() -> list[str]:
        return [s for k, s in _inbox(client, liaison) if k == "report_due"]

    _run(db, date(2026, 10, 10))
    assert report_reminders() == [], "31 days before: not yet"
    _run(db, date(2026, 10, 11))
    _run(db, date(2026, 10, 11))
    assert report_reminders() == ["年度报告将于 2026-11-10 截止"]
    _run(db, date(2026, 11, 2))
    assert len(report_reminders()) == 1, "8 days before: the 7-day reminder waits"
    _run(db, date(2026, 11, 3))
    _run(db, date(2026, 11, 9))
    _run(db, date(2026, 11, 10))
    assert len(report_reminders()) == 3
    _run(db, date(2026, 11, 11))
    assert len(report_reminders()) == 3, "after the day: the compliance rule speaks, not a reminder"
    assert [k for k, _ in _inbox(client, county) if k == "report_due"] == []


def test_plat_notify_1_a_missing_month_is_reminded_once_and_a_second_run_tells_nobody(
    client: TestClient, db: Session, actor: ActorFactory
) -> None:
    base_id = make_base(db, "松山天文馆", accredited_on=date(2025, 3, 15))
    db.commit()
    liaison = actor(Role.BASE_STAFF, base_id=base_id)
    first = _run(db, date(2026, 6, 5))
    assert first >= 1
    assert ("statistics_missing", "2026-05 月统计未填报") in _inbox(client, liaison)
    assert _run(db, date(2026, 6, 5)) == 0
    assert _run(db, date(2026, 6, 20)) == 0
