"""The list envelope of every collection (docs/api.md, "Lists")."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """`items`, the cursor of the next page (null on the last), and `total` when asked for."""

    items: list[T]
    next_cursor: str | None
    total: int | None = None
