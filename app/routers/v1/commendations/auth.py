"""Who may read and record commendations and read the priority list (VOL-HONOUR-1)."""

from typing import Annotated

from app.domain.access import Principal, Role
from app.routers.deps import allow

#: The organisation's administrators, the county and city above, and auditors read them.
CommendationsRead = Annotated[
    Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.AUDITOR)
]
#: The organisation's administrators (and the county and city above) award them.
CommendationsWrite = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN)]
