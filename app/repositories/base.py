"""Table conventions: ids, timestamps, optimistic versions, the change feed and keyset pages."""

from __future__ import annotations

import json
import re
from base64 import urlsafe_b64decode, urlsafe_b64encode
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from functools import cache
from inspect import signature as inspect_signature
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from pydantic import StringConstraints, WithJsonSchema
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ColumnElement,
    Integer,
    Select,
    Table,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.orm import Mapped, declared_attr
from sqlmodel import Field, Session, SQLModel, col
from sqlmodel.sql.expression import SelectOfScalar

from app.domain.common import ListSort
from app.errors import InvalidInput
from app.i18n import _
from app.ids import new_id
from app.repositories.pinyin import INITIALS_LENGTH, initials_of
from app.repositories.types import UTCDateTime, is_redacted, utcnow

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: The key PostgreSQL writers lock so change-feed sequence numbers commit in order.
FEED_LOCK_KEY = 0x6B657075
REDACTED = "[redacted]"


V = TypeVar("V")
M = TypeVar("M", bound=SQLModel)


def presigned(factory: Callable[[], V]) -> Callable[[], V]:
    """`factory` as a default factory whose signature is computed once: pydantic inspects the
    signature of every default factory on every construction of a table model (a third of the
    cost of building an `Entity`), and a precomputed `__signature__` makes that a lookup."""

    def call() -> V:
        return factory()

    call.__signature__ = inspect_signature(call)  # type: ignore[attr-defined]
    return call


class Entity(SQLModel):
    """Columns every resource table has; `version` is the optimistic lock behind ETag/If-Match."""

    __resource__: ClassVar[str | None] = None
    #: The columns naming the resources this one's URL sits under (an enrolment's activity):
    #: change events carry their values, so a client builds the URL without another lookup.
    __parents__: ClassVar[tuple[str, ...]] = ()

    id: str = Field(default_factory=presigned(new_id), primary_key=True, max_length=26)
    created_at: datetime = Field(default_factory=presigned(utcnow), sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=presigned(utcnow), sa_type=UTCDateTime, index=True)
    version: int = Field(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy's declared_attr
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]

    @property
    def etag(self) -> str:
        """The strong ETag of this version."""
        return f'"{self.version}"'


class Searchable(Entity):
    """An entity people find by name (`q`) and sort by it (`sort=name`): `initials` holds the
    pinyin initials of its `__name_column__` (`initials_of`), written with the name by every
    flush and by `insert_entities`, and indexed for the order by name."""

    #: The column people know a row by: its name, or an activity's title.
    __name_column__: ClassVar[str] = "name"

    # The server default keeps a plain SQL insert that names no initials (the benchmark's
    # loader) working; such a row is found by its name only.
    initials: str = Field(
        default="",
        max_length=INITIALS_LENGTH,
        index=True,
        sa_column_kwargs={"server_default": ""},
    )


#: Checks a stored row against the request's `If-Match` (412 when stale).
VersionCheck = Callable[[Entity], None]


class ChangeEvent(SQLModel, table=True):
    """One create/update/delete (the change feed) or reveal (audit only), with actor and diff."""

    __tablename__ = "change_events"

    seq: int | None = Field(
        default=None,
        sa_column=Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    )
    resource: str = Field(max_length=64)
    resource_id: str = Field(max_length=64)
    op: str = Field(max_length=16)
    at: datetime = Field(default_factory=presigned(utcnow), sa_type=UTCDateTime)
    actor_id: str | None = Field(default=None, max_length=26)
    county_code: str | None = Field(default=None, max_length=12, index=True)
    org_path: str | None = Field(default=None, max_length=512, index=True)
    base_id: str | None = Field(default=None, max_length=26, index=True)
    owner_id: str | None = Field(default=None, max_length=26, index=True)
    #: The resource's version after the change (its ETag), and its parents' ids (`__parents__`).
    version: int | None = None
    parents: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    diff: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return REDACTED
    return value


def _redacted(obj: Entity, name: str) -> bool:
    column = obj.__table__.c.get(name)  # type: ignore[attr-defined]
    return column is not None and is_redacted(column)


