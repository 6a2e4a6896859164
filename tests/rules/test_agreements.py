"""Service agreements: VOL-AGREE-1."""

from datetime import date

import pytest
from pydantic import ValidationError

from app.domain.agreements import Agreement


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
