"""Telling people (PLAT-NOTIFY-1): a notice goes to each recipient's inbox in their language,
and, where they want it, into the outbox for email, in the caller's transaction, so a change
that rolls back tells nobody and a notice is never lost."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

from sqlmodel import Session

from app.domain.notifications import Channel, Language, NoticeKind, Preferences, templates
from app.i18n import Locale, translate
from app.repositories import notifications as repo
from app.repositories.base import PageRequest, PageResult

#: The language of the messages each notice preference names (Chinese unless chosen otherwise).
LOCALES: dict[Language, Locale] = {Language.ZH: Locale.ZH, Language.EN: Locale.EN}


def notify(
    session: Session,
    *,
    user_ids: Sequence[str],
    kind: NoticeKind,
    variables: dict[str, str],
    resource_path: str | None,
    dedupe_key: str,
    now: datetime,
) -> int:
    """Tell each of `user_ids` once per `dedupe_key` (a reminder job run twice tells once);
    returns how many were told now. Quiet hours hold an email back, never the inbox."""
    recipients = list(dict.fromkeys(user_ids))
    keys = {u: f"{dedupe_key}:{u}" for u in recipients}
    known = repo.known_keys(session, list(keys.values()))
    preferences = repo.preferences_of(session, recipients)
    subject_template, body_template = templates(kind, variables)
    told = 0
    for user_id in recipients:
        if keys[user_id] in known:
            continue
        chosen = preferences[user_id]
        locale = LOCALES[chosen.language]
        subject = translate(locale, subject_template, **variables)
        body = translate(locale, body_template, **variables)
        notice = repo.NotificationRow(
            user_id=user_id,
            kind=kind.value,
            subject=subject,
            body=body,
            resource_path=resource_path,
            dedupe_key=keys[user_id],
        )
        message = None
        if chosen.wants(kind, Channel.EMAIL) and chosen.email:
            held = chosen.quiet_hours.holds(now) if chosen.quiet_hours else None
            message = repo.OutboxRow(
                channel=Channel.EMAIL.value,
                target=chosen.email,
                subject=subject,
                body=body,
                due_at=held or now,
            )
        repo.add_notice(session, notice, message)
        told += 1
    return told


def inbox(
    session: Session, user_id: str, page: PageRequest, *, unread: bool | None
) -> PageResult[repo.NotificationRow]:
    """A page of one person's notices."""
    return repo.inbox(session, user_id, page, unread=unread)


def read(
    session: Session, user_id: str, notification_id: str, *, now: datetime
) -> repo.NotificationRow:
    """Mark one of the person's notices read (404 for another's)."""
    row = repo.own_notice(session, user_id, notification_id)
    repo.mark_read(session, row, now)
    return row


def preferences(session: Session, user_id: str) -> Preferences:
    """A person's preferences, the defaults until chosen."""
    return repo.preferences_of(session, [user_id])[user_id]


def set_preferences(
    session: Session,
    user_id: str,
    *,
    language: Language,
    email: str | None,
    channels: dict[NoticeKind, tuple[Channel, ...]],
    quiet: tuple[time, time] | None,
) -> Preferences:
    """Replace a person's preferences."""
    row = repo.save_preferences(
        session,
        user_id,
        {
            "language": language.value,
            "email": email,
            "channels": {k.value: [c.value for c in v] for k, v in channels.items()},
            "quiet_starts": quiet[0] if quiet else None,
            "quiet_ends": quiet[1] if quiet else None,
        },
    )
    return row.to_domain()