def _columns(obj: Entity) -> list[str]:
    return [c.key for c in obj.__table__.columns if c.key != "version"]  # type: ignore[attr-defined]


@cache
def _snapshot_plan(table: Table) -> tuple[tuple[str, bool], ...]:
    """The columns a snapshot shows, in table order, each with whether it is redacted."""
    return tuple((c.key, is_redacted(c)) for c in table.columns if c.key != "version")


def _snapshot(obj: Entity) -> dict[str, Any]:
    return {
        name: REDACTED if redacted else _jsonable(getattr(obj, name))
        for name, redacted in _snapshot_plan(obj.__table__)  # type: ignore[attr-defined]
    }


def _update_diff(obj: Entity) -> dict[str, Any] | None:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name in _columns(obj):
        if name == "updated_at":
            continue
        hist = state.attrs[name].history
        if not hist.added and not hist.deleted:
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if old == new:
            continue
        redact = _redacted(obj, name)
        before[name] = REDACTED if redact else _jsonable(old)
        after[name] = REDACTED if redact else _jsonable(new)
    return {"before": before, "after": after} if after else None


def _event(session: Session, obj: Entity, op: str, diff: dict[str, Any] | None) -> ChangeEvent:
    return ChangeEvent(
        resource=obj.__resource__ or str(obj.__tablename__),
        resource_id=obj.id,
        op=op,
        actor_id=session.info.get("actor_id"),
        diff=diff,
        county_code=getattr(obj, "county_code", None),
        org_path=getattr(obj, "org_path", None),
        base_id=getattr(obj, "base_id", None),
        owner_id=getattr(obj, "owner_id", None),
        # The version counter moves in the flush after this hook: an update's is the next one.
        version=(obj.version or 1) + (1 if op == "update" else 0),
        parents={name: getattr(obj, name) for name in obj.__parents__} or None,
    )


@event.listens_for(Session, "before_flush")
def _record_changes(session: Session, _ctx: Any, _instances: Any) -> None:
    """Append a change event for every tracked write, in the same transaction (issue 2 feed)."""
    # First, so that the events show the initials the rows are written with.
    _keep_initials(session)
    now = utcnow()
    events: list[ChangeEvent] = []
    for obj in session.new:
        if isinstance(obj, Entity) and obj.__resource__:
            events.append(_event(session, obj, "create", {"after": _snapshot(obj)}))
    for obj in session.dirty:
        if isinstance(obj, Entity) and obj.__resource__ and session.is_modified(obj):
            diff = _update_diff(obj)
            if diff is not None:
                obj.updated_at = now
                events.append(_event(session, obj, "update", diff))
    for obj in session.deleted:
        if isinstance(obj, Entity) and obj.__resource__:
            events.append(_event(session, obj, "delete", {"before": _snapshot(obj)}))
    if events:
        lock_feed(session)
        session.add_all(events)


def _keep_initials(session: Session) -> None:
    """Give every new row, and every row whose name changed, the initials of its name."""
    for obj in session.new:
        if isinstance(obj, Searchable):
            obj.initials = initials_of(getattr(obj, obj.__name_column__) or "")
    for obj in session.dirty:
        if isinstance(obj, Searchable):
            name = obj.__name_column__
            if inspect(obj).attrs[name].history.has_changes():
                obj.initials = initials_of(getattr(obj, name) or "")


def save(session: Session, row: M) -> M:
    """Write a new or changed row now (a flush in the request's unit of work), so its id,
    version and change event exist before the caller goes on; returns the row."""
    session.add(row)
    session.flush()
    return row


def lock_feed(session: Session) -> None:
    """On PostgreSQL, serialise feed writers so seq order is commit order (once a transaction)."""
    if session.info.get("feed_locked"):
        return
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.connection().exec_driver_sql(f"SELECT pg_advisory_xact_lock({FEED_LOCK_KEY})")
    session.info["feed_locked"] = True


