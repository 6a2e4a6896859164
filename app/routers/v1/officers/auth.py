"""Who may call the officer area's operations (docs/officers.md), each role set declared once."""

from __future__ import annotations

from typing import Annotated

from app.domain.access import Principal, Role
from app.routers.deps import allow

#: Read the register, figures, training, plans, cases and ledgers (each within its scope).
OfficersRead = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.AUDITOR)]
#: Register officers, import figures, keep training and activity plans.
OfficersWrite = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN)]
#: Report a case to the city: a county administrator, for its own county (OFF-CASE-1).
OfficerCasesReport = Annotated[Principal, allow(Role.COUNTY_ADMIN)]
#: Read, reply to and feature the counties' cases: the city (OFF-CASE-1).
OfficerCasesHandle = Annotated[Principal, allow(Role.CITY_ADMIN)]
#: The city's comparison of its counties (OFF-KPI-1).
ScorecardsRead = Annotated[Principal, allow(Role.CITY_ADMIN, Role.AUDITOR)]
