"""Who may call the volunteer and organisation operations, each role set named once."""

from __future__ import annotations

from typing import Annotated

from app.domain.access import Principal, Role
from app.routers.deps import AnyUser, allow

ADMINS = (Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN)

#: Register volunteers, add members, decide on memberships, issue certificates.
VolunteersManage = Annotated[Principal, allow(*ADMINS)]
#: Read volunteers (masked), their memberships and hours: the administrators, the auditor, and a
#: volunteer itself.
VolunteersRead = Annotated[Principal, allow(*ADMINS, Role.AUDITOR, Role.VOLUNTEER)]
#: What a volunteer may do to its own record as the administrators do: edit contact details, ask
#: to join an organisation, leave one.
VolunteersSelfServe = Annotated[Principal, allow(*ADMINS, Role.VOLUNTEER)]

#: Read organisations, their tree and leaders: every signed-in caller (a volunteer chooses one).
OrganizationsRead = AnyUser
#: Create, move, rename organisations; record their registration; name and remove leaders.
OrganizationsManage = Annotated[Principal, allow(*ADMINS)]
#: Check an organisation against the rules: the administrators and the auditor.
OrganizationsAudit = Annotated[Principal, allow(*ADMINS, Role.AUDITOR)]