@event.listens_for(Session, "after_transaction_end")
def _reset_lock_flag(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop("feed_locked", None)


def record_event(
    session: Session,
    *,
    resource: str,
    resource_id: str,
    op: str,
    diff: dict[str, Any] | None = None,
    county_code: str | None = None,
    org_path: str | None = None,
    base_id: str | None = None,
    owner_id: str | None = None,
) -> None:
    """Append an event that no ORM write produces (bulk paths, reveals of personal data)."""
    lock_feed(session)
    session.add(
        ChangeEvent(
            resource=resource,
            resource_id=resource_id,
            op=op,
            actor_id=session.info.get("actor_id"),
            diff=diff,
            county_code=county_code,
            org_path=org_path,
            base_id=base_id,
            owner_id=owner_id,
        )
    )


def insert_entities(
    session: Session,
    entity: type[Entity],
    rows: Sequence[dict[str, Any]],
    *,
    owner_key: str | None = None,
) -> list[str]:
    """Insert new rows of `entity` with one `executemany`, and, for a resource, their `create`
    events with a second: the events a flush of the same objects would write, diff included.

    Each row gives every column but `id` (made here unless given), `created_at`, `updated_at`,
    `version` and a `Searchable` entity's `initials`; `owner_key` names the value behind the
    entity's `owner_id` property. Bulk paths use this where an ORM object and its flush per row
    cost more than the work itself. Returns the ids, in row order.
    """
    if not rows:
        return []
    table: Table = entity.__table__  # type: ignore[attr-defined]
    now = utcnow()
    stamped = [
        {**row, "id": row.get("id") or new_id(), "created_at": now, "updated_at": now, "version": 1}
        for row in rows
    ]
    if issubclass(entity, Searchable):
        for row in stamped:
            row["initials"] = initials_of(row[entity.__name_column__])
    session.flush()
    session.execute(insert(table), stamped)
    resource = entity.__resource__
    if resource:
        actor = session.info.get("actor_id")
        scoped = [name for name in ("county_code", "org_path", "base_id") if name in table.c]
        events = [
            {
                "resource": resource,
                "resource_id": row["id"],
                "op": "create",
                "at": now,
                "actor_id": actor,
                "diff": {"after": _snapshot_of(table, row)},
                "county_code": None,
                "org_path": None,
                "base_id": None,
                **{name: row[name] for name in scoped},
                "owner_id": row[owner_key] if owner_key else None,
                "version": 1,
                "parents": {name: row[name] for name in entity.__parents__} or None,
            }
            for row in stamped
        ]
        lock_feed(session)
        session.execute(insert(ChangeEvent.__table__), events)  # type: ignore[attr-defined]
    return [row["id"] for row in stamped]


#: Values a snapshot keeps as they are (exact types: an enum member is not one of them).
_PLAIN = frozenset({str, int, bool, float, list, dict, type(None)})


def _snapshot_of(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: REDACTED
        if redacted
        else (value if type(value := values[name]) in _PLAIN else _jsonable(value))
        for name, redacted in _snapshot_plan(table)
    }


# --- keyset pagination -------------------------------------------------------------------------


#: A keyset position: the id of a page's last row, a ULID (or a region's code, the id of
#: regions), any value of which form is a valid position; or, in a list with a `sort`,
#: `<sort>.<id>.<key>` (`_SORTED_CURSOR`).
CURSOR_PATTERN = (
    r"^(?:[0-9A-HJKMNP-TV-Z]{26}|[0-9]{1,12}"
    r"|-?[a-z][a-z_]{0,31}[.](?:[0-9A-HJKMNP-TV-Z]{26}|[0-9]{1,12})[.][A-Za-z0-9_-]{1,2000})$"
)
#: A position in a sorted list: the order it was made for, the id of the page's last row and
#: that row's sort key (a JSON list, base64url without padding, so the cursor needs no escaping
#: in a URL). The order travels in the cursor, so one given with another order is refused.
_SORTED_CURSOR = re.compile(
    r"(?P<sort>-?[a-z][a-z_]{0,31})[.](?P<id>[0-9A-HJKMNP-TV-Z]{26}|[0-9]{1,12})"
    r"[.](?P<key>[A-Za-z0-9_-]{1,2000})"
)
#: An id a list may be asked for: a ULID, or a region's code.
ID_PATTERN = r"^(?:[0-9A-HJKMNP-TV-Z]{26}|[0-9]{6,12})$"
_CURSOR = re.compile(CURSOR_PATTERN)
#: The cursor of a page, declared with its format in the spec.
Cursor = Annotated[
    str,
    StringConstraints(pattern=CURSOR_PATTERN),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": CURSOR_PATTERN,
            "examples": ["01JD0Y5ZQ4S3B6K8N1M2P3R4T5"],
        }
    ),
]


