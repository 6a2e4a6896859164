"""The change feed (for sync scripts) and the audit log (for auditors)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response
from pydantic import TypeAdapter

from app.repositories import changes
from app.routers.deps import SequencePageDep, SessionDep
from app.routers.pages import Page, page_of
from app.routers.route import resource_router
from app.routers.v1.changes.auth import AuditRead, ChangesRead
from app.routers.v1.changes.schemas import AuditEventPublic, ChangePage, ChangeResource

router = resource_router("changes")
#: The largest sequence number either database stores (a signed 64-bit integer).
MAX_SEQ = 2**63 - 1
#: Validates and serialises a whole page in one call: sync scripts read thousands of events.
_CHANGE_PAGE = TypeAdapter(ChangePage)


@router.get(
    "/changes",
    summary="The change feed, in commit order, within the caller's scope",
    response_model=ChangePage,
)
def list_changes(
    principal: ChangesRead,
    session: SessionDep,
    after: Annotated[
        int, Query(ge=0, le=MAX_SEQ, description="The last `seq` already seen (`next_after`)")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="Page size")] = 500,
) -> Response:
    """Every create, update and delete the caller may see, oldest first. The feed pages by
    sequence number, not by cursor: its order is commit order, so a reader that asks again with
    `after=next_after` never misses or repeats an event."""
    events = changes.feed(session, principal, after=after, limit=limit)
    page = {
        "items": [e._asdict() for e in events],
        "next_after": events[-1].seq if events else after,
    }
    # The page as FastAPI would answer it, without building 1,000 models one by one.
    body = _CHANGE_PAGE.dump_json(_CHANGE_PAGE.validate_python(page))
    return Response(content=body, media_type="application/json")


@router.get("/audit-events", summary="The audit log: actor and redacted diff of every event")
def list_audit_events(
    _principal: AuditRead,
    session: SessionDep,
    page: SequencePageDep,
    resource: Annotated[ChangeResource | None, Query()] = None,
    resource_id: Annotated[str | None, Query(max_length=64)] = None,
    actor_id: Annotated[str | None, Query(max_length=26)] = None,
) -> Page[AuditEventPublic]:
    """Events in sequence order with actor and diff, reveals of personal data included;
    personal data appears only as "[redacted]". `updated_since` keeps the events at or after
    that instant."""
    result = changes.audit(
        session, page=page, resource=resource, resource_id=resource_id, actor_id=actor_id
    )
    return page_of(AuditEventPublic, result)
