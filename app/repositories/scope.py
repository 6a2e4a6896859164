"""Row-level scope: which rows a principal may see, as one SQL clause per role.

The only ways a repository reads a row by id or lists rows for a caller: `get_in_scope` and
`list_in_scope` (outside the scope is always 404, never 403), and `find_or_404`, `list_rows` and
`rows_in` for reads that no principal restricts (public pages, rows already checked through
their parent)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlmodel import Session, SQLModel, col
from sqlmodel import select as select_rows

from app.domain.access import Principal, Role
from app.errors import NotFound
from app.i18n import _
from app.repositories.base import Entity, PageRequest, PageResult, paginate, where_equal

S = TypeVar("S", bound=Select[Any])
E = TypeVar("E", bound=Entity)


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


def _not_found(model: type[Entity], row_id: str) -> NotFound:
    resource = model.__resource__ or str(model.__tablename__)
    return NotFound(_("{resource} {id} not found", resource=resource, id=row_id))


def find_or_404(session: Session, model: type[E], row_id: str, *, lock: bool = False) -> E:
    """The row of `model` with this id, whoever asks; 404 when there is none."""
    stmt = select_rows(model).where(col(model.id) == row_id)
    row = session.exec(stmt.with_for_update() if lock else stmt).first()
    if row is None:
        raise _not_found(model, row_id)
    return row


def rows_in(session: Session, model: type[E], name: str, values: Iterable[str]) -> list[E]:
    """The rows of `model` whose column `name` is one of `values`, in id order, in one query."""
    wanted = list(set(values))
    if not wanted:
        return []
    stmt = select_rows(model).where(col(getattr(model, name)).in_(wanted)).order_by(col(model.id))
    return list(session.exec(stmt).all())


def get_in_scope(
    session: Session, principal: Principal, model: type[E], row_id: str, *, lock: bool = False
) -> E:
    """The row of `model` with this id if the principal may see it; 404 otherwise, so a caller
    cannot tell another county's row from a missing one."""
    stmt = select_rows(model).where(col(model.id) == row_id, scope_clause(principal, model))
    row = session.exec(stmt.with_for_update() if lock else stmt).first()
    if row is None:
        raise _not_found(model, row_id)
    return row


def list_in_scope(
    session: Session,
    principal: Principal,
    model: type[E],
    page: PageRequest,
    *where: ColumnElement[bool],
    equal: Mapping[str, Any] | None = None,
) -> PageResult[E]:
    """One keyset page of the rows of `model` the principal may see, restricted by `where` and
    by `equal` (as `where_equal`: a `None` value is no filter, an enum compares by its value)."""
    return list_rows(session, model, page, scope_clause(principal, model), *where, equal=equal)


def list_rows(
    session: Session,
    model: type[E],
    page: PageRequest,
    *where: ColumnElement[bool],
    equal: Mapping[str, Any] | None = None,
) -> PageResult[E]:
    """One keyset page of the rows of `model`, whoever asks, restricted by `where` and by `equal`
    (as `where_equal`)."""
    stmt = where_equal(select_rows(model).where(*where), model, equal or {})
    return paginate(session, stmt, model.id, page)  # type: ignore[arg-type]