#: A position in a sequence-numbered log (the audit log): the `seq` of a page's last event.
SEQ_CURSOR_PATTERN = r"^[0-9]{1,18}$"
#: The cursor of a page of a sequence-numbered log, declared with its format in the spec.
SeqCursor = Annotated[
    str,
    StringConstraints(pattern=SEQ_CURSOR_PATTERN),
    WithJsonSchema({"type": "string", "pattern": SEQ_CURSOR_PATTERN, "examples": ["1024"]}),
]


@dataclass(frozen=True)
class PageRequest:
    """`?limit=&cursor=&include_total=&updated_since=` of every list (docs/api.md)."""

    limit: int = 50
    cursor: str | None = None
    include_total: bool = False
    updated_since: datetime | None = None
    #: Only these ids (a client catching up on what the feed named).
    ids: tuple[str, ...] | None = None
    #: The order of a list that offers `sort`; `None` is id (creation) order.
    sort: ListSort | None = None

    def sorted_by(self, sort: ListSort | None) -> PageRequest:
        """This page of the list in the order `sort` (`None`: id order)."""
        return replace(self, sort=sort)


T = TypeVar("T")
E = TypeVar("E", bound=Entity)
S = TypeVar("S", bound=Select[Any])


@dataclass(frozen=True)
class PageResult(Generic[T]):
    """One page of rows with the cursor of the next page."""

    items: Sequence[T]
    next_cursor: str | None
    total: int | None


def encode_cursor(last_id: str) -> str:
    """The cursor of the page after the row with this id: the id itself."""
    return last_id


def decode_cursor(cursor: str) -> str:
    """The cursor, checked to be of `CURSOR_PATTERN` (else a 422 naming the field): in an
    id-ordered list, the id the page starts after."""
    if not _CURSOR.fullmatch(cursor):
        raise InvalidInput.one("query.cursor", _("malformed cursor"), "cursor_invalid")
    return cursor


def where_equal(stmt: S, model: Any, equal: Mapping[str, Any]) -> S:
    """`stmt` restricted to the rows of `model` whose columns equal these values (column name →
    value): a `None` value is no filter, and an enum compares by its value."""
    for name, value in equal.items():
        if value is not None:
            stmt = stmt.where(
                getattr(model, name) == (value.value if isinstance(value, Enum) else value)
            )
    return stmt


def name_matches(model: type[Searchable], q: str | None) -> ColumnElement[bool]:
    """The rows of `model` whose name starts with `q` (Latin letters in either case) or, when
    `q` is Latin letters and digits only, whose pinyin initials do (`lm` finds 李明); every row
    when `q` is empty."""
    text = (q or "").strip().lower()
    if not text:
        return true()
    name = func.lower(getattr(model, model.__name_column__))
    clause = name.startswith(text, autoescape=True)
    if text.isascii() and text.isalnum():
        clause = or_(clause, col(model.initials).startswith(text))
    return clause


#: Sort keys that are instants travel in a cursor as microseconds since this instant.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _bytewise(session: Session, expr: Any) -> Any:
    # PostgreSQL compares text by the database's locale (zh_CN orders Chinese by pinyin, C by
    # code point); "C" is SQLite's order, so a list reads the same on both databases.
    return expr.collate("C") if session.get_bind().dialect.name == "postgresql" else expr


