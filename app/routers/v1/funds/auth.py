"""Who may read and record fund records (VOL-FUND-1)."""

from typing import Annotated

from app.domain.access import Principal, Role
from app.routers.deps import allow

#: The organisation's administrators, the county and city above, and auditors read them.
FundsRead = Annotated[
    Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.AUDITOR)
]
#: The organisation's administrators (and the county and city above) record them.
FundsWrite = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN)]
