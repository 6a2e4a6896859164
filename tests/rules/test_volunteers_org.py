"""Organisations, memberships, complaints, funds: VOL-ORG-*, VOL-EXIT-1, VOL-SUPER-1, VOL-FUND-1."""

from datetime import date

import pytest
from pydantic import ValidationError

from app.domain.common import Severity
from app.domain.volunteers import (
    DEFAULT_VOLUNTEER_POLICY,
    LeaderRole,
    MembershipAction,
    MembershipStatus,
    OrgKind,
    OrgLevel,
    OrgNode,
    SocialRegistration,
    SocialRegistrationStatus,
)
from app.rules.volunteers_org import (
    ALLOWED_PARENTS,
    BulkJoin,
    ancestors,
    bulk_join,
    check_bulk_join,
    check_join,
    check_leadership,
    check_placement,
    check_size,
    check_social_registration,
    check_tree,
    membership_transition,
    organization_findings,
)

POLICY = DEFAULT_VOLUNTEER_POLICY
L = OrgLevel
A = MembershipAction
S = MembershipStatus

#: A small tree: corps > city > county > township; city > society > sub-team.
TREE = {
    n.id: n
    for n in [
        OrgNode(id="corps", level=L.REGION_CORPS),
        OrgNode(id="city", level=L.CITY_TEAM, parent_id="corps"),
        OrgNode(id="hongshan", level=L.COUNTY_TEAM, parent_id="city"),
        OrgNode(id="township", level=L.TOWNSHIP_SUBTEAM, parent_id="hongshan"),
        OrgNode(id="society", level=L.SOCIETY_TEAM, parent_id="city"),
        OrgNode(id="society-sub", level=L.SOCIETY_SUBTEAM, parent_id="society"),
        OrgNode(id="university", level=L.UNIVERSITY_TEAM, parent_id="city"),
    ]
}


def test_vol_org_1_three_kinds_with_their_names() -> None:
    """VOL-ORG-1: association, team and service group, as Art. 5 names them."""
    assert [k.label for k in OrgKind] == [
        "科技志愿者协会",
        "科技志愿者队伍",
        "科技志愿服务团（队）",
    ]


def test_vol_org_2_every_level_has_a_parent_rule() -> None:
    assert set(ALLOWED_PARENTS) == set(OrgLevel)


@pytest.mark.parametrize(
    ("level", "parent_level", "ok"),
    [
        (L.CITY_TEAM, L.REGION_CORPS, True),
        (L.COUNTY_TEAM, L.CITY_TEAM, True),
        (L.COUNTY_TEAM, L.REGION_CORPS, False),
        (L.TOWNSHIP_SUBTEAM, L.COUNTY_TEAM, True),
        (L.TOWNSHIP_SUBTEAM, L.CITY_TEAM, False),
        (L.SOCIETY_TEAM, L.CITY_TEAM, True),
        (L.SOCIETY_SUBTEAM, L.SOCIETY_TEAM, True),
        (L.SOCIETY_SUBTEAM, L.COUNTY_TEAM, False),
        (L.UNIVERSITY_TEAM, L.REGION_CORPS, True),
        (L.UNIVERSITY_SUBTEAM, L.UNIVERSITY_TEAM, True),
        (L.UNIVERSITY_SUBTEAM, L.SOCIETY_TEAM, False),
        (L.ENTERPRISE_TEAM, L.COUNTY_TEAM, True),
        (L.ENTERPRISE_TEAM, L.TOWNSHIP_SUBTEAM, False),
        (L.REGION_CORPS, L.CITY_TEAM, False),
    ],
)
def test_vol_org_2_allowed_parent_levels(level: OrgLevel, parent_level: OrgLevel, ok: bool) -> None:
    nodes = {"p": OrgNode(id="p", level=parent_level)}
    result = check_placement(OrgNode(id="c", level=level, parent_id="p"), nodes)
    assert result.ok is ok
    assert all(f.rule == "VOL-ORG-2" for f in result.findings)


@pytest.mark.parametrize(
    ("level", "ok"),
    [(L.REGION_CORPS, True), (L.CITY_TEAM, True)]
    + [(level, False) for level in OrgLevel if level not in {L.REGION_CORPS, L.CITY_TEAM}],
)
def test_vol_org_2_only_the_corps_or_a_city_team_is_a_root(level: OrgLevel, ok: bool) -> None:
    assert check_placement(OrgNode(id="x", level=level), {}).ok is ok


def test_vol_org_2_unknown_parent_is_refused() -> None:
    result = check_placement(OrgNode(id="c", level=L.COUNTY_TEAM, parent_id="nowhere"), TREE)
    assert [f.code for f in result.findings] == ["parent_missing"]


def test_vol_org_2_own_parent_is_a_cycle() -> None:
    node = OrgNode(id="city", level=L.CITY_TEAM, parent_id="city")
    assert any(f.code == "cycle" for f in check_placement(node, TREE).findings)


