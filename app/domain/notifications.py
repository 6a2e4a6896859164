"""Notices (PLAT-NOTIFY-1): what a person is told, in which language, over which channel, and
when quiet hours hold a message back. Pure values and functions; the outbox delivers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from enum import StrEnum
from string import Formatter

from pydantic import BaseModel, ConfigDict, Field

from app.domain.common import SHANGHAI
from app.domain.messages import N_


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


#: Subject and body of each kind: English templates, `{name}` a variable of the notice. The
#: message catalogue translates each; the shell renders a notice in its recipient's language.
TEMPLATES: dict[NoticeKind, tuple[str, str]] = {
    NoticeKind.APPLICATION_RETURNED: (
        N_("Application returned: {base_name}"),
        N_("Your application was returned: {reason}"),
    ),
    NoticeKind.APPLICATION_APPROVED: (
        N_("Application approved: {base_name}"),
        N_("{base_name} is accredited; plaque {plaque}."),
    ),
    NoticeKind.APPLICATION_REJECTED: (
        N_("Application rejected: {base_name}"),
        N_("Your application was rejected: {reason}"),
    ),
    NoticeKind.ENROLMENT_CONFIRMED: (
        N_("Enrolment confirmed: {activity_title}"),
        N_("Your place in “{activity_title}” is confirmed; it starts at {starts_at}."),
    ),
    NoticeKind.HOURS_CONFIRMED: (
        N_("Hours confirmed: {hours} h"),
        N_("Your {hours} hours in “{activity_title}” are confirmed."),
    ),
    NoticeKind.HOURS_REJECTED: (
        N_("Hours not confirmed: {activity_title}"),
        N_("Your hours in “{activity_title}” were not confirmed: {reason}"),
    ),
    NoticeKind.COMPLAINT_ASSIGNED: (
        N_("Complaint to handle: {number}"),
        N_("Complaint {number} was assigned to you."),
    ),
    NoticeKind.OFFICER_CASE_REPLIED: (
        N_("Case replied: {title}"),
        N_("Your case “{title}” has a reply."),
    ),
    NoticeKind.REPORT_DUE: (
        N_("Annual report due {due_on}"),
        N_("{base_name}: the {year} report is due on {due_on}, in {days} days."),
    ),
    NoticeKind.STATISTICS_MISSING: (
        N_("Statistics missing for {month}"),
        N_("{base_name} has not filed its statistics for {month}."),
    ),
    NoticeKind.BASE_AT_RISK: (
        N_("At risk this year: {base_name}"),
        N_("{base_name} may miss this year's thresholds: {items}."),
    ),
    NoticeKind.RECTIFICATION_DUE: (
        N_("Rectification due {due_on}"),
        N_("{base_name} must rectify by {due_on}."),
    ),
    NoticeKind.EVALUATION_DUE: (
        N_("Evaluation due {due_on}"),
        N_("{base_name}'s three-yearly evaluation is due on {due_on}."),
    ),
}

_FORMAT = Formatter()


def variables_of(kind: NoticeKind) -> list[str]:
    """The variables the subject and body of a kind name, in the order they appear."""
    names = [name for text in TEMPLATES[kind] for _lit, name, _spec, _conv in _FORMAT.parse(text)]
    return list(dict.fromkeys(n for n in names if n))


def templates(kind: NoticeKind, variables: Mapping[str, str]) -> tuple[str, str]:
    """The subject and body templates of a notice, once its variables are known to fill them
    in; MissingVariable names a variable not given. The shell renders them (app.i18n)."""
    for name in variables_of(kind):
        if name not in variables:
            raise MissingVariable(kind, name)
    return TEMPLATES[kind]


#: How often a message is tried before it is dead, and the first wait; each wait doubles.
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=1)


def retry_delay(attempts: int) -> timedelta | None:
    """The wait after the `attempts`-th failed try (1 min, 2, 4, 8, 16), or None once the
    message has had `MAX_ATTEMPTS` tries and is dead."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return FIRST_RETRY * int(2 ** (attempts - 1))
