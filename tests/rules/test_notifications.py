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
    retry_delay,
    templates,
    variables_of,
)
from app.i18n import Locale, translate

#: Each notice as it reads in Chinese, with every variable `<name>`: the text the notices had
#: before they were templates of the catalogue, kept word for word.
CHINESE: dict[NoticeKind, tuple[str, str]] = {
    NoticeKind.APPLICATION_RETURNED: (
        "申报材料已退回：<base_name>",
        "您的科普教育基地申报已退回修改。原因：<reason>",
    ),
    NoticeKind.APPLICATION_APPROVED: (
        "申报已通过：<base_name>",
        "<base_name> 已被认定为科普教育基地，牌匾编号 <plaque>。",
    ),
    NoticeKind.APPLICATION_REJECTED: (
        "申报未通过：<base_name>",
        "您的科普教育基地申报未通过。原因：<reason>",
    ),
    NoticeKind.ENROLMENT_CONFIRMED: (
        "报名已确认：<activity_title>",
        "您报名的活动「<activity_title>」已确认，开始时间 <starts_at>。",
    ),
    NoticeKind.HOURS_CONFIRMED: (
        "服务时长已确认：<hours> 小时",
        "您在「<activity_title>」的服务时长 <hours> 小时已确认。",
    ),
    NoticeKind.HOURS_REJECTED: (
        "服务时长未确认：<activity_title>",
        "您在「<activity_title>」的服务时长未予确认。原因：<reason>",
    ),
    NoticeKind.COMPLAINT_ASSIGNED: (
        "待处理投诉：<number>",
        "有一件投诉（编号 <number>）交由您处理。",
    ),
    NoticeKind.OFFICER_CASE_REPLIED: (
        "典型案例已回复：<title>",
        "您报送的典型案例「<title>」已有回复。",
    ),
    NoticeKind.REPORT_DUE: (
        "年度报告将于 <due_on> 截止",
        "<base_name> 的 <year> 年度工作报告须于 <due_on> 前提交，还有 <days> 天。",
    ),
    NoticeKind.STATISTICS_MISSING: (
        "<month> 月统计未填报",
        "<base_name> 尚未填报 <month> 月的开放与活动统计。",
    ),
    NoticeKind.BASE_AT_RISK: (
        "年度指标存在风险：<base_name>",
        "<base_name> 的年度指标按当前进度可能无法达标：<items>。",
    ),
    NoticeKind.RECTIFICATION_DUE: (
        "整改期限 <due_on>",
        "<base_name> 的整改通知须于 <due_on> 前完成整改。",
    ),
    NoticeKind.EVALUATION_DUE: (
        "三年评估将于 <due_on> 到期",
        "<base_name> 的三年评估将于 <due_on> 到期。",
    ),
}
LOCALES = {Language.ZH: Locale.ZH, Language.EN: Locale.EN}


def _render(kind: NoticeKind, language: Language, given: dict[str, str]) -> tuple[str, str]:
    subject, body = templates(kind, given)
    locale = LOCALES[language]
    return translate(locale, subject, **given), translate(locale, body, **given)


@pytest.mark.parametrize("kind", list(NoticeKind))
@pytest.mark.parametrize("language", list(Language))
def test_plat_notify_1_every_kind_renders_in_both_languages(
    kind: NoticeKind, language: Language
) -> None:
    names = variables_of(kind)
    assert names, "every notice names what it is about"
    given = {n: f"<{n}>" for n in names}
    subject, body = _render(kind, language, given)
    assert all(f"<{n}>" in subject + body for n in names)
    assert "{" not in subject + body
    if language is Language.ZH:
        assert (subject, body) == CHINESE[kind]
    else:
        assert (subject, body) == tuple(text.format_map(given) for text in TEMPLATES[kind])


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_plat_notify_1_a_template_is_english_with_the_variables_of_its_chinese(
    kind: NoticeKind,
) -> None:
    for text in TEMPLATES[kind]:
        assert not re.search(r"[\u4e00-\u9fff]", text), f"{text}: the source is English"
    chinese = set(re.findall(r"<(\w+)>", "".join(CHINESE[kind])))
    assert set(variables_of(kind)) == chinese


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_plat_notify_1_a_missing_variable_is_named(kind: NoticeKind) -> None:
    names = variables_of(kind)
    given = dict.fromkeys(names[1:], "x")
    with pytest.raises(MissingVariable) as refused:
        templates(kind, given)
    assert refused.value.name == names[0]
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
