"""Who is calling: roles and the scope a principal acts in."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Role(StrEnum):
    """The roles of issue 2; each maps to one kind of scope."""

    CITY_ADMIN = "city_admin"
    COUNTY_ADMIN = "county_admin"
    ORG_ADMIN = "org_admin"
    BASE_STAFF = "base_staff"
    REVIEWER = "reviewer"
    AUDITOR = "auditor"
    VOLUNTEER = "volunteer"


#: Roles that see every record of the city.
CITY_WIDE = frozenset({Role.CITY_ADMIN, Role.AUDITOR})
#: Every role; for endpoints any signed-in user may call.
ANY_ROLE = frozenset(Role)


class Principal(BaseModel):
    """The authenticated caller and its scope: a county, an organisation subtree or a base."""

    model_config = ConfigDict(frozen=True)

    user_id: str
    username: str
    role: Role
    session_id: str
    county_code: str | None = None
    org_id: str | None = None
    org_path: str | None = None
    base_id: str | None = None
    volunteer_id: str | None = None

    @property
    def city_wide(self) -> bool:
        """True for roles whose scope is the whole city."""
        return self.role in CITY_WIDE


#: Who may see the full value of a resource's personal data (VOL-DUTY-1): the one table of
#: need-to-know, by the resource name of the change feed. A role not listed is refused (403);
#: a caller outside the row's scope never gets that far (404).
REVEALERS: dict[str, frozenset[Role]] = {
    "volunteer": frozenset({Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.ORG_ADMIN, Role.VOLUNTEER}),
    "officer": frozenset({Role.CITY_ADMIN, Role.COUNTY_ADMIN}),
    "base": frozenset({Role.CITY_ADMIN, Role.BASE_STAFF}),
    "complaint": frozenset({Role.CITY_ADMIN}),
}


def may_reveal(principal: Principal, resource: str) -> bool:
    """VOL-DUTY-1: whether the caller's role has a need to know `resource`'s personal data."""
    return principal.role in REVEALERS.get(resource, frozenset())
