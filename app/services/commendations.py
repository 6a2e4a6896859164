"""Commendations and the priority list (VOL-HONOUR-1)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from app.domain.access import Principal
from app.domain.commendations import Commendation, PriorityEntry
from app.domain.personal import mask_name
from app.errors import RuleViolation
from app.repositories import commendations as repo
from app.repositories import volunteers as volunteer_repo
from app.repositories import volunteers_orgs as orgs
from app.repositories.base import PageRequest, PageResult, decode_cursor, encode_cursor
from app.rules.commendations import check_commendation, priority_list, rank_key
from app.rules.volunteers_hours import hours_from_seconds, record_seconds, star_level


@dataclass(frozen=True)
class PriorityStanding:
    """One volunteer of the priority list, the name masked."""

    volunteer_id: str
    name_masked: str
    confirmed_hours: Decimal
    star_level: int
    commendations: int


def commend(
    *, session: Session, principal: Principal, values: Mapping[str, Any]
) -> repo.CommendationRow:
    """VOL-HONOUR-1: a commendation by an organisation the caller administers, naming whom."""
    org = orgs.get_managed_org(session, principal, values["organization_id"])
    commendation = Commendation.model_validate(
        {k: values.get(k) for k in Commendation.model_fields}
    )
    result = check_commendation(commendation)
    if not result.ok:
        raise RuleViolation(result.errors)
    return repo.create_commendation(
        session,
        org=org,
        commendation=commendation,
        title=values["title"],
        awarded_on=values["awarded_on"],
    )


def priority_page(
    *,
    session: Session,
    principal: Principal,
    organization_id: str,
    today: date,
    page: PageRequest,
) -> PageResult[PriorityStanding]:
    """VOL-HONOUR-1: one page of the volunteers of the organisation's subtree with a star
    (confirmed hours in the caller's scope) or a commendation, best first; the cursor is the
    id of the last volunteer shown, and the next page starts after that volunteer's current rank."""
    org = orgs.get_org(session, organization_id)
    ids = [o.id for o in orgs.subtree(session, org)]
    seconds: dict[str, int] = dict.fromkeys(repo.commended_volunteers(session, ids), 0)
    for record in repo.confirmed_records(session, principal, ids):
        seconds[record.volunteer_id] = seconds.get(record.volunteer_id, 0) + record_seconds(
            record.to_domain()
        )
    counts = repo.commendation_counts(session, seconds)
    policy = volunteer_repo.policy_on(today)
    ranked = priority_list(
        [
            PriorityEntry(
                volunteer_id=v,
                confirmed_hours=hours_from_seconds(s),
                commendations=counts.get(v, 0),
            )
            for v, s in seconds.items()
        ],
        policy,
    )
    keys = [rank_key(e, policy) for e in ranked]
    positions = {e.volunteer_id: i for i, e in enumerate(ranked)}
    after = decode_cursor(page.cursor) if page.cursor else None
    start = bisect_right(keys, keys[positions[after]]) if after in positions else 0
    shown = ranked[start : start + page.limit]
    more = start + page.limit < len(ranked)
    names = repo.volunteer_names(session, (e.volunteer_id for e in shown))
    return PageResult(
        items=[
            PriorityStanding(
                volunteer_id=e.volunteer_id,
                name_masked=mask_name(names.get(e.volunteer_id, "")),
                confirmed_hours=e.confirmed_hours,
                star_level=star_level(e.confirmed_hours, policy),
                commendations=e.commendations,
            )
            for e in shown
        ],
        next_cursor=encode_cursor(shown[-1].volunteer_id) if more else None,
        total=len(ranked) if page.include_total else None,
    )
