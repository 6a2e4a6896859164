"""A person's work queue (PLAT-NOTIFY-1, `GET /me/tasks`): what the caller must do next, from
the rules, within its scope, soonest due first."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.domain.access import Principal, Role
from app.domain.common import local_date
from app.repositories import bases, bases_oversight
from app.repositories import tasks as repo
from app.repositories.bases_policies import policy_for_year
from app.rules.tasks import Task, TaskKind, base_staff_tasks, ordered, oversight_tasks, task
from app.services.bases import filings_of
from app.services.bases_oversight import schedule_of


def _volunteer_work(session: Session, principal: Principal) -> list[Task]:
    """VOL-EXIT-1, VOL-HOURS-1, VOL-SUPER-1: an organisation's or a county's queue."""
    memberships = [
        task(
            TaskKind.MEMBERSHIP_APPROVAL,
            local_date(m.created_at),
            f"/api/v1/volunteers/{m.volunteer_id}/memberships/{m.id}",
        )
        for m in repo.memberships_to_approve(session, principal)
    ]
    hours = [
        task(TaskKind.HOURS_CONFIRMATION, local_date(r.ends_at), f"/api/v1/service-records/{r.id}")
        for r in repo.hours_to_confirm(session, principal)
    ]
    complaints = [
        task(TaskKind.COMPLAINT_HANDLING, local_date(c.created_at), f"/api/v1/complaints/{c.id}")
        for c in repo.complaints_to_handle(session, principal)
    ]
    return memberships + hours + complaints


def _city_work(session: Session, principal: Principal, now: datetime) -> list[Task]:
    """BASE-REVIEW-1, BASE-EVAL-1, BASE-REVOKE-3: the city's decisions."""
    today = local_date(now)
    out = [
        task(
            TaskKind.APPLICATION_DECISION,
            local_date(a.submitted_at or a.created_at),
            f"/api/v1/base-applications/{a.id}",
        )
        for a in repo.applications_to_decide(session, principal)
    ]
    for base in bases.accredited_bases(session, today):
        out += oversight_tasks(
            base_id=base.id,
            schedule=schedule_of(session, base, today),
            notices=[n.to_domain() for n in bases_oversight.notices(session, base.id)],
            today=today,
            now=now,
        )
    return out


def _base_work(session: Session, principal: Principal, now: datetime) -> list[Task]:
    """BASE-OPEN-4, BASE-REPORT-1, BASE-REVOKE-3: a base's own duties."""
    today = local_date(now)
    base = session.get(bases.BaseRow, principal.base_id or "")
    if base is None or base.revoked:
        return []
    filed = filings_of(session, base, today)
    return base_staff_tasks(
        base_id=base.id,
        accredited_on=base.accredited_on,
        report_due=policy_for_year(session, today.year).report_due(today.year),
        report_submitted=filed.report_submitted,
        reported_months=filed.reported_months,
        notices=[n.to_domain() for n in bases_oversight.notices(session, base.id)],
        today=today,
    )


def tasks_for(session: Session, principal: Principal, now: datetime) -> list[Task]:
    """Everything the caller must do next, soonest due first."""
    if principal.role is Role.REVIEWER:
        work = [
            task(
                TaskKind.REVIEW_OPINION,
                local_date(r.created_at),
                f"/api/v1/base-applications/{r.application_id}/opinions",
            )
            for r in repo.owed_opinions(session, principal.user_id)
        ]
    elif principal.role is Role.CITY_ADMIN:
        work = _city_work(session, principal, now)
    elif principal.role in (Role.COUNTY_ADMIN, Role.ORG_ADMIN):
        work = _volunteer_work(session, principal)
    elif principal.role is Role.BASE_STAFF:
        work = _base_work(session, principal, now)
    else:
        work = []
    return ordered(work)
