"""Service agreements (VOL-AGREE-1)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from app.domain.access import Principal
from app.domain.agreements import Agreement
from app.errors import InvalidInput
from app.i18n import _
from app.repositories import agreements as repo
from app.repositories import volunteers as volunteer_repo
from app.repositories import volunteers_orgs as orgs
from app.repositories.volunteers_activities import get_activity


def record_agreement(
    *, session: Session, principal: Principal, values: Mapping[str, Any]
) -> repo.AgreementRow:
    """VOL-AGREE-1: every term stated, between a volunteer and an organisation in the caller's
    scope (and, if named, one of that organisation's activities)."""
    org = orgs.get_managed_org(session, principal, values["organization_id"])
    volunteer_repo.get_volunteer(session, principal, values["volunteer_id"])
    activity_id = values.get("activity_id")
    if activity_id is not None and get_activity(session, activity_id).organization_id != org.id:
        raise InvalidInput.one("activity_id", _("an activity of the organisation"), "mismatch")
    try:
        agreement = Agreement.model_validate(values)
    except ValidationError as exc:
        raise InvalidInput.of(exc.errors()) from exc
    return repo.create_agreement(session, org=org, agreement=agreement, activity_id=activity_id)
