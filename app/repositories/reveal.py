"""The one way to show full personal data: checked against `domain.access` and audited in the
request's own unit of work (VOL-DUTY-1)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from app.domain.access import Principal, may_reveal
from app.errors import Forbidden
from app.i18n import _
from app.repositories.base import Entity, record_event


def reveal(
    session: Session,
    principal: Principal,
    row: Entity,
    fields: Sequence[str],
    *,
    looked_up_by: str | None = None,
) -> None:
    """VOL-DUTY-1: refuse (403) a role without a need to know; else audit the read of `fields`.

    The event is written in `session`, the request's unit of work: a GET asking for
    `reveal=true` runs as a writing request (app.routers.route), so the audit commits with the
    answer and is rolled back with it.
    """
    resource = row.__resource__ or str(row.__tablename__)
    if not may_reveal(principal, resource):
        raise Forbidden(_("role {role} may not reveal personal data", role=principal.role.value))
    record_event(
        session,
        resource=resource,
        resource_id=row.id,
        op="reveal",
        diff={"fields": list(fields)}
        | ({} if looked_up_by is None else {"looked_up_by": looked_up_by}),
        county_code=getattr(row, "county_code", None),
        org_path=getattr(row, "org_path", None),
        base_id=getattr(row, "base_id", None),
        owner_id=getattr(row, "owner_id", None),
    )
