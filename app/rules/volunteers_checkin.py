"""On-site attendance (VOL-CHECKIN-1): rotating signed codes, the window they work in, the
geofence, and the times a check-in and check-out become.

A code is an HOTP value (RFC 4226, HMAC-SHA-256, 6 digits) of the current time step, keyed by the
activity's own secret (derived by the caller, never stored), so a code works only for its activity
and only for a step or two: a photo sent to a friend soon stops working.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from app.domain.common import Finding, RuleResult
from app.domain.messages import N_

RULE = "VOL-CHECKIN-1"
#: Digits of the numeric form, for people who cannot scan.
DIGITS = 6
#: The mean radius of the Earth (m), for the haversine distance.
EARTH_RADIUS_M = 6_371_008.8


class CheckinPolicy(BaseModel):
    """Decisions of VOL-CHECKIN-1 (docs/volunteers.md, "Attendance")."""

    model_config = ConfigDict(frozen=True)

    #: A code is shown for one step; the one before it still works (a volunteer typing slowly).
    step_seconds: int = 60
    grace_steps: int = 1
    #: Check-in opens this long before the start; check-out closes this long after the end.
    opens_before_minutes: int = 30
    closes_after_minutes: int = 30


DEFAULT_CHECKIN_POLICY = CheckinPolicy()


def time_step(at: datetime, policy: CheckinPolicy) -> int:
    """The number of the step `at` falls in (Unix time divided by the step)."""
    return math.floor(at.timestamp()) // policy.step_seconds


def code_at_step(secret: bytes, step: int) -> str:
    """The numeric code of one step (RFC 4226 dynamic truncation)."""
    digest = hmac.new(secret, step.to_bytes(8, "big"), hashlib.sha256).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def current_code(secret: bytes, at: datetime, policy: CheckinPolicy) -> tuple[str, datetime]:
    """The code shown at `at`, and the instant its step ends."""
    step = time_step(at, policy)
    ends = datetime.fromtimestamp((step + 1) * policy.step_seconds, tz=at.tzinfo)
    return code_at_step(secret, step), ends


def code_matches(secret: bytes, code: str, at: datetime, policy: CheckinPolicy) -> bool:
    """True when `code` is the code of the step of `at` or of one of the grace steps before it;
    compared in constant time."""
    if not (len(code) == DIGITS and code.isascii() and code.isdigit()):
        return False
    step = time_step(at, policy)
    return any(
        hmac.compare_digest(code_at_step(secret, s), code)
        for s in range(step - policy.grace_steps, step + 1)
    )


def attendance_window(
    starts_at: datetime, ends_at: datetime, policy: CheckinPolicy
) -> tuple[datetime, datetime]:
    """From when a check-in is taken to when a check-out is (both included)."""
    return (
        starts_at - timedelta(minutes=policy.opens_before_minutes),
        ends_at + timedelta(minutes=policy.closes_after_minutes),
    )


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance in metres between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def inside_geofence(
    centre: tuple[float, float], radius_m: int, position: tuple[float, float]
) -> bool:
    """True when the position lies within the radius of the centre (the radius included)."""
    return distance_m(centre, position) <= radius_m


def check_scan(
    *,
    secret: bytes,
    code: str,
    at: datetime,
    starts_at: datetime,
    ends_at: datetime,
    checking_out: bool,
    policy: CheckinPolicy,
) -> RuleResult:
    """VOL-CHECKIN-1: every reason a scanned code does not count now. A check-in is taken from
    the window's opening until the activity ends; a check-out until the window closes."""
    findings: list[Finding] = []
    opens, closes = attendance_window(starts_at, ends_at, policy)
    last = closes if checking_out else ends_at
    if at < opens:
        findings.append(
            Finding(
                rule=RULE,
                code="attendance_not_open",
                field="at",
                message=N_("attendance opens at {opens}"),
                params={"opens": opens.isoformat()},
            )
        )
    elif at > last:
        findings.append(
            Finding(
                rule=RULE,
                code="attendance_closed",
                field="at",
                message=N_("attendance closed at {closed}"),
                params={"closed": last.isoformat()},
            )
        )
    if not code_matches(secret, code, at, policy):
        findings.append(
            Finding(
                rule=RULE,
                code="code_invalid",
                field="code",
                message=N_("the code is expired, of another activity, or not a code"),
            )
        )
    return RuleResult(findings=findings)


def served_period(
    checked_in_at: datetime,
    checked_out_at: datetime | None,
    starts_at: datetime,
    ends_at: datetime,
) -> tuple[datetime, datetime]:
    """The period a check-in and check-out become, clamped to the activity; a missing
    check-out closes at the activity's end."""
    start = max(checked_in_at, starts_at)
    end = min(checked_out_at or ends_at, ends_at)
    return start, max(start, end)
