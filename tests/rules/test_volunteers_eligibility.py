"""Registration and eligibility of volunteers (VOL-REG-1, VOL-REG-2, VOL-ELIG-1, VOL-ELIG-2)."""

from calendar import isleap
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.volunteers import (
    DEFAULT_VOLUNTEER_POLICY,
    Declarations,
    GuardianConsent,
    IdType,
    VolunteerPolicy,
    VolunteerRegistration,
)
from app.rules.identity import resident_id_check_char
from app.rules.volunteers_eligibility import (
    age_on,
    check_age,
    check_declarations,
    check_new_volunteer,
    check_registration,
    effective_birth_date,
    person_key,
)

POLICY = DEFAULT_VOLUNTEER_POLICY
TODAY = date(2025, 6, 1)
CONSENT = GuardianConsent(name="王芳", relationship="母亲", consented_on=date(2025, 5, 1))
ALL_DECLARED = Declarations(
    good_conduct=True, healthy=True, law_abiding=True, supports_science=True, civil_capacity=True
)


def resident_id(born: date, region: str = "150402") -> str:
    body = f"{region}{born:%Y%m%d}001"
    return body + resident_id_check_char(body)


def registration(**changes: object) -> VolunteerRegistration:
    base: dict[str, object] = {
        "name": "李明",
        "id_type": IdType.RESIDENT_ID,
        "id_number": resident_id(date(1990, 5, 17)),
        "mobile": "13800138000",
        "region_code": "150402",
        "skills": ["农技服务"],
        "declarations": ALL_DECLARED,
    }
    base.update(changes)
    return VolunteerRegistration.model_validate(base)


def years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2008, 2, 29), date(2028, 2, 28), 19),
        (date(2008, 2, 29), date(2028, 2, 29), 20),
        (date(2007, 6, 1), date(2025, 5, 31), 17),
        (date(2007, 6, 1), date(2025, 6, 1), 18),
        (date(2007, 12, 31), date(2025, 1, 1), 17),
        (date(2025, 6, 1), date(2025, 6, 1), 0),
    ],
)
def test_vol_elig_2_age_in_completed_years_with_29_february_turning_on_1_march(
    born: date, on: date, age: int
) -> None:
    assert age_on(born, on) == age


leap_days = st.integers(1900, 2096).filter(isleap).map(lambda y: date(y, 2, 29))


@given(
    st.one_of(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)), leap_days),
    st.integers(0, 120),
)
def test_vol_elig_2_property_age_grows_by_one_on_each_anniversary(born: date, years: int) -> None:
    year = born.year + years
    leap_day_in_common_year = (born.month, born.day) == (2, 29) and not isleap(year)
    anniversary = date(year, 3, 1) if leap_day_in_common_year else born.replace(year=year)
    assert age_on(born, anniversary) == years
    if years > 0:
        assert age_on(born, anniversary - timedelta(days=1)) == years - 1


@pytest.mark.parametrize(
    ("age", "consent", "ok"),
    [
        (7, CONSENT, False),
        (8, CONSENT, True),
        (8, None, False),
        (17, CONSENT, True),
        (17, None, False),
        (18, None, True),
        (60, None, True),
    ],
)
def test_vol_elig_2_age_thresholds_7_8_17_18(
    age: int, consent: GuardianConsent | None, ok: bool
) -> None:
    result = check_age(years_before(TODAY, age), TODAY, consent, POLICY)
    assert result.ok is ok
    assert all(f.rule == "VOL-ELIG-2" for f in result.findings)


def test_vol_elig_2_day_before_8th_birthday_is_refused_even_with_consent() -> None:
    born = years_before(TODAY, 8) + timedelta(days=1)
    finding = check_age(born, TODAY, CONSENT, POLICY).findings[0]
    assert (finding.code, finding.params["min_age"]) == ("under_min_age", 8)


def test_vol_elig_2_day_before_18th_birthday_still_needs_consent() -> None:
    born = years_before(TODAY, 18) + timedelta(days=1)
    assert check_age(born, TODAY, None, POLICY).findings[0].field == "guardian"


def test_vol_elig_2_birth_date_in_the_future_is_refused() -> None:
    assert not check_age(TODAY + timedelta(days=1), TODAY, None, POLICY).ok


def test_vol_elig_2_ages_are_policy_parameters() -> None:
    later = VolunteerPolicy(effective_on=date(2026, 1, 1), min_age=10, adult_age=18)
    assert not check_age(years_before(TODAY, 9), TODAY, CONSENT, later).ok
    assert check_age(years_before(TODAY, 9), TODAY, CONSENT, POLICY).ok


