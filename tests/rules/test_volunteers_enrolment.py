"""The enrolment gate, activities, withdrawal and recruitment.

VOL-EXIT-1, VOL-ELIG-2, VOL-DUTY-2, VOL-DUTY-3, VOL-RIGHT-1, VOL-SCOPE-1, VOL-RECRUIT-1.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from app.domain.common import SHANGHAI, Finding, Observance, Severity
from app.domain.volunteers import (
    DEFAULT_VOLUNTEER_POLICY,
    Activity,
    Enrolment,
    EnrolmentContext,
    EnrolmentStatus,
    GuardianConsent,
    InsurancePolicy,
    Membership,
    MembershipStatus,
    RiskLevel,
    ServiceScope,
    Volunteer,
)
from app.rules.volunteers_enrolment import (
    CAPACITY_RULE,
    activity_days,
    can_confirm,
    check_activity,
    check_capacity,
    check_risk_acknowledgement,
    check_withdrawal,
    uncovered_days,
)

POLICY = DEFAULT_VOLUNTEER_POLICY
CONSENT = GuardianConsent(name="王芳", relationship="母亲", consented_on=date(2025, 1, 1))
FIRST_DAY, LAST_DAY = date(2025, 7, 10), date(2025, 7, 12)
NOW = datetime(2025, 7, 1, 12, 0, tzinfo=SHANGHAI)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def activity(**changes: object) -> Activity:
    """A three-day activity of the city team, 10–12 July 2025, open to adults only."""
    base: dict[str, object] = {
        "id": "act-1",
        "organization_id": "city",
        "title": "防汛应急科普进社区",
        "scope": ServiceScope.GRASSROOTS,
        "starts_at": at(FIRST_DAY, 9),
        "ends_at": at(LAST_DAY, 17),
        "capacity": 10,
    }
    base.update(changes)
    return Activity.model_validate(base)


def dangerous(**changes: object) -> Activity:
    return activity(
        risk=RiskLevel.PERSONAL_DANGER, risk_disclosure="涉水作业，可能发生溺水、滑倒", **changes
    )


def volunteer(born: date = date(1990, 5, 17), **changes: object) -> Volunteer:
    base: dict[str, object] = {"id": "v-1", "name": "李明", "birth_date": born}
    base.update(changes)
    return Volunteer.model_validate(base)


def enrolment(**changes: object) -> Enrolment:
    base: dict[str, object] = {"id": "e-1", "activity_id": "act-1", "volunteer_id": "v-1"}
    base.update(changes)
    return Enrolment.model_validate(base)


def insurance(starts_on: date, ends_on: date, **changes: object) -> InsurancePolicy:
    base: dict[str, object] = {
        "id": "ins-1",
        "insurer": "中国人寿",
        "number": "P2025-0001",
        "starts_on": starts_on,
        "ends_on": ends_on,
        "insured_volunteer_ids": frozenset({"v-1"}),
    }
    base.update(changes)
    return InsurancePolicy.model_validate(base)


def context(**changes: object) -> EnrolmentContext:
    base: dict[str, object] = {"policy": POLICY}
    base.update(changes)
    return EnrolmentContext.model_validate(base)


ACKNOWLEDGED = enrolment(risk_acknowledged_at=NOW - timedelta(days=1))
FULLY_INSURED = context(insurance=(insurance(FIRST_DAY, LAST_DAY),))


def rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def born_aged(age: int, on: date) -> date:
    return on.replace(year=on.year - age)


def one_day() -> dict[str, object]:
    return {"starts_at": at(FIRST_DAY, 9), "ends_at": at(FIRST_DAY, 17)}


@pytest.mark.parametrize(
    ("age", "minors_allowed", "expected"),
    [
        (7, True, ["VOL-ELIG-2"]),
        (8, True, []),
        (8, False, ["VOL-ELIG-2"]),
        (17, True, []),
        (17, False, ["VOL-ELIG-2"]),
        (18, False, []),
    ],
)
def test_vol_elig_2_age_7_8_17_18_on_the_activity_date(
    age: int, minors_allowed: bool, expected: list[str]
) -> None:
    act = activity(minors_allowed=minors_allowed, **one_day())
    vol = volunteer(born_aged(age, FIRST_DAY), guardian_consent=CONSENT)
    assert rules(can_confirm(vol, act, enrolment(), context(), NOW).findings) == expected


def test_vol_elig_2_age_is_judged_on_the_activity_date_not_today() -> None:
    """18 on the activity's day though still 17 when the organisation confirms."""
    vol = volunteer(born_aged(18, FIRST_DAY))
    act = activity(**one_day())
    assert vol.birth_date > NOW.date().replace(year=NOW.year - 18)
    assert can_confirm(vol, act, enrolment(), context(), NOW).ok