def test_vol_org_2_moving_a_team_under_its_own_descendant_is_a_cycle() -> None:
    """Re-parenting the society team under its sub-team would close a loop."""
    moved = OrgNode(id="society", level=L.SOCIETY_TEAM, parent_id="society-sub")
    codes = [f.code for f in check_placement(moved, TREE).findings]
    assert "cycle" in codes


def test_vol_org_2_cycle_in_stored_hierarchy_is_reported_and_walking_it_terminates() -> None:
    looped = [
        OrgNode(id="a", level=L.CITY_TEAM, parent_id="c"),
        OrgNode(id="b", level=L.COUNTY_TEAM, parent_id="a"),
        OrgNode(id="c", level=L.ENTERPRISE_TEAM, parent_id="b"),
    ]
    assert ancestors("a", {n.id: n for n in looped}) == ["a", "c", "b"]
    result = check_tree(looped)
    cycles = [f.params["node"] for f in result.findings if f.code == "cycle"]
    assert sorted(cycles) == ["a", "b", "c"]


def test_vol_org_2_valid_tree_has_no_findings() -> None:
    assert check_tree(TREE.values()).findings == []


@pytest.mark.parametrize(
    ("roles", "severities"),
    [
        ([], [Severity.WARNING]),
        ([LeaderRole.CAPTAIN], []),
        ([LeaderRole.CAPTAIN, LeaderRole.CAPTAIN], [Severity.ERROR]),
    ],
)
def test_vol_org_3_one_captain(roles: list[LeaderRole], severities: list[Severity]) -> None:
    result = check_leadership(L.SOCIETY_TEAM, roles, POLICY)
    assert [f.severity for f in result.findings] == severities


@pytest.mark.parametrize(
    ("level", "vices", "warned"),
    [
        (L.CITY_TEAM, 2, True),
        (L.CITY_TEAM, 3, False),
        (L.CITY_TEAM, 5, False),
        (L.CITY_TEAM, 6, True),
        (L.COUNTY_TEAM, 1, True),
        (L.COUNTY_TEAM, 2, False),
        (L.COUNTY_TEAM, 3, False),
        (L.COUNTY_TEAM, 4, True),
        (L.SOCIETY_TEAM, 9, False),
    ],
)
def test_vol_org_3_vice_captains_outside_the_usual_range_warn(
    level: OrgLevel, vices: int, warned: bool
) -> None:
    roles = [LeaderRole.CAPTAIN, LeaderRole.SECRETARY_GENERAL] + [LeaderRole.VICE_CAPTAIN] * vices
    result = check_leadership(level, roles, POLICY)
    assert result.ok
    assert (len(result.findings) == 1) is warned
    assert all(f.severity is Severity.WARNING for f in result.findings)


@pytest.mark.parametrize(
    ("level", "secretaries", "severities"),
    [
        (L.CITY_TEAM, 0, [Severity.WARNING]),
        (L.CITY_TEAM, 1, []),
        (L.CITY_TEAM, 2, [Severity.ERROR]),
        (L.COUNTY_TEAM, 0, []),
    ],
)
def test_vol_org_3_one_secretary_general_for_a_city_team(
    level: OrgLevel, secretaries: int, severities: list[Severity]
) -> None:
    vices = 3 if level is L.CITY_TEAM else 2
    roles = (
        [LeaderRole.CAPTAIN]
        + [LeaderRole.VICE_CAPTAIN] * vices
        + [LeaderRole.SECRETARY_GENERAL] * secretaries
    )
    assert [f.severity for f in check_leadership(level, roles, POLICY).findings] == severities


@pytest.mark.parametrize(
    ("level", "members", "warned"),
    [(L.COUNTY_TEAM, 49, True), (L.COUNTY_TEAM, 50, False), (L.CITY_TEAM, 3, False)],
)
def test_vol_org_4_county_team_under_50_members_warns(
    level: OrgLevel, members: int, warned: bool
) -> None:
    result = check_size(level, members, POLICY)
    assert result.ok
    assert [f.rule for f in result.findings] == (["VOL-ORG-4"] if warned else [])


def test_vol_org_5_registered_needs_date_and_number() -> None:
    with pytest.raises(ValidationError, match="VOL-ORG-5"):
        SocialRegistration(
            status=SocialRegistrationStatus.REGISTERED, registered_on=date(2024, 1, 1)
        )
    SocialRegistration(
        status=SocialRegistrationStatus.REGISTERED,
        registered_on=date(2024, 1, 1),
        number="51150400",
    )


def test_vol_org_5_unregistered_association_gets_an_advisory() -> None:
    result = check_social_registration(OrgKind.ASSOCIATION, SocialRegistration())
    assert [(f.rule, f.severity) for f in result.findings] == [("VOL-ORG-5", Severity.ADVISORY)]
    assert check_social_registration(OrgKind.TEAM, SocialRegistration()).findings == []


