"""Recruitment drives and applications to them (VOL-RECRUIT-1, VOL-REG-2)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from app.domain.access import Principal
from app.domain.recruitment import Recruitment, RecruitmentApplicationStatus
from app.errors import InvalidInput, RuleViolation
from app.repositories import recruitment as repo
from app.repositories import volunteers as volunteer_repo
from app.repositories import volunteers_orgs as orgs
from app.rules.recruitment import check_application, check_decision, check_recruitment


def open_recruitment(
    *, session: Session, principal: Principal, values: Mapping[str, Any]
) -> repo.RecruitmentRow:
    """VOL-RECRUIT-1: a drive of an organisation the caller administers, if its terms are met."""
    org = orgs.get_managed_org(session, principal, values["organization_id"])
    try:
        drive = Recruitment.model_validate(values)
    except ValidationError as exc:
        raise InvalidInput.of(exc.errors()) from exc
    result = check_recruitment(drive)
    if not result.ok:
        raise RuleViolation(result.errors)
    return repo.create_recruitment(
        session, org=org, values={k: v for k, v in values.items() if k != "organization_id"}
    )


def apply(
    *, session: Session, principal: Principal, recruitment_id: str, today: date
) -> repo.RecruitmentApplicationRow:
    """VOL-RECRUIT-1: the calling volunteer applies to an open drive (409 when it is not)."""
    drive = repo.get_recruitment(session, recruitment_id)
    result = check_application(drive.to_domain(), today)
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    return repo.create_application(session, drive=drive, volunteer_id=principal.volunteer_id or "")


def decide(
    *,
    session: Session,
    principal: Principal,
    recruitment_id: str,
    application_id: str,
    accept: bool,
    now: datetime,
) -> repo.RecruitmentApplicationRow:
    """VOL-RECRUIT-1, VOL-REG-2: accept (the volunteer joins the drive's organisation, never
    after expulsion) or decline a pending application."""
    row = repo.get_application(session, principal, recruitment_id, application_id, lock=True)
    result = check_decision(RecruitmentApplicationStatus(row.status))
    if not result.ok:
        raise RuleViolation(result.errors, status=409)
    drive = repo.get_recruitment(session, recruitment_id)
    org = orgs.get_managed_org(session, principal, drive.organization_id)
    if accept:
        volunteer_repo.serve(
            session,
            volunteer_id=row.volunteer_id,
            org=org,
            by=principal.user_id,
            at=now,
            reason=f"recruitment {drive.title}",
        )
    status = (
        RecruitmentApplicationStatus.ACCEPTED if accept else RecruitmentApplicationStatus.DECLINED
    )
    return repo.set_application_status(session, row, status)
