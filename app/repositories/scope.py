"""Row-level scope: which rows a principal may see, as one SQL clause per role (issue 2)."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlmodel import Session, SQLModel

from app.domain.access import Principal, Role

S = TypeVar("S", bound=Select[Any])


class CustomScope(Protocol):
    """A table that decides its own scope clause instead of the column convention."""

    @classmethod
    def scope_clause(cls, principal: Principal) -> ColumnElement[bool]:
        """The clause selecting the rows `principal` may see."""
        ...


def scope_clause(principal: Principal, model: Any) -> ColumnElement[bool]:
    """The model's own `scope_clause` if it has one, else the column convention."""
    custom = getattr(model, "scope_clause", None)
    if custom is not None:
        clause: ColumnElement[bool] = custom(principal)
        return clause
    return convention_clause(principal, model)


def convention_clause(principal: Principal, model: Any) -> ColumnElement[bool]:
    """County admins by `county_code`, organisation admins by `org_path` prefix (or `org_id`),
    base staff by `base_id`, volunteers by `volunteer_id`, anyone else by `owner_id`."""
    if principal.city_wide:
        return true()
    columns = model.__table__.c
    if principal.role is Role.COUNTY_ADMIN and "county_code" in columns:
        return columns.county_code == principal.county_code  # type: ignore[no-any-return]
    if principal.role is Role.ORG_ADMIN:
        if "org_path" in columns and principal.org_path:
            return columns.org_path.startswith(principal.org_path)  # type: ignore[no-any-return]
        if "org_id" in columns:
            return columns.org_id == principal.org_id  # type: ignore[no-any-return]
    if principal.role is Role.BASE_STAFF and "base_id" in columns:
        return columns.base_id == principal.base_id  # type: ignore[no-any-return]
    if principal.role is Role.VOLUNTEER and "volunteer_id" in columns:
        return columns.volunteer_id == principal.volunteer_id  # type: ignore[no-any-return]
    if "owner_id" in columns:
        return columns.owner_id == principal.user_id  # type: ignore[no-any-return]
    return false()


def scoped(stmt: S, principal: Principal, model: Any) -> S:
    """`stmt` restricted to the rows of `model` that the principal may see."""
    return stmt.where(scope_clause(principal, model))


def org_path(session: Session, org_id: str) -> str | None:
    """The materialised path of an organisation (`/root/.../id/`), when organisations exist."""
    table = SQLModel.metadata.tables.get("organizations")
    if table is None or "path" not in table.c:
        return None
    value = session.execute(select(table.c.path).where(table.c.id == org_id)).scalar_one_or_none()
    return None if value is None else str(value)


def scope_target(session: Session, table_name: str, row_id: str) -> tuple[bool, str | None]:
    """Whether a scope row (organisation, base, volunteer) exists, and the county it lies in."""
    table = SQLModel.metadata.tables.get(table_name)
    if table is None:
        return False, None
    has_county = "county_code" in table.c
    columns = [table.c.id, table.c.county_code] if has_county else [table.c.id]
    row = session.execute(select(*columns).where(table.c.id == row_id)).first()
    if row is None:
        return False, None
    return True, (row[1] if has_county else None)
