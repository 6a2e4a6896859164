"""Value models of the volunteer area: scope (VOL-SCOPE-1) and the default policy."""

from datetime import date

from app.domain.common import Observance, policy_in_force
from app.domain.volunteers import (
    DEFAULT_VOLUNTEER_POLICY,
    OBSERVANCE_FIXED_DAYS,
    ServiceScope,
    VolunteerPolicy,
)


def test_vol_scope_1_eight_categories_numbered_as_in_art_12() -> None:
    assert [int(s) for s in ServiceScope] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert ServiceScope(4).label == "大型活动科技志愿服务"
    assert all(s.label for s in ServiceScope)


def test_vol_scope_1_observances_with_their_fixed_days() -> None:
    assert OBSERVANCE_FIXED_DAYS == {
        Observance.LEI_FENG_DAY: (3, 5),
        Observance.SCIENCE_WORKERS_DAY: (5, 30),
        Observance.VOLUNTEER_DAY: (12, 5),
    }


def test_vol_honour_1_default_policy_values_of_rules_md() -> None:
    policy = DEFAULT_VOLUNTEER_POLICY
    assert policy.effective_on == date(2023, 1, 1)
    assert [int(h) for h in policy.star_thresholds_hours] == [100, 300, 600, 1000, 1500]
    assert (policy.adult_age, policy.min_age, policy.county_team_min_members) == (18, 8, 50)


def test_vol_elig_2_policy_in_force_picks_by_date() -> None:
    later = VolunteerPolicy(effective_on=date(2027, 1, 1), min_age=10)
    policies = [DEFAULT_VOLUNTEER_POLICY, later]
    assert policy_in_force(policies, date(2026, 12, 31)).min_age == 8
    assert policy_in_force(policies, date(2027, 1, 1)).min_age == 10
