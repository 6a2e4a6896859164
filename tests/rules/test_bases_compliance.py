"""A base's yearly compliance (BASE-OPEN-1..4, BASE-ACT-1, BASE-THEME-1, BASE-REPORT-1,
BASE-EVENT-1, BASE-LIAISON-1) and the checks on its records (BASE-ARCHIVE-1)."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.bases import (
    DEFAULT_BASE_POLICY,
    Activity,
    AnnualReport,
    BaseCategory,
    Liaison,
    MonthlyStat,
    OpeningClass,
    OpeningClassOverride,
    ScienceBase,
)
from app.domain.common import SHANGHAI, Observance, Severity
from app.rules.bases_compliance import (
    Compliance,
    ComplianceItem,
    ComplianceStatus,
    assess_year,
    check_activity,
    check_report_open,
    check_report_submission,
    days_in_month,
    report_days_late,
    validate_monthly_stat,
)

MET, UNMET, AT_RISK, PENDING, ADVISORY = (
    ComplianceStatus.MET,
    ComplianceStatus.UNMET,
    ComplianceStatus.AT_RISK,
    ComplianceStatus.PENDING,
    ComplianceStatus.ADVISORY,
)
LIAISON = Liaison(name="王老师", phone="13800000000")
AFTER_2025 = date(2026, 1, 15)


def base(
    category: BaseCategory = BaseCategory.VENUE,
    subtype: str | None = "science_center",
    accredited_on: date = date(2020, 3, 1),
    **changes: Any,
) -> ScienceBase:
    fields: dict[str, Any] = {
        "id": "b1",
        "name": "赤峰市科技馆",
        "category": category,
        "subtype": subtype,
        "accredited_on": accredited_on,
        "liaison": LIAISON,
    }
    return ScienceBase(**{**fields, **changes})


def spread(year: int, open_days: int, visitors: int = 0, first_month: int = 1) -> list[MonthlyStat]:
    """Monthly stats filling months from `first_month` with open days, visitors in the first."""
    stats = []
    left = open_days
    for month in range(first_month, 13):
        days = min(left, days_in_month(year, month))
        left -= days
        stats.append(
            MonthlyStat(
                year=year,
                month=month,
                open_days=days,
                visitors=visitors if month == first_month else 0,
            )
        )
    assert left == 0
    return stats


def activity(held_on: date = date(2025, 6, 1), **changes: Any) -> Activity:
    fields: dict[str, Any] = {
        "held_on": held_on,
        "title": "天文讲座",
        "form": "讲座",
        "participants": 80,
        "evidence_count": 2,
    }
    return Activity(**{**fields, **changes})


def assess(
    b: ScienceBase | None = None,
    year: int = 2025,
    stats: list[MonthlyStat] | None = None,
    activities: list[Activity] | None = None,
    report: AnnualReport | None = None,
    today: date = AFTER_2025,
) -> Compliance:
    return assess_year(
        b or base(),
        year,
        stats or [],
        activities or [],
        report,
        DEFAULT_BASE_POLICY,
        today,
    )


def item(c: Compliance, measure: str) -> ComplianceItem:
    (found,) = [i for i in c.items if i.measure == measure]
    return found


@pytest.mark.parametrize(("days", "status"), [(199, UNMET), (200, MET), (365, MET)])
def test_base_open_1_public_base_open_days_edge(days: int, status: ComplianceStatus) -> None:
    """BASE-OPEN-1: a public base with 199 open days is unmet, with 200 met."""
    got = item(assess(stats=spread(2025, days, 5000)), "open_days")
    assert (got.rule, got.status, got.actual, got.required) == ("BASE-OPEN-1", status, days, 200)


@pytest.mark.parametrize(("visitors", "status"), [(1999, UNMET), (2000, MET)])
def test_base_open_1_public_base_visitors_edge(visitors: int, status: ComplianceStatus) -> None:
    """BASE-OPEN-1: a public base with 1,999 visitors is unmet, with 2,000 met."""
    got = item(assess(stats=spread(2025, 250, visitors)), "visitors")
    assert (got.rule, got.status, got.actual, got.required) == (
        "BASE-OPEN-1",
        status,
        visitors,
        2000,
    )


@pytest.mark.parametrize(("days", "status"), [(49, UNMET), (50, MET)])
def test_base_open_2_institution_base_open_days_edge(days: int, status: ComplianceStatus) -> None:
    """BASE-OPEN-2: an institution base with 49 open days is unmet, with 50 met; no visitor item."""
    c = assess(base(BaseCategory.RESEARCH, "laboratory"), stats=spread(2025, days))
    got = item(c, "open_days")
    assert (got.rule, got.status, got.required) == ("BASE-OPEN-2", status, 50)
    assert not [i for i in c.items if i.measure == "visitors"]
    assert c.opening_class is OpeningClass.INSTITUTION


def test_base_open_3_other_with_no_class_gets_class_undetermined_not_a_pass() -> None:
    """BASE-OPEN-3: category `other` has no default: the item says so, never a silent pass."""
    c = assess(base(BaseCategory.OTHER, "气象科普广场"), stats=spread(2025, 365, 99999))
    got = item(c, "opening_class")
    assert (got.rule, got.status, got.actual) == ("BASE-OPEN-3", UNMET, "undetermined")
    assert "class undetermined" in got.message
    assert got.params["open_days"] == 365
    assert not [i for i in c.items if i.rule in ("BASE-OPEN-1", "BASE-OPEN-2")]
    assert not c.ok


def test_base_open_3_override_applies_its_class_thresholds() -> None:
    override = OpeningClassOverride(opening_class=OpeningClass.INSTITUTION, reason="周末开放")
    c = assess(
        base(BaseCategory.OTHER, "气象科普广场", opening_class_override=override),
        stats=spread(2025, 50),
    )
    assert item(c, "open_days").status is MET
    assert item(c, "open_days").rule == "BASE-OPEN-2"


def test_base_open_4_one_item_per_rule_in_the_stated_order() -> None:
    c = assess(stats=spread(2025, 250, 3000))
    assert [(i.rule, i.measure) for i in c.items] == [
        ("BASE-OPEN-1", "open_days"),
        ("BASE-OPEN-1", "visitors"),
        ("BASE-ACT-1", "activities"),
        ("BASE-THEME-1", "theme"),
        ("BASE-REPORT-1", "report"),
        ("BASE-EVENT-1", "national_events"),
        ("BASE-LIAISON-1", "liaison"),
    ]
    assert c.final
    assert c.months_reported == 12


@pytest.mark.parametrize(
    ("reported", "status"),
    [(138, AT_RISK), (139, PENDING), (199, PENDING), (200, MET)],
)
def test_base_open_4_year_to_date_at_risk_when_the_days_left_cannot_reach_200(
    reported: int, status: ComplianceStatus
) -> None:
    """BASE-OPEN-4: on 15 Nov, 61 days remain (Nov 30 + Dec 31): 138 + 61 = 199 is at risk."""
    stats = [s for s in spread(2025, reported) if s.month <= 10]
    got = item(assess(stats=stats, today=date(2025, 11, 15)), "open_days")
    assert got.status is status
    assert got.actual == reported
    assert got.message.startswith("year to date")


def test_base_open_4_unreported_closed_month_can_still_be_reported() -> None:
    """BASE-OPEN-4: a missing October counts as fully open for at_risk (no false alarm)."""
    stats = [s for s in spread(2025, 108) if s.month <= 9]
    assert item(assess(stats=stats, today=date(2025, 11, 15)), "open_days").status is PENDING
    stats.append(MonthlyStat(year=2025, month=10, open_days=0, visitors=0))
    assert item(assess(stats=stats, today=date(2025, 11, 15)), "open_days").status is AT_RISK


def test_base_open_4_current_month_counts_as_fully_reachable() -> None:
    """BASE-OPEN-4: a partial report of the current month does not cap what it can reach."""
    stats = [s for s in spread(2025, 180) if s.month <= 10]
    stats.append(MonthlyStat(year=2025, month=11, open_days=0, visitors=0))
    assert item(assess(stats=stats, today=date(2025, 11, 2)), "open_days").status is PENDING


def test_base_open_2_institution_at_risk_in_december() -> None:
    stats = [s for s in spread(2025, 10) if s.month <= 11]
    got = item(
        assess(base(BaseCategory.AGRI, "breeding_base"), stats=stats, today=date(2025, 12, 5)),
        "open_days",
    )
    assert (got.status, got.required) == (AT_RISK, 50)
    assert "still reachable" in got.message
    assert got.params["reachable"] == 41


def test_base_open_1_visitors_are_never_at_risk_only_pending() -> None:
    stats = [s for s in spread(2025, 300, 10) if s.month <= 11]
    assert item(assess(stats=stats, today=date(2025, 12, 30)), "visitors").status is PENDING


def test_base_open_4_threshold_reached_mid_year_is_met() -> None:
    stats = [s for s in spread(2025, 200, 2000) if s.month <= 7]
    c = assess(stats=stats, today=date(2025, 8, 1))
    assert item(c, "open_days").status is MET
    assert item(c, "visitors").status is MET
    assert not c.final


def test_base_open_4_future_year_is_all_pending() -> None:
    c = assess(year=2026, today=date(2025, 12, 31))
    statuses = {i.measure: i.status for i in c.items}
    assert statuses["open_days"] is PENDING
    assert statuses["activities"] is PENDING
    assert statuses["report"] is PENDING


def test_base_open_4_other_years_are_ignored() -> None:
    stats = spread(2024, 366, 9000) + spread(2025, 10, 10)
    c = assess(stats=stats)
    assert item(c, "open_days").actual == 10
    assert item(c, "visitors").actual == 10


@pytest.mark.parametrize(
    ("accredited_on", "days", "visitors", "acts"),
    [
        (date(2025, 1, 20), 200, 2000, 2),
        (date(2025, 7, 1), 100, 1000, 1),
        (date(2025, 7, 31), 100, 1000, 1),
        (date(2025, 8, 1), 84, 834, 1),
        (date(2025, 12, 1), 17, 167, 1),
    ],
)
def test_base_open_1_accreditation_year_thresholds_are_pro_rata_by_month(
    accredited_on: date, days: int, visitors: int, acts: int
) -> None:
    """BASE-OPEN-1, BASE-ACT-1 (decision): months from the accreditation month, rounded up."""
    c = assess(base(accredited_on=accredited_on))
    assert item(c, "open_days").required == days
    assert item(c, "visitors").required == visitors
    assert item(c, "activities").required == acts


def test_base_open_1_accreditation_year_ignores_months_before_accreditation() -> None:
    stats = spread(2025, 365, 5000)
    c = assess(base(accredited_on=date(2025, 7, 1)), stats=stats)
    assert item(c, "open_days").actual == 184
    assert item(c, "visitors").actual == 0
    assert c.months_reported == 6


def test_base_report_1_accredited_after_the_due_date_owes_no_report_that_year() -> None:
    c = assess(base(accredited_on=date(2025, 11, 11)))
    assert item(c, "report").status is ADVISORY
    assert item(c, "theme").status is ADVISORY
    assert item(assess(base(accredited_on=date(2025, 11, 10))), "report").status is UNMET


def test_base_open_4_year_before_accreditation_is_refused() -> None:
    with pytest.raises(ValueError, match="accredited in 2025"):
        assess(base(accredited_on=date(2025, 3, 1)), year=2024)


@pytest.mark.parametrize(("count", "status"), [(0, UNMET), (1, UNMET), (2, MET), (3, MET)])
def test_base_act_1_one_activity_is_unmet_two_are_met(count: int, status: ComplianceStatus) -> None:
    """BASE-ACT-1: at least two public science activities a year."""
    acts = [activity(date(2025, 3, 1) + timedelta(days=30 * n)) for n in range(count)]
    got = item(assess(activities=acts), "activities")
    assert (got.rule, got.status, got.actual, got.required) == ("BASE-ACT-1", status, count, 2)


@pytest.mark.parametrize(
    "changes",
    [{"evidence_count": 0}, {"participants": 0}, {"title": " "}, {"form": ""}],
)
def test_base_act_1_activity_without_evidence_or_participants_does_not_count(
    changes: dict[str, Any],
) -> None:
    acts = [activity(date(2025, 3, 1)), activity(date(2025, 4, 1), **changes)]
    got = item(assess(activities=acts), "activities")
    assert (got.status, got.actual) == (UNMET, 1)
    assert "more lack" in got.message
    assert got.params["uncounted"] == 1


def test_base_act_1_activities_of_other_years_or_not_yet_held_do_not_count() -> None:
    acts = [activity(date(2024, 12, 31)), activity(date(2025, 6, 1)), activity(date(2025, 9, 1))]
    got = item(assess(activities=acts, today=date(2025, 8, 1)), "activities")
    assert (got.status, got.actual) == (PENDING, 1)


@pytest.mark.parametrize(
    ("report", "today", "status"),
    [
        (AnnualReport(year=2025, theme="节水科普"), AFTER_2025, MET),
        (AnnualReport(year=2025, theme="  "), AFTER_2025, UNMET),
        (None, AFTER_2025, UNMET),
        (None, date(2025, 6, 1), PENDING),
    ],
)
def test_base_theme_1_one_work_theme_per_year(
    report: AnnualReport | None, today: date, status: ComplianceStatus
) -> None:
    got = item(assess(report=report, today=today), "theme")
    assert (got.rule, got.status) == ("BASE-THEME-1", status)


ON_TIME = datetime(2025, 11, 10, 23, 59, 59, tzinfo=SHANGHAI)
FIRST_LATE = datetime(2025, 11, 11, 0, 0, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("submitted_at", "status", "days_late"),
    [
        (datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI), MET, 0),
        (ON_TIME, MET, 0),
        (FIRST_LATE, UNMET, 1),
        (datetime(2025, 11, 10, 15, 59, 59, tzinfo=UTC), MET, 0),
        (datetime(2025, 11, 10, 16, 0, 0, tzinfo=UTC), UNMET, 1),
        (datetime(2025, 12, 10, 8, 0, tzinfo=SHANGHAI), UNMET, 30),
    ],
)
def test_base_report_1_on_time_until_10_nov_23_59_59_shanghai(
    submitted_at: datetime, status: ComplianceStatus, days_late: int
) -> None:
    """BASE-REPORT-1: 2025-11-10T23:59:59+08:00 is on time, 2025-11-11T00:00:00+08:00 late."""
    report = AnnualReport(year=2025, theme="t", summary="s", submitted_at=submitted_at)
    got = item(assess(report=report), "report")
    assert (got.rule, got.status, got.days_late) == ("BASE-REPORT-1", status, days_late)
    assert got.required == "2025-11-10"
    assert report_days_late(submitted_at, 2025, DEFAULT_BASE_POLICY) == days_late


@pytest.mark.parametrize(
    ("today", "status", "days_late"),
    [(date(2025, 11, 10), PENDING, None), (date(2025, 11, 11), UNMET, 1)],
)
def test_base_report_1_unsubmitted_report_is_pending_until_due_then_overdue(
    today: date, status: ComplianceStatus, days_late: int | None
) -> None:
    got = item(assess(report=AnnualReport(year=2025, theme="t"), today=today), "report")
    assert (got.status, got.days_late) == (status, days_late)


def test_base_report_1_late_report_is_accepted_and_says_how_late() -> None:
    report = AnnualReport(year=2025, submitted_at=FIRST_LATE + timedelta(days=2))
    got = item(assess(report=report), "report")
    assert got.message == "submitted on {submitted_on}, {days_late} days late (accepted)"
    assert (got.params["submitted_on"], got.params["days_late"]) == ("2025-11-13", 3)
    assert got.actual == "2025-11-13"


def test_base_report_1_report_of_another_year_is_a_caller_error() -> None:
    with pytest.raises(ValueError, match="report of 2024"):
        assess(report=AnnualReport(year=2024))


def test_base_event_1_is_advisory_never_unmet() -> None:
    """BASE-EVENT-1: national days are advisory, not a threshold."""
    got = item(assess(), "national_events")
    assert (got.status, got.actual, got.required) == (ADVISORY, 0, 3)
    assert "全国科普日" in str(got.params["events"])


def test_base_event_1_met_when_all_three_had_free_or_discounted_opening() -> None:
    acts = [
        activity(
            date(2025, 5, 30),
            observance=Observance.SCIENCE_WORKERS_DAY,
            free_or_discounted=True,
        ),
        activity(date(2025, 5, 20), observance=Observance.SCI_TECH_WEEK, free_or_discounted=True),
        activity(date(2025, 9, 20), observance=Observance.SCIENCE_DAY, free_or_discounted=True),
    ]
    assert item(assess(activities=acts), "national_events").status is MET
    paid = [
        a.model_copy(update={"free_or_discounted": False}) if n == 2 else a
        for n, a in enumerate(acts)
    ]
    got = item(assess(activities=paid), "national_events")
    assert (got.status, got.actual) == (ADVISORY, 2)


@pytest.mark.parametrize(
    ("liaison", "status"),
    [
        (LIAISON, MET),
        (Liaison(name="王老师", email="kp@example.org"), MET),
        (Liaison(name="王老师"), UNMET),
        (Liaison(phone="13800000000"), UNMET),
        (None, UNMET),
    ],
)
def test_base_liaison_1_liaison_with_contact_details(
    liaison: Liaison | None, status: ComplianceStatus
) -> None:
    got = item(assess(base(liaison=liaison)), "liaison")
    assert (got.rule, got.status) == ("BASE-LIAISON-1", status)


def test_base_open_1_fully_compliant_year_is_ok() -> None:
    report = AnnualReport(
        year=2025, theme="t", summary="s", next_year_plan="p", submitted_at=ON_TIME
    )
    c = assess(
        stats=spread(2025, 250, 3000),
        activities=[activity(date(2025, 4, 1)), activity(date(2025, 10, 1))],
        report=report,
    )
    assert c.ok
    assert {i.status for i in c.items} == {MET, ADVISORY}


TODAY = date(2025, 6, 15)


@pytest.mark.parametrize(
    ("stat", "fields"),
    [
        (MonthlyStat(year=2025, month=2, open_days=28, visitors=0), []),
        (MonthlyStat(year=2024, month=2, open_days=29, visitors=0), []),
        (MonthlyStat(year=2025, month=2, open_days=29, visitors=0), ["open_days"]),
        (MonthlyStat(year=2025, month=4, open_days=31, visitors=0), ["open_days"]),
        (MonthlyStat(year=2025, month=13, open_days=1, visitors=0), ["month"]),
        (MonthlyStat(year=2025, month=0, open_days=1, visitors=0), ["month"]),
        (MonthlyStat(year=2025, month=5, open_days=1, visitors=-1), ["visitors"]),
        (MonthlyStat(year=2025, month=5, open_days=-1, visitors=0), ["open_days"]),
        (MonthlyStat(year=2025, month=7, open_days=1, visitors=0), ["month"]),
        (MonthlyStat(year=2026, month=1, open_days=1, visitors=0), ["month"]),
        (MonthlyStat(year=2025, month=6, open_days=15, visitors=0), []),
        (MonthlyStat(year=2025, month=6, open_days=16, visitors=0), ["open_days"]),
        (MonthlyStat(year=0, month=6, open_days=1, visitors=0), ["year"]),
        (
            MonthlyStat(year=2025, month=14, open_days=-1, visitors=-1),
            ["month", "visitors", "open_days"],
        ),
    ],
)
def test_base_open_4_monthly_stat_is_possible_and_not_in_the_future(
    stat: MonthlyStat, fields: list[str]
) -> None:
    """BASE-OPEN-4: open days <= days in the month (so far, this month), visitors >= 0,
    month 1..12, no future month."""
    result = validate_monthly_stat(stat, today=TODAY)
    assert [f.field for f in result.findings] == fields
    assert all(f.rule == "BASE-OPEN-4" for f in result.findings)


def test_base_open_4_month_before_accreditation_is_refused() -> None:
    stat = MonthlyStat(year=2025, month=2, open_days=1, visitors=1)
    assert not validate_monthly_stat(stat, today=TODAY, accredited_on=date(2025, 3, 31)).ok
    assert validate_monthly_stat(stat, today=TODAY, accredited_on=date(2025, 2, 28)).ok


@pytest.mark.parametrize(
    ("changes", "findings"),
    [
        ({}, []),
        ({"title": ""}, [("BASE-ACT-1", Severity.ERROR)]),
        ({"form": " "}, [("BASE-ACT-1", Severity.ERROR)]),
        ({"participants": -1}, [("BASE-ACT-1", Severity.ERROR)]),
        ({"held_on": date(2025, 6, 16)}, [("BASE-ACT-1", Severity.ERROR)]),
        ({"evidence_count": 0}, [("BASE-ARCHIVE-1", Severity.WARNING)]),
        (
            {"held_on": date(2025, 5, 29), "observance": Observance.SCIENCE_WORKERS_DAY},
            [("BASE-EVENT-1", Severity.WARNING)],
        ),
        ({"held_on": date(2025, 5, 30), "observance": Observance.SCIENCE_WORKERS_DAY}, []),
        ({"held_on": date(2025, 5, 18), "observance": Observance.SCI_TECH_WEEK}, []),
        (
            {"held_on": date(2025, 4, 30), "observance": Observance.SCIENCE_DAY},
            [("BASE-EVENT-1", Severity.WARNING)],
        ),
    ],
)
def test_base_act_1_activity_record_checks(
    changes: dict[str, Any], findings: list[tuple[str, Severity]]
) -> None:
    """BASE-ACT-1 complete and held; BASE-ARCHIVE-1 evidence; BASE-EVENT-1 dates fit."""
    result = check_activity(activity(**{"held_on": date(2025, 6, 1), **changes}), today=TODAY)
    assert [(f.rule, f.severity) for f in result.findings] == findings


@pytest.mark.parametrize(
    ("report", "fields"),
    [
        (AnnualReport(year=2025, theme="t", summary="s", next_year_plan="p"), []),
        (AnnualReport(year=2025), ["theme", "summary", "next_year_plan"]),
        (
            AnnualReport(
                year=2025, theme="t", summary="s", next_year_plan="p", submitted_at=ON_TIME
            ),
            ["submitted_at"],
        ),
    ],
)
def test_base_report_1_submission_needs_theme_summary_plan_and_happens_once(
    report: AnnualReport, fields: list[str]
) -> None:
    """BASE-REPORT-1, BASE-THEME-1: a second submission is refused."""
    assert [f.field for f in check_report_submission(report).findings] == fields


_RANK = {UNMET: 0, AT_RISK: 1, PENDING: 2, MET: 3}
_months = st.lists(st.integers(0, 31), min_size=12, max_size=12)


def _stats(days: list[int], upto: int, visitors: int = 0) -> list[MonthlyStat]:
    return [
        MonthlyStat(year=2025, month=m, open_days=min(d, days_in_month(2025, m)), visitors=visitors)
        for m, d in enumerate(days, start=1)
        if m <= upto
    ]


@given(
    _months,
    st.integers(1, 12),
    st.integers(1, 12),
    st.integers(0, 31),
    st.sampled_from([("venue", "library"), ("research", "laboratory")]),
    st.dates(date(2025, 1, 1), date(2026, 2, 1)),
)
def test_base_open_1_more_open_days_never_turns_met_into_unmet(
    days: list[int],
    upto: int,
    month: int,
    extra: int,
    kind: tuple[str, str],
    today: date,
) -> None:
    """BASE-OPEN-1, BASE-OPEN-2, BASE-OPEN-4: adding open days to a month never lowers the status
    (unmet < at_risk < pending < met)."""
    upto = min(upto, today.month if today.year == 2025 else 12)
    month = min(month, upto)
    b = base(BaseCategory(kind[0]), kind[1])
    before = _stats(days, upto)
    more = list(days)
    more[month - 1] += extra
    after = _stats(more, upto)
    old = item(assess(b, stats=before, today=today), "open_days")
    new = item(assess(b, stats=after, today=today), "open_days")
    assert new.actual is not None
    assert old.actual is not None
    assert int(new.actual) >= int(old.actual)
    assert _RANK[new.status] >= _RANK[old.status]


@given(st.integers(0, 5000), st.integers(0, 5000), st.dates(date(2025, 1, 1), date(2026, 1, 1)))
def test_base_open_1_more_visitors_never_lowers_the_status(
    visitors: int, extra: int, today: date
) -> None:
    upto = today.month if today.year == 2025 else 12
    old = item(assess(stats=_stats([20] * 12, upto, visitors), today=today), "visitors")
    new = item(assess(stats=_stats([20] * 12, upto, visitors + extra), today=today), "visitors")
    assert _RANK[new.status] >= _RANK[old.status]


@given(st.integers(0, 6), st.integers(0, 3), st.dates(date(2025, 1, 1), date(2026, 1, 1)))
def test_base_act_1_more_activities_never_lowers_the_status(
    count: int, extra: int, today: date
) -> None:
    def acts(n: int) -> list[Activity]:
        return [activity(date(2025, 1, 1) + timedelta(days=n * 7)) for n in range(n)]

    old = item(assess(activities=acts(count), today=today), "activities")
    new = item(assess(activities=acts(count + extra), today=today), "activities")
    assert _RANK[new.status] >= _RANK[old.status]


@given(st.datetimes(datetime(2025, 10, 1), datetime(2026, 3, 1), timezones=st.just(UTC)))
def test_base_report_1_on_time_exactly_when_the_shanghai_date_is_not_after_10_nov(
    submitted_at: datetime,
) -> None:
    late = report_days_late(submitted_at, 2025, DEFAULT_BASE_POLICY)
    assert (late == 0) == (submitted_at < datetime(2025, 11, 10, 16, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("report", "refused"),
    [
        (None, False),
        (AnnualReport(year=2025), False),
        (AnnualReport(year=2025, submitted_at=datetime(2025, 11, 1, tzinfo=SHANGHAI)), True),
    ],
)
def test_base_report_1_a_submitted_report_no_longer_changes(
    report: AnnualReport | None, refused: bool
) -> None:
    result = check_report_open(report)
    assert (not result.ok) is refused
    assert all(f.rule == "BASE-REPORT-1" for f in result.findings)


def test_base_event_1_other_observances_are_recorded_but_not_counted() -> None:
    """BASE-EVENT-1 counts the three national science days; Lei Feng day is only recorded."""
    lei_feng = activity(
        date(2025, 3, 5), observance=Observance.LEI_FENG_DAY, free_or_discounted=True
    )
    assert check_activity(lei_feng, today=date(2025, 12, 31)).findings == []
    got = item(assess(activities=[lei_feng]), "national_events")
    assert got.actual == 0
