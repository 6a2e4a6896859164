"""Who may read and record agreements (VOL-AGREE-1)."""

from typing import Annotated

from app.domain.access import Principal, Role
from app.routers.deps import allow

#: Any signed-in caller asks; each sees its scope's agreements (a volunteer its own).
AgreementsRead = Annotated[Principal, allow(*Role)]
#: The organisation's administrators (and the county and city above) record them.
AgreementsWrite = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN)]
