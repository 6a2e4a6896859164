"""Notices (PLAT-NOTIFY-1): what a person is told, in which language, over which channel, and
when quiet hours hold a message back. Pure values and functions; the outbox delivers."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import StrEnum
from string import Template

from pydantic import BaseModel, ConfigDict, Field

from app.domain.common import SHANGHAI


class NoticeKind(StrEnum):
    """Every kind of notice; a preference names kinds from this list only."""

    APPLICATION_RETURNED = "application_returned"
    APPLICATION_APPROVED = "application_approved"
    APPLICATION_REJECTED = "application_rejected"
    ENROLMENT_CONFIRMED = "enrolment_confirmed"
    HOURS_CONFIRMED = "hours_confirmed"
    HOURS_REJECTED = "hours_rejected"
    COMPLAINT_ASSIGNED = "complaint_assigned"
    OFFICER_CASE_REPLIED = "officer_case_replied"
    REPORT_DUE = "report_due"
    STATISTICS_MISSING = "statistics_missing"
    BASE_AT_RISK = "base_at_risk"
    RECTIFICATION_DUE = "rectification_due"
    EVALUATION_DUE = "evaluation_due"


class Channel(StrEnum):
    """How a notice reaches a person: the in-app inbox always keeps it; email is sent too."""

    IN_APP = "in_app"
    EMAIL = "email"


class Language(StrEnum):
    """The languages notices are written in; Chinese unless the person prefers English."""

    ZH = "zh"
    EN = "en"


class QuietHours(BaseModel):
    """Local (Asia/Shanghai) hours in which no email is sent; it waits until they end. A span
    may cross midnight (22:00–07:00)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    starts: time
    ends: time

    def holds(self, at: datetime) -> datetime | None:
        """When a message due at `at` may go, or None when it may go now."""
        local = at.astimezone(SHANGHAI)
        now = local.time()
        inside = (
            self.starts <= now < self.ends
            if self.starts <= self.ends
            else now >= self.starts or now < self.ends
        )
        if not inside or self.starts == self.ends:
            return None
        release = datetime.combine(local.date(), self.ends, tzinfo=SHANGHAI)
        if release <= local:
            release += timedelta(days=1)
        return release


#: Every kind, delivered in the app and by email.
DEFAULT_CHANNELS: dict[NoticeKind, tuple[Channel, ...]] = dict.fromkeys(
    NoticeKind, (Channel.IN_APP, Channel.EMAIL)
)


class Preferences(BaseModel):
    """A person's choices: language, email address, channels per kind, quiet hours."""

    model_config = ConfigDict(frozen=True)

    language: Language = Language.ZH
    email: str | None = None
    channels: dict[NoticeKind, tuple[Channel, ...]] = Field(
        default_factory=lambda: dict(DEFAULT_CHANNELS)
    )
    quiet_hours: QuietHours | None = None

    def wants(self, kind: NoticeKind, channel: Channel) -> bool:
        """Whether this kind goes over this channel (the inbox always keeps a notice)."""
        if channel is Channel.IN_APP:
            return True
        if channel is Channel.EMAIL and not self.email:
            return False
        return channel in self.channels.get(kind, DEFAULT_CHANNELS[kind])


class MissingVariable(ValueError):
    """A template names a variable the notice did not give."""

    def __init__(self, kind: NoticeKind, name: str) -> None:
        super().__init__(f"the template of {kind.value} needs `{name}`")
        self.kind = kind
        self.name = name


