"""Categories, subtypes and the opening-class mapping (BASE-CAT-1, BASE-OPEN-3), and the policy."""

from datetime import date

import pytest
from pydantic import ValidationError

from app.domain.bases import (
    DEFAULT_BASE_POLICY,
    SUBTYPES,
    BaseCategory,
    BasePolicy,
    OpeningClass,
    OpeningClassOverride,
    ScienceBase,
    derived_opening_class,
    effective_opening_class,
)
from app.domain.common import policy_in_force
from app.rules.bases_compliance import check_class_override

PUBLIC, INSTITUTION, UNDETERMINED = (
    OpeningClass.PUBLIC,
    OpeningClass.INSTITUTION,
    OpeningClass.UNDETERMINED,
)


def test_base_cat_1_six_categories_with_their_art_12_names() -> None:
    assert [c.value for c in BaseCategory] == [
        "venue",
        "natural",
        "research",
        "agri",
        "production",
        "other",
    ]
    assert BaseCategory.AGRI.label == "“三农”类"
    assert len(SUBTYPES[BaseCategory.VENUE]) == 10
    assert len(SUBTYPES[BaseCategory.NATURAL]) == 11
    assert SUBTYPES[BaseCategory.OTHER] == {}


def test_base_cat_1_subtype_codes_are_unique_across_categories() -> None:
    codes = [code for subtypes in SUBTYPES.values() for code in subtypes]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize(
    ("category", "subtype", "expected"),
    [
        (BaseCategory.VENUE, "science_center", PUBLIC),
        (BaseCategory.VENUE, "youth_activity_center", PUBLIC),
        (BaseCategory.VENUE, "library", PUBLIC),
        (BaseCategory.NATURAL, "zoo", PUBLIC),
        (BaseCategory.NATURAL, "forest_park", PUBLIC),
        (BaseCategory.RESEARCH, "museum", PUBLIC),
        (BaseCategory.RESEARCH, "laboratory", INSTITUTION),
        (BaseCategory.RESEARCH, "hospital", INSTITUTION),
        (BaseCategory.AGRI, "agritourism_park", INSTITUTION),
        (BaseCategory.PRODUCTION, "science_park", INSTITUTION),
        (BaseCategory.OTHER, "气象科普广场", UNDETERMINED),
        (BaseCategory.OTHER, None, UNDETERMINED),
        (BaseCategory.VENUE, None, UNDETERMINED),
        (BaseCategory.VENUE, "zoo", UNDETERMINED),
    ],
)
def test_base_open_3_class_is_derived_by_the_mapping_table(
    category: BaseCategory, subtype: str | None, expected: OpeningClass
) -> None:
    """BASE-OPEN-3 with BASE-OPEN-1/2: venue, natural and 博物馆 are public; the rest of Art. 6's
    labs, research bases and enterprises, and by decision agri and production, are institution."""
    assert derived_opening_class(category, subtype) is expected


def test_base_open_3_category_other_has_no_default_class() -> None:
    for text in ("博物馆", "图书馆", "公园", "科技馆"):
        assert derived_opening_class(BaseCategory.OTHER, text) is UNDETERMINED


def test_base_open_3_administrator_override_wins_over_the_table() -> None:
    override = OpeningClassOverride(opening_class=INSTITUTION, reason="仅周末对外开放的馆内实验室")
    assert effective_opening_class(BaseCategory.VENUE, "science_center", override) is INSTITUTION
    base = ScienceBase(
        id="b1",
        name="x",
        category=BaseCategory.OTHER,
        subtype="气象科普广场",
        accredited_on=date(2024, 1, 1),
        opening_class_override=OpeningClassOverride(opening_class=PUBLIC, reason="全年开放的广场"),
    )
    assert base.opening_class is PUBLIC


@pytest.mark.parametrize(
    ("opening_class", "reason", "fields"),
    [
        (PUBLIC, "全年对公众开放", []),
        (INSTITUTION, "  ", ["reason"]),
        (PUBLIC, None, ["reason"]),
        (UNDETERMINED, "撤回", ["opening_class"]),
        (UNDETERMINED, "", ["opening_class", "reason"]),
    ],
)
def test_base_open_3_override_needs_a_class_and_a_written_reason(
    opening_class: OpeningClass, reason: str | None, fields: list[str]
) -> None:
    result = check_class_override(opening_class, reason)
    assert [f.field for f in result.findings] == fields
    assert all(f.rule == "BASE-OPEN-3" for f in result.findings)


def test_base_open_1_default_policy_has_the_values_of_att_3() -> None:
    """BASE-OPEN-1, BASE-OPEN-2, BASE-ACT-1, BASE-REPORT-1, BASE-EVAL-1 thresholds of 2023."""
    p = DEFAULT_BASE_POLICY
    assert p.effective_on == date(2023, 1, 1)
    assert (p.public_min_open_days, p.public_min_visitors) == (200, 2000)
    assert p.institution_min_open_days == 50
    assert p.min_activities == 2
    assert p.report_due(2025) == date(2025, 11, 10)
    assert p.evaluation_term_years == 3


def test_base_open_1_policy_is_frozen_and_versioned() -> None:
    with pytest.raises(ValidationError):
        DEFAULT_BASE_POLICY.public_min_open_days = 100  # type: ignore[misc]
    later = BasePolicy(effective_on=date(2026, 1, 1), public_min_open_days=220)
    assert policy_in_force([DEFAULT_BASE_POLICY, later], date(2025, 12, 31)) is DEFAULT_BASE_POLICY
    assert policy_in_force([DEFAULT_BASE_POLICY, later], date(2026, 1, 1)) is later


@pytest.mark.parametrize(
    "changes",
    [
        {"report_due_month": 4, "report_due_day": 31},
        {"report_due_month": 13},
        {"public_min_open_days": 367},
        {"public_min_visitors": -1},
    ],
)
def test_base_report_1_policy_refuses_impossible_values(changes: dict[str, int]) -> None:
    with pytest.raises(ValidationError):
        BasePolicy(effective_on=date(2026, 1, 1), **changes)
