"""The API models of the change feed and the audit log."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

import app.repositories  # noqa: F401 - every table registered, so every resource name is known
from app.domain.changes import AuditOp, ChangeOp
from app.domain.common import Moment
from app.repositories.changes import resource_names
from app.repositories.webhooks import WebhookRow, WebhookStatus

if TYPE_CHECKING:

    class ChangeResource(StrEnum):
        """The resource an event is about."""

else:
    #: The resource an event is about: every table's name in the feed (built from the tables).
    ChangeResource = StrEnum("ChangeResource", {name: name for name in resource_names()})


class ChangePublic(BaseModel):
    """One create, update or delete of a resource."""

    seq: int = Field(description="Position in commit order; continue a feed after it")
    resource: ChangeResource
    id: str = Field(validation_alias="resource_id", description="The resource's id")
    op: ChangeOp
    at: Moment
    version: int | None = Field(
        description="The resource's version after the change (its ETag); none before 2026-12"
    )
    parents: dict[str, str | int | None] | None = Field(
        description="The ids the resource's URL sits under (an enrolment's `activity_id`, a "
        "membership's `volunteer_id`), so no lookup is needed to build it"
    )


class ChangePage(BaseModel):
    """Changes after a sequence number, oldest first. The feed alone pages by sequence: ask
    again with `after=next_after` (the same value when nothing is new)."""

    items: list[ChangePublic]
    next_after: int


class AuditEventPublic(BaseModel):
    """A change or a reveal of personal data, with who did it and what changed."""

    seq: int
    resource: ChangeResource
    id: str = Field(validation_alias="resource_id", description="The resource's id")
    op: AuditOp
    at: Moment
    actor_id: str | None
    diff: dict[str, Any] | None


class WebhookCreate(BaseModel):
    """Where to send the change feed's events of `resources` (every resource when empty), and
    the secret the deliveries are signed with (kept encrypted, never shown again)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://hooks.example.cn/kepu",
                    "resources": ["service_record", "enrolment"],
                    "secret": "whsec_9f8e7d6c5b4a39281706f5e4d3c2b1a0",
                }
            ]
        },
    )

    url: str = Field(min_length=8, max_length=2000)
    resources: list[ChangeResource] = Field(default_factory=list, max_length=100)
    secret: str = Field(min_length=32, max_length=200)


class WebhookPublic(BaseModel):
    """A subscription and how far its deliveries got (`after_seq`: the last event sent)."""

    id: str
    url: str
    resources: list[ChangeResource]
    status: WebhookStatus
    after_seq: int
    attempts: int
    last_error: str | None
    last_delivered_at: Moment | None
    created_at: Moment
    version: int

    @classmethod
    def of(cls, row: WebhookRow) -> WebhookPublic:
        """The public view of a subscription; never its secret."""
        return cls.model_validate(row, from_attributes=True)
