"""The change feed (for sync scripts) and the audit log (for auditors)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Query, Response
from pydantic import BaseModel, TypeAdapter

from app.domain.access import Principal, Role
from app.repositories import changes
from app.repositories.base import ChangeEvent
from app.routers.deps import AnyUser, Instant, SessionDep, allow
from app.routers.route import resource_router

router = resource_router("changes")
#: The largest sequence number either database stores (a signed 64-bit integer).
MAX_SEQ = 2**63 - 1


class Change(BaseModel):
    """One create, update or delete."""

    seq: int
    resource: str
    id: str
    op: str
    at: datetime


class ChangePage(BaseModel):
    """Changes after a sequence number; continue with `after=next_after`."""

    items: list[Change]
    next_after: int


class AuditEvent(Change):
    """A change or a reveal of personal data, with who did it and what changed."""

    actor_id: str | None
    diff: dict[str, Any] | None


class AuditPage(BaseModel):
    """Audit events after a sequence number."""

    items: list[AuditEvent]
    next_after: int


def _change(e: ChangeEvent | changes.FeedEntry) -> dict[str, Any]:
    return {"seq": e.seq, "resource": e.resource, "id": e.resource_id, "op": e.op, "at": e.at}


#: Validates and serialises a whole page in one call: sync scripts read thousands of events.
_CHANGE_PAGE = TypeAdapter(ChangePage)


@router.get(
    "/changes",
    summary="The change feed, in commit order, within the caller's scope",
    response_model=ChangePage,
)
def list_changes(
    principal: AnyUser,
    session: SessionDep,
    after: Annotated[int, Query(ge=0, le=MAX_SEQ, description="Last seq already seen")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> Response:
    """Every create, update and delete the caller may see, oldest first."""
    events = changes.feed(session, principal, after=after, limit=limit)
    page = {
        "items": [_change(e) for e in events],
        "next_after": events[-1].seq if events else after,
    }
    # The page as FastAPI would answer it, without building 1,000 models one by one.
    body = _CHANGE_PAGE.dump_json(_CHANGE_PAGE.validate_python(page))
    return Response(content=body, media_type="application/json")


@router.get("/audit-events", summary="The audit log: actor and redacted diff of every event")
def list_audit_events(
    _principal: Annotated[Principal, allow(Role.CITY_ADMIN, Role.AUDITOR)],
    session: SessionDep,
    after: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    resource: Annotated[str | None, Query(max_length=64)] = None,
    resource_id: Annotated[str | None, Query(max_length=64)] = None,
    actor_id: Annotated[str | None, Query(max_length=26)] = None,
    since: Annotated[Instant | None, Query()] = None,
) -> AuditPage:
    """Events with actor and diff; personal data appears only as "[redacted]"."""
    events = changes.audit(
        session,
        after=after,
        limit=limit,
        resource=resource,
        resource_id=resource_id,
        actor_id=actor_id,
        since=since,
    )
    return AuditPage(
        items=[AuditEvent(**_change(e), actor_id=e.actor_id, diff=e.diff) for e in events],
        next_after=events[-1].seq if events and events[-1].seq is not None else after,
    )
