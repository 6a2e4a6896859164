"""County reports to the city (OFF-CASE-1) and the city's handling of them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.domain.access import Principal, Role
from app.domain.notifications import NoticeKind
from app.domain.officers import OfficerCaseKind, OfficerCaseStatus
from app.errors import RuleViolation
from app.repositories import officers_cases as repo
from app.repositories import users
from app.rules.officers import check_case_transition
from app.services.notifications import notify


def handle_case(
    *,
    session: Session,
    principal: Principal,
    row: repo.CaseRow,
    target: OfficerCaseStatus,
    reply: str | None,
    now: datetime,
) -> repo.CaseRow:
    """OFF-CASE-1: the city reads, replies to or features a case (409 when its state forbids)."""
    result = check_case_transition(
        OfficerCaseKind(row.kind), OfficerCaseStatus(row.status), target, reply
    )
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    repo.handle_case(session, row=row, target=target, reply=reply, by=principal.user_id, at=now)
    if target is OfficerCaseStatus.REPLIED:
        # PLAT-NOTIFY-1: the county that reported the case hears the city's reply.
        notify(
            session,
            user_ids=users.active_user_ids(
                session, role=Role.COUNTY_ADMIN, county_code=row.county_code
            ),
            kind=NoticeKind.OFFICER_CASE_REPLIED,
            variables={"title": row.title},
            resource_path=f"/api/v1/officer-cases/{row.id}",
            dedupe_key=f"officer_case_replied:{row.id}",
            now=now,
        )
    return row
