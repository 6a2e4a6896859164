"""The channels the outbox delivers over: email by SMTP (PLAT-NOTIFY-1)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formataddr

from app.config import Settings


class DeliveryError(Exception):
    """A channel did not take a message; the outbox tries again later."""


class EmailSender:
    """Sends one UTF-8 message per notice through the configured mail server."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def configured(self) -> bool:
        """Whether a mail server is configured at all."""
        return bool(self.settings.smtp_host)

    def send(self, *, to: str, subject: str, body: str, message_id: str) -> None:
        """Hand the message to the mail server; DeliveryError when it does not take it."""
        s = self.settings
        message = EmailMessage()
        message["From"] = formataddr((s.association_name, s.smtp_from))
        message["To"] = to
        message["Subject"] = subject
        # The outbox id is the Message-ID: a message sent again after a crash is the same
        # message to every mail client, which shows it once.
        message["Message-ID"] = f"<{message_id}@kepu-api>"
        message.set_content(body, charset="utf-8")
        try:
            with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=30) as smtp:
                if s.smtp_starttls:
                    smtp.starttls()
                if s.smtp_username:
                    smtp.login(s.smtp_username, s.smtp_password)
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
