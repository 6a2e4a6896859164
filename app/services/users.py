"""Accounts an administrator creates and manages, each within the administrator's scope."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.domain.access import Principal, Role
from app.domain.common import Finding
from app.domain.messages import N_
from app.errors import Conflict, Forbidden, InvalidInput, RuleViolation
from app.i18n import _
from app.repositories import regions, users
from app.repositories.regions import RegionLevel
from app.repositories.scope import scope_target
from app.security.passwords import Passwords

#: Roles a county administrator may hand out, always inside its own county.
COUNTY_GRANTABLE = frozenset({Role.ORG_ADMIN, Role.BASE_STAFF, Role.VOLUNTEER})
#: The scope fields each role may carry (city-wide roles carry none).
ROLE_SCOPE_FIELDS: dict[Role, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset(),
    Role.AUDITOR: frozenset(),
    Role.REVIEWER: frozenset(),
    Role.COUNTY_ADMIN: frozenset({"county_code"}),
    Role.ORG_ADMIN: frozenset({"county_code", "organization_id"}),
    Role.BASE_STAFF: frozenset({"county_code", "base_id"}),
    Role.VOLUNTEER: frozenset({"county_code", "volunteer_id"}),
}
#: The scope field each scoped role cannot do without.
ROLE_REQUIRED_FIELD = {
    Role.COUNTY_ADMIN: "county_code",
    Role.ORG_ADMIN: "organization_id",
    Role.BASE_STAFF: "base_id",
    Role.VOLUNTEER: "volunteer_id",
}
#: The table each scope id must name a row of.
SCOPE_TABLES = {
    "organization_id": "organizations",
    "base_id": "bases",
    "volunteer_id": "volunteers",
}
#: What an unknown scope id is told.
NO_SUCH = {
    "organization_id": N_("no such organization"),
    "base_id": N_("no such base"),
    "volunteer_id": N_("no such volunteer"),
}


def _scope_county(
    session: Session, principal: Principal, role: Role, scope: dict[str, str | None]
) -> str | None:
    # The county the new account acts in: given, the county administrator's own, or the county
    # of the organisation, base or volunteer it is scoped to; each checked to exist and to lie
    # in a county administrator's county.
    for name, value in scope.items():
        if value is not None and name not in ROLE_SCOPE_FIELDS[role]:
            raise InvalidInput.one(
                name, _("not used by role {role}", role=role.value), "not_allowed"
            )
    county = scope["county_code"]
    if principal.role is Role.COUNTY_ADMIN:
        if role not in COUNTY_GRANTABLE:
            raise Forbidden(_("a county administrator cannot create a {role}", role=role.value))
        if county is not None and county != principal.county_code:
            raise InvalidInput.one("county_code", _("outside your county"), "out_of_scope")
        county = principal.county_code
    if county is not None:
        regions.require_region(session, county, field="county_code", level=RegionLevel.COUNTY)
    for name, table in SCOPE_TABLES.items():
        target = scope[name]
        if target is None:
            continue
        found, target_county = scope_target(session, table, target)
        if not found:
            raise InvalidInput.one(name, _(NO_SUCH[name]), "unknown")
        if principal.role is Role.COUNTY_ADMIN and target_county != principal.county_code:
            raise InvalidInput.one(name, _("outside your county"), "out_of_scope")
        county = county or target_county
    required = ROLE_REQUIRED_FIELD.get(role)
    if required is not None and {**scope, "county_code": county}[required] is None:
        raise InvalidInput.one(required, _("required for role {role}", role=role.value), "required")
    return county


def create_user(
    *,
    session: Session,
    principal: Principal,
    passwords: Passwords,
    username: str,
    password: str,
    role: Role,
    display_name: str,
    scope: dict[str, str | None],
) -> users.User:
    """A new account whose scope (`county_code`, `organization_id`, `base_id`,
    `volunteer_id`) fits its role and lies within the caller's; a volunteer has one login at
    most (VOL-REG-2, 409)."""
    county = _scope_county(session, principal, role, scope)
    volunteer = scope["volunteer_id"]
    if volunteer is not None and users.login_of_volunteer(session, volunteer) is not None:
        message = N_("this volunteer has a login already; give it a new password instead")
        found = Finding(
            rule="VOL-REG-2", code="login_exists", message=message, field="volunteer_id"
        )
        raise RuleViolation([found], status=409)
    return users.create_user(
        session,
        username=username,
        password_hash=passwords.hash(password),
        role=role,
        display_name=display_name,
        county_code=county,
        org_id=scope["organization_id"],
        base_id=scope["base_id"],
        volunteer_id=scope["volunteer_id"],
    )


def user_to_manage(*, session: Session, principal: Principal, user_id: str) -> users.User:
    """An account the caller may change: in its scope (else 404) and, for a county
    administrator, an organisation, base or volunteer account (else 403)."""
    user = users.get_user(session, principal, user_id)
    if principal.role is Role.COUNTY_ADMIN and Role(user.role) not in COUNTY_GRANTABLE:
        raise Forbidden(_("a county administrator cannot change a {role}", role=user.role))
    return user


def reset_password(
    *, session: Session, passwords: Passwords, username: str, password: str, now: datetime
) -> users.User | None:
    """The way back for a lost password (the CLI's `reset-password`): a new password, the
    account active again and unlocked, every earlier login ended; None for no such user."""
    user = users.get_by_username(session, username)
    if user is None:
        return None
    users.update_user(session, user, {"password_hash": passwords.hash(password), "is_active": True})
    users.clear_throttle(session, username)
    users.revoke_all_logins(session, user.id, now)
    return user


def update_user(
    *,
    session: Session,
    passwords: Passwords,
    user: users.User,
    changes: dict[str, Any],
    now: datetime,
) -> users.User:
    """Change name, activity or password; a new password or a deactivation ends every login.
    The last active city administrator is never deactivated (409): nobody could administer
    the service after it."""
    last_admin = user.role == Role.CITY_ADMIN.value and user.is_active
    if changes.get("is_active") is False and last_admin and users.active_city_admins(session) <= 1:
        raise Conflict(_("the last active city administrator cannot be deactivated"))
    password = changes.pop("password", None)
    if password is not None:
        changes["password_hash"] = passwords.hash(password)
    users.update_user(session, user, changes)
    if password is not None or changes.get("is_active") is False:
        users.revoke_all_logins(session, user.id, now)
    return user
