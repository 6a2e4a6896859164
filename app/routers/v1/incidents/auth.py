"""Who may read and record incidents (VOL-HARM-1)."""

from typing import Annotated

from app.domain.access import Principal, Role
from app.routers.deps import allow

#: The organisation's administrators, the county and city above, and auditors read them.
IncidentsRead = Annotated[
    Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.AUDITOR)
]
#: The organisation's administrators (and the county and city above) record and handle them.
IncidentsWrite = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN)]
