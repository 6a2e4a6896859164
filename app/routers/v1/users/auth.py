"""Who may manage and read accounts (role sets, declared once)."""

from __future__ import annotations

from typing import Annotated

from app.domain.access import Principal, Role
from app.routers.deps import allow

#: Create and change accounts: the city, and a county administrator within its county.
UsersWrite = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN)]
#: Read accounts: the administrators, and the auditor.
UsersRead = Annotated[Principal, allow(Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.AUDITOR)]
