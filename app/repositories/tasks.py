"""The rows a work queue reads (PLAT-NOTIFY-1), each kind in one scoped query: what waits for
the caller, as far as its scope reaches."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from app.domain.access import Principal
from app.domain.bases import ApplicationStatus, ReviewState
from app.domain.complaints import ComplaintStatus
from app.domain.volunteers import MembershipStatus, ServiceRecordStatus
from app.repositories.base import Entity
from app.repositories.bases_applications import ApplicationRow, ReviewRow
from app.repositories.complaints import ComplaintRow
from app.repositories.scope import scope_clause
from app.repositories.volunteers import MembershipRow
from app.repositories.volunteers_records import ServiceRecordRow

#: The most rows of one kind a queue shows (a queue of thousands is a report, not a queue).
LIMIT = 1000
E = TypeVar("E", bound=Entity)


def _waiting(
    session: Session, principal: Principal, model: type[E], *where: ColumnElement[bool]
) -> list[E]:
    table: Any = model
    stmt = (
        select(model)
        .where(scope_clause(principal, model), *where)
        .order_by(col(table.created_at), col(table.id))
        .limit(LIMIT)
    )
    return list(session.exec(stmt))


def owed_opinions(session: Session, reviewer_id: str) -> list[ReviewRow]:
    """BASE-REVIEW-2: the assignments a reviewer has neither answered nor declined."""
    stmt = (
        select(ReviewRow)
        .where(ReviewRow.reviewer_id == reviewer_id, ReviewRow.state == ReviewState.ASSIGNED.value)
        .order_by(col(ReviewRow.created_at), col(ReviewRow.id))
        .limit(LIMIT)
    )
    return list(session.exec(stmt))


def applications_to_decide(session: Session, principal: Principal) -> list[ApplicationRow]:
    """BASE-REVIEW-1: applications under review in scope."""
    return _waiting(
        session,
        principal,
        ApplicationRow,
        col(ApplicationRow.status) == ApplicationStatus.UNDER_REVIEW.value,
    )


def memberships_to_approve(session: Session, principal: Principal) -> list[MembershipRow]:
    """VOL-EXIT-1: memberships waiting for the organisation's approval, in scope."""
    return _waiting(
        session,
        principal,
        MembershipRow,
        col(MembershipRow.status) == MembershipStatus.PENDING.value,
    )


def hours_to_confirm(session: Session, principal: Principal) -> list[ServiceRecordRow]:
    """VOL-HOURS-1: records awaiting confirmation, in scope."""
    return _waiting(
        session,
        principal,
        ServiceRecordRow,
        col(ServiceRecordRow.status) == ServiceRecordStatus.RECORDED.value,
    )


def complaints_to_handle(session: Session, principal: Principal) -> list[ComplaintRow]:
    """VOL-SUPER-1: complaints not closed that the caller's level handles."""
    return _waiting(
        session,
        principal,
        ComplaintRow,
        col(ComplaintRow.status) != ComplaintStatus.CLOSED.value,
    )
