"""Table conventions: ids, timestamps, optimistic versions, the change feed and keyset pages."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
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
    Integer,
    Select,
    Table,
    event,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, declared_attr
from sqlmodel import Field, Session, SQLModel
from sqlmodel.sql.expression import SelectOfScalar

from app.errors import InvalidInput
from app.i18n import _
from app.ids import new_id
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

    Each row gives every column but `id` (made here unless given), `created_at`, `updated_at`
    and `version`; `owner_key` names the value behind the entity's `owner_id` property. Bulk
    paths use this where an ORM object and its flush per row cost more than the work itself.
    Returns the ids, in row order.
    """
    if not rows:
        return []
    table: Table = entity.__table__  # type: ignore[attr-defined]
    now = utcnow()
    stamped = [
        {**row, "id": row.get("id") or new_id(), "created_at": now, "updated_at": now, "version": 1}
        for row in rows
    ]
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
#: regions). Any value of this form is a valid position, so a schema-valid cursor is accepted.
CURSOR_PATTERN = r"^(?:[0-9A-HJKMNP-TV-Z]{26}|[0-9]{1,12})$"
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
    """The id a cursor points after; a cursor not of `CURSOR_PATTERN` is a 422 naming the field."""
    if not _CURSOR.match(cursor):
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


def paginate(
    session: Session, stmt: SelectOfScalar[E], id_col: Mapped[str], page: PageRequest
) -> PageResult[E]:
    """Run `stmt` ordered by id after the cursor; one extra row tells whether a next page exists."""
    entity: Any = id_col.class_  # type: ignore[attr-defined]
    if page.updated_since is not None:
        stmt = stmt.where(entity.updated_at >= page.updated_since)
    if page.ids is not None:
        stmt = stmt.where(id_col.in_(page.ids))
    total = None
    if page.include_total:
        count = select(func.count()).select_from(stmt.subquery())
        total = int(session.execute(count).scalar_one())
    if page.cursor:
        stmt = stmt.where(id_col > decode_cursor(page.cursor))
    rows = list(session.exec(stmt.order_by(id_col).limit(page.limit + 1)).all())
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    return PageResult(
        items=rows, next_cursor=encode_cursor(rows[-1].id) if more else None, total=total
    )
