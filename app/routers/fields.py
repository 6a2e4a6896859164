"""Field types of the public contract that every area shares: dates and instants are ISO 8601
text in JSON, never numbers (pydantic alone would read `0` as 1970-01-01)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import AwareDatetime, BeforeValidator

_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]")


def _not_a_number(value: object) -> object:
    # A bool is an int to Python; neither is a date in this API's JSON.
    if isinstance(value, int | float):
        raise ValueError("an ISO 8601 text, e.g. 2025-11-10 or 2025-11-10T08:00:00+08:00")
    return value


def _iso_instant(value: object) -> object:
    # Pydantic alone would read "2.5" as a Unix timestamp; the spec promises ISO 8601 only.
    if isinstance(value, str) and not _ISO_INSTANT.match(value):
        raise ValueError("an ISO 8601 instant with offset, e.g. 2025-11-10T08:00:00+08:00")
    return _not_a_number(value)


#: A calendar date: `YYYY-MM-DD`.
Day = Annotated[date, BeforeValidator(_not_a_number)]
#: A date and time: ISO 8601 text.
Moment = Annotated[datetime, BeforeValidator(_not_a_number)]
#: An instant in a query string: ISO 8601 with an offset, nothing else.
Instant = Annotated[AwareDatetime, BeforeValidator(_iso_instant)]
