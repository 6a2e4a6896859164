"""Types shared by every area: findings, rule results, time zone, policy versioning, and the
date, instant and yuan types of the public contract (ISO 8601 text in JSON, never numbers: pydantic
alone would read `0` as 1970-01-01)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from app.domain.messages import N_

_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]")


def _not_a_number(value: object) -> object:
    # A bool is an int to Python; neither is a date in this API's JSON.
    if isinstance(value, int | float):
        raise ValueError(N_("an ISO 8601 text, e.g. 2025-11-10 or 2025-11-10T08:00:00+08:00"))
    return value


def _iso_instant(value: object) -> object:
    # Pydantic alone would read "2.5" as a Unix timestamp; the spec promises ISO 8601 only.
    if isinstance(value, str) and not _ISO_INSTANT.match(value):
        raise ValueError(N_("an ISO 8601 instant with offset, e.g. 2025-11-10T08:00:00+08:00"))
    return _not_a_number(value)


def _json_integer(value: object) -> object:
    # JSON Schema's integer is 3 or 3.0; pydantic alone would also take true and "3".
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", N_("Input should be a valid integer"))
    return value


#: The check that makes an `int` a JSON Schema integer; bounds go before it in an `Annotated`
#: (`Annotated[int, Field(ge=0), JsonInteger]`), or pydantic cannot state them in the schema.
JsonInteger = BeforeValidator(_json_integer)
#: The largest integer a column stores on every database (PostgreSQL's `integer`).
INT_MAX = 2**31 - 1
#: An integer as JSON Schema means it: `3` or `3.0`, never `true` or `"3"`; a request field
#: also states its bounds, within what a column stores (`tests/test_openapi.py`).
Integer = Annotated[int, JsonInteger]
#: A count of something: 0 up to what a column stores.
Count = Annotated[int, Field(ge=0, le=INT_MAX), JsonInteger]
#: A calendar date: `YYYY-MM-DD`.
Day = Annotated[date, BeforeValidator(_not_a_number)]
#: A date and time: ISO 8601 text.
Moment = Annotated[datetime, BeforeValidator(_not_a_number)]
#: An instant: ISO 8601 text with an offset, nothing else.
Instant = Annotated[AwareDatetime, BeforeValidator(_iso_instant)]

CLOCK_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def _clock_time(value: object) -> object:
    if isinstance(value, str) and re.fullmatch(CLOCK_TIME_PATTERN, value):
        return time.fromisoformat(value)
    if isinstance(value, time) and value.tzinfo is None:
        return value
    raise PydanticCustomError("clock_time", N_("a local time of day, HH:MM (22:00)"))


#: A time of day on the local (Asia/Shanghai) clock, `HH:MM`: no zone, no seconds.
ClockTime = Annotated[
    time,
    BeforeValidator(_clock_time),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": CLOCK_TIME_PATTERN, "examples": ["22:00"]}),
]

_FEN = Decimal("0.01")
_MAX = 10**12


def _yuan(value: object) -> object:
    """A JSON number of yuan with at most two decimals, as an exact Decimal of fen."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(N_("a JSON number of yuan, e.g. 1200.5"))
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(N_("a JSON number of yuan, e.g. 1200.5"))
    whole = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if abs(whole) >= _MAX:
        # Beyond every bound a field declares: left whole for the field's bound to refuse by
        # name (rounding it to the fen would overflow the decimal context).
        return whole
    if isinstance(value, float):
        # The float read from JSON is the binary value nearest to what the client wrote, or a
        # few units in the last place off it when computed (k * 0.01): either is that fen.
        fen = Decimal(repr(value)).quantize(_FEN)
        if not math.isclose(float(fen), value, rel_tol=1e-15):
            raise ValueError(N_("at most two decimals (fen)"))
        return fen
    amount = Decimal(value)
    if amount != amount.quantize(_FEN):
        raise ValueError(N_("at most two decimals (fen)"))
    return amount


