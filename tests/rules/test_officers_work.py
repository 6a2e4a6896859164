"""OFF-TRAIN-1, OFF-PLAN-1, OFF-CASE-1: training, activity plans and county reports."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from app.domain.officers import (
    ActivityPlan,
    ActivityPlanOwnerKind,
    OfficerCaseKind,
    OfficerCaseStatus,
    OfficerTrainingLevel,
    TrainingPlan,
    TrainingSession,
)
from app.rules.officers import (
    check_activity_plan_region,
    check_attendance,
    check_case_transition,
    check_training_session,
)

PLAN = TrainingPlan(
    county_code="150402", year=2024, title="红山区2024年培训计划", planned_sessions=4
)


def session(
    level: OfficerTrainingLevel = OfficerTrainingLevel.COUNTY,
    region_code: str = "150402",
    held_on: date = date(2024, 5, 1),
) -> TrainingSession:
    return TrainingSession(level=level, region_code=region_code, title="滚动培训", held_on=held_on)


def test_off_train_1_county_session_in_its_plans_county_and_year_is_valid() -> None:
    assert check_training_session(session(), PLAN).ok
    assert check_training_session(session(), None).ok


@pytest.mark.parametrize(
    ("held_on", "region", "fields"),
    [
        (date(2023, 12, 31), "150402", {"held_on"}),
        (date(2025, 1, 1), "150402", {"held_on"}),
        (date(2024, 12, 31), "150403", {"county_code"}),
        (date(2025, 1, 1), "150403", {"held_on", "county_code"}),
    ],
)
def test_off_train_1_session_outside_the_plans_year_or_county_is_refused(
    held_on: date, region: str, fields: set[str]
) -> None:
    result = check_training_session(session(region_code=region, held_on=held_on), PLAN)
    assert {f.field for f in result.errors} == fields
    assert {f.rule for f in result.errors} == {"OFF-TRAIN-1"}


def test_off_train_1_city_exchange_session_has_no_county_plan() -> None:
    city = session(OfficerTrainingLevel.CITY_EXCHANGE, "150400")
    assert check_training_session(city, None).ok
    assert {f.field for f in check_training_session(city, PLAN).errors} >= {"training_plan_id"}


def test_off_train_1_county_session_trains_only_its_own_county() -> None:
    assert check_attendance(session(), "150402").ok
    assert not check_attendance(session(), "150403").ok


def test_off_train_1_city_exchange_session_trains_any_county() -> None:
    city = session(OfficerTrainingLevel.CITY_EXCHANGE, "150400")
    assert check_attendance(city, "150403").ok
    assert check_attendance(city, "150430").ok


@pytest.mark.parametrize(
    ("kind", "code", "ok"),
    [
        (ActivityPlanOwnerKind.TOWNSHIP, "150402001", True),
        (ActivityPlanOwnerKind.TOWNSHIP, "150402001001", False),
        (ActivityPlanOwnerKind.VILLAGE, "150402001001", True),
        (ActivityPlanOwnerKind.VILLAGE, "150402001", False),
        (ActivityPlanOwnerKind.COMMUNITY, "150402001001", True),
        (ActivityPlanOwnerKind.COMMUNITY, "150402", False),
        (ActivityPlanOwnerKind.SCHOOL, "150402", True),
        (ActivityPlanOwnerKind.BASE, "150402001", True),
        (ActivityPlanOwnerKind.E_STATION, "150402001001", True),
    ],
)
def test_off_plan_1_owner_kind_sits_at_its_region_level(
    kind: ActivityPlanOwnerKind, code: str, ok: bool
) -> None:
    assert check_activity_plan_region(kind, code).ok is ok


def test_off_plan_1_activity_plan_cannot_end_before_it_starts() -> None:
    fields = {
        "owner_kind": ActivityPlanOwnerKind.E_STATION,
        "owner_name": "某某科普e站",
        "region_code": "150402001",
        "title": "科普中国进社区",
    }
    ActivityPlan(**fields, starts_on=date(2024, 5, 1), ends_on=date(2024, 5, 1))
    with pytest.raises(ValidationError):
        ActivityPlan(**fields, starts_on=date(2024, 5, 2), ends_on=date(2024, 5, 1))


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (OfficerCaseStatus.SUBMITTED, OfficerCaseStatus.READ),
        (OfficerCaseStatus.SUBMITTED, OfficerCaseStatus.REPLIED),
        (OfficerCaseStatus.SUBMITTED, OfficerCaseStatus.FEATURED),
        (OfficerCaseStatus.READ, OfficerCaseStatus.REPLIED),
        (OfficerCaseStatus.READ, OfficerCaseStatus.FEATURED),
        (OfficerCaseStatus.REPLIED, OfficerCaseStatus.FEATURED),
    ],
)
def test_off_case_1_city_moves_a_typical_case_forward(
    current: OfficerCaseStatus, target: OfficerCaseStatus
) -> None:
    assert check_case_transition(OfficerCaseKind.TYPICAL_CASE, current, target, "收到，谢谢").ok


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (OfficerCaseStatus.READ, OfficerCaseStatus.READ),
        (OfficerCaseStatus.READ, OfficerCaseStatus.SUBMITTED),
        (OfficerCaseStatus.REPLIED, OfficerCaseStatus.READ),
        (OfficerCaseStatus.FEATURED, OfficerCaseStatus.REPLIED),
        (OfficerCaseStatus.FEATURED, OfficerCaseStatus.FEATURED),
    ],
)
def test_off_case_1_handling_never_moves_back_or_repeats(
    current: OfficerCaseStatus, target: OfficerCaseStatus
) -> None:
    result = check_case_transition(OfficerCaseKind.TYPICAL_CASE, current, target, "答复")
    assert [f.rule for f in result.errors] == ["OFF-CASE-1"]


@pytest.mark.parametrize("kind", [OfficerCaseKind.PROBLEM, OfficerCaseKind.SUGGESTION])
def test_off_case_1_only_a_typical_case_is_featured(kind: OfficerCaseKind) -> None:
    assert not check_case_transition(
        kind, OfficerCaseStatus.READ, OfficerCaseStatus.FEATURED, None
    ).ok
    assert check_case_transition(
        kind, OfficerCaseStatus.READ, OfficerCaseStatus.REPLIED, "已转交"
    ).ok


@pytest.mark.parametrize("reply", [None, "", "   "])
def test_off_case_1_a_reply_needs_text(reply: str | None) -> None:
    result = check_case_transition(
        OfficerCaseKind.PROBLEM, OfficerCaseStatus.READ, OfficerCaseStatus.REPLIED, reply
    )
    assert [f.field for f in result.errors] == ["reply"]
