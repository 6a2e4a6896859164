"""Who may read and handle complaints (VOL-SUPER-1); filing one needs no login."""

from typing import Annotated

from app.domain.access import Principal, Role
from app.routers.deps import allow

#: The handling level's administrators, the county and city above, and auditors read them.
ComplaintsRead = Annotated[
    Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.AUDITOR)
]
#: The handling level's administrators (and the county and city above) write notes and close.
ComplaintsHandle = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN)]