_NUMBER = {"type": "number", "multipleOf": 0.01, "description": "Yuan (元), to the fen"}
_SERIALISE = PlainSerializer(float, return_type=float)
#: An amount in yuan: a JSON number with at most two decimals, kept exact as a Decimal.
Yuan = Annotated[Decimal, BeforeValidator(_yuan), _SERIALISE, WithJsonSchema(_NUMBER)]
#: An amount that may be nothing (a budget), less than a trillion yuan.
NonNegativeYuan = Annotated[
    Decimal,
    BeforeValidator(_yuan),
    Field(ge=0, lt=_MAX),
    _SERIALISE,
    WithJsonSchema(_NUMBER | {"minimum": 0, "exclusiveMaximum": _MAX}),
]
#: An amount to record: more than nothing, less than a trillion yuan.
PositiveYuan = Annotated[
    Decimal,
    BeforeValidator(_yuan),
    Field(gt=0, lt=_MAX),
    _SERIALISE,
    WithJsonSchema(_NUMBER | {"exclusiveMinimum": 0, "exclusiveMaximum": _MAX}),
]

#: What no text a person reads may hold: C0 and C1 controls but tab, newline and return,
#: directional marks, overrides and isolates, zero-width characters and the byte-order mark. They
#: hide or spoof text in lists and ledgers (a right-to-left override turns a name around), and
#: PostgreSQL stores no NUL. As a JSON Schema `pattern`, and the same in Python.
_HIDDEN_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
PLAIN_TEXT_PATTERN = f"^[^{_HIDDEN_CLASS}]*$"
_HIDDEN = re.compile(f"[{_HIDDEN_CLASS}]")


def hidden_characters(text: str) -> bool:
    """Whether `text` holds a character of those `PLAIN_TEXT_PATTERN` refuses."""
    return _HIDDEN.search(text) is not None


def hidden_text_fields(
    value: object, schema: object, schemas: Mapping[str, Any], path: str = ""
) -> list[str]:
    """The fields of a JSON value (`rows[3].name`) holding a hidden character where its JSON
    Schema states `PLAIN_TEXT_PATTERN`; `schemas` resolves each `$ref` by component name."""
    found: list[str] = []

    def walk(value: object, node: object, path: str) -> None:
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            walk(value, schemas.get(ref.rsplit("/", 1)[-1]), path)
        for key in ("anyOf", "oneOf", "allOf"):
            for branch in node.get(key, ()):
                walk(value, branch, path)
        if isinstance(value, str):
            if node.get("pattern") == PLAIN_TEXT_PATTERN and hidden_characters(value):
                found.append(path or "body")
        elif isinstance(value, dict):
            named, others = node.get("properties", {}), node.get("additionalProperties")
            for key, item in value.items():
                walk(item, named.get(key, others), f"{path}.{key}" if path else str(key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, node.get("items"), f"{path}[{index}]")

    walk(value, schema, path)
    return list(dict.fromkeys(found))


#: Every deadline of the measures is read in China Standard Time (docs/rules.md, "Time").
SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_midnight(day: date, *, after: int = 0) -> datetime:
    """The instant a day `after` days past `day` begins in Asia/Shanghai. A day at the edge of
    the calendar (0001-01-01, 9999-12-31) bounds nothing the database could hold: the earliest
    or latest instant there is, rather than a time before year 1 or after 9999."""
    if day.toordinal() + after > date.max.toordinal():
        return datetime.max.replace(tzinfo=UTC)
    start = datetime.combine(day + timedelta(days=after), time(), tzinfo=SHANGHAI)
    if start.date() == date.min:
        return datetime.min.replace(tzinfo=UTC)
    return start


class Severity(StrEnum):
    """How a finding weighs: `error` refuses an action, `warning` and `advisory` only inform."""

    ERROR = "error"
    WARNING = "warning"
    ADVISORY = "advisory"


#: A value a message template is filled in with.
MessageParam = str | int | float | None


class Finding(BaseModel):
    """One rule that is not satisfied, named by its ID in docs/rules.md.

    `code` is the stable machine name of what is wrong (clients branch on it, never on text);
    `message` is an English template marked with `N_` and `params` fill it in. The shell renders
    it in the caller's language (app.i18n); a rule never does.
    """

    model_config = ConfigDict(frozen=True)

    rule: str
    code: str
    message: str
    params: dict[str, MessageParam] = {}
    severity: Severity = Severity.ERROR
    field: str | None = None


class RuleResult(BaseModel):
    """Every finding of one check; `ok` when none of them is an error."""

    findings: list[Finding] = []

    @property
    def ok(self) -> bool:
        """True when no finding refuses the action."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        """The findings that refuse the action."""
        return [f for f in self.findings if f.severity is Severity.ERROR]


class VersionedPolicy(BaseModel):
    """A set of policy parameters in force from `effective_on` (the measures are trial texts)."""

    model_config = ConfigDict(frozen=True)

    effective_on: date


P = TypeVar("P", bound=VersionedPolicy)


def policy_in_force(policies: list[P], on: date) -> P:
    """The policy with the latest `effective_on` not after `on`; the earliest if none is yet."""
    eligible = [p for p in policies if p.effective_on <= on]
    if eligible:
        return max(eligible, key=lambda p: p.effective_on)
    return min(policies, key=lambda p: p.effective_on)


def local_date(moment: datetime) -> date:
    """The calendar date of an aware instant in Asia/Shanghai."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every instant must carry its offset")
    return moment.astimezone(SHANGHAI).date()


