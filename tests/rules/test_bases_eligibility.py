"""Applications: categories, eligibility, materials, channels and the lifecycle (BASE-CAT-1,
BASE-ELIG-1..8, BASE-APPLY-1, BASE-APPLY-2, BASE-REVIEW-1)."""

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.bases import (
    REVIEW_CRITERIA,
    ApplicationAction,
    ApplicationChannel,
    ApplicationStatus,
    BaseApplication,
    BaseCategory,
    ReviewRecommendation,
    ReviewState,
)
from app.domain.common import Severity
from app.domain.files import AttachmentKind
from app.rules.bases_eligibility import (
    SCORE_REQUIRED,
    assess_eligibility,
    check_approval,
    check_category,
    check_channel,
    check_decision_reason,
    check_materials,
    check_opinion,
    check_review_response,
    check_submission,
    transition_application,
)

ALL_MATERIALS = frozenset(
    {AttachmentKind.APPLICATION_FORM, AttachmentKind.PLAN, AttachmentKind.PHOTO}
)

COMPLETE: dict[str, Any] = {
    "name": "赤峰市科技馆",
    "category": BaseCategory.VENUE,
    "subtype": "science_center",
    "credit_code": "91350100M000100Y43",
    "runs_activities_independently": True,
    "science_theme": "天文与航天",
    "has_management_rules": True,
    "responsible_department": "科普部",
    "has_work_plan": True,
    "has_annual_plan": True,
    "annual_science_budget": Decimal("50000.00"),
    "address": "红山区新华路1号",
    "has_demo_equipment": True,
    "has_hall_or_gallery": True,
    "exhibits_labelled": True,
    "managers": 2,
    "docents": 3,
    "has_training_plan": True,
    "safety_fire_compliant": True,
    "accepts_guidance": True,
    "attachment_kinds": ALL_MATERIALS,
}


def application(**changes: Any) -> BaseApplication:
    return BaseApplication(**{**COMPLETE, **changes})


def test_base_elig_1_to_8_complete_application_is_eligible() -> None:
    result = assess_eligibility(application())
    assert result.ok
    assert result.findings == []
    assert result.unmet == []


def test_base_elig_1_to_8_empty_draft_lists_every_condition_not_just_the_first() -> None:
    """BASE-ELIG-1..8: every unmet condition is returned, each with its ID and reason."""
    result = assess_eligibility(BaseApplication())
    assert result.unmet == [f"BASE-ELIG-{n}" for n in range(1, 9)]
    assert all(f.message for f in result.findings)
    assert not result.ok


@pytest.mark.parametrize(
    ("changes", "rule", "field"),
    [
        ({"credit_code": None}, "BASE-ELIG-1", "credit_code"),
        ({"credit_code": "  "}, "BASE-ELIG-1", "credit_code"),
        ({"credit_code": "91350100M000100Y44"}, "BASE-ELIG-1", "credit_code"),
        ({"runs_activities_independently": False}, "BASE-ELIG-1", "runs_activities_independently"),
        ({"science_theme": " "}, "BASE-ELIG-2", "science_theme"),
        ({"has_management_rules": False}, "BASE-ELIG-3", "has_management_rules"),
        ({"responsible_department": ""}, "BASE-ELIG-3", "responsible_department"),
        ({"has_work_plan": False}, "BASE-ELIG-3", "has_work_plan"),
        ({"has_annual_plan": False}, "BASE-ELIG-3", "has_annual_plan"),
        ({"annual_science_budget": None}, "BASE-ELIG-4", "annual_science_budget"),
        ({"annual_science_budget": Decimal(0)}, "BASE-ELIG-4", "annual_science_budget"),
        ({"address": ""}, "BASE-ELIG-5", "address"),
        ({"has_demo_equipment": False}, "BASE-ELIG-5", "has_demo_equipment"),
        ({"has_hall_or_gallery": False}, "BASE-ELIG-5", "has_hall_or_gallery"),
        ({"exhibits_labelled": False}, "BASE-ELIG-5", "exhibits_labelled"),
        ({"managers": 0}, "BASE-ELIG-6", "managers"),
        ({"docents": 0}, "BASE-ELIG-6", "docents"),
        ({"has_training_plan": False}, "BASE-ELIG-6", "has_training_plan"),
        ({"safety_fire_compliant": False}, "BASE-ELIG-7", "safety_fire_compliant"),
        ({"accepts_guidance": False}, "BASE-ELIG-8", "accepts_guidance"),
    ],
)
def test_base_elig_each_missing_condition_is_named_with_its_id(
    changes: dict[str, Any], rule: str, field: str
) -> None:
    """BASE-ELIG-1..8: exactly the condition that fails is reported, on its field."""
    result = assess_eligibility(application(**changes))
    assert [(f.rule, f.field) for f in result.findings] == [(rule, field)]
    assert result.unmet == [rule]


