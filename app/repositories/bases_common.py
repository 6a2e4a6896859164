"""What the bases area's repositories share: a page of the records under one parent."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement
from sqlmodel import Session

from app.repositories.base import Entity, PageRequest, PageResult
from app.repositories.scope import list_rows

E = TypeVar("E", bound=Entity)
#: A page size no parent's records reach: every record of one parent, still in id order.
ALL = 10**6


def page_under(
    session: Session,
    model: type[E],
    parent_id: str,
    page: PageRequest,
    *where: ColumnElement[bool],
    parent: str = "base_id",
) -> PageResult[E]:
    """One keyset page (id order, which is creation order) of the rows of `model` whose
    `parent` column is `parent_id`, restricted by `where`."""
    return list_rows(session, model, page, *where, equal={parent: parent_id})
