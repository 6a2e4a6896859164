"""The list envelope of every collection, the answers built from stored rows, and a list as a
file (docs/api.md, "Lists" and "List exports")."""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from typing import (
    Annotated,
    Any,
    Generic,
    Literal,
    Protocol,
    TypeVar,
    Union,
    get_args,
    get_origin,
)

from fastapi import Response
from pydantic import BaseModel

from app.domain.common import SHANGHAI
from app.domain.messages import N_
from app.errors import InvalidInput
from app.i18n import Locale, _, current, label
from app.repositories.base import Cursor, Entity, PageResult
from app.rules.reports import known_label
from app.spreadsheets import Cell, Column, Export, Sheet, text

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


# --- a list as a file (docs/api.md, "List exports") --------------------------------------------

#: The most items one file holds; a list matching more is refused (422) until filters narrow it.
EXPORT_MAX_ROWS = 100_000
#: The page size a file is gathered in: the largest page a list answers.
EXPORT_PAGE_SIZE = 500
#: A text already in the reader's language, where the spreadsheet writer takes a template.
AS_IS = N_("{text}")
YES, NO = N_("yes"), N_("no")
#: The title of each list's file and sheet, by the last segment of its path; a list not named
#: here is titled with that segment.
LIST_TITLES: dict[str, str] = {
    "activities": N_("Activities"),
    "activity-plans": N_("Activity plans"),
    "agreements": N_("Service agreements"),
    "announcements": N_("Accreditation announcements"),
    "annual-reports": N_("Annual reports"),
    "applications": N_("Applications"),
    "attachments": N_("Attachments"),
    "attendance": N_("Training attendance"),
    "attendance-refusals": N_("Refused check-ins and check-outs"),
    "audit-events": N_("Audit log"),
    "base-applications": N_("Base applications"),
    "base-policies": N_("Base policies"),
    "bases": N_("Science education bases"),
    "certificates": N_("Certificates"),
    "class-history": N_("Opening-class overrides"),
    "commendations": N_("Commendations"),
    "complaints": N_("Complaints"),
    "enrolments": N_("Enrolments"),
    "evaluations": N_("Evaluations"),
    "fund-records": N_("Fund records"),
    "history": N_("Application history"),
    "incidents": N_("Incidents"),
    "inspections": N_("Inspections"),
    "insurance-policies": N_("Insurance policies"),
    "leaders": N_("Leaders"),
    "memberships": N_("Memberships"),
    "monthly-stats": N_("Monthly statistics"),
    "notes": N_("Handling notes"),
    "notifications": N_("Notices"),
    "officer-cases": N_("Typical cases"),
    "officers": N_("Information officers"),
    "organizations": N_("Volunteer organisations"),
    "priority-list": N_("Priority list"),
    "promotions": N_("Recommendations upward"),
    "recommendation-quotas": N_("Recommendation quotas"),
    "recruitments": N_("Recruitment drives"),
    "rectification-notices": N_("Rectification notices"),
    "regions": N_("Regions"),
    "reviewers": N_("Reviewers and opinions"),
    "roster": N_("Activity roster"),
    "service-records": N_("Service records"),
    "tasks": N_("Work queue"),
    "training-plans": N_("Training plans"),
    "training-sessions": N_("Training sessions"),
    "users": N_("Users"),
    "volunteer-registrations": N_("Volunteer registrations"),
    "volunteers": N_("Volunteers"),
    "webhooks": N_("Webhook subscriptions"),
}
_SEQUENCES = (list, tuple, set, frozenset)
#: The types of the values a cell shows unchanged (checked first: most cells are one of them).
_AS_THEY_ARE = frozenset({str, int, float, Decimal, date, type(None)})
_UNIONS = (Union, types.UnionType)
#: A column: the keys leading to its value in an item as the JSON list shows it.
Path = tuple[str, ...]


class PageFetch(Protocol):
    """One page of a list, from `cursor` (the first page with `None`), counted if `first`."""

    def __call__(self, cursor: str | None, *, first: bool) -> Page[Any]: ...


def item_model(model: type[BaseModel]) -> type[BaseModel] | None:
    """The model of the items of a `Page` subclass; None for any other model."""
    if not issubclass(model, Page):
        return None
    (item,) = get_args(model.model_fields["items"].annotation) or (None,)
    return item if isinstance(item, type) and issubclass(item, BaseModel) else None


def export_columns(model: type[BaseModel]) -> tuple[Path, ...]:
    """The columns of a file of `model`: each field as the JSON list names it, a nested
    object's fields under dotted names; a mapping or a list of objects has no column, since no
    cell can show it."""
    return tuple(_paths(model, (), frozenset({model})))


