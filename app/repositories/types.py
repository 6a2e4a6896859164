"""Column types shared by every table: aware UTC timestamps and encrypted personal data."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Dialect, String, TypeDecorator

from app.security import personal


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always returns aware datetimes, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive values; store UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Attach UTC where the driver drops the offset."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Encrypted(TypeDecorator[str]):
    """Personal data: AES-GCM ciphertext at rest, plaintext in Python (VOL-DUTY-1)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        """Encrypt with the current key."""
        return None if value is None else personal.ring().encrypt(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        """Decrypt with the key the value names."""
        return None if value is None else personal.ring().decrypt(str(value))


def utcnow() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


#: The column info that marks personal data stored in clear (a date of birth, a guardian's
#: name): the audit log and change snapshots redact it as they redact encrypted columns.
PERSONAL: dict[str, object] = {"personal": True}


def is_redacted(column: Column[Any]) -> bool:
    """Whether the audit log shows `[redacted]` for this column: personal by its type
    (`Encrypted`), by its mark (`PERSONAL`), or a hash of a secret."""
    return (
        column.key.endswith("_hash")
        or isinstance(column.type, Encrypted)
        or bool(column.info.get("personal"))
    )
