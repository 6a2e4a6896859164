"""OFF-STAT-1: daily dissemination rows imported from the app's exports."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.officers import Channel, Dissemination
from app.rules.officers import parse_dissemination_row, parse_officer_row, repeated_keys

TODAY = date(2024, 3, 15)


def row(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "app_account_id": "kpzg_0001",
        "date": "2024-03-14",
        "channel": "wechat_group",
        "shares": "3",
        "reads": 120,
    }
    base.update(changes)
    return base


def fields(raw: dict[str, object]) -> set[str | None]:
    findings = parse_dissemination_row(raw, today=TODAY).findings
    assert {f.rule for f in findings} <= {"OFF-STAT-1"}
    return {f.field for f in findings}


def test_off_stat_1_good_row_parses_to_a_figure() -> None:
    parsed = parse_dissemination_row(row(), today=TODAY)
    assert parsed.findings == []
    assert parsed.figure == Dissemination(
        app_account_id="kpzg_0001",
        day=date(2024, 3, 14),
        channel=Channel.WECHAT_GROUP,
        shares=3,
        reads=120,
    )


def test_off_stat_1_figure_for_today_is_accepted_and_for_tomorrow_refused() -> None:
    assert fields(row(date="2024-03-15")) == set()
    assert fields(row(date="2024-03-16")) == {"date"}


@pytest.mark.parametrize(
    ("given", "channel"), [("微信群", Channel.WECHAT_GROUP), ("WEIBO", Channel.WEIBO)]
)
def test_off_stat_1_channel_accepts_code_or_chinese_label(given: str, channel: Channel) -> None:
    parsed = parse_dissemination_row(row(channel=given), today=TODAY)
    assert parsed.figure is not None
    assert parsed.figure.channel is channel


@pytest.mark.parametrize("value", [0, "0", " 7 ", 7.0, 10**9])
def test_off_stat_1_zero_and_positive_counts_are_accepted(value: object) -> None:
    assert fields(row(shares=value, reads=value)) == set()


@pytest.mark.parametrize("value", [-1, "-1", "1.5", 1.5, "many", True, None, ""])
def test_off_stat_1_negative_fractional_or_missing_counts_are_refused(value: object) -> None:
    assert fields(row(shares=value, reads=value)) == {"shares", "reads"}


def test_off_stat_1_a_bad_row_lists_every_problem_with_its_field() -> None:
    raw = {"app_account_id": "", "date": "2024-02-30", "channel": "telegram", "shares": -2}
    parsed = parse_dissemination_row(raw, today=TODAY)
    assert parsed.figure is None
    assert {f.field for f in parsed.findings} == {
        "app_account_id",
        "date",
        "channel",
        "shares",
        "reads",
    }


def test_off_stat_1_missing_channel_and_date_are_required() -> None:
    raw = row()
    del raw["channel"], raw["date"]
    assert fields(raw) == {"channel", "date"}


def test_off_stat_1_same_officer_day_and_channel_twice_in_one_request_is_refused() -> None:
    figures = [parse_dissemination_row(r, today=TODAY).figure for r in (row(), row(), row(reads=1))]
    figures.insert(1, None)
    repeats = repeated_keys(
        figures,
        lambda f: (f.app_account_id, f.day, f.channel),
        rule="OFF-STAT-1",
        field="date",
    )
    assert sorted(repeats) == [2, 3]
    assert repeats[2].message == "repeats row 1 of this request"


def test_off_stat_1_other_channel_or_day_is_not_a_repeat() -> None:
    figures = [
        parse_dissemination_row(r, today=TODAY).figure
        for r in (row(), row(channel="weibo"), row(date="2024-03-13"))
    ]
    assert (
        repeated_keys(
            figures, lambda f: (f.app_account_id, f.day, f.channel), rule="OFF-STAT-1", field="date"
        )
        == {}
    )


def test_off_reg_1_same_app_account_twice_in_one_officer_import_is_refused() -> None:
    raw = {
        "name": "王五",
        "mobile": "13912345678",
        "region_code": "150402001",
        "source_group": "other",
        "app_account_id": "dup",
    }
    officers = [parse_officer_row(raw, today=TODAY).officer for _ in range(2)]
    repeats = repeated_keys(
        officers, lambda o: o.app_account_id, rule="OFF-REG-1", field="app_account_id"
    )
    assert list(repeats) == [1]
