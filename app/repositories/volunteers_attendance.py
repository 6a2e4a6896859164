"""On-site attendance of volunteers (VOL-CHECKIN-1): one check-in and check-out per volunteer and
activity, and the refused attempts kept for anti-fraud review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, Session, col, select

from app.repositories.base import Entity, PageRequest, PageResult, presigned, save
from app.repositories.scope import list_rows
from app.repositories.types import PERSONAL, UTCDateTime
from app.repositories.volunteers_activities import ActivityRow, EnrolmentRow


class AttendanceRow(Entity, table=True):
    """VOL-CHECKIN-1: a volunteer's check-in and check-out at one activity."""

    __tablename__ = "volunteer_attendance"
    __resource__ = "attendance"
    __table_args__ = (UniqueConstraint("activity_id", "volunteer_id"),)

    activity_id: str = Field(foreign_key="volunteer_activities.id", max_length=26, index=True)
    volunteer_id: str = Field(foreign_key="volunteers.id", max_length=26, index=True)
    enrolment_id: str = Field(foreign_key="volunteer_enrolments.id", max_length=26)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    checked_in_at: datetime = Field(sa_type=UTCDateTime)
    checked_out_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    check_in_latitude: float | None = Field(default=None, sa_column_kwargs={"info": PERSONAL})
    check_in_longitude: float | None = Field(default=None, sa_column_kwargs={"info": PERSONAL})
    check_out_latitude: float | None = Field(default=None, sa_column_kwargs={"info": PERSONAL})
    check_out_longitude: float | None = Field(default=None, sa_column_kwargs={"info": PERSONAL})
    flags: list[str] = Field(
        default_factory=presigned(list), sa_column=Column(JSON, nullable=False)
    )
    service_record_id: str | None = Field(default=None, max_length=26)

    @property
    def owner_id(self) -> str:
        """The volunteer sees its attendance in the change feed."""
        return self.volunteer_id


class AttendanceRefusalRow(Entity, table=True):
    """A refused check-in or check-out, kept for anti-fraud review (not in the change feed)."""

    __tablename__ = "volunteer_attendance_refusals"

    activity_id: str = Field(max_length=26, index=True)
    volunteer_id: str | None = Field(default=None, max_length=26)
    org_path: str = Field(max_length=512, index=True)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    action: str = Field(max_length=16)
    rules: list[str] = Field(
        default_factory=presigned(list), sa_column=Column(JSON, nullable=False)
    )
    source: str | None = Field(default=None, max_length=64)


def attendance_of(
    session: Session, activity_id: str, volunteer_id: str, *, lock: bool = False
) -> AttendanceRow | None:
    """The volunteer's attendance at the activity, if any."""
    stmt = select(AttendanceRow).where(
        AttendanceRow.activity_id == activity_id, AttendanceRow.volunteer_id == volunteer_id
    )
    return session.exec(stmt.with_for_update() if lock else stmt).first()


def check_in(
    session: Session,
    *,
    activity: ActivityRow,
    enrolment: EnrolmentRow,
    at: datetime,
    position: tuple[float, float] | None,
    flags: Sequence[str],
) -> AttendanceRow:
    """A new check-in, with what the organisation should look at."""
    row = AttendanceRow(
        activity_id=activity.id,
        volunteer_id=enrolment.volunteer_id,
        enrolment_id=enrolment.id,
        org_path=activity.org_path,
        county_code=activity.county_code,
        checked_in_at=at,
        check_in_latitude=position[0] if position else None,
        check_in_longitude=position[1] if position else None,
        flags=sorted(flags),
    )
    return save(session, row)


def check_out(
    session: Session,
    row: AttendanceRow,
    *,
    at: datetime,
    position: tuple[float, float] | None,
    flags: Sequence[str],
    service_record_id: str,
) -> AttendanceRow:
    """Record the check-out and the service record it became."""
    row.checked_out_at = at
    row.check_out_latitude = position[0] if position else None
    row.check_out_longitude = position[1] if position else None
    row.flags = sorted({*row.flags, *flags})
    row.service_record_id = service_record_id
    return save(session, row)


def flag(session: Session, row: AttendanceRow, name: str) -> None:
    """Add a flag for the organisation to look at."""
    row.flags = sorted({*row.flags, name})
    save(session, row)


def open_attendance(session: Session, activity_id: str) -> list[AttendanceRow]:
    """The check-ins of an activity without a service record yet (no check-out)."""
    stmt = select(AttendanceRow).where(
        AttendanceRow.activity_id == activity_id, col(AttendanceRow.service_record_id).is_(None)
    )
    return list(session.exec(stmt.order_by(col(AttendanceRow.id))))


def activities_left_open(session: Session, *, ended_before: datetime) -> list[ActivityRow]:
    """The activities ended before `ended_before` that still have a check-in without a record,
    oldest first."""
    open_ids = select(AttendanceRow.activity_id).where(
        col(AttendanceRow.service_record_id).is_(None)
    )
    stmt = select(ActivityRow).where(
        col(ActivityRow.id).in_(open_ids), col(ActivityRow.ends_at) < ended_before
    )
    return list(session.exec(stmt.order_by(col(ActivityRow.ends_at), col(ActivityRow.id))))


def attendance_by_volunteer(session: Session, activity_id: str) -> dict[str, AttendanceRow]:
    """Every attendance of an activity, by volunteer."""
    stmt = select(AttendanceRow).where(AttendanceRow.activity_id == activity_id)
    return {r.volunteer_id: r for r in session.exec(stmt)}


def refusals(
    session: Session, activity_id: str, page: PageRequest
) -> PageResult[AttendanceRefusalRow]:
    """A page of the refused attempts at an activity, oldest first."""
    return list_rows(session, AttendanceRefusalRow, page, equal={"activity_id": activity_id})


def add_refusal(
    session: Session,
    *,
    activity: ActivityRow,
    volunteer_id: str | None,
    action: str,
    rules: Sequence[str],
    source: str | None,
) -> None:
    """Keep a refused attempt."""
    session.add(
        AttendanceRefusalRow(
            activity_id=activity.id,
            volunteer_id=volunteer_id,
            org_path=activity.org_path,
            county_code=activity.county_code,
            action=action,
            rules=sorted(set(rules)),
            source=source,
        )
    )
