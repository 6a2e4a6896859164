"""The API models of notices and preferences (names unique in the spec)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.domain.common import ClockTime, Day, Moment
from app.domain.notifications import Channel, Language, NoticeKind, Preferences
from app.repositories.notifications import NotificationRow
from app.rules.tasks import TaskKind

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class NotificationPublic(BaseModel):
    """One notice in the caller's inbox; `resource_path` is the API path it is about."""

    id: str
    kind: NoticeKind
    subject: str
    body: str
    resource_path: str | None
    created_at: Moment
    read_at: Moment | None

    @classmethod
    def of(cls, row: NotificationRow) -> NotificationPublic:
        """The public view of a stored notice."""
        return cls(
            id=row.id,
            kind=NoticeKind(row.kind),
            subject=row.subject,
            body=row.body,
            resource_path=row.resource_path,
            created_at=row.created_at,
            read_at=row.read_at,
        )


class QuietHoursBody(BaseModel):
    """Local (Asia/Shanghai) hours without email, e.g. 22:00 to 07:00 (across midnight)."""

    model_config = ConfigDict(extra="forbid")

    starts: ClockTime
    ends: ClockTime


class NotificationPreferencesBody(BaseModel):
    """A person's notification preferences, replaced whole. Kinds not named in `channels`
    keep the default (`in_app` and `email`); the inbox keeps every notice whatever is chosen."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "language": "zh",
                    "email": "liaison@example.cn",
                    "channels": {"report_due": ["in_app", "email"], "hours_confirmed": ["in_app"]},
                    "quiet_hours": {"starts": "22:00", "ends": "07:00"},
                }
            ]
        },
    )

    language: Language = Language.ZH
    email: str | None = Field(default=None, max_length=254, pattern=EMAIL_PATTERN)
    channels: dict[NoticeKind, list[Channel]] = Field(default_factory=dict, max_length=50)
    quiet_hours: QuietHoursBody | None = None


class NotificationPreferencesPublic(BaseModel):
    """The caller's preferences, every kind with its channels."""

    language: Language
    email: str | None
    channels: dict[NoticeKind, list[Channel]]
    quiet_hours: QuietHoursBody | None

    @classmethod
    def of(cls, chosen: Preferences) -> NotificationPreferencesPublic:
        """The public view of a person's preferences."""
        quiet = chosen.quiet_hours
        return cls(
            language=chosen.language,
            email=chosen.email,
            channels={k: list(v) for k, v in chosen.channels.items()},
            quiet_hours=QuietHoursBody(starts=quiet.starts, ends=quiet.ends) if quiet else None,
        )


class TaskPublic(BaseModel):
    """One thing the caller must do next: what, under which rule, by when, and where."""

    kind: TaskKind
    rule: str
    due_on: Day = Field(description="The rule's deadline; where none is set, the day it arose")
    resource_path: str = Field(description="The API path of the resource to act on")
