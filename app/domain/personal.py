"""Personal data (VOL-DUTY-1): its kinds and how each is masked for callers without need to know.

One implementation serves every area (volunteers, officers, base liaisons): enough to recognise a
record, never enough to use it (an ID number never shows the birth date).
"""

from __future__ import annotations

import re
from enum import StrEnum

_BLANKS = re.compile(r"[\s\-]")


class PersonalKind(StrEnum):
    """The kinds of personal data the API holds."""

    ID_NUMBER = "id_number"
    PHONE = "phone"
    ADDRESS = "address"
    NAME = "name"


def _keep(value: str, head: int, tail: int) -> str:
    hidden = len(value) - head - tail
    if hidden < 1:
        return "*" * len(value)
    return value[:head] + "*" * hidden + (value[len(value) - tail :] if tail else "")


def mask_id_number(number: str) -> str:
    """First 3 and last 4 characters of a long number, never the birth date."""
    number = _BLANKS.sub("", number).upper()
    if len(number) >= 10:
        return _keep(number, 3, 4)
    return _keep(number, 1, 2)


def mask_phone(phone: str) -> str:
    """`138****5678`: the operator prefix and the last 4 digits."""
    digits = _BLANKS.sub("", phone)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if len(digits) == 11:
        return _keep(digits, 3, 4)
    return _keep(digits, 0, 4)


def mask_name(name: str) -> str:
    """The surname, and the last character of a name of three or more: `张*丰`."""
    name = name.strip()
    if len(name) <= 2:
        return _keep(name, 1, 0) if len(name) == 2 else "*" * len(name)
    return _keep(name, 1, 1)


def mask_address(address: str) -> str:
    """At most the first 6 characters (at most half), then a fixed `****` hiding the length."""
    address = address.strip()
    return address[: min(6, len(address) // 2)] + "****"


_MASKS = {
    PersonalKind.ID_NUMBER: mask_id_number,
    PersonalKind.PHONE: mask_phone,
    PersonalKind.NAME: mask_name,
    PersonalKind.ADDRESS: mask_address,
}


def mask(kind: PersonalKind, value: str | None) -> str | None:
    """The masked form of a value of the given kind (None stays None)."""
    return None if value is None else _MASKS[kind](value)
