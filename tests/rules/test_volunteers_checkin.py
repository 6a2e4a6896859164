"""VOL-CHECKIN-1: the rotating code at the edges of its step, the attendance window, the geofence
at its radius, and the clamp of the served period to the activity."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.volunteers_checkin import (
    DEFAULT_CHECKIN_POLICY as POLICY,
)
from app.rules.volunteers_checkin import (
    check_scan,
    code_at_step,
    code_matches,
    current_code,
    distance_m,
    inside_geofence,
    served_period,
    time_step,
)

SECRET = b"activity-secret-01"
OTHER = b"activity-secret-02"
# The first second of a step (steps are 60 s from the Unix epoch).
STEP_START = datetime(2026, 9, 12, 1, 0, 0, tzinfo=UTC)
STARTS = datetime(2026, 9, 12, 1, 0, tzinfo=UTC)  # 09:00 Asia/Shanghai
ENDS = datetime(2026, 9, 12, 5, 0, tzinfo=UTC)  # 13:00 Asia/Shanghai


def test_vol_checkin_1_a_code_has_six_digits_and_changes_every_step() -> None:
    shown, until = current_code(SECRET, STEP_START, POLICY)
    assert len(shown) == 6
    assert shown.isdigit()
    assert until == STEP_START + timedelta(seconds=60)
    assert current_code(SECRET, until, POLICY)[0] != shown


def test_vol_checkin_1_the_previous_code_works_to_the_last_second_of_the_grace_step() -> None:
    shown, _ = current_code(SECRET, STEP_START, POLICY)
    last_second_of_next_step = STEP_START + timedelta(seconds=119)
    assert code_matches(SECRET, shown, last_second_of_next_step, POLICY)
    assert not code_matches(SECRET, shown, last_second_of_next_step + timedelta(seconds=1), POLICY)


def test_vol_checkin_1_a_code_of_the_next_step_is_refused() -> None:
    following = code_at_step(SECRET, time_step(STEP_START, POLICY) + 1)
    assert not code_matches(SECRET, following, STEP_START, POLICY)


def test_vol_checkin_1_a_code_of_another_activity_is_refused() -> None:
    shown, _ = current_code(OTHER, STEP_START, POLICY)
    assert code_at_step(SECRET, time_step(STEP_START, POLICY)) != shown
    assert not code_matches(SECRET, shown, STEP_START, POLICY)


@given(st.text(max_size=8))
def test_vol_checkin_1_a_made_up_code_never_raises(code: str) -> None:
    assert code_matches(SECRET, code, STEP_START, POLICY) in (True, False)


@pytest.mark.parametrize(
    ("at", "checking_out", "fields"),
    [
        (STARTS - timedelta(minutes=30), False, []),
        (STARTS - timedelta(minutes=30, seconds=1), False, ["at"]),
        (ENDS, False, []),
        (ENDS + timedelta(seconds=1), False, ["at"]),
        (ENDS + timedelta(minutes=30), True, []),
        (ENDS + timedelta(minutes=30, seconds=1), True, ["at"]),
    ],
)
def test_vol_checkin_1_attendance_is_taken_only_inside_its_window(
    at: datetime, checking_out: bool, fields: list[str]
) -> None:
    code, _ = current_code(SECRET, at, POLICY)
    result = check_scan(
        secret=SECRET,
        code=code,
        at=at,
        starts_at=STARTS,
        ends_at=ENDS,
        checking_out=checking_out,
        policy=POLICY,
    )
    assert [f.field for f in result.errors] == fields


def test_vol_checkin_1_a_refusal_lists_the_window_and_the_code_together() -> None:
    early = STARTS - timedelta(hours=2)
    result = check_scan(
        secret=SECRET,
        code="000000",
        at=early,
        starts_at=STARTS,
        ends_at=ENDS,
        checking_out=False,
        policy=POLICY,
    )
    if code_matches(SECRET, "000000", early, POLICY):  # one chance in a million
        pytest.skip("000000 happens to be the code of that step")
    assert [(f.rule, f.field) for f in result.errors] == [
        ("VOL-CHECKIN-1", "at"),
        ("VOL-CHECKIN-1", "code"),
    ]


def test_vol_checkin_1_the_geofence_includes_its_radius_and_nothing_beyond() -> None:
    centre = (42.2586, 118.8870)  # 赤峰市科技馆
    # 0.001° of latitude is about 111.2 m anywhere.
    north = (centre[0] + 0.001, centre[1])
    metres = distance_m(centre, north)
    assert 111 < metres < 112
    assert inside_geofence(centre, math.ceil(metres), north)
    assert not inside_geofence(centre, math.floor(metres), north)


def test_vol_checkin_1_served_time_is_clamped_to_the_activity() -> None:
    early = STARTS - timedelta(minutes=20)
    late = ENDS + timedelta(minutes=20)
    assert served_period(early, late, STARTS, ENDS) == (STARTS, ENDS)
    inside = (STARTS + timedelta(hours=1), STARTS + timedelta(hours=2))
    assert served_period(*inside, STARTS, ENDS) == inside


def test_vol_checkin_1_a_missing_check_out_closes_at_the_activity_end() -> None:
    came = STARTS + timedelta(hours=1)
    assert served_period(came, None, STARTS, ENDS) == (came, ENDS)


def test_vol_checkin_1_a_check_out_before_the_start_serves_nothing() -> None:
    start, end = served_period(
        STARTS - timedelta(minutes=20), STARTS - timedelta(minutes=10), STARTS, ENDS
    )
    assert start == end == STARTS
