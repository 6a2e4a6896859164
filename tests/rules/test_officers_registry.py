"""OFF-REG-1: officer records and their import rows."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from app.domain.officers import (
    CertificationStatus,
    Officer,
    OfficerStatus,
    Place,
    SourceGroup,
)
from app.rules.officers import check_officer, parse_officer_row, place_officer

TODAY = date(2024, 3, 15)


def row(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "name": "张三",
        "mobile": "13812345678",
        "township_code": "150402001",
        "source_group": "science_worker",
        "app_account_id": "kpzg_0001",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def problems(raw: dict[str, object]) -> set[tuple[str | None, str]]:
    result = parse_officer_row(raw, today=TODAY).result
    return {(f.field, f.rule) for f in result.findings}


def test_off_reg_1_minimal_good_row_is_a_registered_active_officer() -> None:
    parsed = parse_officer_row(row(), today=TODAY)
    assert parsed.result.ok
    assert parsed.officer == Officer(
        name="张三",
        mobile="13812345678",
        township_code="150402001",
        source_group=SourceGroup.SCIENCE_WORKER,
        app_account_id="kpzg_0001",
    )
    assert parsed.officer.certification_status is CertificationStatus.REGISTERED
    assert parsed.officer.status is OfficerStatus.ACTIVE


@pytest.mark.parametrize(
    "mobile",
    ["13012345678", "13912345678", "19999999999", 13812345678, 13812345678.0, " 13812345678 "],
)
def test_off_reg_1_mobile_1_3_to_9_then_nine_digits_is_accepted(mobile: object) -> None:
    assert parse_officer_row(row(mobile=mobile), today=TODAY).result.ok


@pytest.mark.parametrize(
    "mobile",
    ["12812345678", "10812345678", "1381234567", "138123456789", "1381234567a", "+8613812345678"],
)
def test_off_reg_1_mobile_outside_the_pattern_is_refused(mobile: str) -> None:
    assert problems(row(mobile=mobile)) == {("mobile", "OFF-REG-1")}


def test_off_reg_1_an_officer_is_placed_in_a_township_and_optionally_one_of_its_villages() -> None:
    assert parse_officer_row(row(), today=TODAY).result.ok
    parsed = parse_officer_row(row(village_code="150402001201"), today=TODAY)
    assert parsed.officer is not None
    assert parsed.officer.village_code == "150402001201"


@pytest.mark.parametrize(
    "code", ["150402", "1504020012", "15040200120", "15040200120a", "150402001201"]
)
def test_off_reg_1_county_village_or_malformed_township_code_is_refused(code: str) -> None:
    assert problems(row(township_code=code)) == {("township_code", "OFF-REG-1")}


@pytest.mark.parametrize("code", ["150402001", "15040200120", "15040200120a"])
def test_off_reg_1_township_or_malformed_village_code_is_refused(code: str) -> None:
    assert problems(row(village_code=code)) == {("village_code", "OFF-REG-1")}


def test_off_reg_1_village_of_another_township_is_refused() -> None:
    assert problems(row(village_code="150402002201")) == {("village_code", "OFF-REG-1")}


def _places() -> dict[str, Place]:
    return {
        "150402001": Place(level="township", county_code="150402", parent_code="150402"),
        "150402001201": Place(level="village", county_code="150402", parent_code="150402001"),
        "150402": Place(level="county", county_code="150402", parent_code="150400"),
    }


def _officer(**changes: object) -> Officer:
    parsed = parse_officer_row(row(**changes), today=TODAY).officer
    assert parsed is not None
    return parsed


def test_off_reg_1_a_known_township_places_the_officer_in_its_county() -> None:
    officer = _officer(village_code="150402001201")
    assert place_officer(officer, _places(), county_code=None) == ("150402", [])
    assert place_officer(officer, _places(), county_code="150402") == ("150402", [])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"township_code": "150402009"}, "township_code"),
        ({"village_code": "150402001209"}, "village_code"),
    ],
)
def test_off_reg_1_an_unknown_township_or_village_is_refused(
    changes: dict[str, object], field: str
) -> None:
    county, findings = place_officer(_officer(**changes), _places(), county_code=None)
    assert county is None
    assert {(f.field, f.rule) for f in findings} == {(field, "OFF-REG-1")}


def test_off_reg_1_a_county_places_officers_only_in_its_own_townships() -> None:
    county, findings = place_officer(_officer(), _places(), county_code="150403")
    assert county is None
    assert {(f.field, f.code) for f in findings} == {("township_code", "out_of_scope")}
    assert {f.message for f in findings} == {"outside your county"}


@pytest.mark.parametrize(
    ("given", "group"),
    [
        ("科技工作者", SourceGroup.SCIENCE_WORKER),
        ("科普e站管理员", SourceGroup.E_STATION_ADMIN),
        ("医务工作者", SourceGroup.MEDICAL_WORKER),
        ("科技辅导员", SourceGroup.SCIENCE_TUTOR),
        ("社区居民", SourceGroup.COMMUNITY_RESIDENT),
        ("农牧民", SourceGroup.FARMER_HERDER),
        ("其他", SourceGroup.OTHER),
        ("FARMER_HERDER", SourceGroup.FARMER_HERDER),
        ("other", SourceGroup.OTHER),
    ],
)
def test_off_reg_1_source_group_accepts_code_or_chinese_label(
    given: str, group: SourceGroup
) -> None:
    parsed = parse_officer_row(row(source_group=given), today=TODAY)
    assert parsed.officer is not None
    assert parsed.officer.source_group is group
    assert group.label


def test_off_reg_1_unknown_or_missing_source_group_is_refused() -> None:
    assert problems(row(source_group="学生")) == {("source_group", "OFF-REG-1")}
    assert problems(row(source_group="")) == {("source_group", "OFF-REG-1")}


def test_off_reg_1_certification_date_implies_certified() -> None:
    parsed = parse_officer_row(row(certified_on="2024-03-15"), today=TODAY)
    assert parsed.officer is not None
    assert parsed.officer.certification_status is CertificationStatus.CERTIFIED
    assert parsed.officer.certified_on == TODAY


@pytest.mark.parametrize(
    "given", ["2024-03-01", "2024/3/1", "2024.03.01", date(2024, 3, 1), datetime(2024, 3, 1, 0, 0)]
)
def test_off_reg_1_certification_date_formats(given: object) -> None:
    parsed = parse_officer_row(row(certified_on=given, certification_status="已认证"), today=TODAY)
    assert parsed.officer is not None
    assert parsed.officer.certified_on == date(2024, 3, 1)


def test_off_reg_1_certification_on_today_is_accepted_tomorrow_refused() -> None:
    assert parse_officer_row(row(certified_on="2024-03-15"), today=TODAY).result.ok
    assert problems(row(certified_on="2024-03-16")) == {("certified_on", "OFF-REG-1")}


def test_off_reg_1_certified_without_date_is_refused() -> None:
    assert problems(row(certification_status="certified")) == {("certified_on", "OFF-REG-1")}


def test_off_reg_1_date_with_status_registered_is_refused() -> None:
    raw = row(certification_status="registered", certified_on="2024-01-01")
    assert problems(raw) == {("certified_on", "OFF-REG-1")}


def test_off_reg_1_left_needs_a_date_and_a_date_means_left() -> None:
    assert problems(row(status="left")) == {("left_on", "OFF-REG-1")}
    assert problems(row(status="active", left_on="2024-01-01")) == {("left_on", "OFF-REG-1")}
    parsed = parse_officer_row(row(left_on="2024-01-01"), today=TODAY)
    assert parsed.officer is not None
    assert parsed.officer.status is OfficerStatus.LEFT


def test_off_reg_1_dates_before_registration_are_refused() -> None:
    raw = row(registered_on="2024-02-01", certified_on="2024-01-31", left_on="2024-01-30")
    assert problems(raw) == {("certified_on", "OFF-REG-1"), ("left_on", "OFF-REG-1")}


def test_off_reg_1_a_bad_row_lists_every_problem_with_its_field() -> None:
    raw = {
        "name": "",
        "mobile": "12345",
        "township_code": "15",
        "source_group": "x",
        "app_account_id": "has space",
        "certification_status": "maybe",
        "certified_on": "2024-13-01",
        "status": "gone",
        "left_on": "tomorrow",
    }
    parsed = parse_officer_row(raw, today=TODAY)
    assert parsed.officer is None
    assert {f.field for f in parsed.result.errors} == {
        "name",
        "mobile",
        "township_code",
        "source_group",
        "app_account_id",
        "certification_status",
        "certified_on",
        "status",
        "left_on",
    }
    assert {f.rule for f in parsed.result.findings} == {"OFF-REG-1"}


@pytest.mark.parametrize("value", [True, ["13812345678"], 3.5])
def test_off_reg_1_non_text_cells_are_refused(value: object) -> None:
    assert problems(row(mobile=value)) == {("mobile", "OFF-REG-1")}


def test_off_reg_1_name_longer_than_50_is_refused() -> None:
    assert problems(row(name="名" * 51)) == {("name", "OFF-REG-1")}
    assert parse_officer_row(row(name="名" * 50), today=TODAY).result.ok


def test_off_reg_1_officer_model_refuses_a_bad_mobile() -> None:
    with pytest.raises(ValidationError):
        Officer(
            name="李四",
            mobile="1381234567",
            township_code="150402001",
            source_group=SourceGroup.OTHER,
            app_account_id="a",
        )


def test_off_reg_1_check_officer_lists_future_and_inconsistent_dates() -> None:
    officer = Officer(
        name="李四",
        mobile="13812345678",
        township_code="150402001",
        village_code="150402001201",
        source_group=SourceGroup.FARMER_HERDER,
        app_account_id="a-1",
        certification_status=CertificationStatus.CERTIFIED,
        certified_on=date(2024, 3, 16),
        status=OfficerStatus.LEFT,
    )
    findings = check_officer(officer, today=TODAY).findings
    assert {(f.field, f.rule) for f in findings} == {
        ("certified_on", "OFF-REG-1"),
        ("left_on", "OFF-REG-1"),
    }
