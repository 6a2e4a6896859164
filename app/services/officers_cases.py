"""County reports to the city (OFF-CASE-1) and the city's handling of them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.domain.access import Principal
from app.domain.officers import OfficerCaseKind, OfficerCaseStatus
from app.errors import RuleViolation
from app.repositories import officers_cases as repo
from app.rules.officers import check_case_transition


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
    return row