def _paths(model: type[BaseModel], prefix: Path, seen: frozenset[type]) -> Iterator[Path]:
    fields = [
        (info.serialization_alias or info.alias or name, info.annotation)
        for name, info in model.model_fields.items()
        if not info.exclude
    ]
    fields += [(name, info.return_type) for name, info in model.model_computed_fields.items()]
    for key, annotation in fields:
        arms = [a for a in _arms(annotation) if a is not type(None)]
        nested = [a for a in arms if isinstance(a, type) and issubclass(a, BaseModel)]
        if len(arms) == 1 and nested:
            # A model within itself (a tree) would never end: its inner level has no column.
            if nested[0] not in seen:
                yield from _paths(nested[0], (*prefix, key), seen | {nested[0]})
        elif arms and all(_cell_type(a) for a in arms):
            yield (*prefix, key)


def _arms(annotation: Any) -> Iterator[Any]:
    """The types a union is made of (the annotation itself when it is none)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        yield from _arms(get_args(annotation)[0])
    elif origin in _UNIONS:
        for arg in get_args(annotation):
            yield from _arms(arg)
    else:
        yield annotation


def _cell_type(annotation: Any, *, inner: bool = False) -> bool:
    """Whether a cell shows a value of this type: a scalar, or (not within one) a collection
    of scalars."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _cell_type(get_args(annotation)[0], inner=inner)
    if origin in _UNIONS:
        return all(_cell_type(a, inner=inner) for a in get_args(annotation))
    if origin in _SEQUENCES and not inner:
        return all(_cell_type(a, inner=True) for a in get_args(annotation) if a is not Ellipsis)
    if origin is Literal:
        return True
    if origin is not None or not isinstance(annotation, type):
        return False
    return not issubclass(annotation, (BaseModel, Mapping, *_SEQUENCES))


def _header(path: Path) -> Column:
    names = (label(key) or key.replace("_", " ") for key in path)
    return Column(AS_IS, {"text": ".".join(names)})


def _label_of(value: Enum) -> Cell:
    template = known_label(value) if isinstance(value, StrEnum) else None
    if template is not None:
        return text(template)
    code: Cell = value.value
    return code


def _cell(value: Any) -> Cell:
    """A value of an item as a cell: an enumeration value by its label, a yes or no in words,
    an instant in Beijing time, a list joined."""
    if type(value) in _AS_THEY_ARE:
        plain: Cell = value
        return plain
    if isinstance(value, Enum):
        return _label_of(value)
    if isinstance(value, bool):
        return text(YES if value else NO)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, str | int | float | Decimal | date):
        return value
    if isinstance(value, _SEQUENCES):
        separator = "；" if current() is Locale.ZH else "; "
        return separator.join(str(c) for c in map(_cell, value) if c is not None)
    return str(value)


def _value_at(item: dict[str, Any], path: Path) -> Any:
    value: Any = item
    for key in path:
        if not isinstance(value, dict):
            return None  # a nested object that is null
        value = value.get(key)
    return value


def _too_many() -> InvalidInput:
    message = _("more than {max_rows} rows match; narrow the filters", max_rows=EXPORT_MAX_ROWS)
    return InvalidInput.one("query.format", message, "too_many_rows")


def _rows(first: Page[Any], fetch: PageFetch, paths: tuple[Path, ...]) -> Iterator[list[Cell]]:
    page, asked, count = first, None, 0
    while True:
        for item in page.model_dump(by_alias=True)["items"]:
            count += 1
            if count > EXPORT_MAX_ROWS:
                # A list that counts no total, or rows added while the file is written.
                raise _too_many()
            yield [_cell(_value_at(item, path)) for path in paths]
        if page.next_cursor is None or page.next_cursor == asked:
            return  # the last page, or a list that does not move on
        asked = page.next_cursor
        page = fetch(asked, first=False)


def list_export(fetch: PageFetch, model: type[BaseModel], segment: str) -> Export:
    """Every item of a list as one sheet, gathered page by page with the list's own filters as
    the file is written; 422 when more than `EXPORT_MAX_ROWS` match."""
    first = fetch(None, first=True)
    if first.total is not None and first.total > EXPORT_MAX_ROWS:
        raise _too_many()
    item = item_model(model)
    paths = export_columns(item) if item is not None else ()
    title = text(LIST_TITLES[segment]) if segment in LIST_TITLES else segment
    sheet = Sheet(AS_IS, [_header(p) for p in paths], _rows(first, fetch, paths), {"text": title})
    return Export(title, [sheet])
