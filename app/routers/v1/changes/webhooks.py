"""Webhook subscriptions: the change feed pushed to integrators (PLAT-NOTIFY-1)."""

from __future__ import annotations

from fastapi import Request, Response

from app.errors import problem_responses
from app.repositories import webhooks as repo
from app.routers.deps import (
    ContextDep,
    NowDep,
    PageDep,
    SessionDep,
    check_if_match,
    set_etag,
)
from app.routers.pages import Page, mark_created, page_map
from app.routers.route import resource_router
from app.routers.v1.changes.auth import WebhooksAdmin
from app.routers.v1.changes.schemas import WebhookCreate, WebhookPublic
from app.services import webhooks as service

router = resource_router("webhooks")
WEBHOOK = "/webhooks/{webhook_id}"


@router.post(
    "/webhooks",
    status_code=201,
    summary="Subscribe a URL to the change feed",
    responses=problem_responses(422),
)
def create_webhook(
    body: WebhookCreate,
    principal: WebhooksAdmin,
    session: SessionDep,
    ctx: ContextDep,
    now: NowDep,
    response: Response,
) -> WebhookPublic:
    """PLAT-NOTIFY-1: every later event of the resources named, signed (`Kepu-Signature`), at
    least once, in order, deduplicable by `seq`. 422 (`url`) when the URL is not https outside
    development, its host is not allow-listed (`KEPU_WEBHOOK_ALLOWED_HOSTS`), or it is an
    address that is not public."""
    row = service.create(
        session,
        ctx.settings,
        url=body.url,
        resources=[r.value for r in body.resources],
        secret=body.secret,
        created_by=principal.user_id,
        now=now,
    )
    mark_created(response, f"/api/v1/webhooks/{row.id}", row)
    return WebhookPublic.of(row)


@router.get("/webhooks", summary="List webhook subscriptions")
def list_webhooks(
    _principal: WebhooksAdmin, session: SessionDep, page: PageDep
) -> Page[WebhookPublic]:
    """Every subscription with its progress and last error."""
    return page_map(WebhookPublic.of, repo.list_webhooks(session, page))


@router.get(WEBHOOK, summary="Read a webhook subscription", responses=problem_responses(404))
def get_webhook(
    webhook_id: str, _principal: WebhooksAdmin, session: SessionDep, response: Response
) -> WebhookPublic:
    """One subscription; its secret is never shown."""
    row = repo.get_webhook(session, webhook_id)
    set_etag(response, row)
    return WebhookPublic.of(row)


@router.delete(
    WEBHOOK,
    status_code=204,
    summary="Delete a webhook subscription",
    responses=problem_responses(404, 412),
)
def delete_webhook(
    webhook_id: str, _principal: WebhooksAdmin, session: SessionDep, request: Request
) -> Response:
    """Nothing more is sent to it (If-Match honoured)."""
    row = repo.get_webhook(session, webhook_id)
    check_if_match(request, row)
    repo.delete_webhook(session, row)
    return Response(status_code=204)


@router.post(
    WEBHOOK + ":resume", summary="Resume a failing webhook", responses=problem_responses(404)
)
def resume_webhook(
    webhook_id: str, _principal: WebhooksAdmin, session: SessionDep, now: NowDep
) -> WebhookPublic:
    """PLAT-NOTIFY-1: after too many failures a subscription stops (`failing`); resumed, it
    delivers again from the first event not yet delivered."""
    row = repo.get_webhook(session, webhook_id)
    repo.resume(session, row, now)
    return WebhookPublic.of(row)
