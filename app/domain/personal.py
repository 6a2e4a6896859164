"""Personal data (VOL-DUTY-1): what kinds exist and how each is masked for callers without need."""

from __future__ import annotations

from enum import StrEnum


class PersonalKind(StrEnum):
    """The kinds of personal data the API holds."""

    ID_NUMBER = "id_number"
    PHONE = "phone"
    ADDRESS = "address"
    NAME = "name"


def mask(kind: PersonalKind, value: str | None) -> str | None:
    """The masked form shown by default: enough to recognise, not enough to use."""
    if value is None:
        return None
    if kind is PersonalKind.ID_NUMBER:
        return _keep(value, 3, 4)
    if kind is PersonalKind.PHONE:
        return _keep(value, 3, 4)
    if kind is PersonalKind.NAME:
        return _keep(value, 1, 0)
    return _keep(value, 6, 0)


def _keep(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return value[:1] + "*" * (len(value) - 1)
    return value[:head] + "*" * (len(value) - head - tail) + (value[-tail:] if tail else "")
