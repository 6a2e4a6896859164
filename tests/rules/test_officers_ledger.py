"""OFF-LEDGER-1: the county statistics ledger, sheet by sheet. Titles and headers are English
templates here (the file renders them, in Chinese by default: tests/test_spreadsheets.py)."""

from __future__ import annotations

from datetime import date

from app.domain.officers import (
    CertificationStatus,
    LedgerOfficer,
    LedgerTraining,
    Metrics,
    Officer,
    OfficerMonth,
    OfficerTrainingLevel,
    SourceGroup,
    TrainingSession,
)
from app.rules.officers import build_ledger

OFFICER = Officer(
    name="张三",
    mobile="13812345678",
    township_code="150402001",
    village_code="150402001001",
    source_group=SourceGroup.FARMER_HERDER,
    app_account_id="kp1",
    certification_status=CertificationStatus.CERTIFIED,
    certified_on=date(2024, 2, 1),
)


def ledger() -> list[tuple[str, tuple[str, ...], list[tuple[object, ...]]]]:
    sheets = build_ledger(
        officers=[
            LedgerOfficer(
                officer_id="o1", officer=OFFICER, township_name="某镇", village_name="某村"
            )
        ],
        trainings=[
            LedgerTraining(
                session=TrainingSession(
                    level=OfficerTrainingLevel.CITY_EXCHANGE,
                    region_code="150400",
                    title="交流培训",
                    held_on=date(2024, 6, 1),
                    hours=2,
                ),
                attendees=[("张三", "kp1")],
            ),
            LedgerTraining(
                session=TrainingSession(
                    level=OfficerTrainingLevel.COUNTY,
                    region_code="150402",
                    title="滚动培训",
                    held_on=date(2024, 4, 1),
                ),
            ),
        ],
        monthly=[
            Metrics(key="2024-01", registered=1, certified=0, active=0, shares=0, reads=0),
            Metrics(key="2024-02", registered=1, certified=1, active=1, shares=6, reads=60),
        ],
        officer_months=[
            OfficerMonth(officer_id="o1", month=2, shares=6, reads=60),
            OfficerMonth(officer_id="o1", month=12, shares=1, reads=5),
        ],
    )
    return [
        (s.title, tuple(c.header.format_map(c.params) for c in s.columns), list(s.rows))
        for s in sheets
    ]


def test_off_ledger_1_has_a_sheet_per_section_in_print_order() -> None:
    assert [title for title, _, _ in ledger()] == [
        "Officer roster",
        "Training held",
        "Training attendance",
        "Dissemination by month",
        "Dissemination by officer",
    ]


def test_off_ledger_1_every_row_has_one_cell_per_header() -> None:
    for title, headers, rows in ledger():
        assert all(len(r) == len(headers) for r in rows), title
        assert headers[0] in {"No.", "Month"}


def test_off_ledger_1_only_the_activity_rate_is_printed_as_a_percentage() -> None:
    sheets = build_ledger(officers=[], trainings=[], monthly=[], officer_months=[])
    assert [(s.title, c.header) for s in sheets for c in s.columns if c.rate] == [
        ("Dissemination by month", "Activity rate")
    ]


def test_off_ledger_1_roster_uses_chinese_labels_and_masks_the_mobile() -> None:
    _, headers, rows = ledger()[0]
    line = dict(zip(headers, rows[0], strict=True))
    assert line["Mobile number"] == "138****5678"
    assert line["Source group"] == "农牧民"
    assert line["Certification status"] == "已认证"
    assert line["Certified on"] == date(2024, 2, 1)
    assert line["Register status"] == "在册"
    assert line["Village (community)"] == "某村"


def test_off_ledger_1_training_sheets_list_sessions_by_date_with_attendance() -> None:
    sheets = ledger()
    assert [(r[1], r[3], r[6]) for r in sheets[1][2]] == [
        (date(2024, 4, 1), "旗县区滚动培训", 0),
        (date(2024, 6, 1), "市级交流培训", 1),
    ]
    assert sheets[2][2] == [(1, date(2024, 6, 1), "交流培训", "张三", "kp1")]


def test_off_ledger_1_monthly_sheet_leaves_an_undefined_rate_empty() -> None:
    _, _, rows = ledger()[3]
    assert rows[0] == ("2024-01", 1, 0, 0, None, 0, 0, None)
    assert rows[1] == ("2024-02", 1, 1, 1, 1.0, 6, 60, 6.0)


def test_off_ledger_1_officer_sheet_has_twelve_months_and_year_totals() -> None:
    _, headers, rows = ledger()[4]
    line = dict(zip(headers, rows[0], strict=True))
    assert line["Shares in month 1"] == 0
    assert line["Shares in month 2"] == 6
    assert line["Shares in month 12"] == 1
    assert (line["Shares in the year"], line["Reads in the year"]) == (7, 65)
