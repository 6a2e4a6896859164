"""The list envelope of every collection and the answers built from stored rows (docs/api.md,
"Lists")."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from fastapi import Response
from pydantic import BaseModel

from app.repositories.base import Cursor, Entity, PageResult

T = TypeVar("T")
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


def page_of(model: type[M], result: PageResult[Any]) -> Page[M]:
    """A repository's page of rows, each in its public model."""
    return Page(
        items=[model.model_validate(r, from_attributes=True) for r in result.items],
        next_cursor=result.next_cursor,
        total=result.total,
    )


def upserted(response: Response, location: str, row: Entity, *, created: bool) -> None:
    """A `PUT` that stored its resource: 201 with `Location` when it created it, else 200; its
    `ETag` either way. The spec declares both answers of every route that calls this."""
    if created:
        response.status_code = 201
        response.headers["Location"] = location
    response.headers["ETag"] = row.etag


def created(response: Response, location: str, row: Entity, model: type[M]) -> M:
    """A created row in its public model, with its `Location` and `ETag`."""
    response.headers["Location"] = location
    response.headers["ETag"] = row.etag
    return model.model_validate(row, from_attributes=True)
