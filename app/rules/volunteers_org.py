"""Volunteer organisations: hierarchy, leadership, size and memberships.

VOL-ORG-1..5, VOL-EXIT-1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from app.domain.common import Finding, RuleResult, Severity
from app.domain.messages import N_
from app.domain.volunteers import (
    LeaderRole,
    MembershipAction,
    MembershipStatus,
    OrgKind,
    OrgLevel,
    OrgNode,
    SocialRegistration,
    SocialRegistrationStatus,
    VolunteerPolicy,
)

#: VOL-ORG-2 (IM Art. 4, 6): the levels each level may sit under. Decision: society, university
#: and enterprise teams sit under the region corps or a city team (Art. 4 has the city guide its
#: societies); an enterprise or park team may also sit under a county team.
ALLOWED_PARENTS: dict[OrgLevel, frozenset[OrgLevel]] = {
    OrgLevel.REGION_CORPS: frozenset(),
    OrgLevel.CITY_TEAM: frozenset({OrgLevel.REGION_CORPS}),
    OrgLevel.COUNTY_TEAM: frozenset({OrgLevel.CITY_TEAM}),
    OrgLevel.TOWNSHIP_SUBTEAM: frozenset({OrgLevel.COUNTY_TEAM}),
    OrgLevel.SOCIETY_TEAM: frozenset({OrgLevel.REGION_CORPS, OrgLevel.CITY_TEAM}),
    OrgLevel.SOCIETY_SUBTEAM: frozenset({OrgLevel.SOCIETY_TEAM}),
    OrgLevel.UNIVERSITY_TEAM: frozenset({OrgLevel.REGION_CORPS, OrgLevel.CITY_TEAM}),
    OrgLevel.UNIVERSITY_SUBTEAM: frozenset({OrgLevel.UNIVERSITY_TEAM}),
    OrgLevel.ENTERPRISE_TEAM: frozenset(
        {OrgLevel.REGION_CORPS, OrgLevel.CITY_TEAM, OrgLevel.COUNTY_TEAM}
    ),
}
#: VOL-ORG-2. Decision: a city team may be a root, since a city's deployment need not hold the
#: region corps above it.
ROOT_LEVELS = frozenset({OrgLevel.REGION_CORPS, OrgLevel.CITY_TEAM})
#: VOL-ORG-2: a placement finding as a whole hierarchy's check shows it, naming the
#: organisation (`{node}`), by the finding's code.
_IN_TREE: dict[str, str] = {
    "parent_required": N_("{node}: a {level} needs a parent organisation"),
    "parent_missing": N_("{node}: the parent does not exist"),
    "parent_level": N_("{node}: a {level} cannot sit under a {parent_level}"),
    "cycle": N_("{node}: the organisation would become its own ancestor (a cycle)"),
}


def check_placement(node: OrgNode, nodes: Mapping[str, OrgNode]) -> RuleResult:
    """VOL-ORG-2: `node` under its parent: an allowed level, an existing parent, and no cycle.

    `nodes` holds the other organisations by id (an entry for `node` itself is ignored).
    """
    findings: list[Finding] = []
    if node.parent_id is None:
        if node.level not in ROOT_LEVELS:
            findings.append(
                Finding(
                    rule="VOL-ORG-2",
                    code="parent_required",
                    message=N_("a {level} needs a parent organisation"),
                    params={"level": node.level.label},
                    field="parent_id",
                )
            )
        return RuleResult(findings=findings)
    parent = nodes.get(node.parent_id) if node.parent_id != node.id else node
    if parent is None:
        findings.append(
            Finding(
                rule="VOL-ORG-2",
                code="parent_missing",
                message=N_("the parent does not exist"),
                field="parent_id",
            )
        )
    elif parent.level not in ALLOWED_PARENTS[node.level]:
        findings.append(
            Finding(
                rule="VOL-ORG-2",
                code="parent_level",
                message=N_("a {level} cannot sit under a {parent_level}"),
                params={"level": node.level.label, "parent_level": parent.level.label},
                field="parent_id",
            )
        )
    if node.parent_id == node.id or node.id in ancestors(node.parent_id, nodes):
        findings.append(
            Finding(
                rule="VOL-ORG-2",
                code="cycle",
                message=N_("the organisation would become its own ancestor (a cycle)"),
                field="parent_id",
            )
        )
    return RuleResult(findings=findings)


def ancestors(org_id: str | None, nodes: Mapping[str, OrgNode]) -> list[str]:
    """VOL-ORG-2: `org_id` and its ancestors, nearest first; stops at a repeat, so never loops."""
    chain: list[str] = []
    while org_id is not None and org_id not in chain:
        chain.append(org_id)
        current = nodes.get(org_id)
        org_id = current.parent_id if current is not None else None
    return chain


def check_tree(nodes: Iterable[OrgNode]) -> RuleResult:
    """VOL-ORG-2: every organisation of a whole hierarchy, placed and free of cycles."""
    by_id = {n.id: n for n in nodes}
    findings: list[Finding] = []
    for node in by_id.values():
        findings += [
            f.model_copy(
                update={"message": _IN_TREE[f.code], "params": {**f.params, "node": node.id}}
            )
            for f in check_placement(node, by_id).findings
        ]
    return RuleResult(findings=findings)


def check_leadership(
    level: OrgLevel, roles: Iterable[LeaderRole], policy: VolunteerPolicy
) -> RuleResult:
    """VOL-ORG-3: one captain; vice-captains in the usual range; one secretary-general for a city.

    A second captain or secretary-general is refused; a missing post or a vice-captain count
    outside the range ("一般") is a warning.
    """
    count = Counter(roles)
    findings: list[Finding] = []
    captains = count[LeaderRole.CAPTAIN]
    if captains > 1:
        findings.append(
            Finding(
                rule="VOL-ORG-3",
                code="several_captains",
                message=N_("{count} captains: one only"),
                params={"count": captains},
            )
        )
    elif captains == 0:
        findings.append(
            Finding(
                rule="VOL-ORG-3",
                code="no_captain",
                message=N_("no captain named"),
                severity=Severity.WARNING,
            )
        )
    usual = policy.vice_captain_range.get(level)
    vices = count[LeaderRole.VICE_CAPTAIN]
    if usual is not None and not usual[0] <= vices <= usual[1]:
        findings.append(
            Finding(
                rule="VOL-ORG-3",
                code="vice_captain_count",
                message=N_("{count} vice-captains; a {level} usually has {low}–{high}"),
                params={"count": vices, "level": level.label, "low": usual[0], "high": usual[1]},
                severity=Severity.WARNING,
            )
        )
    if level in policy.secretary_general_levels:
        secretaries = count[LeaderRole.SECRETARY_GENERAL]
        if secretaries > 1:
            findings.append(
                Finding(
                    rule="VOL-ORG-3",
                    code="several_secretaries_general",
                    message=N_("{count} secretaries-general: one only"),
                    params={"count": secretaries},
                )
            )
        elif secretaries == 0:
            findings.append(
                Finding(
                    rule="VOL-ORG-3",
                    code="no_secretary_general",
                    message=N_("no secretary-general named"),
                    severity=Severity.WARNING,
                )
            )
    return RuleResult(findings=findings)


def check_size(level: OrgLevel, members: int, policy: VolunteerPolicy) -> RuleResult:
    """VOL-ORG-4: a county team below the usual 50 members gets a warning."""
    if level is OrgLevel.COUNTY_TEAM and members < policy.county_team_min_members:
        return RuleResult(
            findings=[
                Finding(
                    rule="VOL-ORG-4",
                    code="few_members",
                    message=N_("{members} members; a county team usually has at least {minimum}"),
                    params={"members": members, "minimum": policy.county_team_min_members},
                    severity=Severity.WARNING,
                )
            ]
        )
    return RuleResult()


def check_social_registration(kind: OrgKind, registration: SocialRegistration) -> RuleResult:
    """VOL-ORG-5: Art. 6 encourages an association to register as a social organisation."""
    if (
        kind is OrgKind.ASSOCIATION
        and registration.status is not SocialRegistrationStatus.REGISTERED
    ):
        return RuleResult(
            findings=[
                Finding(
                    rule="VOL-ORG-5",
                    code="not_registered",
                    message=N_("not registered as a social organisation (encouraged by Art. 6)"),
                    severity=Severity.ADVISORY,
                )
            ]
        )
    return RuleResult()


def organization_findings(
    *,
    node: OrgNode,
    kind: OrgKind,
    nodes: Mapping[str, OrgNode],
    roles: Iterable[LeaderRole],
    active_members: int,
    registration: SocialRegistration,
    policy: VolunteerPolicy,
) -> RuleResult:
    """VOL-ORG-2..5: everything to show about one organisation, errors and warnings alike."""
    return RuleResult(
        findings=check_placement(node, nodes).findings
        + check_leadership(node.level, roles, policy).findings
        + check_size(node.level, active_members, policy).findings
        + check_social_registration(kind, registration).findings
    )


# --- Memberships (VOL-EXIT-1) -----------------------------------------------------------------

_S = MembershipStatus
#: VOL-EXIT-1. Decision: `exit` follows a warning; `expel` (serious cases) needs none; a volunteer
#: who left, exited or was rejected may be readmitted, an expelled one never.
TRANSITIONS: dict[MembershipAction, tuple[frozenset[MembershipStatus], MembershipStatus]] = {
    MembershipAction.APPROVE: (frozenset({_S.PENDING}), _S.ACTIVE),
    MembershipAction.REJECT: (frozenset({_S.PENDING}), _S.REJECTED),
    MembershipAction.WARN: (frozenset({_S.ACTIVE, _S.WARNED}), _S.WARNED),
    MembershipAction.EXIT: (frozenset({_S.WARNED}), _S.EXITED),
    MembershipAction.EXPEL: (frozenset({_S.ACTIVE, _S.WARNED}), _S.EXPELLED),
    MembershipAction.LEAVE: (frozenset({_S.PENDING, _S.ACTIVE, _S.WARNED}), _S.LEFT),
    MembershipAction.READMIT: (frozenset({_S.EXITED, _S.LEFT, _S.REJECTED}), _S.ACTIVE),
}
#: VOL-EXIT-1: memberships in which the volunteer serves the organisation.
SERVING = frozenset({_S.ACTIVE, _S.WARNED})
_A = MembershipAction
#: VOL-EXIT-1: what an action from a status it does not start from is told, by the action.
_NOT_FROM: dict[MembershipAction, str] = {
    _A.APPROVE: N_("only a pending membership is approved"),
    _A.REJECT: N_("only a pending membership is rejected"),
    _A.WARN: N_("only an active or warned membership is warned"),
    _A.EXIT: N_("only a warned membership is ended by exit: warn first"),
    _A.EXPEL: N_("only an active or warned membership is expelled"),
    _A.LEAVE: N_("only a pending, active or warned membership is left"),
    _A.READMIT: N_("only a membership that was exited, left or rejected is readmitted"),
}
#: VOL-EXIT-1: what an action without a reason is told, by the action (`approve` needs none).
_NO_REASON: dict[MembershipAction, str] = {
    _A.REJECT: N_("a rejection gives its reason"),
    _A.WARN: N_("a warning gives its reason"),
    _A.EXIT: N_("an exit gives its reason"),
    _A.EXPEL: N_("an expulsion gives its reason"),
    _A.LEAVE: N_("leaving gives its reason"),
    _A.READMIT: N_("a readmission gives its reason"),
}


class MembershipDecision(BaseModel):
    """The outcome of a membership action: the new status, or why it is refused."""

    model_config = ConfigDict(frozen=True)

    to_status: MembershipStatus | None
    result: RuleResult


def membership_transition(
    status: MembershipStatus, action: MembershipAction, reason: str | None
) -> MembershipDecision:
    """VOL-EXIT-1: warn → exit, expel, voluntary leave, each with a reason; never undo expulsion."""
    findings: list[Finding] = []
    allowed_from, to_status = TRANSITIONS[action]
    if status is _S.EXPELLED:
        findings.append(
            Finding(
                rule="VOL-EXIT-1",
                code="expelled",
                message=N_("an expelled volunteer cannot be taken back by this organisation"),
            )
        )
    elif status not in allowed_from:
        findings.append(
            Finding(
                rule="VOL-EXIT-1",
                code="transition_not_allowed",
                message=_NOT_FROM[action],
            )
        )
    if action is not MembershipAction.APPROVE and not (reason or "").strip():
        findings.append(
            Finding(
                rule="VOL-EXIT-1",
                code="reason_required",
                message=_NO_REASON[action],
                field="reason",
            )
        )
    result = RuleResult(findings=findings)
    return MembershipDecision(to_status=to_status if result.ok else None, result=result)


def check_join(existing: MembershipStatus | None) -> RuleResult:
    """VOL-EXIT-1, VOL-REG-2: a new membership unless one is live, and never after expulsion."""
    if existing is _S.EXPELLED:
        return RuleResult(
            findings=[
                Finding(
                    rule="VOL-EXIT-1",
                    code="expelled",
                    message=N_("expelled by this organisation: cannot be enrolled again"),
                )
            ]
        )
    if existing in {_S.PENDING, _S.ACTIVE, _S.WARNED}:
        return RuleResult(
            findings=[
                Finding(
                    rule="VOL-REG-2",
                    code="already_member",
                    message=N_("already a member of this organisation"),
                )
            ]
        )
    return RuleResult()


class BulkJoin(StrEnum):
    """VOL-REG-2: what a team registration does with a membership of its organisation."""

    JOIN = "join"
    REJOIN = "rejoin"
    APPROVE = "approve"
    READMIT = "readmit"
    KEEP = "keep"
    REFUSE = "refuse"


#: VOL-REG-2, VOL-EXIT-1: a registration by the organisation makes every listed volunteer an
#: active member: a pending request is approved, a rejected one readmitted, a former member who
#: left or exited joins again, a serving member stays; an expelled one is refused.
_BULK_JOIN: dict[MembershipStatus | None, BulkJoin] = {
    None: BulkJoin.JOIN,
    _S.LEFT: BulkJoin.REJOIN,
    _S.EXITED: BulkJoin.REJOIN,
    _S.PENDING: BulkJoin.APPROVE,
    _S.REJECTED: BulkJoin.READMIT,
    _S.ACTIVE: BulkJoin.KEEP,
    _S.WARNED: BulkJoin.KEEP,
    _S.EXPELLED: BulkJoin.REFUSE,
}


def bulk_join(existing: MembershipStatus | None) -> BulkJoin:
    """VOL-REG-2, VOL-EXIT-1: the step a team registration takes for one volunteer's membership."""
    return _BULK_JOIN[existing]


def check_bulk_join(existing: MembershipStatus | None) -> RuleResult:
    """VOL-EXIT-1: a volunteer expelled by the organisation is not registered into it again."""
    if bulk_join(existing) is BulkJoin.REFUSE:
        return RuleResult(
            findings=[
                Finding(
                    rule="VOL-EXIT-1",
                    code="expelled",
                    message=N_("expelled by this organisation"),
                    field="row",
                )
            ]
        )
    return RuleResult()
