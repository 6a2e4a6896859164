"""OFF-STAT-1: daily dissemination rows imported from the app's exports."""

from __future__ import annotations

import random
from datetime import date

import pytest

from app.domain.officers import Channel, Dissemination
from app.rules.officers import (
    parse_dissemination_row,
    parse_dissemination_rows,
    parse_officer_row,
    repeated_keys,
)

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
    assert (repeats[2].code, repeats[2].params) == ("repeated_row", {"row": 1})
    assert repeats[2].message == "repeats row {row} of this request"


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
        "township_code": "150402001",
        "source_group": "other",
        "app_account_id": "dup",
    }
    officers = [parse_officer_row(raw, today=TODAY).officer for _ in range(2)]
    repeats = repeated_keys(
        officers, lambda o: o.app_account_id, rule="OFF-REG-1", field="app_account_id"
    )
    assert list(repeats) == [1]


CELLS: dict[str, list[object]] = {
    "app_account_id": ["kpzg_0001", "kp2", " kp3 ", "", None, 12345, 1.0, "two words", "x" * 65],
    "date": [
        "2024-03-14",
        "2024-03-15",
        "2024-03-16",
        "2024/3/1",
        "2024.03.01",
        " 2024-03-01 ",
        "2024-02-30",
        "20240301",
        "2023-12-31",
        date(2024, 3, 1),
        "",
        None,
        3,
    ],
    "channel": ["wechat_group", "微信群", "WEIBO", " qq ", "telegram", "", None],
    "shares": [0, 3, "3", " 7 ", "007", 7.0, -1, "-1", "1.5", True, "", None, "٣"],
    "reads": [0, 120, "120", 1.5, None],
}


def test_off_stat_1_whole_import_check_equals_the_row_by_row_check() -> None:
    """`parse_dissemination_rows` (quick path for clean rows) finds exactly what
    `parse_dissemination_row` and `repeated_keys` find, row by row, on clean and messy cells."""
    rng = random.Random(6)
    rows: list[dict[str, object]] = []
    for _ in range(3000):
        raw = {k: rng.choice(v) for k, v in CELLS.items()}
        rows.append({k: v for k, v in raw.items() if v is not None or rng.random() < 0.5})
    checked = parse_dissemination_rows(rows, today=TODAY, limit=len(rows))
    parsed = [parse_dissemination_row(r, today=TODAY) for r in rows]
    figures = [p.figure for p in parsed]
    repeats = repeated_keys(
        figures, lambda f: (f.app_account_id, f.day, f.channel), rule="OFF-STAT-1", field="date"
    )
    assert checked.total == len(rows)
    assert checked.findings == {i: p.findings for i, p in enumerate(parsed) if p.figure is None}
    assert checked.repeats == repeats
    assert checked.good == [
        (i, f.app_account_id, f.day, f.channel.value, f.shares, f.reads)
        for i, f in enumerate(figures)
        if f is not None
    ]
    assert 0 < len(checked.good) < len(rows)


def test_off_stat_1_whole_import_check_stops_after_the_limit() -> None:
    assert parse_dissemination_rows([row()] * 10, today=TODAY, limit=4).total == 5
    assert parse_dissemination_rows([], today=TODAY, limit=4).total == 0