class Observance(StrEnum):
    """The commemorative days and weeks the measures name (BASE-EVENT-1, VOL-SCOPE-1(4)): one
    enumeration for every area, so a client sees one spelling."""

    LEI_FENG_DAY = "lei_feng_day"
    SCI_TECH_WEEK = "sci_tech_week"
    SCIENCE_WORKERS_DAY = "science_workers_day"
    SCIENCE_DAY = "science_day"
    THREE_TO_COUNTRYSIDE = "three_to_countryside"
    VOLUNTEER_DAY = "volunteer_day"

    @property
    def label(self) -> str:
        """The observance's Chinese name."""
        return OBSERVANCE_LABELS[self]


OBSERVANCE_LABELS: dict[Observance, str] = {
    Observance.LEI_FENG_DAY: "学雷锋纪念日（3月5日）",
    Observance.SCI_TECH_WEEK: "科技活动周（5月）",
    Observance.SCIENCE_WORKERS_DAY: "全国科技工作者日（5月30日）",
    Observance.SCIENCE_DAY: "全国科普日（9月）",
    Observance.THREE_TO_COUNTRYSIDE: "文化科技卫生“三下乡”",
    Observance.VOLUNTEER_DAY: "国际志愿者日（12月5日）",
}


class ListSort(StrEnum):
    """The base of every list's `sort` enum: a field of the items, ascending, or descending
    after a `-` (`name`, `-updated_at`). A list's `sort` takes the enum of the orders it offers
    (lists offering the same orders share one), so the spec lists exactly those; without
    `sort`, a list is in id (creation) order."""

    @property
    def field(self) -> str:
        """The field the items are ordered by."""
        return self.value.removeprefix("-")

    @property
    def descending(self) -> bool:
        """Whether the order is descending."""
        return self.value.startswith("-")


class NameSort(ListSort):
    """The orders of a list of named items (volunteers, organisations, bases): by name (pinyin
    initials, then the name), or by the instant of the last change. A base's status depends on
    the day it is read (a lapse), so bases are filtered by status, not sorted by it."""

    NAME = "name"
    NAME_DESCENDING = "-name"
    UPDATED_AT = "updated_at"
    UPDATED_AT_DESCENDING = "-updated_at"


class NameStatusSort(ListSort):
    """The orders of a list of named items with a stored status (officers, base applications by
    the applicant's name): as `NameSort`, or by status (items of one status together)."""

    NAME = "name"
    NAME_DESCENDING = "-name"
    UPDATED_AT = "updated_at"
    UPDATED_AT_DESCENDING = "-updated_at"
    STATUS = "status"