def _sort_columns(session: Session, entity: Any, sort: ListSort) -> list[tuple[str, Any]]:
    """`(attribute, expression)` of each column a list is ordered by for `sort`, before the id.

    By name (`name`, whatever the column: an application's `applicant_name`, or the column's
    own name, `title`): by the pinyin initials, then by the name's code points. The initials
    hold only `a-z0-9`, which every collation orders alike, so their index serves the order."""
    if issubclass(entity, Searchable) and sort.field in ("name", entity.__name_column__):
        name = entity.__name_column__
        return [
            ("initials", col(entity.initials)),
            (name, _bytewise(session, getattr(entity, name))),
        ]
    return [(sort.field, getattr(entity, sort.field))]


def _other_order() -> InvalidInput:
    return InvalidInput.one(
        "query.cursor", _("a cursor is valid only with the sort it was made with"), "mismatch"
    )


def _sorted_cursor(sort: ListSort, keys: list[tuple[str, Any]], row: Entity) -> str:
    """The cursor of the page after `row` in the order `sort`."""
    values = [getattr(row, attribute) for attribute, _ in keys]
    key = [(v - _EPOCH) // _MICROSECOND if isinstance(v, datetime) else v for v in values]
    payload = json.dumps(key, ensure_ascii=False, separators=(",", ":")).encode()
    return f"{sort.value}.{row.id}.{urlsafe_b64encode(payload).rstrip(b'=').decode()}"


def _sorted_position(
    entity: Any, sort: ListSort, keys: list[tuple[str, Any]], cursor: str
) -> list[Any]:
    """The sort key and id a cursor of the order `sort` points after; a 422 naming the cursor
    when it was made for another order, or not by this service."""
    match = _SORTED_CURSOR.fullmatch(cursor)
    if match is None or match["sort"] != sort.value:
        raise _other_order()
    key = match["key"]
    try:
        values = json.loads(urlsafe_b64decode(key + "=" * (-len(key) % 4)))
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError(key)
        position = [
            _key_value(entity.__table__.c[attribute], value)
            for (attribute, _), value in zip(keys, values, strict=True)
        ]
    except (ValueError, OverflowError) as exc:
        raise _other_order() from exc
    return [*position, match["id"]]


def _key_value(column: Column[Any], value: Any) -> Any:
    """A sort key of a cursor as the column holds it; `ValueError` when it is not one."""
    if isinstance(column.type, UTCDateTime) and type(value) is int:
        return _EPOCH + value * _MICROSECOND
    if not isinstance(column.type, UTCDateTime) and isinstance(value, str):
        return value
    raise ValueError(value)


def paginate(
    session: Session, stmt: SelectOfScalar[E], id_col: Mapped[str], page: PageRequest
) -> PageResult[E]:
    """Run `stmt` in the page's order (by `sort` and then id, or by id) after the cursor; one
    extra row tells whether a next page exists."""
    entity: Any = id_col.class_  # type: ignore[attr-defined]
    if page.updated_since is not None:
        stmt = stmt.where(entity.updated_at >= page.updated_since)
    if page.ids is not None:
        stmt = stmt.where(id_col.in_(page.ids))
    total = None
    if page.include_total:
        count = select(func.count()).select_from(stmt.subquery())
        total = int(session.execute(count).scalar_one())
    sort = page.sort
    keys = [] if sort is None else _sort_columns(session, entity, sort)
    order = [expression for _, expression in keys] + [id_col]
    descending = sort is not None and sort.descending
    if page.cursor and sort is None:
        after = decode_cursor(page.cursor)
        if _SORTED_CURSOR.fullmatch(after):
            raise _other_order()
        stmt = stmt.where(id_col > after)
    elif page.cursor and sort is not None:
        row_key = tuple_(*order)
        # A tuple of values binds each with its column's type (an instant as `UTCDateTime`).
        position = tuple(_sorted_position(entity, sort, keys, decode_cursor(page.cursor)))
        stmt = stmt.where(row_key < position if descending else row_key > position)
    stmt = stmt.order_by(*(c.desc() if descending else c for c in order))
    rows = list(session.exec(stmt.limit(page.limit + 1)).all())
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    next_cursor = None
    if more:
        last = rows[-1]
        next_cursor = encode_cursor(last.id) if sort is None else _sorted_cursor(sort, keys, last)
    return PageResult(items=rows, next_cursor=next_cursor, total=total)
