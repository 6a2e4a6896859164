"""PLAT-NOTIFY-1, the pure parts: templates in both languages, quiet hours at their edges, the
retry schedule and what a person's preferences let through."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest

from app.domain.common import SHANGHAI
from app.domain.notifications import (
    MAX_ATTEMPTS,
    TEMPLATES,
    Channel,
    Language,
    MissingVariable,
    NoticeKind,
    Preferences,
    QuietHours,
    render,
    retry_delay,
)

VARIABLE = re.compile(r"\$(\w+)")


def _names(kind: NoticeKind) -> set[str]:
    return {
        name
        for language in Language
        for text in TEMPLATES[kind][language]
        for name in VARIABLE.findall(text)
    }


@pytest.mark.parametrize("kind", list(NoticeKind))
@pytest.mark.parametrize("language", list(Language))
def test_plat_notify_1_every_kind_renders_in_both_languages(
    kind: NoticeKind, language: Language
) -> None:
    subject, body = render(kind, language, {n: f"<{n}>" for n in _names(kind)})
    own = {n for text in TEMPLATES[kind][language] for n in VARIABLE.findall(text)}
    assert all(f"<{n}>" in subject + body for n in own)
    assert "$" not in subject + body


@pytest.mark.parametrize("kind", [k for k in NoticeKind if _names(k)])
def test_plat_notify_1_a_missing_variable_is_named(kind: NoticeKind) -> None:
    names = sorted(_names(kind))
    given = dict.fromkeys(names[1:], "x")
    with pytest.raises(MissingVariable) as refused:
        render(kind, Language.ZH, given)
    assert refused.value.name in names
    assert refused.value.kind is kind


def _at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 12, 3, hour, minute, second, tzinfo=SHANGHAI)


NIGHT = QuietHours(starts=time(22), ends=time(7))


@pytest.mark.parametrize(
    ("at", "release"),
    [
        (_at(21, 59, 59), None),
        (_at(22), _at(7) + timedelta(days=1)),
        (_at(6, 59, 59), _at(7)),
        (_at(7), None),
    ],
)
def test_plat_notify_1_quiet_hours_across_midnight_hold_until_they_end(
    at: datetime, release: datetime | None
) -> None:
    assert NIGHT.holds(at) == release


def test_plat_notify_1_quiet_hours_within_a_day() -> None:
    lunch = QuietHours(starts=time(12), ends=time(14))
    assert lunch.holds(_at(11, 59)) is None
    assert lunch.holds(_at(13)) == _at(14)
    assert lunch.holds(_at(14)) is None


def test_plat_notify_1_retries_wait_twice_as_long_then_give_up() -> None:
    waits = [retry_delay(n) for n in range(1, MAX_ATTEMPTS + 1)]
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)] + [None]


def test_plat_notify_1_email_only_with_an_address_and_where_chosen() -> None:
    kind = NoticeKind.REPORT_DUE
    assert not Preferences().wants(kind, Channel.EMAIL), "no address, no email"
    assert Preferences(email="a@example.cn").wants(kind, Channel.EMAIL)
    quiet = Preferences(email="a@example.cn", channels={kind: (Channel.IN_APP,)})
    assert not quiet.wants(kind, Channel.EMAIL)
    assert quiet.wants(kind, Channel.IN_APP)