#: Subject and body of each kind, Chinese and English; `$name` is a variable of the notice.
TEMPLATES: dict[NoticeKind, dict[Language, tuple[str, str]]] = {
    NoticeKind.APPLICATION_RETURNED: {
        Language.ZH: (
            "申报材料已退回：$base_name",
            "您的科普教育基地申报已退回修改。原因：$reason",
        ),
        Language.EN: ("Application returned: $base_name", "Your application was returned: $reason"),
    },
    NoticeKind.APPLICATION_APPROVED: {
        Language.ZH: (
            "申报已通过：$base_name",
            "$base_name 已被认定为科普教育基地，牌匾编号 $plaque。",
        ),
        Language.EN: (
            "Application approved: $base_name",
            "$base_name is accredited; plaque $plaque.",
        ),
    },
    NoticeKind.APPLICATION_REJECTED: {
        Language.ZH: ("申报未通过：$base_name", "您的科普教育基地申报未通过。原因：$reason"),
        Language.EN: ("Application rejected: $base_name", "Your application was rejected: $reason"),
    },
    NoticeKind.ENROLMENT_CONFIRMED: {
        Language.ZH: (
            "报名已确认：$activity_title",
            "您报名的活动「$activity_title」已确认，开始时间 $starts_at。",
        ),
        Language.EN: (
            "Enrolment confirmed: $activity_title",
            "Your place in “$activity_title” is confirmed; it starts at $starts_at.",
        ),
    },
    NoticeKind.HOURS_CONFIRMED: {
        Language.ZH: (
            "服务时长已确认：$hours 小时",
            "您在「$activity_title」的服务时长 $hours 小时已确认。",
        ),
        Language.EN: (
            "Hours confirmed: $hours h",
            "Your $hours hours in “$activity_title” are confirmed.",
        ),
    },
    NoticeKind.HOURS_REJECTED: {
        Language.ZH: (
            "服务时长未确认：$activity_title",
            "您在「$activity_title」的服务时长未予确认。原因：$reason",
        ),
        Language.EN: (
            "Hours not confirmed: $activity_title",
            "Your hours in “$activity_title” were not confirmed: $reason",
        ),
    },
    NoticeKind.COMPLAINT_ASSIGNED: {
        Language.ZH: ("待处理投诉：$number", "有一件投诉（编号 $number）交由您处理。"),
        Language.EN: (
            "Complaint to handle: $number",
            "Complaint $number was assigned to you.",
        ),
    },
    NoticeKind.OFFICER_CASE_REPLIED: {
        Language.ZH: ("典型案例已回复：$title", "您报送的典型案例「$title」已有回复。"),
        Language.EN: ("Case replied: $title", "Your case “$title” has a reply."),
    },
    NoticeKind.REPORT_DUE: {
        Language.ZH: (
            "年度报告将于 $due_on 截止",
            "$base_name 的 $year 年度工作报告须于 $due_on 前提交，还有 $days 天。",
        ),
        Language.EN: (
            "Annual report due $due_on",
            "$base_name: the $year report is due on $due_on, in $days days.",
        ),
    },
    NoticeKind.STATISTICS_MISSING: {
        Language.ZH: ("$month 月统计未填报", "$base_name 尚未填报 $month 月的开放与活动统计。"),
        Language.EN: (
            "Statistics missing for $month",
            "$base_name has not filed its statistics for $month.",
        ),
    },
    NoticeKind.BASE_AT_RISK: {
        Language.ZH: (
            "年度指标存在风险：$base_name",
            "$base_name 的年度指标按当前进度可能无法达标：$items。",
        ),
        Language.EN: (
            "At risk this year: $base_name",
            "$base_name may miss this year's thresholds: $items.",
        ),
    },
    NoticeKind.RECTIFICATION_DUE: {
        Language.ZH: ("整改期限 $due_on", "$base_name 的整改通知须于 $due_on 前完成整改。"),
        Language.EN: ("Rectification due $due_on", "$base_name must rectify by $due_on."),
    },
    NoticeKind.EVALUATION_DUE: {
        Language.ZH: ("三年评估将于 $due_on 到期", "$base_name 的三年评估将于 $due_on 到期。"),
        Language.EN: (
            "Evaluation due $due_on",
            "$base_name's three-yearly evaluation is due on $due_on.",
        ),
    },
}


def render(kind: NoticeKind, language: Language, variables: dict[str, str]) -> tuple[str, str]:
    """The subject and body of a notice; MissingVariable names a variable not given."""
    subject, body = TEMPLATES[kind][language]
    try:
        return Template(subject).substitute(variables), Template(body).substitute(variables)
    except KeyError as missing:
        raise MissingVariable(kind, str(missing.args[0])) from None


#: How often a message is tried before it is dead, and the first wait; each wait doubles.
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=1)


def retry_delay(attempts: int) -> timedelta | None:
    """The wait after the `attempts`-th failed try (1 min, 2, 4, 8, 16), or None once the
    message has had `MAX_ATTEMPTS` tries and is dead."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return FIRST_RETRY * int(2 ** (attempts - 1))