def test_vol_elig_2_turning_18_on_the_second_day_is_still_a_minor_on_the_first() -> None:
    vol = volunteer(born_aged(18, FIRST_DAY + timedelta(days=1)))
    findings = can_confirm(vol, activity(), enrolment(), context(), NOW).findings
    assert [(f.code, f.params) for f in findings] == [
        ("minors_not_allowed", {"age": 17, "day": "2025-07-10"}),
        ("guardian_consent_required", {"age": 17, "day": "2025-07-10"}),
    ]


def test_vol_elig_2_minor_on_a_minors_activity_still_needs_consent() -> None:
    vol = volunteer(born_aged(12, FIRST_DAY))
    findings = can_confirm(vol, activity(minors_allowed=True), enrolment(), context(), NOW).findings
    assert [f.code for f in findings] == ["guardian_consent_required"]


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        (born_aged(30, FIRST_DAY) + timedelta(days=1), ["VOL-DUTY-2"]),  # 29 on the first day
        (born_aged(30, FIRST_DAY), []),
        (born_aged(40, LAST_DAY), []),
        (born_aged(40, LAST_DAY) - timedelta(days=1), []),
        (born_aged(41, LAST_DAY), ["VOL-DUTY-2"]),  # turns 41 on the last day
    ],
)
def test_vol_duty_2_age_limits_on_every_day_of_the_activity(
    born: date, expected: list[str]
) -> None:
    act = activity(min_age=30, max_age=40)
    assert (
        rules(can_confirm(volunteer(born), act, enrolment(), context(), NOW).findings) == expected
    )


def test_vol_duty_2_required_skills_are_matched_case_insensitively() -> None:
    act = activity(required_skills=frozenset({"First Aid", "水文"}))
    skilled = volunteer(skills=frozenset({"first aid ", "水文", "摄影"}))
    assert can_confirm(skilled, act, enrolment(), context(), NOW).ok
    unskilled = volunteer(skills=frozenset({"摄影"}))
    findings = can_confirm(unskilled, act, enrolment(), context(), NOW).findings
    assert [(f.rule, f.code, f.params) for f in findings] == [
        ("VOL-DUTY-2", "skills_missing", {"skills": "first aid, 水文"})
    ]


@pytest.mark.parametrize(
    ("org", "status", "refused"),
    [
        ("city", MembershipStatus.EXPELLED, True),
        ("hongshan", MembershipStatus.EXPELLED, False),
        ("city", MembershipStatus.EXITED, False),
        ("city", MembershipStatus.WARNED, False),
    ],
)
def test_vol_exit_1_expelled_by_the_activitys_organisation_is_refused(
    org: str, status: MembershipStatus, refused: bool
) -> None:
    ctx = context(memberships=(Membership(organization_id=org, status=status),))
    result = can_confirm(volunteer(), activity(), enrolment(), ctx, NOW)
    assert rules(result.findings) == (["VOL-EXIT-1"] if refused else [])


def test_vol_duty_3_dangerous_activity_without_acknowledgement_is_refused() -> None:
    findings = can_confirm(volunteer(), dangerous(), enrolment(), FULLY_INSURED, NOW).findings
    assert [(f.rule, f.field) for f in findings] == [("VOL-DUTY-3", "risk_acknowledged_at")]


def test_vol_duty_3_acknowledgement_stamped_after_now_does_not_count() -> None:
    later = enrolment(risk_acknowledged_at=NOW + timedelta(seconds=1))
    assert not can_confirm(volunteer(), dangerous(), later, FULLY_INSURED, NOW).ok


def test_vol_duty_3_insurance_ending_the_day_before_the_last_day_is_refused() -> None:
    ctx = context(insurance=(insurance(FIRST_DAY, LAST_DAY - timedelta(days=1)),))
    findings = can_confirm(volunteer(), dangerous(), ACKNOWLEDGED, ctx, NOW).findings
    assert [(f.rule, f.code, f.params) for f in findings] == [
        ("VOL-DUTY-3", "uninsured", {"days": "2025-07-12", "more": 0})
    ]


