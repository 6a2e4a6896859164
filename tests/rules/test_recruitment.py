"""Recruitment drives and applications: VOL-RECRUIT-1."""

from datetime import date

import pytest
from pydantic import ValidationError

from app.domain.recruitment import (
    Recruitment,
    RecruitmentApplicationStatus,
    RecruitmentOpenness,
    RecruitmentRegularity,
    RecruitmentTarget,
)
from app.rules.recruitment import check_application, check_decision, check_recruitment


def recruitment(**changes: object) -> Recruitment:
    base: dict[str, object] = {
        "organization_id": "city",
        "title": "2025年全国科普日志愿者招募",
        "openness": RecruitmentOpenness.PUBLIC,
        "regularity": RecruitmentRegularity.REGULAR,
        "target": RecruitmentTarget.INDIVIDUAL,
        "opens_on": date(2025, 8, 1),
    }
    base.update(changes)
    return Recruitment.model_validate(base)


def test_vol_recruit_1_regular_public_drive_needs_no_end() -> None:
    assert check_recruitment(recruitment()).findings == []


def test_vol_recruit_1_periodic_directed_drive_needs_an_end_and_a_target() -> None:
    result = check_recruitment(
        recruitment(
            regularity=RecruitmentRegularity.PERIODIC,
            openness=RecruitmentOpenness.DIRECTED,
            target=RecruitmentTarget.COLLECTIVE,
        )
    )
    assert [(f.rule, f.code, f.field) for f in result.findings] == [
        ("VOL-RECRUIT-1", "closes_on_required", "closes_on"),
        ("VOL-RECRUIT-1", "directed_to_required", "directed_to"),
    ]
    complete = recruitment(
        regularity=RecruitmentRegularity.PERIODIC,
        openness=RecruitmentOpenness.DIRECTED,
        closes_on=date(2025, 9, 1),
        directed_to="赤峰学院",
    )
    assert check_recruitment(complete).ok


def test_vol_recruit_1_period_cannot_close_before_it_opens() -> None:
    with pytest.raises(ValidationError):
        recruitment(closes_on=date(2025, 7, 31))


@pytest.mark.parametrize(
    ("today", "open_"),
    [
        (date(2025, 7, 31), False),
        (date(2025, 8, 1), True),
        (date(2025, 9, 1), True),
        (date(2025, 9, 2), False),
    ],
)
def test_vol_recruit_1_applications_only_while_the_drive_is_open_both_days_included(
    today: date, open_: bool
) -> None:
    drive = recruitment(closes_on=date(2025, 9, 1))
    result = check_application(drive, today)
    assert result.ok is open_
    assert [f.code for f in result.findings] == ([] if open_ else ["recruitment_not_open"])


def test_vol_recruit_1_a_regular_drive_without_an_end_stays_open() -> None:
    assert check_application(recruitment(), date(2030, 1, 1)).ok


@pytest.mark.parametrize("status", list(RecruitmentApplicationStatus))
def test_vol_recruit_1_only_a_pending_application_is_decided(
    status: RecruitmentApplicationStatus,
) -> None:
    result = check_decision(status)
    assert result.ok is (status is RecruitmentApplicationStatus.PENDING)
    assert all(f.rule == "VOL-RECRUIT-1" for f in result.findings)
    assert all(f.code == "application_decided" for f in result.findings)
