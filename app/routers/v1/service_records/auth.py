"""Who may do what with service records and certificates (docs/volunteers.md)."""

from __future__ import annotations

from typing import Annotated

from app.domain.access import Principal, Role
from app.routers.deps import allow

#: Record, confirm, correct and void hours; issue and void certificates.
RecordsWrite = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN)]
#: Read records and certificates in scope: the administrators, the auditor, the volunteer.
RecordsRead = Annotated[
    Principal,
    allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.AUDITOR, Role.VOLUNTEER),
]
#: Attach evidence to a record awaiting confirmation: the administrators, and the volunteer on
#: the hours it declared (VOL-SELF-1).
EvidenceWrite = Annotated[
    Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.VOLUNTEER)
]