def test_vol_elig_1_every_missing_declaration_and_skill_is_listed() -> None:
    result = check_declarations(Declarations(), [" "])
    assert {f.field for f in result.findings} == {
        "declarations.good_conduct",
        "declarations.healthy",
        "declarations.law_abiding",
        "declarations.supports_science",
        "declarations.civil_capacity",
        "skills",
    }
    assert {f.rule for f in result.findings} == {"VOL-ELIG-1"}


def test_vol_elig_1_all_declared_with_a_skill_is_eligible() -> None:
    assert check_declarations(ALL_DECLARED, ["科普讲解"]).findings == []


def test_vol_reg_1_complete_registration_passes() -> None:
    assert check_registration(registration(), today=TODAY, policy=POLICY).findings == []


def test_vol_reg_1_every_problem_is_reported_not_only_the_first() -> None:
    bad = registration(
        name=" ",
        id_number=resident_id(date(1990, 5, 17))[:17] + "0",
        mobile="12345",
        region_code="15",
        skills=[],
        declarations=Declarations(),
    )
    findings = check_registration(bad, today=TODAY, policy=POLICY).findings
    fields = [f.field for f in findings]
    assert {"name", "id_number", "mobile", "region_code", "skills"} <= set(fields)
    assert {f.rule for f in findings} == {"VOL-REG-1", "VOL-ELIG-1"}


def test_vol_reg_1_declared_birth_date_must_agree_with_the_id_number() -> None:
    result = check_registration(
        registration(birth_date=date(1990, 5, 18)), today=TODAY, policy=POLICY
    )
    assert [(f.rule, f.field) for f in result.findings] == [("VOL-REG-1", "birth_date")]


def test_vol_reg_1_other_documents_need_a_declared_birth_date() -> None:
    passport = registration(id_type=IdType.PASSPORT, id_number="E12345678")
    result = check_registration(passport, today=TODAY, policy=POLICY)
    assert [(f.rule, f.field) for f in result.findings] == [("VOL-REG-1", "birth_date")]
    dated = passport.model_copy(update={"birth_date": date(1980, 1, 1)})
    assert check_registration(dated, today=TODAY, policy=POLICY).ok


def test_vol_elig_2_minor_registering_without_consent_is_refused() -> None:
    minor = registration(id_number=resident_id(years_before(TODAY, 12)))
    result = check_registration(minor, today=TODAY, policy=POLICY)
    assert [f.rule for f in result.findings] == ["VOL-ELIG-2"]
    with_consent = minor.model_copy(update={"guardian": CONSENT})
    assert check_registration(with_consent, today=TODAY, policy=POLICY).ok


def test_vol_elig_2_seven_year_old_is_refused_with_consent() -> None:
    child = registration(id_number=resident_id(years_before(TODAY, 7)), guardian=CONSENT)
    assert not check_registration(child, today=TODAY, policy=POLICY).ok


def test_vol_reg_1_birth_date_is_read_from_a_resident_id() -> None:
    assert effective_birth_date(registration()) == date(1990, 5, 17)
    assert effective_birth_date(registration(id_type=IdType.PASSPORT, id_number="E1")) is None


def test_vol_reg_2_one_person_is_one_key_whatever_the_spelling() -> None:
    number = "11010519491231002X"
    assert person_key(IdType.RESIDENT_ID, number.lower()) == person_key(
        IdType.RESIDENT_ID, f" {number} "
    )
    assert person_key(IdType.PASSPORT, "E12345678") != person_key(
        IdType.HK_MACAO_PERMIT, "E12345678"
    )


def test_vol_reg_1_a_region_code_must_name_a_known_region() -> None:
    known = {"150402"}
    assert check_new_volunteer(registration(), today=TODAY, policy=POLICY, known_regions=known) == (
        [],
        date(1990, 5, 17),
    )
    findings, born = check_new_volunteer(
        registration(region_code="150499"), today=TODAY, policy=POLICY, known_regions=known
    )
    assert [(f.rule, f.field) for f in findings] == [("VOL-REG-1", "region_code")]
    assert born == date(1990, 5, 17)


def test_vol_reg_1_a_registration_reports_an_unknown_region_with_every_other_problem() -> None:
    findings, _ = check_new_volunteer(
        registration(region_code="150499", mobile="12345"),
        today=TODAY,
        policy=POLICY,
        known_regions=set(),
    )
    assert {f.field for f in findings} == {"mobile", "region_code"}