def test_vol_duty_3_insurance_starting_on_the_second_day_is_refused() -> None:
    ctx = context(insurance=(insurance(FIRST_DAY + timedelta(days=1), LAST_DAY),))
    assert uncovered_days(dangerous(), "v-1", ctx.insurance) == [FIRST_DAY]


def test_vol_duty_3_acknowledged_and_insured_every_day_is_confirmed() -> None:
    assert can_confirm(volunteer(), dangerous(), ACKNOWLEDGED, FULLY_INSURED, NOW).findings == []


def test_vol_duty_3_two_policies_chained_cover_every_day() -> None:
    ctx = context(
        insurance=(
            insurance(FIRST_DAY, FIRST_DAY),
            insurance(FIRST_DAY + timedelta(days=1), LAST_DAY, id="ins-2"),
        )
    )
    assert can_confirm(volunteer(), dangerous(), ACKNOWLEDGED, ctx, NOW).ok


@pytest.mark.parametrize(
    "policy_changes",
    [
        {"insured_volunteer_ids": frozenset({"v-2"})},
        {"activity_id": "another-activity"},
    ],
)
def test_vol_duty_3_a_policy_for_someone_or_something_else_does_not_cover(
    policy_changes: dict[str, object],
) -> None:
    ctx = context(insurance=(insurance(FIRST_DAY, LAST_DAY, **policy_changes),))
    assert not can_confirm(volunteer(), dangerous(), ACKNOWLEDGED, ctx, NOW).ok


def test_vol_duty_3_a_policy_naming_this_activity_covers() -> None:
    ctx = context(insurance=(insurance(FIRST_DAY, LAST_DAY, activity_id="act-1"),))
    assert can_confirm(volunteer(), dangerous(), ACKNOWLEDGED, ctx, NOW).ok


def test_vol_duty_3_safe_activity_needs_neither_acknowledgement_nor_insurance() -> None:
    assert can_confirm(volunteer(), activity(), enrolment(), context(), NOW).findings == []


def test_vol_duty_3_every_unmet_rule_is_listed_at_once() -> None:
    minor = volunteer(born_aged(12, FIRST_DAY))
    ctx = context(
        memberships=(Membership(organization_id="city", status=MembershipStatus.EXPELLED),),
        confirmed_count=10,
    )
    act = dangerous(required_skills=frozenset({"急救"}))
    result = can_confirm(minor, act, enrolment(), ctx, NOW)
    assert rules(result.findings) == [
        "VOL-EXIT-1",
        "VOL-ELIG-2",
        "VOL-ELIG-2",
        "VOL-DUTY-2",
        "VOL-DUTY-3",
        "VOL-DUTY-3",
        CAPACITY_RULE,
    ]


@pytest.mark.parametrize(("confirmed", "full"), [(9, False), (10, True), (11, True)])
def test_vol_capacity_confirmed_enrolments_never_exceed_capacity(
    confirmed: int, full: bool
) -> None:
    result = can_confirm(
        volunteer(), activity(), enrolment(), context(confirmed_count=confirmed), NOW
    )
    assert rules(result.findings) == ([CAPACITY_RULE] if full else [])


def test_vol_right_1_withdrawn_enrolment_cannot_be_confirmed() -> None:
    withdrawn = enrolment(status=EnrolmentStatus.WITHDRAWN)
    assert rules(can_confirm(volunteer(), activity(), withdrawn, context(), NOW).findings) == [
        "VOL-RIGHT-1"
    ]


def test_vol_duty_3_a_withdrawn_enrolment_acknowledges_no_risk() -> None:
    refused = check_risk_acknowledgement(enrolment(status=EnrolmentStatus.WITHDRAWN))
    assert [f.rule for f in refused.errors] == ["VOL-DUTY-3"]
    assert check_risk_acknowledgement(enrolment()).ok


@pytest.mark.parametrize(
    ("capacity", "confirmed", "ok"), [(None, 99, True), (10, 10, True), (9, 10, False)]
)
def test_capacity_never_falls_below_the_confirmed_enrolments(
    capacity: int | None, confirmed: int, ok: bool
) -> None:
    result = check_capacity(capacity, confirmed)
    assert result.ok is ok
    assert [(f.rule, f.field) for f in result.errors] == (
        [] if ok else [(CAPACITY_RULE, "capacity")]
    )