def test_vol_org_3_organization_findings_gather_every_check() -> None:
    result = organization_findings(
        node=TREE["hongshan"],
        kind=OrgKind.ASSOCIATION,
        nodes=TREE,
        roles=[],
        active_members=10,
        registration=SocialRegistration(),
        policy=POLICY,
    )
    assert sorted(f.rule for f in result.findings) == [
        "VOL-ORG-3",
        "VOL-ORG-3",
        "VOL-ORG-4",
        "VOL-ORG-5",
    ]
    assert result.ok


@pytest.mark.parametrize(
    ("status", "action", "to"),
    [
        (S.PENDING, A.APPROVE, S.ACTIVE),
        (S.PENDING, A.REJECT, S.REJECTED),
        (S.ACTIVE, A.WARN, S.WARNED),
        (S.WARNED, A.WARN, S.WARNED),
        (S.WARNED, A.EXIT, S.EXITED),
        (S.ACTIVE, A.EXPEL, S.EXPELLED),
        (S.WARNED, A.EXPEL, S.EXPELLED),
        (S.ACTIVE, A.LEAVE, S.LEFT),
        (S.PENDING, A.LEAVE, S.LEFT),
        (S.EXITED, A.READMIT, S.ACTIVE),
        (S.LEFT, A.READMIT, S.ACTIVE),
    ],
)
def test_vol_exit_1_allowed_transitions(
    status: MembershipStatus, action: MembershipAction, to: MembershipStatus
) -> None:
    decision = membership_transition(status, action, "迟到三次")
    assert decision.to_status is to
    assert decision.result.findings == []


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (S.ACTIVE, A.EXIT),  # exit follows a warning
        (S.PENDING, A.WARN),
        (S.EXITED, A.WARN),
        (S.ACTIVE, A.APPROVE),
        (S.LEFT, A.LEAVE),
        (S.ACTIVE, A.READMIT),
    ],
)
def test_vol_exit_1_refused_transitions(status: MembershipStatus, action: MembershipAction) -> None:
    decision = membership_transition(status, action, "理由")
    assert decision.to_status is None
    assert [f.rule for f in decision.result.findings] == ["VOL-EXIT-1"]


@pytest.mark.parametrize("action", list(MembershipAction))
def test_vol_exit_1_expelled_volunteer_can_never_be_taken_back(action: MembershipAction) -> None:
    decision = membership_transition(S.EXPELLED, action, "再给一次机会")
    assert decision.to_status is None
    assert decision.result.findings[0].code == "expelled"


@pytest.mark.parametrize("action", [a for a in MembershipAction if a is not A.APPROVE])
@pytest.mark.parametrize("reason", [None, "", "  "])
def test_vol_exit_1_every_action_but_approval_needs_a_reason(
    action: MembershipAction, reason: str | None
) -> None:
    decision = membership_transition(S.WARNED, action, reason)
    assert decision.to_status is None
    assert any(f.field == "reason" for f in decision.result.findings)


@pytest.mark.parametrize(
    ("existing", "rule"),
    [
        (None, None),
        (S.LEFT, None),
        (S.EXITED, None),
        (S.EXPELLED, "VOL-EXIT-1"),
        (S.ACTIVE, "VOL-REG-2"),
        (S.PENDING, "VOL-REG-2"),
    ],
)
def test_vol_exit_1_joining_again_after_expulsion_is_refused(
    existing: MembershipStatus | None, rule: str | None
) -> None:
    assert [f.rule for f in check_join(existing).findings] == ([rule] if rule else [])


@pytest.mark.parametrize(
    ("existing", "step"),
    [
        (None, BulkJoin.JOIN),
        (MembershipStatus.LEFT, BulkJoin.REJOIN),
        (MembershipStatus.EXITED, BulkJoin.REJOIN),
        (MembershipStatus.PENDING, BulkJoin.APPROVE),
        (MembershipStatus.REJECTED, BulkJoin.READMIT),
        (MembershipStatus.ACTIVE, BulkJoin.KEEP),
        (MembershipStatus.WARNED, BulkJoin.KEEP),
        (MembershipStatus.EXPELLED, BulkJoin.REFUSE),
    ],
)
def test_vol_reg_2_team_registration_makes_every_listed_volunteer_an_active_member(
    existing: MembershipStatus | None, step: BulkJoin
) -> None:
    assert bulk_join(existing) is step


def test_vol_reg_2_every_membership_status_has_a_team_registration_step() -> None:
    assert {bulk_join(s) for s in MembershipStatus} | {bulk_join(None)} == set(BulkJoin)


@pytest.mark.parametrize("existing", [None, *MembershipStatus])
def test_vol_exit_1_team_registration_refuses_only_a_volunteer_expelled_by_the_organisation(
    existing: MembershipStatus | None,
) -> None:
    findings = check_bulk_join(existing).findings
    expelled = existing is MembershipStatus.EXPELLED
    assert [(f.rule, f.field) for f in findings] == ([("VOL-EXIT-1", "row")] if expelled else [])