def test_base_elig_4_budget_of_one_cent_is_enough() -> None:
    assert assess_eligibility(application(annual_science_budget=Decimal("0.01"))).ok


def test_base_elig_6_managers_without_docents_is_not_enough() -> None:
    """BASE-ELIG-6: managers **and** docents."""
    result = assess_eligibility(application(managers=5, docents=0))
    assert result.unmet == ["BASE-ELIG-6"]


def test_base_elig_1_entrustment_letter_replaces_the_credit_code() -> None:
    """BASE-ELIG-1: a unit formally entrusted by a legal person applies with the letter."""
    kinds = ALL_MATERIALS | {AttachmentKind.ENTRUSTMENT_LETTER}
    assert assess_eligibility(application(credit_code=None, attachment_kinds=kinds)).ok


def test_base_elig_1_invalid_code_with_letter_is_only_a_warning() -> None:
    kinds = ALL_MATERIALS | {AttachmentKind.ENTRUSTMENT_LETTER}
    result = assess_eligibility(
        application(credit_code="91350100M000100Y44", attachment_kinds=kinds)
    )
    assert result.ok
    assert [(f.rule, f.severity) for f in result.findings] == [("BASE-ELIG-1", Severity.WARNING)]


def test_base_elig_1_invalid_code_reason_names_the_check_character() -> None:
    result = assess_eligibility(application(credit_code="91350100M000100Y44"))
    assert result.findings[0].code == "credit_code_check_character"
    assert result.findings[0].params["expected"] == "3"


_FLAGS = [k for k, v in COMPLETE.items() if v is True]


@given(st.sets(st.sampled_from(_FLAGS)))
def test_base_elig_1_to_8_unmet_conditions_are_exactly_the_ones_withdrawn(
    withdrawn: set[str],
) -> None:
    """BASE-ELIG-1..8: withdrawing any set of declarations reports each of them, nothing else."""
    result = assess_eligibility(application(**dict.fromkeys(withdrawn, False)))
    assert {f.field for f in result.findings} == withdrawn
    assert result.ok == (not withdrawn)


@pytest.mark.parametrize(
    ("category", "subtype", "ok"),
    [
        (BaseCategory.VENUE, "science_center", True),
        (BaseCategory.NATURAL, "wetland_park", True),
        (BaseCategory.RESEARCH, "laboratory", True),
        (BaseCategory.AGRI, "breeding_base", True),
        (BaseCategory.PRODUCTION, "enterprise_exhibition_hall", True),
        (BaseCategory.OTHER, "气象科普广场", True),
        (BaseCategory.VENUE, "zoo", False),
        (BaseCategory.OTHER, " ", False),
        (BaseCategory.VENUE, None, False),
        (None, None, False),
    ],
)
def test_base_cat_1_subtype_belongs_to_its_category(
    category: BaseCategory | None, subtype: str | None, ok: bool
) -> None:
    """BASE-CAT-1: a listed subtype of the category, or free text for `other`."""
    result = check_category(category, subtype)
    assert result.ok is ok
    assert all(f.rule == "BASE-CAT-1" for f in result.findings)


