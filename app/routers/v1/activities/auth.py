"""Who may do what with activities, enrolments and insurance policies (docs/volunteers.md)."""

from __future__ import annotations

from typing import Annotated

from app.domain.access import Principal, Role
from app.routers.deps import allow

#: Run activities and insurance of the organisations one administers; confirm enrolments.
ActivitiesWrite = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN)]
#: Read insurance policies: the administrators and the auditor.
InsuranceRead = Annotated[
    Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.AUDITOR)
]
#: Enrol and withdraw: a volunteer itself, or an administrator for it.
EnrolmentsWrite = Annotated[
    Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.VOLUNTEER)
]
#: Read enrolments in scope: the administrators, the auditor and the volunteer (its own).
EnrolmentsRead = Annotated[
    Principal,
    allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.AUDITOR, Role.VOLUNTEER),
]
#: VOL-DUTY-3: only the volunteer itself acknowledges an activity's risks.
RiskAcknowledge = Annotated[Principal, allow(Role.VOLUNTEER)]
#: VOL-CHECKIN-1: only the volunteer itself checks in and out, with the code on site.
Attend = Annotated[Principal, allow(Role.VOLUNTEER)]
