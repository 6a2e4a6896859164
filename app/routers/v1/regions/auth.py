"""Who may extend the region tree (role sets, declared once); every signed-in caller reads it."""

from __future__ import annotations

from typing import Annotated

from app.domain.access import Principal, Role
from app.routers.deps import AnyUser, allow

#: Read the tree: anyone signed in.
RegionsRead = AnyUser
#: Add townships and villages: the city administrator.
RegionsWrite = Annotated[Principal, allow(Role.CITY_ADMIN)]
