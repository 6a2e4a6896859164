"""The daily reminder job (PLAT-NOTIFY-1): every accredited base's reminders, from the rules
that judge it, to its staff and, where the rule concerns the county, its county's
administrators; run as often as wanted, each reminder reaches each person once."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from app.domain.access import Role
from app.repositories import bases, bases_oversight, users
from app.repositories.bases_policies import policy_for_year
from app.rules.reminders import Reminder, base_reminders
from app.services.bases import assess, filings_of
from app.services.bases_oversight import schedule_of
from app.services.notifications import notify


def reminders_of(session: Session, base: bases.BaseRow, today: date) -> list[Reminder]:
    """The reminders one base is due today."""
    year = today.year
    [compliance] = assess(session, base, [year], today)
    filed = filings_of(session, base, today)
    return base_reminders(
        base_id=base.id,
        name=base.name,
        accredited_on=base.accredited_on,
        compliance=compliance.compliance,
        report_due=policy_for_year(session, year).report_due(year),
        report_submitted=filed.report_submitted,
        reported_months=filed.reported_months,
        schedule=schedule_of(session, base, today),
        notices=[n.to_domain() for n in bases_oversight.notices(session, base.id)],
        today=today,
    )


def send_reminders(session: Session, *, today: date, now: datetime) -> int:
    """Every accredited base's reminders of `today`; returns how many people were told now
    (0 on a second run of the same day)."""
    told = 0
    for base in bases.accredited_bases(session, today):
        staff = users.active_user_ids(session, role=Role.BASE_STAFF, base_id=base.id)
        county = (
            users.active_user_ids(session, role=Role.COUNTY_ADMIN, county_code=base.county_code)
            if base.county_code
            else []
        )
        for reminder in reminders_of(session, base, today):
            told += notify(
                session,
                user_ids=staff + (county if reminder.county else []),
                kind=reminder.kind,
                variables=reminder.variables,
                resource_path=reminder.resource_path,
                dedupe_key=reminder.key,
                now=now,
            )
    return told
