"""Incidents of harm during service: VOL-HARM-1."""

from datetime import datetime

import pytest
from pydantic import ValidationError

from app.domain.common import SHANGHAI
from app.domain.incidents import HarmedParty, Incident, IncidentStatus


def incident(**changes: object) -> Incident:
    base: dict[str, object] = {
        "activity_id": "act-1",
        "occurred_at": datetime(2025, 7, 10, 10, 30, tzinfo=SHANGHAI),
        "harmed": HarmedParty.VOLUNTEER,
        "description": "搬运展板时扭伤脚踝",
    }
    base.update(changes)
    return Incident.model_validate(base)


def test_vol_harm_1_handled_incident_records_its_handling() -> None:
    with pytest.raises(ValidationError, match="VOL-HARM-1"):
        incident(status=IncidentStatus.HANDLED, handling=" ")
    handled = incident(status=IncidentStatus.HANDLED, handling="送医并由保险理赔")
    assert handled.handling == "送医并由保险理赔"
    assert incident().status is IncidentStatus.OPEN
