"""Who may read and run recruitment drives and their applications (VOL-RECRUIT-1)."""

from typing import Annotated

from app.domain.access import Principal, Role
from app.routers.deps import allow

#: Drives are open to every signed-in caller, so that volunteers find them.
RecruitmentRead = Annotated[Principal, allow(*Role)]
#: The organisation's administrators (and the county and city above) open drives and decide.
RecruitmentWrite = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN)]
#: A volunteer applies for itself.
RecruitmentApply = Annotated[Principal, allow(Role.VOLUNTEER)]
#: Applications: the organisation's administrators, auditors, and a volunteer its own.
RecruitmentApplicationsRead = Annotated[
    Principal,
    allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.AUDITOR, Role.VOLUNTEER),
]
