"""Who may download the reports (docs/reports.md), each role set declared once."""

from __future__ import annotations

from typing import Annotated

from app.domain.access import Principal, Role
from app.routers.deps import allow

#: The volunteer service of a year and the hours sheet of a team: the administrators (a county
#: its county, an organisation administrator its subtree) and the auditor.
VolunteerReportsRead = Annotated[
    Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.AUDITOR)
]
#: The yearly compliance of the bases: who reads the compliance dashboard.
BaseReportsRead = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.AUDITOR)]
