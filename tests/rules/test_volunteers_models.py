"""Value models of the volunteer area: scope, agreements, incidents (VOL-SCOPE-1, VOL-AGREE-1,
VOL-HARM-1) and the default policy."""

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from app.domain.common import SHANGHAI, Observance, policy_in_force
from app.domain.volunteers import (
    DEFAULT_VOLUNTEER_POLICY,
    OBSERVANCE_FIXED_DAYS,
    Agreement,
    HarmedParty,
    Incident,
    IncidentStatus,
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


def agreement(**changes: object) -> Agreement:
    base: dict[str, object] = {
        "volunteer_id": "v-1",
        "organization_id": "city",
        "served_party": "红山区第一中学",
        "content": "青少年科技教育讲座",
        "manner": "每周一次现场授课",
        "starts_on": date(2025, 9, 1),
        "ends_on": date(2026, 1, 15),
        "place": "红山区第一中学报告厅",
        "working_conditions": "学校提供多媒体教室",
        "safety_measures": "学校安排专人负责安全",
        "signed_on": date(2025, 8, 20),
    }
    base.update(changes)
    return Agreement.model_validate(base)


def test_vol_agree_1_agreement_states_content_manner_time_place_conditions_and_safety() -> None:
    assert agreement().safety_measures == "学校安排专人负责安全"


@pytest.mark.parametrize(
    "missing", ["content", "manner", "place", "working_conditions", "safety_measures"]
)
def test_vol_agree_1_every_term_is_required(missing: str) -> None:
    with pytest.raises(ValidationError, match=missing):
        agreement(**{missing: ""})


def test_vol_agree_1_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValidationError):
        agreement(ends_on=date(2025, 8, 31))


def incident(**changes: object) -> Incident:
    base: dict[str, object] = {
        "activity_id": "act-1",
        "occurred_at": datetime(2025, 7, 10, 10, 30, tzinfo=SHANGHAI),
        "harmed": HarmedParty.VOLUNTEER,
        "description": "搬运展板时扭伤脚踝",
    }
    base.update(changes)
    return Incident.model_validate(base)


def test_vol_harm_1_handled_incident_records_its_handling() -> None:
    with pytest.raises(ValidationError, match="VOL-HARM-1"):
        incident(status=IncidentStatus.HANDLED, handling=" ")
    handled = incident(status=IncidentStatus.HANDLED, handling="送医并由保险理赔")
    assert handled.handling == "送医并由保险理赔"
    assert incident().status is IncidentStatus.OPEN


def test_vol_honour_1_default_policy_values_of_rules_md() -> None:
    policy = DEFAULT_VOLUNTEER_POLICY
    assert policy.effective_from == date(2023, 1, 1)
    assert [int(h) for h in policy.star_thresholds_hours] == [100, 300, 600, 1000, 1500]
    assert (policy.adult_age, policy.min_age, policy.county_team_min_members) == (18, 8, 50)


def test_vol_elig_2_policy_in_force_picks_by_date() -> None:
    later = VolunteerPolicy(effective_from=date(2027, 1, 1), min_age=10)
    policies = [DEFAULT_VOLUNTEER_POLICY, later]
    assert policy_in_force(policies, date(2026, 12, 31)).min_age == 8
    assert policy_in_force(policies, date(2027, 1, 1)).min_age == 10