@pytest.mark.parametrize("missing", sorted(ALL_MATERIALS))
def test_base_apply_2_each_missing_material_is_named(missing: AttachmentKind) -> None:
    result = check_materials(ALL_MATERIALS - {missing})
    assert len(result.findings) == 1
    assert result.findings[0].rule == "BASE-APPLY-2"


def test_base_apply_2_no_materials_gives_three_findings() -> None:
    assert len(check_materials({AttachmentKind.OTHER}).findings) == 3
    assert check_materials(ALL_MATERIALS | {AttachmentKind.OTHER}).ok


@pytest.mark.parametrize(
    ("channel", "recommender", "quota", "used", "ok"),
    [
        (ApplicationChannel.DIRECT, None, None, 0, True),
        (ApplicationChannel.DIRECT, "150402", None, 0, False),
        (ApplicationChannel.CITY_DEPARTMENT, "市农牧局", None, 0, True),
        (ApplicationChannel.CITY_DEPARTMENT, None, None, 0, False),
        (ApplicationChannel.COUNTY_ASSOCIATION, "150402", 3, 2, True),
        (ApplicationChannel.COUNTY_ASSOCIATION, "150402", 3, 3, False),
        (ApplicationChannel.COUNTY_ASSOCIATION, "150402", 0, 0, False),
        (ApplicationChannel.COUNTY_ASSOCIATION, "150402", None, 0, False),
        (ApplicationChannel.COUNTY_ASSOCIATION, None, 3, 0, False),
    ],
)
def test_base_apply_1_channel_recommender_and_quota(
    channel: ApplicationChannel, recommender: str | None, quota: int | None, used: int, ok: bool
) -> None:
    """BASE-APPLY-1: recommendations name the recommender; a county stays within its quota."""
    result = check_channel(channel, recommender, quota=quota, quota_used=used)
    assert result.ok is ok
    assert all(f.rule == "BASE-APPLY-1" for f in result.findings)


@pytest.mark.parametrize(("county", "ok"), [("150402", True), ("150403", False), (None, True)])
def test_base_apply_1_county_recommends_only_its_own_units(county: str | None, ok: bool) -> None:
    result = check_channel(
        ApplicationChannel.COUNTY_ASSOCIATION,
        "150402",
        quota=3,
        quota_used=0,
        applicant_county=county,
    )
    assert result.ok is ok


def test_base_apply_1_recommendation_beyond_quota_says_how_many() -> None:
    result = check_channel(ApplicationChannel.COUNTY_ASSOCIATION, "150402", quota=3, quota_used=3)
    assert result.findings[0].code == "quota_used_up"
    assert result.findings[0].params == {"used": 3, "allowed": 3}


def test_base_apply_2_submission_gathers_every_check() -> None:
    """BASE-CAT-1, BASE-ELIG-1..8, BASE-APPLY-1, BASE-APPLY-2 are all reported at once."""
    result = check_submission(
        BaseApplication(channel=ApplicationChannel.COUNTY_ASSOCIATION, recommender="150402"),
        quota=1,
        quota_used=1,
    )
    rules = {f.rule for f in result.findings}
    assert rules == {"BASE-CAT-1", "BASE-APPLY-1", "BASE-APPLY-2"} | {
        f"BASE-ELIG-{n}" for n in range(1, 9)
    }
    assert check_submission(application(), quota=None, quota_used=0).ok


S, A, R = ApplicationStatus, ApplicationAction, ReviewState
S, A = ApplicationStatus, ApplicationAction


