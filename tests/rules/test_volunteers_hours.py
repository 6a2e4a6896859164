"""Hours, stars, priority list, certificates: VOL-HOURS-1, VOL-HONOUR-1, VOL-DUTY-4."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from app.domain.common import SHANGHAI
from app.domain.volunteers import (
    DEFAULT_VOLUNTEER_POLICY,
    Activity,
    CertificateStatus,
    Enrolment,
    EnrolmentContext,
    EnrolmentStatus,
    RiskLevel,
    ServiceRecord,
    ServiceRecordSource,
    ServiceRecordStatus,
    ServiceScope,
    Volunteer,
    VolunteerPolicy,
)
from app.rules.volunteers_hours import (
    CERTIFICATE_ALPHABET,
    apply_correction,
    build_certificate,
    certificate_number,
    check_certificate,
    check_certificate_void,
    check_change,
    check_confirmation,
    check_declaration,
    check_service_record,
    confirmed_hours,
    hours_from_seconds,
    hours_totals,
    is_valid_certificate_number,
    public_certificate,
    served_between,
    star_level,
)

POLICY = DEFAULT_VOLUNTEER_POLICY
DAY = date(2025, 7, 10)
NOW = datetime(2025, 7, 20, 12, 0, tzinfo=SHANGHAI)
RECORDED, CONFIRMED, VOIDED = (
    ServiceRecordStatus.RECORDED,
    ServiceRecordStatus.CONFIRMED,
    ServiceRecordStatus.VOIDED,
)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


ACTIVITY = Activity(
    id="act-1",
    organization_id="city",
    title="科普日进校园",
    scope=ServiceScope.GRASSROOTS,
    starts_at=at(9),
    ends_at=at(17),
)
VOLUNTEER = Volunteer(id="v-1", name="李明", birth_date=date(1990, 5, 17))
CONFIRMED_ENROLMENT = Enrolment(
    id="e-1", activity_id="act-1", volunteer_id="v-1", status=EnrolmentStatus.CONFIRMED
)
CONTEXT = EnrolmentContext(policy=POLICY)


def record(
    starts_at: datetime,
    ends_at: datetime,
    status: ServiceRecordStatus = CONFIRMED,
    record_id: str = "r-1",
    **changes: object,
) -> ServiceRecord:
    base: dict[str, object] = {
        "id": record_id,
        "volunteer_id": "v-1",
        "activity_id": "act-1",
        "organization_id": "city",
        "starts_at": starts_at,
        "ends_at": ends_at,
        "status": status,
    }
    base.update(changes)
    return ServiceRecord.model_validate(base)


def check(
    starts_at: datetime,
    ends_at: datetime,
    others: list[ServiceRecord] | None = None,
    *,
    activity: Activity = ACTIVITY,
    enrolment: Enrolment = CONFIRMED_ENROLMENT,
    record_id: str | None = None,
) -> list[str]:
    result = check_service_record(
        volunteer=VOLUNTEER,
        activity=activity,
        enrolment=enrolment,
        starts_at=starts_at,
        ends_at=ends_at,
        others=others or [],
        context=CONTEXT,
        now=NOW,
        record_id=record_id,
    )
    return [f.rule for f in result.findings]


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "ok"),
    [
        (at(9), at(17), True),
        (at(8, 59), at(12), False),
        (at(12), at(17, 1), False),
        (at(12), at(12), False),
        (at(13), at(12), False),
    ],
)
def test_vol_hours_1_record_lies_inside_the_activity(
    starts_at: datetime, ends_at: datetime, ok: bool
) -> None:
    assert check(starts_at, ends_at) == ([] if ok else ["VOL-HOURS-1"])


@pytest.mark.parametrize(
    ("other_start", "other_end", "ok"),
    [
        (at(12), at(14), True),  # touches the end
        (at(7), at(9), True),  # touches the start
        (at(11, 59), at(14), False),  # overlaps by one minute
        (at(7), at(9, 1), False),  # overlaps by one minute
        (at(10), at(11), False),  # inside
    ],
)
def test_vol_hours_1_records_of_one_volunteer_never_overlap(
    other_start: datetime, other_end: datetime, ok: bool
) -> None:
    other = record(other_start, other_end, record_id="r-0", activity_id="another-activity")
    assert check(at(9), at(12), [other]) == ([] if ok else ["VOL-HOURS-1"])


def test_vol_hours_1_voided_record_and_other_volunteers_do_not_block() -> None:
    voided = record(at(9), at(12), VOIDED, record_id="r-0")
    someone_else = record(at(9), at(12), record_id="r-2", volunteer_id="v-2")
    assert check(at(9), at(12), [voided, someone_else]) == []


def test_vol_hours_1_a_corrected_record_does_not_overlap_itself() -> None:
    itself = record(at(9), at(12), record_id="r-1")
    assert check(at(9), at(13), [itself], record_id="r-1") == []
    assert check(at(9), at(13), [itself]) == ["VOL-HOURS-1"]


def test_vol_hours_1_hours_only_for_a_confirmed_enrolment() -> None:
    pending = CONFIRMED_ENROLMENT.model_copy(update={"status": EnrolmentStatus.PENDING})
    assert check(at(9), at(12), enrolment=pending) == ["VOL-HOURS-1"]


def test_vol_duty_3_no_hours_on_a_dangerous_activity_without_insurance() -> None:
    dangerous = ACTIVITY.model_copy(
        update={"risk": RiskLevel.PERSONAL_DANGER, "risk_disclosure": "高空作业"}
    )
    acknowledged = CONFIRMED_ENROLMENT.model_copy(update={"risk_acknowledged_at": at(8)})
    assert check(at(9), at(12), activity=dangerous, enrolment=acknowledged) == ["VOL-DUTY-3"]


@pytest.mark.parametrize(("status", "ok"), [(RECORDED, True), (CONFIRMED, False), (VOIDED, False)])
def test_vol_hours_1_only_a_recorded_record_is_confirmed(
    status: ServiceRecordStatus, ok: bool
) -> None:
    assert check_confirmation(record(at(9), at(12), status), evidence=0).ok is ok


@pytest.mark.parametrize(
    ("source", "evidence", "rules"),
    [
        (ServiceRecordSource.DECLARATION, 0, ["VOL-SELF-1"]),
        (ServiceRecordSource.DECLARATION, 1, []),
        (ServiceRecordSource.STAFF, 0, []),
        (ServiceRecordSource.ATTENDANCE, 0, []),
    ],
)
def test_vol_self_1_declared_hours_are_confirmed_only_with_evidence(
    source: ServiceRecordSource, evidence: int, rules: list[str]
) -> None:
    declared = record(at(9), at(12), RECORDED, source=source)
    found = check_confirmation(declared, evidence=evidence).findings
    assert [f.rule for f in found] == rules


def test_vol_self_1_a_confirmed_declaration_without_evidence_names_both_rules() -> None:
    declared = record(at(9), at(12), CONFIRMED, source=ServiceRecordSource.DECLARATION)
    found = check_confirmation(declared, evidence=0).findings
    assert [f.rule for f in found] == ["VOL-HOURS-1", "VOL-SELF-1"]


@pytest.mark.parametrize(
    ("enrolled", "ends_at", "fields"),
    [
        (True, NOW, []),
        (True, NOW - timedelta(seconds=1), []),
        (True, NOW + timedelta(seconds=1), ["ends_at"]),
        (False, NOW, ["activity_id"]),
        (False, NOW + timedelta(hours=1), ["activity_id", "ends_at"]),
    ],
)
def test_vol_self_1_hours_are_declared_once_served_in_an_activity_one_enrolled_in(
    enrolled: bool, ends_at: datetime, fields: list[str]
) -> None:
    found = check_declaration(enrolled=enrolled, ends_at=ends_at, now=NOW).findings
    assert [f.field for f in found] == fields
    assert {f.rule for f in found} <= {"VOL-SELF-1"}


@pytest.mark.parametrize(
    ("status", "reason", "fields"),
    [
        (CONFIRMED, "签到时间录错", []),
        (RECORDED, " ", ["reason"]),
        (VOIDED, "签到时间录错", [None]),
    ],
)
def test_vol_hours_1_a_change_gives_its_reason_and_leaves_voided_records_alone(
    status: ServiceRecordStatus, reason: str, fields: list[str | None]
) -> None:
    result = check_change(record(at(9), at(12), status), reason)
    assert [f.field for f in result.findings] == fields


def test_vol_hours_1_correction_keeps_history_and_awaits_confirmation() -> None:
    original = record(at(9), at(12))
    corrected = apply_correction(
        original, starts_at=at(10), ends_at=at(12), reason="实际10点到岗", at=NOW, by="admin-1"
    )
    twice = apply_correction(
        corrected, starts_at=at(10), ends_at=at(11), reason="提前离开", at=NOW, by="admin-2"
    )
    assert (twice.starts_at, twice.ends_at, twice.status) == (at(10), at(11), RECORDED)
    assert [(r.starts_at, r.ends_at, r.reason) for r in twice.revisions] == [
        (at(9), at(12), "实际10点到岗"),
        (at(10), at(12), "提前离开"),
    ]
    assert original.revisions == ()


def test_vol_hours_1_only_confirmed_records_count() -> None:
    records = [
        record(at(9), at(11), CONFIRMED),
        record(at(11), at(12), RECORDED, record_id="r-2"),
        record(at(12), at(16), VOIDED, record_id="r-3"),
        record(at(13), at(13, 30), CONFIRMED, record_id="r-4"),
    ]
    assert confirmed_hours(records) == Decimal("2.50")


@pytest.mark.parametrize(
    ("seconds", "hours"),
    [(0, "0.00"), (36, "0.01"), (35, "0.00"), (359_999, "99.99"), (360_000, "100.00")],
)
def test_vol_honour_1_hours_are_rounded_down_never_overstated(seconds: int, hours: str) -> None:
    assert hours_from_seconds(seconds) == Decimal(hours)


@pytest.mark.parametrize(
    ("hours", "stars"),
    [
        ("0", 0),
        ("99.5", 0),
        ("99.99", 0),
        ("100", 1),
        ("299.99", 1),
        ("300", 2),
        ("600", 3),
        ("999.99", 3),
        ("1000", 4),
        ("1499.99", 4),
        ("1500", 5),
        ("20000", 5),
    ],
)
def test_vol_honour_1_star_thresholds_100_300_600_1000_1500(hours: str, stars: int) -> None:
    assert star_level(Decimal(hours), POLICY) == stars


def test_vol_honour_1_thresholds_are_a_policy() -> None:
    generous = VolunteerPolicy(
        effective_on=date(2026, 1, 1),
        star_thresholds_hours=tuple(Decimal(h) for h in (50, 100, 200, 400, 800)),
    )
    assert star_level(Decimal("99.5"), generous) == 1
    with pytest.raises(ValidationError):
        VolunteerPolicy(
            effective_on=date(2026, 1, 1), star_thresholds_hours=(Decimal(100), Decimal(100))
        )


def test_vol_hours_1_totals_by_year_and_organisation_in_shanghai_time() -> None:
    new_year = date(2025, 1, 1)
    records = [
        record(at(22, day=date(2024, 12, 31)), at(23, day=date(2024, 12, 31))),
        # 16:30 UTC on 31 December is 00:30 on 1 January in Shanghai.
        record(
            datetime(2024, 12, 31, 16, 30, tzinfo=UTC),
            datetime(2024, 12, 31, 18, 30, tzinfo=UTC),
            record_id="r-2",
        ),
        record(at(9, day=new_year), at(10, day=new_year), record_id="r-3", organization_id="hs"),
        record(at(11, day=new_year), at(12, day=new_year), RECORDED, record_id="r-4"),
    ]
    totals = [(t.year, t.organization_id, t.hours, t.records) for t in hours_totals(records)]
    assert totals == [
        (2024, "city", Decimal("1.00"), 1),
        (2025, "city", Decimal("2.00"), 1),
        (2025, "hs", Decimal("1.00"), 1),
    ]


def test_vol_duty_4_certificate_number_format() -> None:
    number = certificate_number(2025, "7K3M9QXD2F")
    assert number.startswith("KJZY-2025-7K3M9QXD2F")
    assert len(number) == len("KJZY-2025-") + 11
    assert is_valid_certificate_number(number)
    assert is_valid_certificate_number(f" {number.lower()} ")


@pytest.mark.parametrize("body", ["7K3M9QXD2", "7K3M9QXD2FF", "7K3M9QXD2I", "7k3m9qxd2f"])
def test_vol_duty_4_certificate_body_is_10_crockford_characters(body: str) -> None:
    with pytest.raises(ValueError, match="Crockford"):
        certificate_number(2025, body)


@pytest.mark.parametrize(
    "number",
    ["", "KJZY-2025-7K3M9QXD2F", "XXXX-2025-7K3M9QXD2F0", "KJZY-25-7K3M9QXD2F0", "KJZY-2025-7K3"],
)
def test_vol_duty_4_malformed_certificate_numbers_are_refused(number: str) -> None:
    assert not is_valid_certificate_number(number)


bodies = st.text(alphabet=CERTIFICATE_ALPHABET, min_size=10, max_size=10)


@given(bodies, st.integers(2023, 2099), st.integers(0, 14), st.integers(1, 31))
def test_vol_duty_4_property_any_single_mistyped_character_is_caught(
    body: str, year: int, position: int, shift: int
) -> None:
    number = certificate_number(year, body)
    tail_start = len("KJZY-2025-")
    index = tail_start + min(position, 10)
    old = CERTIFICATE_ALPHABET.index(number[index])
    new = CERTIFICATE_ALPHABET[(old + shift) % len(CERTIFICATE_ALPHABET)]
    assert is_valid_certificate_number(number)
    assert not is_valid_certificate_number(number[:index] + new + number[index + 1 :])


def test_vol_duty_4_no_certificate_without_a_confirmed_record() -> None:
    records = [record(at(9), at(12), RECORDED), record(at(13), at(14), VOIDED, record_id="r-2")]
    assert [f.rule for f in check_certificate(records).findings] == ["VOL-DUTY-4"]
    with pytest.raises(ValueError, match="VOL-DUTY-4"):
        build_certificate(
            number=certificate_number(2025, "7K3M9QXD2F"),
            issued_on=date(2025, 7, 20),
            volunteer_name="李明",
            id_number="11010519491231002X",
            organization_name="赤峰市科技志愿服务队",
            person_in_charge="张伟",
            records=records,
            activity_titles={"act-1": "科普日进校园"},
        )


def test_vol_duty_4_certificate_from_confirmed_records_with_masked_id() -> None:
    other_day = date(2025, 8, 2)
    records = [
        record(at(9, day=other_day), at(11, day=other_day), record_id="r-2", activity_id="act-2"),
        record(at(9), at(12, 30)),
        record(at(13), at(16), RECORDED, record_id="r-3"),
    ]
    certificate = build_certificate(
        number=certificate_number(2025, "7K3M9QXD2F"),
        issued_on=date(2025, 8, 10),
        volunteer_name="李明",
        id_number="11010519491231002X",
        organization_name="赤峰市科技志愿服务队",
        person_in_charge="张伟",
        records=records,
        activity_titles={"act-1": "科普日进校园", "act-2": "农技下乡"},
    )
    assert certificate.id_number_masked == "110***********002X"
    assert certificate.total_hours == Decimal("5.50")
    assert [(e.activity_title, e.served_on, e.hours) for e in certificate.entries] == [
        ("科普日进校园", DAY, Decimal("3.50")),
        ("农技下乡", other_day, Decimal("2.00")),
    ]
    assert (certificate.starts_on, certificate.ends_on) == (DAY, other_day)

    public = public_certificate(certificate)
    assert public.volunteer_name_masked == "李*"
    assert public.status is CertificateStatus.VALID
    assert "id_number_masked" not in public.model_dump()

    voided = certificate.model_copy(
        update={"status": CertificateStatus.VOID, "void_reason": "记录更正"}
    )
    assert public_certificate(voided).status is CertificateStatus.VOID
    assert public_certificate(voided).void_reason == "记录更正"


def test_vol_hours_1_record_times_are_aware() -> None:
    with pytest.raises(ValidationError):
        record(datetime(2025, 7, 10, 9, 0), at(12))  # naive: refused
    assert record(at(9), at(12)).ends_at - record(at(9), at(12)).starts_at == timedelta(hours=3)


def test_vol_duty_4_a_period_takes_the_records_served_on_its_days_both_included() -> None:
    records = [
        record(at(9, day=date(2025, 7, n)), at(10, day=date(2025, 7, n)), record_id=f"r-{n}")
        for n in (9, 10, 12, 13)
    ]
    chosen = served_between(records, date(2025, 7, 10), date(2025, 7, 12))
    assert [r.id for r in chosen] == ["r-10", "r-12"]
    assert served_between(records, None, None) == records


def test_vol_duty_4_a_void_gives_its_reason_and_a_void_certificate_stays_void() -> None:
    certificate = build_certificate(
        number=certificate_number(2025, "7K3M9QXD2F"),
        issued_on=date(2025, 8, 10),
        volunteer_name="李明",
        id_number="11010519491231002X",
        organization_name="赤峰市科技志愿服务队",
        person_in_charge="张伟",
        records=[record(at(9), at(12))],
        activity_titles={"act-1": "科普日进校园"},
    )
    assert check_certificate_void(certificate, "时长登记有误").ok
    blank = check_certificate_void(certificate, "  ")
    assert [(f.rule, f.field) for f in blank.errors] == [("VOL-DUTY-4", "reason")]
    void = certificate.model_copy(update={"status": CertificateStatus.VOID})
    assert [f.rule for f in check_certificate_void(void, "再次作废").errors] == ["VOL-DUTY-4"]
