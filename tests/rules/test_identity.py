"""Identity documents, mobile numbers and masking (VOL-REG-1, VOL-DUTY-1)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.personal import mask_address, mask_id_number, mask_name, mask_phone
from app.domain.volunteers import IdType
from app.rules.identity import (
    PROVINCE_CODES,
    RESIDENT_ID_CHECK_CHARS,
    RESIDENT_ID_WEIGHTS,
    birth_date_from_resident_id,
    id_document_problems,
    is_valid_mobile,
    normalise_mobile,
    resident_id_check_char,
    resident_id_problems,
)

TODAY = date(2025, 6, 1)
#: The worked example of GB 11643-1999.
STANDARD_EXAMPLE = "11010519491231002X"


def resident_id(region: str, born: date, sequence: str = "001") -> str:
    body = f"{region}{born:%Y%m%d}{sequence}"
    return body + resident_id_check_char(body)


bodies = st.builds(
    lambda province, rest, born, seq: f"{province}{rest}{born:%Y%m%d}{seq}",
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.from_regex(r"\A[0-9]{4}\Z"),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.from_regex(r"\A[0-9]{3}\Z"),
)


def test_vol_reg_1_weights_are_powers_of_two_mod_11() -> None:
    """GB 11643-1999 (ISO 7064 MOD 11-2): weight i is 2^(17-i) mod 11."""
    assert [pow(2, 17 - i, 11) for i in range(17)] == list(RESIDENT_ID_WEIGHTS)
    assert RESIDENT_ID_CHECK_CHARS == "10X98765432"


def test_vol_reg_1_standard_example_passes() -> None:
    assert resident_id_problems(STANDARD_EXAMPLE, today=TODAY) == []
    assert birth_date_from_resident_id(STANDARD_EXAMPLE) == date(1949, 12, 31)


def test_vol_reg_1_lower_case_x_is_normalised() -> None:
    assert resident_id_problems(STANDARD_EXAMPLE.lower(), today=TODAY) == []


@pytest.mark.parametrize("wrong", ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
def test_vol_reg_1_any_other_check_character_is_refused(wrong: str) -> None:
    problems = resident_id_problems(STANDARD_EXAMPLE[:17] + wrong, today=TODAY)
    assert [p.code for p in problems] == ["id_check_digit"]


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002",  # 17 characters
        "11010519491231002XX",  # 19
        "1101051949123100X2",  # X not last
        "11010519491231A02X",  # letter inside
        "１１０１０５１９４９１２３１００２X",  # full-width digits
        "",
    ],
)
def test_vol_reg_1_malformed_number_is_refused(number: str) -> None:
    assert len(resident_id_problems(number, today=TODAY)) == 1


def test_vol_reg_1_unknown_province_is_refused() -> None:
    number = resident_id("990105", date(1990, 1, 1))
    assert [(p.code, p.params) for p in resident_id_problems(number, today=TODAY)] == [
        ("id_province_unknown", {"region": "990105"})
    ]


@pytest.mark.parametrize(
    ("birth", "ok"),
    [
        ("19900229", False),  # 1990 is not a leap year
        ("20000229", True),
        ("19901301", False),
        ("19900132", False),
        ("18991231", False),  # before 1900
        ("19000101", True),
        ("20250601", True),  # today
        ("20250602", False),  # tomorrow
    ],
)
def test_vol_reg_1_birth_date_must_be_a_possible_date(birth: str, ok: bool) -> None:
    body = f"150402{birth}001"
    number = body + resident_id_check_char(body)
    assert (resident_id_problems(number, today=TODAY) == []) is ok


def test_vol_reg_1_birth_date_mismatch_is_refused_on_birth_date() -> None:
    number = resident_id("150402", date(1990, 5, 17))
    problems = id_document_problems(
        IdType.RESIDENT_ID, number, birth_date=date(1990, 5, 18), today=TODAY
    )
    assert [p.field for p in problems] == ["birth_date"]
    assert (problems[0].code, problems[0].params["encoded"]) == (
        "birth_date_mismatch",
        "1990-05-17",
    )


def test_vol_reg_1_matching_or_absent_birth_date_passes() -> None:
    number = resident_id("150402", date(1990, 5, 17))
    for declared in (date(1990, 5, 17), None):
        assert (
            id_document_problems(IdType.RESIDENT_ID, number, birth_date=declared, today=TODAY) == []
        )


@pytest.mark.parametrize(
    ("id_type", "number", "ok"),
    [
        (IdType.PASSPORT, "E12345678", True),
        (IdType.PASSPORT, "g 1234 5678", True),
        (IdType.PASSPORT, "AB12", False),
        (IdType.PASSPORT, "E1234567!", False),
        (IdType.HK_MACAO_PERMIT, "H12345678", True),
        (IdType.HK_MACAO_PERMIT, "M1234567890", True),
        (IdType.HK_MACAO_PERMIT, "C12345678", False),
        (IdType.HK_MACAO_PERMIT, "H1234567", False),
        (IdType.TAIWAN_PERMIT, "12345678", True),
        (IdType.TAIWAN_PERMIT, "1234567890", True),
        (IdType.TAIWAN_PERMIT, "123456789", False),
        (IdType.FOREIGN_PERMANENT_RESIDENT, "USA150312345678", True),
        (IdType.FOREIGN_PERMANENT_RESIDENT, "US1503123456789", False),
    ],
)
def test_vol_reg_1_other_documents_are_accepted_by_format(
    id_type: IdType, number: str, ok: bool
) -> None:
    assert (id_document_problems(id_type, number, birth_date=None, today=TODAY) == []) is ok


def test_vol_reg_1_2023_foreign_permanent_resident_card_has_a_check_digit() -> None:
    body = "91184019900101001"  # 9, issuing province 11, country 840, birth date, sequence
    good = body + resident_id_check_char(body)
    bad = body + ("0" if good[-1] != "0" else "1")
    kind = IdType.FOREIGN_PERMANENT_RESIDENT
    assert id_document_problems(kind, good, birth_date=None, today=TODAY) == []
    assert len(id_document_problems(kind, bad, birth_date=None, today=TODAY)) == 1


@given(bodies)
def test_vol_reg_1_property_computed_check_character_always_passes(body: str) -> None:
    assert resident_id_problems(body + resident_id_check_char(body), today=TODAY) == []


@given(bodies, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_vol_reg_1_property_any_single_digit_error_is_caught(
    body: str, position: int, shift: int
) -> None:
    """MOD 11-2 detects every single substitution: weights are non-zero modulo the prime 11."""
    number = body + resident_id_check_char(body)
    changed = str((int(body[position]) + shift) % 10)
    mutated = number[:position] + changed + number[position + 1 :]
    assert resident_id_check_char(mutated[:17]) != mutated[17]


@given(bodies, st.integers(min_value=0, max_value=15))
def test_vol_reg_1_property_any_adjacent_transposition_is_caught(body: str, position: int) -> None:
    """Adjacent weights differ by a non-zero amount mod 11, so swapping two digits shows."""
    a, b = body[position], body[position + 1]
    if a == b:
        return
    number = body + resident_id_check_char(body)
    swapped = number[:position] + b + a + number[position + 2 :]
    assert resident_id_check_char(swapped[:17]) != swapped[17]


@given(bodies)
def test_vol_reg_1_property_birth_date_is_read_back(body: str) -> None:
    number = body + resident_id_check_char(body)
    born = birth_date_from_resident_id(number)
    assert born is not None
    assert f"{born:%Y%m%d}" == body[6:14]


@pytest.mark.parametrize(
    ("mobile", "ok"),
    [
        ("13800138000", True),
        ("19912345678", True),
        ("138 0013 8000", True),
        ("+8613800138000", True),
        ("008613800138000", True),
        ("12800138000", False),  # second digit 2
        ("10800138000", False),
        ("1380013800", False),  # 10 digits
        ("138001380001", False),  # 12 digits
        ("23800138000", False),
        ("1380013800a", False),
        ("１３８００１３８０００", False),  # full-width digits
    ],
)
def test_vol_reg_1_mobile_is_11_digits_1_then_3_to_9(mobile: str, ok: bool) -> None:
    assert is_valid_mobile(mobile) is ok


def test_vol_reg_1_mobile_is_normalised() -> None:
    assert normalise_mobile("+86 138-0013-8000") == "13800138000"


def test_vol_duty_1_id_number_mask_hides_the_birth_date() -> None:
    masked = mask_id_number(STANDARD_EXAMPLE)
    assert masked == "110***********002X"
    assert "19491231" not in masked
    assert len(masked) == len(STANDARD_EXAMPLE)


@pytest.mark.parametrize(
    ("number", "masked"),
    [("E12345678", "E******78"), ("H12345678", "H******78"), ("AB1", "***")],
)
def test_vol_duty_1_short_document_numbers_keep_less(number: str, masked: str) -> None:
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13800138000", "138****8000"), ("+86 13800138000", "138****8000"), ("123", "***")],
)
def test_vol_duty_1_phone_mask(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张", "*"),
        ("张三", "张*"),
        ("张三丰", "张*丰"),
        ("欧阳娜娜", "欧**娜"),
        ("John Smith", "J********h"),
    ],
)
def test_vol_duty_1_name_mask_keeps_the_surname(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_vol_duty_1_address_mask_hides_the_street_and_the_length() -> None:
    long = "内蒙古自治区赤峰市红山区长青街道某某小区3号楼2单元501"
    assert mask_address(long) == "内蒙古自治区****"
    assert mask_address("红山区某路1号") == "红山区****"
    assert mask_address(long + "室") == mask_address(long)


@pytest.mark.parametrize("days", [0, 1])
def test_vol_reg_1_birth_date_today_boundary(days: int) -> None:
    number = resident_id("150402", TODAY + timedelta(days=days))
    assert (resident_id_problems(number, today=TODAY) == []) is (days == 0)
