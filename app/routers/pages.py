"""The list envelope of every collection and the answers built from stored rows (docs/api.md,
"Lists")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from fastapi import Response
from pydantic import BaseModel

from app.repositories.base import Cursor, Entity, PageResult

T = TypeVar("T")
R = TypeVar("R")
M = TypeVar("M", bound=BaseModel)


class Page(BaseModel, Generic[T]):
    """`items`, the cursor of the next page (null on the last), and `total` when asked for."""

    items: list[T]
    next_cursor: Cursor | None
    total: int | None = None

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        """`Page[VolunteerPublic]` is `VolunteerPublicPage` in the spec and generated clients."""
        return "".join(getattr(p, "__name__", str(p)) for p in params) + "Page"


def page_map(convert: Callable[[R], T], result: PageResult[R]) -> Page[T]:
    """A repository's page with each item answered as `convert` makes it (a public `of`)."""
    return Page(
        items=[convert(r) for r in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


def page_of(model: type[M], result: PageResult[Any]) -> Page[M]:
    """A repository's page of rows, each in its public model."""
    return page_map(lambda r: model.model_validate(r, from_attributes=True), result)


def upserted(response: Response, location: str, row: Entity, *, created: bool) -> None:
    """A `PUT` that stored its resource: 201 with `Location` when it created it, else 200; its
    `ETag` either way. The spec declares both answers of every route that calls this."""
    if created:
        response.status_code = 201
        mark_created(response, location, row)
    else:
        response.headers["ETag"] = row.etag


def mark_created(response: Response, location: str, row: Entity) -> None:
    """Put a created row's `Location` and `ETag` on the response."""
    response.headers["Location"] = location
    response.headers["ETag"] = row.etag


def created(response: Response, location: str, row: Entity, model: type[M]) -> M:
    """A created row in its public model, with its `Location` and `ETag`."""
    mark_created(response, location, row)
    return model.model_validate(row, from_attributes=True)
