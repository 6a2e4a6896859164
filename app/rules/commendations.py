"""Commendations and the priority list: VOL-HONOUR-1."""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.commendations import Commendation, CommendationSubject, PriorityEntry
from app.domain.common import Finding, RuleResult
from app.domain.messages import N_
from app.domain.volunteers import VolunteerPolicy
from app.rules.volunteers_hours import star_level

#: VOL-HONOUR-1: the field that names the subject of each kind of commendation.
SUBJECT_FIELDS: dict[CommendationSubject, str] = {
    CommendationSubject.VOLUNTEER: "volunteer_id",
    CommendationSubject.ORGANIZATION: "subject_organization_id",
    CommendationSubject.PROJECT: "project_name",
}

#: VOL-HONOUR-1: what a commendation that does not name its subject is told, by kind.
SUBJECT_REQUIRED: dict[CommendationSubject, str] = {
    CommendationSubject.VOLUNTEER: N_("a commendation of a volunteer names the volunteer"),
    CommendationSubject.ORGANIZATION: N_(
        "a commendation of an organisation names the organisation"
    ),
    CommendationSubject.PROJECT: N_("a commendation of a project names the project"),
}


def check_commendation(commendation: Commendation) -> RuleResult:
    """VOL-HONOUR-1: a commendation names its volunteer, organisation or project."""
    field = SUBJECT_FIELDS[commendation.subject]
    if not (getattr(commendation, field) or "").strip():
        return RuleResult(
            findings=[
                Finding(
                    rule="VOL-HONOUR-1",
                    code="subject_required",
                    message=SUBJECT_REQUIRED[commendation.subject],
                    field=field,
                )
            ]
        )
    return RuleResult()


def priority_list(entries: Iterable[PriorityEntry], policy: VolunteerPolicy) -> list[PriorityEntry]:
    """VOL-HONOUR-1: volunteers with a star or a commendation, best first.

    Decision: ordered by stars, then commendations, then confirmed hours.
    """
    ranked = [e for e in entries if star_level(e.confirmed_hours, policy) > 0 or e.commendations]
    return sorted(ranked, key=lambda e: rank_key(e, policy))


def rank_key(entry: PriorityEntry, policy: VolunteerPolicy) -> tuple[int, int, int, str]:
    """VOL-HONOUR-1: the order of the priority list as a key, best first: stars, commendations,
    confirmed hours (in hundredths), then the volunteer id so that ties have one order."""
    return (
        -star_level(entry.confirmed_hours, policy),
        -entry.commendations,
        -int(entry.confirmed_hours * 100),
        entry.volunteer_id,
    )
