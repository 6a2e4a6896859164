"""Officer training (OFF-TRAIN-1): county plans, sessions held, attendance."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from app.domain.access import Principal
from app.domain.common import Finding
from app.domain.officers import OfficerTrainingLevel, TrainingPlan, TrainingSession
from app.errors import InvalidInput, NotFound, RuleViolation
from app.i18n import _
from app.repositories import officers as officers_repo
from app.repositories import officers_training as repo
from app.repositories.regions import RegionLevel, require_region
from app.rules.officers import check_attendance, check_training_session
from app.services.officers import acting_county


def create_plan(
    *, session: Session, principal: Principal, county_code: str | None, fields: dict[str, object]
) -> repo.TrainingPlanRow:
    """OFF-TRAIN-1: one plan per county and year (409 for a second), for a county in scope."""
    county = acting_county(principal, county_code, field="county_code")
    require_region(session, county, field="county_code", level=RegionLevel.COUNTY)
    plan = TrainingPlan.model_validate({**fields, "county_code": county})
    return repo.create_plan(session, plan=plan)


def create_session(
    *,
    session: Session,
    principal: Principal,
    level: OfficerTrainingLevel,
    county_code: str | None,
    city_code: str | None,
    training_plan_id: str | None,
    fields: dict[str, object],
) -> repo.TrainingSessionRow:
    """OFF-TRAIN-1: county sessions by the county (in its plan's county and year); city
    exchange sessions by the city administrator only, naming the city."""
    county: str | None = None
    if level is OfficerTrainingLevel.CITY_EXCHANGE:
        if not principal.city_wide:
            raise InvalidInput.one("level", _("city exchange sessions are the city's"), "city_only")
        if county_code is not None:
            raise InvalidInput.one("county_code", _("a city exchange names the city"), "city_only")
        if city_code is None:
            raise InvalidInput.one("city_code", _("a city exchange names the city"), "required")
        region_code = require_region(
            session, city_code, field="city_code", level=RegionLevel.CITY
        ).id
    else:
        if city_code is not None:
            raise InvalidInput.one("city_code", _("a county session names its county"), "county")
        county = region_code = acting_county(principal, county_code, field="county_code")
        require_region(session, county, field="county_code", level=RegionLevel.COUNTY)
    plan = repo.get_plan(session, principal, training_plan_id) if training_plan_id else None
    training = TrainingSession.model_validate(
        {**fields, "level": level, "region_code": region_code}
    )
    result = check_training_session(training, plan.to_domain() if plan else None)
    if not result.ok:
        raise RuleViolation(result.errors)
    return repo.create_session(
        session, training=training, county_code=county, plan_id=plan.id if plan else None
    )


def with_attendance(
    *, session: Session, principal: Principal, rows: Sequence[repo.TrainingSessionRow]
) -> list[tuple[repo.TrainingSessionRow, int]]:
    """Each session with the number of officers (in the caller's scope) who attended it."""
    counts = repo.attendance_counts(session, principal, session_ids=[r.id for r in rows])
    return [(r, counts[r.id]) for r in rows]


def _writable_session(
    session: Session, principal: Principal, training_session_id: str
) -> repo.TrainingSessionRow:
    """A session whose attendance the caller keeps: a county sees city exchanges but does not
    keep their attendance (404, as for a session it cannot see)."""
    row = repo.get_session_row(session, principal, training_session_id)
    if row.level == OfficerTrainingLevel.CITY_EXCHANGE and not principal.city_wide:
        raise NotFound(_("training session {id} not found", id=training_session_id))
    return row


def add_attendance(
    *,
    session: Session,
    principal: Principal,
    training_session_id: str,
    officer_ids: Sequence[str],
) -> repo.TrainingSessionRow:
    """OFF-TRAIN-1: a county session takes its county's officers; a city exchange session (city
    administrator) any county's. Officers already present stay once."""
    row = _writable_session(session, principal, training_session_id)
    officers = [officers_repo.get_officer(session, principal, oid) for oid in officer_ids]
    training = row.to_domain()
    findings: list[Finding] = [
        f.model_copy(update={"field": f"officer_ids[{index}]"})
        for index, officer in enumerate(officers)
        for f in check_attendance(training, officer.county_code).errors
    ]
    if findings:
        raise RuleViolation(findings)
    repo.add_attendance(session, training=row, officers=officers)
    return row


def remove_attendance(
    *, session: Session, principal: Principal, training_session_id: str, officer_id: str
) -> None:
    """Undo a mistaken attendance mark."""
    row = _writable_session(session, principal, training_session_id)
    officers_repo.get_officer(session, principal, officer_id)
    repo.remove_attendance(session, training=row, officer_id=officer_id)
