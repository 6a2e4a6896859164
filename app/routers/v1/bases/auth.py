"""Who may do what in the bases area: each role set named by what it allows, declared once."""

from __future__ import annotations

from typing import Annotated

from app.domain.access import Principal, Role
from app.routers.deps import AnyUser, allow

#: Read bases and their records: the city, a county (its own), a base's staff (its own), audit.
BasesRead = Annotated[
    Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.BASE_STAFF, Role.AUDITOR)
]
#: Keep a base's records (profile, statistics, activities, reports, evidence).
BasesWrite = Annotated[Principal, allow(Role.CITY_ADMIN, Role.BASE_STAFF)]
#: Oversee bases: evaluate, inspect, recommend, issue notices, revoke.
BasesOversee = Annotated[Principal, allow(Role.CITY_ADMIN)]
#: Read the compliance dashboard.
BasesDashboard = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.AUDITOR)]
#: Read applications: the city, a county, reviewers (their assignments), audit, a base's staff.
ApplicationsRead = Annotated[
    Principal,
    allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.REVIEWER, Role.AUDITOR, Role.BASE_STAFF),
]
#: Enter and submit applications: the city association and, for its recommendations, a county.
ApplicationsWrite = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN)]
#: Run the review: assign reviewers, record the inspection, decide.
ApplicationsDecide = Annotated[Principal, allow(Role.CITY_ADMIN)]
#: Give a review opinion.
ApplicationsReview = Annotated[Principal, allow(Role.REVIEWER)]
#: Read recommendation quotas.
QuotasRead = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.AUDITOR)]
#: Set recommendation quotas.
QuotasWrite = Annotated[Principal, allow(Role.CITY_ADMIN)]
#: Read base policies: every signed-in user.
PoliciesRead = AnyUser
#: Add base policies.
PoliciesWrite = Annotated[Principal, allow(Role.CITY_ADMIN)]