@pytest.mark.parametrize(
    ("status", "action", "to"),
    [
        (S.DRAFT, A.SUBMIT, S.SUBMITTED),
        (S.RETURNED, A.SUBMIT, S.SUBMITTED),
        (S.SUBMITTED, A.START_REVIEW, S.UNDER_REVIEW),
        (S.UNDER_REVIEW, A.REJECT, S.REJECTED),
        (S.UNDER_REVIEW, A.RETURN, S.RETURNED),
        (S.SUBMITTED, A.REJECT, S.REJECTED),
        (S.SUBMITTED, A.RETURN, S.RETURNED),
    ],
)
def test_base_review_1_allowed_transitions(
    status: ApplicationStatus, action: ApplicationAction, to: ApplicationStatus
) -> None:
    result = transition_application(status, action)
    assert result.ok
    assert result.to is to


def test_base_review_1_approval_needs_a_recorded_inspection() -> None:
    """BASE-REVIEW-1: 考核验收 before the decision to approve."""
    panel = [R.SUBMITTED] * 3
    refused = check_approval(inspection_passed=False, reviews=panel, min_opinions=3)
    assert [(f.rule, f.field) for f in refused.errors] == [("BASE-REVIEW-1", "inspection")]
    assert check_approval(inspection_passed=True, reviews=panel, min_opinions=3).ok
    assert transition_application(S.UNDER_REVIEW, A.APPROVE).to is S.APPROVED


def test_base_review_2_every_assigned_reviewer_answers_before_approval() -> None:
    """BASE-REVIEW-2: one reviewer still to answer holds the approval; a declared conflict is an
    answer."""
    waiting = check_approval(
        inspection_passed=True, reviews=[R.SUBMITTED] * 3 + [R.ASSIGNED], min_opinions=3
    )
    assert [(f.rule, f.field) for f in waiting.errors] == [("BASE-REVIEW-2", "reviewers")]
    declined = check_approval(
        inspection_passed=True, reviews=[R.SUBMITTED] * 3 + [R.DECLINED], min_opinions=3
    )
    assert declined.ok


@pytest.mark.parametrize(("opinions", "ok"), [(2, False), (3, True)])
def test_base_review_2_approval_needs_the_policy_minimum_of_opinions(
    opinions: int, ok: bool
) -> None:
    """BASE-REVIEW-2: 2 opinions against a minimum of 3 refuse; 3 pass. Declinations do not
    count as opinions."""
    reviews = [R.SUBMITTED] * opinions + [R.DECLINED] * 2
    result = check_approval(inspection_passed=True, reviews=reviews, min_opinions=3)
    assert result.ok is ok
    if not ok:
        assert [(f.rule, f.field) for f in result.errors] == [("BASE-REVIEW-2", "opinions")]


def test_base_review_2_a_refused_approval_lists_every_gap() -> None:
    """An approval with no inspection, a reviewer waiting and too few opinions names all three."""
    result = check_approval(inspection_passed=False, reviews=[R.ASSIGNED], min_opinions=3)
    assert [f.field for f in result.errors] == ["inspection", "reviewers", "opinions"]


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (S.SUBMITTED, A.SUBMIT),
        (S.UNDER_REVIEW, A.SUBMIT),
        (S.APPROVED, A.SUBMIT),
        (S.REJECTED, A.SUBMIT),
        (S.DRAFT, A.APPROVE),
        (S.DRAFT, A.REJECT),
        (S.DRAFT, A.RETURN),
        (S.SUBMITTED, A.APPROVE),
        (S.APPROVED, A.RETURN),
        (S.REJECTED, A.START_REVIEW),
        (S.RETURNED, A.APPROVE),
    ],
)
def test_base_review_1_refused_transitions_say_why(
    status: ApplicationStatus, action: ApplicationAction
) -> None:
    """BASE-REVIEW-1: a second submission or a decision on a draft is refused, not ignored."""
    result = transition_application(status, action)
    assert not result.ok
    assert result.to is None
    assert result.findings[0].rule == "BASE-REVIEW-1"
    assert result.findings[0].code == "transition_not_allowed"
    assert result.findings[0].params == {"action": action.value, "status": status.value}


