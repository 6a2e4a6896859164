"""What the change feed and the audit log record of each write or reveal."""

from __future__ import annotations

from enum import StrEnum


class ChangeOp(StrEnum):
    """What an event of the change feed did to its resource."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class AuditOp(StrEnum):
    """What an audit event records: a change, or a reveal of personal data (VOL-DUTY-1)."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    REVEAL = "reveal"
