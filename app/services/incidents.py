"""Incidents of harm during service and their handling (VOL-HARM-1)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from app.domain.access import Principal
from app.domain.incidents import Incident, IncidentStatus
from app.errors import InvalidInput
from app.repositories import incidents as repo
from app.repositories import volunteers_orgs as orgs
from app.repositories.volunteers_activities import get_activity


def _incident(values: Mapping[str, Any]) -> Incident:
    try:
        return Incident.model_validate(values)
    except ValidationError as exc:
        raise InvalidInput.of(exc.errors()) from exc


def record_incident(
    *, session: Session, principal: Principal, values: Mapping[str, Any]
) -> repo.IncidentRow:
    """VOL-HARM-1: harm in an activity of an organisation the caller administers; handled at
    once when the handling is given."""
    activity = get_activity(session, values["activity_id"])
    org = orgs.get_managed_org(session, principal, activity.organization_id)
    handled = values.get("handling") is not None
    incident = _incident(
        {
            **{k: v for k, v in values.items() if k != "volunteer_id"},
            "status": IncidentStatus.HANDLED if handled else IncidentStatus.OPEN,
        }
    )
    return repo.create_incident(
        session, org=org, incident=incident, volunteer_id=values.get("volunteer_id")
    )


def handle_incident(
    *, session: Session, principal: Principal, incident_id: str, handling: str
) -> repo.IncidentRow:
    """VOL-HARM-1: record how an incident was handled (again, to amend it)."""
    row = repo.get_incident(session, principal, incident_id, lock=True)
    incident = _incident(
        row.to_domain().model_dump() | {"status": IncidentStatus.HANDLED, "handling": handling}
    )
    return repo.record_handling(session, row, incident)
