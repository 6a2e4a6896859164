"""County reports to the city (OFF-CASE-1): typical cases, problems, suggestions, and how the
city handled them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Field, Session, col, select

from app.domain.access import Principal
from app.domain.officers import OfficerCaseKind, OfficerCaseStatus
from app.repositories.base import Entity, PageRequest, PageResult, save
from app.repositories.scope import get_in_scope, list_in_scope
from app.repositories.types import UTCDateTime


class CaseRow(Entity, table=True):
    """OFF-CASE-1: a typical case, problem or suggestion from a county, and the city's handling."""

    __tablename__ = "officer_cases"
    __resource__ = "officer_case"

    county_code: str = Field(max_length=12, index=True)
    kind: str = Field(max_length=16, index=True)
    title: str = Field(max_length=200)
    body: str = Field(max_length=20000)
    status: str = Field(default=OfficerCaseStatus.SUBMITTED.value, max_length=16, index=True)
    submitted_at: datetime = Field(sa_type=UTCDateTime, index=True)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    replied_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    featured_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reply: str | None = Field(default=None, max_length=20000)
    handled_by: str | None = Field(default=None, max_length=26)


def get_case(session: Session, principal: Principal, officer_case_id: str) -> CaseRow:
    """A case in scope, or 404."""
    return get_in_scope(session, principal, CaseRow, officer_case_id)


def list_cases(
    session: Session,
    principal: Principal,
    *,
    page: PageRequest,
    kind: OfficerCaseKind | None,
    status: OfficerCaseStatus | None,
) -> PageResult[CaseRow]:
    """Cases in scope, by kind and status."""
    return list_in_scope(
        session,
        principal,
        CaseRow,
        page,
        equal={"kind": kind, "status": status},
    )


def case_counts(session: Session, *, starts: datetime, ends: datetime) -> dict[str, int]:
    """OFF-KPI-1: cases submitted per county in `[starts, ends)`."""
    rows = session.execute(
        select(col(CaseRow.county_code), func.count())
        .where(col(CaseRow.submitted_at) >= starts, col(CaseRow.submitted_at) < ends)
        .group_by(col(CaseRow.county_code))
    ).all()
    return {county: int(n) for county, n in rows}


def create_case(
    session: Session,
    *,
    county_code: str,
    kind: OfficerCaseKind,
    title: str,
    body: str,
    at: datetime,
) -> CaseRow:
    """OFF-CASE-1: a county's report, submitted now."""
    row = CaseRow(county_code=county_code, kind=kind.value, title=title, body=body, submitted_at=at)
    return save(session, row)


def handle_case(
    session: Session,
    *,
    row: CaseRow,
    target: OfficerCaseStatus,
    reply: str | None,
    by: str,
    at: datetime,
) -> None:
    """OFF-CASE-1: record the city's step; replying or featuring also marks the case read."""
    row.status = target.value
    row.handled_by = by
    if row.read_at is None:
        row.read_at = at
    if target is OfficerCaseStatus.REPLIED:
        row.reply, row.replied_at = reply, at
    if target is OfficerCaseStatus.FEATURED:
        row.featured_at = at
    save(session, row)
