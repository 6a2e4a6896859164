"""The query parameters of the lists people browse (issue 15): `q` finds items by name, `sort`
orders them (docs/api.md, "Search and sort")."""

from __future__ import annotations

from typing import Annotated, TypeVar

from fastapi import Query

from app.domain.common import ListSort

SortT = TypeVar("SortT", bound=ListSort)

#: `?q=`: the items whose name (an activity's title) starts with it, or whose pinyin initials do.
NameQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        description="Items whose name (an activity's: title) starts with this, as 李 finds 李明; "
        "Latin letters and digits alone also match the start of the name's pinyin initials, "
        "as lm finds 李明. Latin letters in either case.",
    ),
]

#: `?sort=`: one of the orders a list offers (its own `ListSort` enum).
SortQuery = Annotated[
    SortT | None,
    Query(
        description="Order of the items: by a field, descending after `-`, the id breaking ties; "
        "by name: by the pinyin initials, then the name. Without it, creation order. A cursor "
        "is valid only with the sort it was made with.",
    ),
]
