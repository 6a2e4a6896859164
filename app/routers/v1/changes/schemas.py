"""The API models of the change feed and the audit log."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

import app.repositories  # noqa: F401 - every table registered, so every resource name is known
from app.domain.changes import AuditOp, ChangeOp
from app.domain.common import Moment
from app.repositories.changes import resource_names

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