@given(st.sampled_from(ApplicationStatus), st.sampled_from(ApplicationAction))
def test_base_review_1_approved_and_rejected_are_final(
    status: ApplicationStatus, action: ApplicationAction
) -> None:
    result = transition_application(status, action)
    if status in (S.APPROVED, S.REJECTED):
        assert result.to is None
    else:
        assert (result.to is None) != result.ok


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (S.DRAFT, A.EDIT),
        (S.RETURNED, A.EDIT),
        (S.SUBMITTED, A.ASSIGN_REVIEWER),
        (S.UNDER_REVIEW, A.ASSIGN_REVIEWER),
        (S.UNDER_REVIEW, A.RECORD_OPINION),
        (S.UNDER_REVIEW, A.INSPECT),
    ],
)
def test_base_review_1_steps_that_keep_the_status(
    status: ApplicationStatus, action: ApplicationAction
) -> None:
    """BASE-REVIEW-1: editing, the panel's work and the inspection leave the status as it is."""
    assert transition_application(status, action).to is status


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (S.SUBMITTED, A.EDIT),
        (S.UNDER_REVIEW, A.EDIT),
        (S.APPROVED, A.EDIT),
        (S.DRAFT, A.ASSIGN_REVIEWER),
        (S.RETURNED, A.ASSIGN_REVIEWER),
        (S.SUBMITTED, A.RECORD_OPINION),
        (S.APPROVED, A.RECORD_OPINION),
        (S.SUBMITTED, A.INSPECT),
        (S.REJECTED, A.INSPECT),
    ],
)
def test_base_review_1_steps_refused_outside_their_status(
    status: ApplicationStatus, action: ApplicationAction
) -> None:
    """BASE-REVIEW-1: a submitted application is not edited, a draft has no panel, and the
    inspection follows the review."""
    result = transition_application(status, action)
    assert result.to is None
    assert [(f.rule, f.field) for f in result.findings] == [("BASE-REVIEW-1", "status")]


@pytest.mark.parametrize(
    ("action", "reason", "fields"),
    [
        (A.APPROVE, "", []),
        (A.REJECT, "材料不全", []),
        (A.REJECT, " ", ["reason"]),
        (A.RETURN, "", ["reason"]),
    ],
)
def test_base_review_1_rejection_and_return_state_their_reason(
    action: ApplicationAction, reason: str, fields: list[str]
) -> None:
    assert [f.field for f in check_decision_reason(action, reason).findings] == fields


@pytest.mark.parametrize(
    ("state", "declined", "reason", "fields"),
    [
        (ReviewState.ASSIGNED, False, "", []),
        (ReviewState.ASSIGNED, True, "曾在申报单位任职", []),
        (ReviewState.ASSIGNED, True, " ", ["reason"]),
        (ReviewState.SUBMITTED, False, "", ["state"]),
        (ReviewState.DECLINED, True, "", ["state", "reason"]),
    ],
)
def test_base_review_1_a_reviewer_responds_once_and_a_declination_states_why(
    state: ReviewState, declined: bool, reason: str, fields: list[str]
) -> None:
    result = check_review_response(state, declined=declined, reason=reason)
    assert [f.field for f in result.findings] == fields
    assert all(f.rule == "BASE-REVIEW-1" for f in result.findings)


def test_base_review_1_every_criterion_has_its_message_when_unscored() -> None:
    """BASE-REVIEW-1: an opinion leaving any criterion unscored names that criterion."""
    assert set(SCORE_REQUIRED) == set(REVIEW_CRITERIA)
    result = check_opinion({}, "意见", ReviewRecommendation.APPROVE)
    assert [(f.field, f.code) for f in result.findings] == [
        (f"scores.{c}", "score_required") for c in REVIEW_CRITERIA
    ]
    assert {f.message for f in result.findings} == set(SCORE_REQUIRED.values())