def test_vol_duty_3_enrolment_of_someone_else_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="another volunteer"):
        can_confirm(volunteer(), activity(), enrolment(volunteer_id="v-9"), context(), NOW)


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "days"),
    [
        (at(FIRST_DAY, 9), at(FIRST_DAY, 17), [FIRST_DAY]),
        # Ending at midnight: the next day is not served.
        (at(FIRST_DAY, 20), at(FIRST_DAY + timedelta(days=1), 0), [FIRST_DAY]),
        (
            at(FIRST_DAY, 20),
            at(FIRST_DAY + timedelta(days=1), 0, 1),
            [FIRST_DAY, date(2025, 7, 11)],
        ),
        # 17:00 UTC on the 9th is 01:00 on the 10th in Shanghai.
        (
            datetime(2025, 7, 9, 17, 0, tzinfo=UTC),
            datetime(2025, 7, 9, 20, 0, tzinfo=UTC),
            [FIRST_DAY],
        ),
    ],
)
def test_vol_duty_3_activity_days_are_shanghai_dates_with_an_exclusive_end(
    starts_at: datetime, ends_at: datetime, days: list[date]
) -> None:
    assert activity_days(activity(starts_at=starts_at, ends_at=ends_at)) == days


def test_vol_duty_3_dangerous_activity_discloses_its_risks() -> None:
    result = check_activity(activity(risk=RiskLevel.PERSONAL_DANGER, risk_disclosure=" "))
    assert [(f.rule, f.field) for f in result.findings] == [("VOL-DUTY-3", "risk_disclosure")]
    assert check_activity(dangerous()).findings == []


def test_vol_scope_1_major_event_category_names_its_observance() -> None:
    result = check_activity(activity(scope=ServiceScope.MAJOR_EVENTS))
    assert [(f.rule, f.field) for f in result.findings] == [("VOL-SCOPE-1", "observance")]


@pytest.mark.parametrize(
    ("event", "day", "advised"),
    [
        (Observance.SCIENCE_WORKERS_DAY, date(2025, 5, 30), False),
        (Observance.SCIENCE_WORKERS_DAY, date(2025, 5, 31), True),
        (Observance.LEI_FENG_DAY, date(2025, 3, 5), False),
        (Observance.VOLUNTEER_DAY, date(2025, 12, 4), True),
        (Observance.SCIENCE_DAY, date(2025, 9, 20), False),  # moves each year: no advice
    ],
)
def test_vol_scope_1_fixed_day_observance_off_its_day_is_pointed_out(
    event: Observance, day: date, advised: bool
) -> None:
    act = activity(
        scope=ServiceScope.MAJOR_EVENTS,
        observance=event,
        starts_at=at(day, 9),
        ends_at=at(day, 12),
    )
    findings = check_activity(act).findings
    assert [f.severity for f in findings] == ([Severity.ADVISORY] if advised else [])


def test_vol_right_1_activity_has_no_fee_field() -> None:
    """Volunteers never charge the people served: a fee is not even accepted."""
    with pytest.raises(ValidationError, match="fee"):
        activity(fee=10)
    assert "fee" not in Activity.model_fields


def test_vol_duty_2_activity_times_and_age_limits_are_consistent() -> None:
    with pytest.raises(ValidationError):
        activity(ends_at=at(FIRST_DAY, 9))
    with pytest.raises(ValidationError):
        activity(min_age=20, max_age=19)
    with pytest.raises(ValidationError):
        activity(starts_at=datetime(2025, 7, 10, 9, 0))  # naive: refused


START = at(FIRST_DAY, 9)


@pytest.mark.parametrize(
    ("when", "severities"),
    [
        (START - timedelta(hours=24), []),
        (START - timedelta(hours=23, minutes=59), [Severity.WARNING]),
        (START + timedelta(hours=1), [Severity.WARNING]),
        (at(LAST_DAY, 17), [Severity.ERROR]),
    ],
)
def test_vol_right_1_withdrawal_late_notice_and_after_the_end(
    when: datetime, severities: list[Severity]
) -> None:
    result = check_withdrawal(enrolment(), activity(), "家中有事", when, POLICY)
    assert [f.severity for f in result.findings] == severities
    assert all(f.rule == "VOL-RIGHT-1" for f in result.findings)


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_vol_right_1_withdrawal_gives_its_reason(reason: str | None) -> None:
    result = check_withdrawal(enrolment(), activity(), reason, NOW, POLICY)
    assert [f.field for f in result.findings] == ["reason"]


def test_vol_right_1_cannot_withdraw_twice() -> None:
    withdrawn = enrolment(status=EnrolmentStatus.WITHDRAWN)
    assert not check_withdrawal(withdrawn, activity(), "再次", NOW, POLICY).ok
