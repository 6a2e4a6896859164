"""The caller's inbox and preferences (PLAT-NOTIFY-1): anyone signed in, their own only."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from app.errors import problem_responses
from app.repositories.base import SeqCursor
from app.routers.deps import AnyUser, IncludeTotal, Limit, NowDep, PageDep, SessionDep
from app.routers.pages import Page, page_map
from app.routers.route import resource_router
from app.routers.v1.notifications.schemas import (
    NotificationPreferencesBody,
    NotificationPreferencesPublic,
    NotificationPublic,
    TaskPublic,
)
from app.services import notifications as service
from app.services import tasks

router = resource_router("notifications")


@router.get("/me/notifications", summary="My notices")
def list_my_notifications(
    principal: AnyUser,
    session: SessionDep,
    page: PageDep,
    unread: Annotated[bool | None, Query(description="Only unread (true) or read (false)")] = None,
) -> Page[NotificationPublic]:
    """PLAT-NOTIFY-1: the caller's inbox, oldest first; every notice lands here whatever the
    channels chosen."""
    result = service.inbox(session, principal.user_id, page, unread=unread)
    return page_map(NotificationPublic.of, result)


@router.post(
    "/me/notifications/{notification_id}:read",
    summary="Mark a notice read",
    responses=problem_responses(404),
)
def read_notification(
    notification_id: str, principal: AnyUser, session: SessionDep, now: NowDep
) -> NotificationPublic:
    """PLAT-NOTIFY-1: read from now on (the first time counts); another's notice is 404."""
    row = service.read(session, principal.user_id, notification_id, now=now)
    return NotificationPublic.of(row)


@router.get("/me/notification-preferences", summary="My notification preferences")
def get_my_preferences(principal: AnyUser, session: SessionDep) -> NotificationPreferencesPublic:
    """PLAT-NOTIFY-1: language, email, channels per kind and quiet hours (defaults until set)."""
    return NotificationPreferencesPublic.of(service.preferences(session, principal.user_id))


@router.put("/me/notification-preferences", summary="Set my notification preferences")
def put_my_preferences(
    body: NotificationPreferencesBody, principal: AnyUser, session: SessionDep
) -> NotificationPreferencesPublic:
    """PLAT-NOTIFY-1: replaced whole; an unknown kind or channel is 422."""
    quiet = body.quiet_hours
    chosen = service.set_preferences(
        session,
        principal.user_id,
        language=body.language,
        email=body.email,
        channels={k: tuple(v) for k, v in body.channels.items()},
        quiet=(quiet.starts, quiet.ends) if quiet else None,
    )
    return NotificationPreferencesPublic.of(chosen)


@router.get("/me/tasks", summary="My work queue")
def list_my_tasks(
    principal: AnyUser,
    session: SessionDep,
    now: NowDep,
    limit: Limit = 50,
    cursor: Annotated[
        SeqCursor | None, Query(description="From next_cursor: a position in the queue")
    ] = None,
    include_total: IncludeTotal = False,
) -> Page[TaskPublic]:
    """PLAT-NOTIFY-1: what the caller must do next, computed from the rules within its scope,
    soonest due first: a reviewer's owed opinions; a base's missing month, report and open
    rectification notices; an organisation's or a county's memberships to approve, hours to
    confirm and complaints to handle; the city's applications to decide, evaluations due and
    revocation candidates. The cursor is a position in that order; nothing is stored, so
    there is no `updated_since` or `ids`."""
    queue = tasks.tasks_for(session, principal, now)
    start = int(cursor or 0)
    shown = queue[start : start + limit]
    after = start + len(shown)
    return Page[TaskPublic](
        items=[TaskPublic.model_validate(t.model_dump()) for t in shown],
        next_cursor=str(after) if after < len(queue) else None,
        total=len(queue) if include_total else None,
    )
