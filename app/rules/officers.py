"""Checks on officer records, imported rows, training, activity plans and cases (OFF-*).

Imports arrive as CSV, XLSX or JSON rows of loosely typed cells; the parsers here turn one row into
a domain model and list every problem of the row with the input's field name, never only the first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from app.domain.common import Finding, MessageParam, RuleResult
from app.domain.messages import N_
from app.domain.officers import (
    APP_ACCOUNT_PATTERN,
    ATTENDANCE_SHEET,
    CERTIFICATION_LABELS,
    CHANNEL_LABELS,
    MOBILE_PATTERN,
    MONTHLY_SHEET,
    OFFICER_MONTHLY_SHEET,
    OFFICER_STATUS_LABELS,
    ROSTER_SHEET,
    SOURCE_GROUP_LABELS,
    TOWNSHIP_CODE_PATTERN,
    TRAINING_LEVEL_LABELS,
    TRAINING_SHEET,
    VILLAGE_CODE_PATTERN,
    ActivityPlanOwnerKind,
    CertificationStatus,
    Channel,
    Dissemination,
    LedgerOfficer,
    LedgerSheet,
    LedgerTraining,
    Metrics,
    Officer,
    OfficerCaseKind,
    OfficerCaseStatus,
    OfficerMonth,
    OfficerStatus,
    OfficerTrainingLevel,
    Place,
    SourceGroup,
    TrainingPlan,
    TrainingSession,
)
from app.domain.personal import PersonalKind, mask

REG = "OFF-REG-1"
STAT = "OFF-STAT-1"

REQUIRED = N_("is required")
AFTER_TODAY = N_("{day} is after today ({today})")
NOT_IN_TOWNSHIP = N_("not a village of {township}")
REPEATS = N_("repeats row {row} of this request")
NOT_ACCOUNT = N_("“{value}” is not an app account id")

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class ParsedOfficer:
    """OFF-REG-1: one parsed import row: the officer when the row is good, and every problem."""

    officer: Officer | None
    result: RuleResult


@dataclass(frozen=True, slots=True)
class ParsedFigure:
    """OFF-STAT-1: one parsed figures row: the figure when the row is good, and every problem.

    A plain dataclass, not a pydantic model: imports parse 100,000s of these per request.
    """

    figure: Dissemination | None
    findings: list[Finding]


_MOBILE = re.compile(MOBILE_PATTERN)
_TOWNSHIP_CODE = re.compile(TOWNSHIP_CODE_PATTERN)
_VILLAGE_CODE = re.compile(VILLAGE_CODE_PATTERN)
_APP_ACCOUNT = re.compile(APP_ACCOUNT_PATTERN)
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_WHOLE = re.compile(r"\s*-?\d+\s*")


def _accepted(enum: type[E], labels: Mapping[E, str]) -> dict[str, E]:
    return {**{m.value: m for m in enum}, **{label: m for m, label in labels.items()}}


_SOURCE_GROUPS = _accepted(SourceGroup, SOURCE_GROUP_LABELS)
_CERTIFICATIONS = _accepted(CertificationStatus, CERTIFICATION_LABELS)
_STATUSES = _accepted(OfficerStatus, OFFICER_STATUS_LABELS)
_CHANNELS = _accepted(Channel, CHANNEL_LABELS)
#: The code of each accepted channel spelling (a str hashes faster than an enum member).
_CHANNEL_CODES = {spelling: member.value for spelling, member in _CHANNELS.items()}


class _Cells:
    """Reads typed values out of one loosely typed row, collecting a finding per bad cell.

    The common case (a clean string cell) is tested first: imports run to 100,000s of rows.
    """

    def __init__(self, raw: Mapping[str, object], rule: str) -> None:
        self.raw = raw
        self.rule = rule
        self.findings: list[Finding] = []

    def problem(self, field: str, code: str, message: str, **params: MessageParam) -> None:
        self.findings.append(
            Finding(rule=self.rule, code=code, message=message, params=params, field=field)
        )

    def bad(self, field: str) -> bool:
        return any(f.field == field for f in self.findings)

    def text(self, field: str, *, required: bool = True) -> str | None:
        value = self.raw.get(field)
        if isinstance(value, str):
            value = value.strip()
        elif isinstance(value, float) and value.is_integer():
            # Spreadsheets hand mobile numbers and account ids over as floats.
            value = str(int(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        elif value is not None:
            self.problem(
                field, "not_text", N_("must be text, got {type}"), type=type(value).__name__
            )
            return None
        if not value:
            if required:
                self.problem(field, "required", REQUIRED)
            return None
        return value

    def matching(self, field: str, pattern: re.Pattern[str], code: str, message: str) -> str | None:
        """The text when it matches `pattern`; else a finding of `code`, its `message` a
        template of the `value` given."""
        value = self.text(field)
        if value is not None and not pattern.fullmatch(value):
            self.problem(field, code, message, value=value)
            return None
        return value

    def choice(self, field: str, accepted: Mapping[str, E], *, required: bool) -> E | None:
        value = self.text(field, required=required)
        if value is None:
            return None
        member = accepted.get(value) or accepted.get(value.lower())
        if member is None:
            self.problem(
                field,
                "enum",
                N_("“{value}” is not one of {options}"),
                value=value,
                options=", ".join(accepted),
            )
        return member

    def day(self, field: str, *, required: bool, today: date) -> date | None:
        value = self.raw.get(field)
        parsed: date | None = None
        if isinstance(value, str) and value.strip():
            parsed = _parse_date(value.strip())
            if parsed is None:
                self.problem(
                    field,
                    "invalid_date",
                    N_("“{value}” is not a date (YYYY-MM-DD)"),
                    value=value,
                )
                return None
        elif isinstance(value, datetime):
            parsed = value.date()
        elif isinstance(value, date):
            parsed = value
        elif value is not None and value != "":
            self.problem(
                field, "not_date", N_("must be a date, got {type}"), type=type(value).__name__
            )
            return None
        if parsed is None:
            if required:
                self.problem(field, "required", REQUIRED)
            return None
        if parsed > today:
            self.problem(
                field, "future", AFTER_TODAY, day=parsed.isoformat(), today=today.isoformat()
            )
            return None
        return parsed

    def count(self, field: str) -> int | None:
        value = self.raw.get(field)
        if value is None or value == "":
            self.problem(field, "required", REQUIRED)
            return None
        number = _whole_number(value)
        if number is None:
            self.problem(
                field,
                "not_whole_number",
                N_("“{value}” is not a whole number"),
                value=str(value),
            )
            return None
        if number < 0:
            self.problem(field, "negative", N_("{number} is negative"), number=number)
            return None
        return number


def _whole_number(value: object) -> int | None:
    if isinstance(value, str):
        return int(value) if _WHOLE.fullmatch(value) else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _parse_date(text: str) -> date | None:
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _consistency(
    *,
    certification_status: CertificationStatus | None,
    certified_on: date | None,
    registered_on: date | None,
    status: OfficerStatus | None,
    left_on: date | None,
) -> list[Finding]:
    findings: list[Finding] = []

    def add(field: str, code: str, message: str) -> None:
        findings.append(Finding(rule=REG, code=code, message=message, field=field))

    if certification_status is CertificationStatus.CERTIFIED and certified_on is None:
        add("certified_on", "certified_on_required", N_("certified needs a date"))
    if certification_status is CertificationStatus.REGISTERED and certified_on is not None:
        add("certified_on", "certified_on_not_certified", N_("date given but not certified"))
    if registered_on is not None and certified_on is not None and certified_on < registered_on:
        add("certified_on", "certified_before_registered", N_("certified before registered_on"))
    if status is OfficerStatus.LEFT and left_on is None:
        add("left_on", "left_on_required", N_("status left needs a date"))
    if status is OfficerStatus.ACTIVE and left_on is not None:
        add("left_on", "left_on_still_active", N_("date given but still active"))
    if registered_on is not None and left_on is not None and left_on < registered_on:
        add("left_on", "left_before_registered", N_("left before registered_on"))
    return findings


def _village_in_township(township_code: str | None, village_code: str | None) -> list[Finding]:
    if township_code is None or village_code is None or village_code.startswith(township_code):
        return []
    return [_not_in_township(township_code)]


def _not_in_township(township_code: str) -> Finding:
    return Finding(
        rule=REG,
        code="village_not_in_township",
        message=NOT_IN_TOWNSHIP,
        params={"township": township_code},
        field="village_code",
    )


def place_officer(
    officer: Officer, places: Mapping[str, Place], *, county_code: str | None
) -> tuple[str | None, list[Finding]]:
    """OFF-REG-1: the county an officer's township lies in, or findings when the township or
    the village is unknown, of another level, or (`county_code`, the caller's county) outside it.
    """
    township = places.get(officer.township_code)
    findings: list[Finding] = []
    if township is None or township.level != "township" or township.county_code is None:
        findings.append(
            Finding(
                rule=REG,
                code="unknown_township",
                message=N_("unknown township"),
                field="township_code",
            )
        )
    elif county_code is not None and township.county_code != county_code:
        findings.append(
            Finding(
                rule=REG,
                code="out_of_scope",
                message=N_("outside your county"),
                field="township_code",
            )
        )
    if officer.village_code is not None:
        village = places.get(officer.village_code)
        if village is None or village.level != "village":
            findings.append(
                Finding(
                    rule=REG,
                    code="unknown_village",
                    message=N_("unknown village"),
                    field="village_code",
                )
            )
        elif village.parent_code != officer.township_code:
            findings.append(_not_in_township(officer.township_code))
    if findings or township is None:
        return None, findings
    return township.county_code, findings


def check_officer(officer: Officer, *, today: date) -> RuleResult:
    """OFF-REG-1: the village lies in the township; dates agree with the certification status
    and status, none in the future."""
    findings = _village_in_township(officer.township_code, officer.village_code)
    findings += _consistency(
        certification_status=officer.certification_status,
        certified_on=officer.certified_on,
        registered_on=officer.registered_on,
        status=officer.status,
        left_on=officer.left_on,
    )
    for field in ("certified_on", "registered_on", "left_on"):
        day: date | None = getattr(officer, field)
        if day is not None and day > today:
            findings.append(
                Finding(
                    rule=REG,
                    code="future",
                    message=AFTER_TODAY,
                    params={"day": day.isoformat(), "today": today.isoformat()},
                    field=field,
                )
            )
    return RuleResult(findings=findings)


def parse_officer_row(raw: Mapping[str, object], *, today: date) -> ParsedOfficer:
    """OFF-REG-1: one import row to an officer, listing every bad or inconsistent cell.

    Enumerations accept the code or the Chinese label; the certification status defaults to
    certified when a certification date is given, and the status to active.
    """
    cells = _Cells(raw, REG)
    name = cells.text("name")
    if name is not None and len(name) > 50:
        cells.problem("name", "too_long", N_("is longer than {max} characters"), max=50)
        name = None
    mobile = cells.matching(
        "mobile",
        _MOBILE,
        "invalid_mobile",
        N_("“{value}” is not a mobile number (1[3-9] + 9 digits)"),
    )
    township_code = cells.matching(
        "township_code",
        _TOWNSHIP_CODE,
        "invalid_township_code",
        N_("“{value}” is not a township code (9 digits)"),
    )
    village_code = (
        cells.matching(
            "village_code",
            _VILLAGE_CODE,
            "invalid_village_code",
            N_("“{value}” is not a village code (12 digits)"),
        )
        if cells.raw.get("village_code") not in (None, "")
        else None
    )
    source_group = cells.choice("source_group", _SOURCE_GROUPS, required=True)
    account = cells.matching("app_account_id", _APP_ACCOUNT, "invalid_app_account_id", NOT_ACCOUNT)
    certification = cells.choice("certification_status", _CERTIFICATIONS, required=False)
    certified_on = cells.day("certified_on", required=False, today=today)
    registered_on = cells.day("registered_on", required=False, today=today)
    status = cells.choice("status", _STATUSES, required=False)
    left_on = cells.day("left_on", required=False, today=today)
    bad = {f.field for f in cells.findings}
    if certification is None and "certification_status" not in bad:
        certification = (
            CertificationStatus.CERTIFIED
            if certified_on is not None or "certified_on" in bad
            else CertificationStatus.REGISTERED
        )
    if status is None and "status" not in bad:
        status = OfficerStatus.LEFT if left_on is not None else OfficerStatus.ACTIVE
    cells.findings += _village_in_township(township_code, village_code)
    cells.findings += [
        f
        for f in _consistency(
            certification_status=certification,
            certified_on=certified_on,
            registered_on=registered_on,
            status=status,
            left_on=left_on,
        )
        if f.field not in bad
    ]
    result = RuleResult(findings=cells.findings)
    if (
        not result.ok
        or name is None
        or mobile is None
        or township_code is None
        or source_group is None
        or account is None
        or certification is None
        or status is None
    ):
        return ParsedOfficer(officer=None, result=result)
    officer = Officer(
        name=name,
        mobile=mobile,
        township_code=township_code,
        village_code=village_code,
        source_group=source_group,
        app_account_id=account,
        certification_status=certification,
        certified_on=certified_on,
        registered_on=registered_on,
        status=status,
        left_on=left_on,
    )
    return ParsedOfficer(officer=officer, result=result)


def parse_dissemination_row(raw: Mapping[str, object], *, today: date) -> ParsedFigure:
    """OFF-STAT-1: one figures row `{app_account_id, date, channel, shares, reads}`, every problem.

    `today` is the Asia/Shanghai date of the import: a figure for a later day is refused.
    """
    cells = _Cells(raw, STAT)
    account = cells.matching("app_account_id", _APP_ACCOUNT, "invalid_app_account_id", NOT_ACCOUNT)
    day = cells.day("date", required=True, today=today)
    channel = cells.choice("channel", _CHANNELS, required=True)
    shares = cells.count("shares")
    reads = cells.count("reads")
    if (
        cells.findings
        or account is None
        or day is None
        or channel is None
        or shares is None
        or reads is None
    ):
        return ParsedFigure(figure=None, findings=cells.findings)
    figure = Dissemination(
        app_account_id=account, day=day, channel=channel, shares=shares, reads=reads
    )
    return ParsedFigure(figure=figure, findings=[])


#: A row that parsed: its index in the request, account, day, channel code, shares and reads.
FigureRow = tuple[int, str, date, str, int, int]


@dataclass(frozen=True, slots=True)
class ParsedFigures:
    """OFF-STAT-1: the rows of one figures import, checked.

    `good` holds the rows that parsed, in request order; `findings` every problem of the rows
    that did not; `repeats` the rows among `good` repeating an earlier row's officer, day and
    channel (they are errors too, but still name their account). `total` counts the rows read.
    """

    total: int
    good: list[FigureRow]
    findings: dict[int, list[Finding]]
    repeats: dict[int, Finding]


def _quick_count(value: object) -> int | None:
    """A clean count (a non-negative int, or ASCII digits); None sends the row to the full check."""
    if type(value) is int:
        return value if value >= 0 else None
    if type(value) is str and value.isascii() and value.isdigit():
        return int(value)
    return None


def parse_dissemination_rows(
    rows: Iterable[Mapping[str, object]], *, today: date, limit: int
) -> ParsedFigures:
    """OFF-STAT-1: every row through `parse_dissemination_row`'s rules, and repeated keys marked.

    Clean rows (the app's export: string cells, `YYYY-MM-DD`, a channel code) are accepted by
    a few direct tests; any other row goes through `parse_dissemination_row`, so a bad row's
    problems are exactly that function's. Reads at most `limit + 1` rows: the caller refuses more
    than `limit`.
    """
    good: list[FigureRow] = []
    findings: dict[int, list[Finding]] = {}
    repeats: dict[int, Finding] = {}
    first: dict[tuple[str, date, str], int] = {}
    # One import covers few days: each date string is checked once.
    days: dict[str, date] = {}
    today_text = today.isoformat()
    account_match = _APP_ACCOUNT.fullmatch
    total = 0
    for index, raw in enumerate(rows):
        if index == limit:
            total = limit + 1
            break
        total = index + 1
        account, text, code = raw.get("app_account_id"), raw.get("date"), raw.get("channel")
        shares, reads = _quick_count(raw.get("shares")), _quick_count(raw.get("reads"))
        day = days.get(text) if type(text) is str else None
        if day is None and type(text) is str and len(text) == 10 and text <= today_text:
            day = _parse_date(text)
            if day is not None:
                days[text] = day
        channel = _CHANNEL_CODES.get(code) if type(code) is str else None
        row: tuple[str, date, str, int, int]
        if (
            day is not None
            and channel is not None
            and shares is not None
            and reads is not None
            and type(account) is str
            and account_match(account)
        ):
            row = (account, day, channel, shares, reads)
        else:
            parsed = parse_dissemination_row(raw, today=today)
            if parsed.figure is None:
                findings[index] = parsed.findings
                continue
            f = parsed.figure
            row = (f.app_account_id, f.day, f.channel.value, f.shares, f.reads)
        earlier = first.setdefault(row[:3], index)
        if earlier != index:
            repeats[index] = Finding(
                rule=STAT,
                code="repeated_row",
                message=REPEATS,
                params={"row": earlier + 1},
                field="date",
            )
        good.append((index, *row))
    return ParsedFigures(total=total, good=good, findings=findings, repeats=repeats)


K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def repeated_keys(
    items: Sequence[T | None], key: Callable[[T], K], *, rule: str, field: str
) -> dict[int, Finding]:
    """OFF-REG-1, OFF-STAT-1: a finding for each later row whose key an earlier row already has.

    One request must not say two things about the same officer (or officer, day and channel);
    rows that failed to parse (None) are skipped.
    """
    first: dict[K, int] = {}
    findings: dict[int, Finding] = {}
    for index, item in enumerate(items):
        if item is None:
            continue
        k = key(item)
        if k in first:
            findings[index] = Finding(
                rule=rule,
                code="repeated_row",
                message=REPEATS,
                params={"row": first[k] + 1},
                field=field,
            )
        else:
            first[k] = index
    return findings


def check_training_session(session: TrainingSession, plan: TrainingPlan | None) -> RuleResult:
    """OFF-TRAIN-1: a county session is held in its plan's county and year; city ones have none."""
    findings: list[Finding] = []
    rule = "OFF-TRAIN-1"
    if session.level is OfficerTrainingLevel.CITY_EXCHANGE and plan is not None:
        findings.append(
            Finding(
                rule=rule,
                code="city_exchange_plan",
                message=N_("a city exchange session has no plan"),
                field="training_plan_id",
            )
        )
    if plan is not None and session.held_on.year != plan.year:
        findings.append(
            Finding(
                rule=rule,
                code="outside_plan_year",
                message=N_("outside the plan's year {year}"),
                params={"year": plan.year},
                field="held_on",
            )
        )
    if plan is not None and session.region_code != plan.county_code:
        findings.append(
            Finding(
                rule=rule,
                code="outside_plan_county",
                message=N_("not the plan's county"),
                field="county_code",
            )
        )
    return RuleResult(findings=findings)


def check_attendance(session: TrainingSession, officer_county_code: str) -> RuleResult:
    """OFF-TRAIN-1: a county session trains that county's officers; city sessions any county's."""
    if session.level is OfficerTrainingLevel.COUNTY and officer_county_code != session.region_code:
        return RuleResult(
            findings=[
                Finding(
                    rule="OFF-TRAIN-1",
                    code="officer_of_another_county",
                    message=N_("officer of county {officer_county}, session of {session_county}"),
                    params={
                        "officer_county": officer_county_code,
                        "session_county": session.region_code,
                    },
                    field="officer_id",
                )
            ]
        )
    return RuleResult()


#: OFF-PLAN-1 (decision): the region level each owner kind sits at; None means any level.
PLAN_OWNER_CODE_LENGTH: dict[ActivityPlanOwnerKind, int | None] = {
    ActivityPlanOwnerKind.TOWNSHIP: 9,
    ActivityPlanOwnerKind.VILLAGE: 12,
    ActivityPlanOwnerKind.COMMUNITY: 12,
    ActivityPlanOwnerKind.SCHOOL: None,
    ActivityPlanOwnerKind.BASE: None,
    ActivityPlanOwnerKind.E_STATION: None,
}
#: OFF-PLAN-1: what a plan whose region is of another level is told, by owner kind.
PLAN_REGION_MESSAGES: dict[ActivityPlanOwnerKind, str] = {
    ActivityPlanOwnerKind.TOWNSHIP: N_("a township's plan needs a {length}-digit township code"),
    ActivityPlanOwnerKind.VILLAGE: N_("a village's plan needs a {length}-digit village code"),
    ActivityPlanOwnerKind.COMMUNITY: N_(
        "a community's plan needs the {length}-digit code of its village (community)"
    ),
}


def check_activity_plan_region(owner_kind: ActivityPlanOwnerKind, region_code: str) -> RuleResult:
    """OFF-PLAN-1: a township's plan names a township, a village's or community's a village."""
    length = PLAN_OWNER_CODE_LENGTH[owner_kind]
    if length is not None and len(region_code) != length:
        return RuleResult(
            findings=[
                Finding(
                    rule="OFF-PLAN-1",
                    code="region_level",
                    message=PLAN_REGION_MESSAGES.get(
                        owner_kind, N_("the plan needs a {length}-digit region code")
                    ),
                    params={"length": length},
                    field="region_code",
                )
            ]
        )
    return RuleResult()


#: OFF-CASE-1 (decision): the city's handling moves forward only; featuring ends it.
CASE_TRANSITIONS: dict[OfficerCaseStatus, frozenset[OfficerCaseStatus]] = {
    OfficerCaseStatus.SUBMITTED: frozenset(
        {OfficerCaseStatus.READ, OfficerCaseStatus.REPLIED, OfficerCaseStatus.FEATURED}
    ),
    OfficerCaseStatus.READ: frozenset({OfficerCaseStatus.REPLIED, OfficerCaseStatus.FEATURED}),
    OfficerCaseStatus.REPLIED: frozenset({OfficerCaseStatus.FEATURED}),
    OfficerCaseStatus.FEATURED: frozenset(),
}


def check_case_transition(
    kind: OfficerCaseKind, current: OfficerCaseStatus, target: OfficerCaseStatus, reply: str | None
) -> RuleResult:
    """OFF-CASE-1: read, reply or feature a report; only typical cases are featured (Art. 10)."""
    rule = "OFF-CASE-1"
    findings: list[Finding] = []
    if target not in CASE_TRANSITIONS[current]:
        findings.append(
            Finding(
                rule=rule,
                code="transition_not_allowed",
                message=N_("cannot go from {current} to {target}"),
                params={"current": current.value, "target": target.value},
                field="status",
            )
        )
    if target is OfficerCaseStatus.FEATURED and kind is not OfficerCaseKind.TYPICAL_CASE:
        findings.append(
            Finding(
                rule=rule,
                code="not_typical_case",
                message=N_("only a typical case can be featured"),
                field="status",
            )
        )
    if target is OfficerCaseStatus.REPLIED and not (reply and reply.strip()):
        findings.append(
            Finding(
                rule=rule,
                code="reply_required",
                message=N_("a reply needs text"),
                field="reply",
            )
        )
    return RuleResult(findings=findings)


def build_ledger(
    *,
    officers: Sequence[LedgerOfficer],
    trainings: Sequence[LedgerTraining],
    monthly: Sequence[Metrics],
    officer_months: Sequence[OfficerMonth],
) -> list[LedgerSheet]:
    """OFF-LEDGER-1: the county ledger — roster, training, attendance, figures by month.

    Mobile numbers are masked (the file leaves the system); rates are fractions for a % format.
    """
    roster = [
        (
            n,
            o.officer.name,
            mask(PersonalKind.PHONE, o.officer.mobile),
            o.township_name,
            o.village_name,
            o.officer.source_group.label,
            o.officer.app_account_id,
            CERTIFICATION_LABELS[o.officer.certification_status],
            o.officer.certified_on,
            OFFICER_STATUS_LABELS[o.officer.status],
            o.officer.left_on,
        )
        for n, o in enumerate(officers, start=1)
    ]
    sessions = sorted(trainings, key=lambda t: (t.session.held_on, t.session.title))
    training = [
        (
            n,
            t.session.held_on,
            t.session.title,
            TRAINING_LEVEL_LABELS[t.session.level],
            t.session.location,
            t.session.hours,
            len(t.attendees),
        )
        for n, t in enumerate(sessions, start=1)
    ]
    attendance = [
        (n, t.session.held_on, t.session.title, name, account)
        for n, (t, (name, account)) in enumerate(
            ((t, a) for t in sessions for a in t.attendees), start=1
        )
    ]
    by_month = [
        (
            m.key,
            m.registered,
            m.certified,
            m.active,
            m.activity_rate,
            m.shares,
            m.reads,
            m.shares_per_active,
        )
        for m in monthly
    ]
    months: dict[str, dict[int, OfficerMonth]] = defaultdict(dict)
    for om in officer_months:
        months[om.officer_id][om.month] = om
    per_officer = []
    for n, o in enumerate(officers, start=1):
        own = months[o.officer_id]
        per_officer.append(
            (
                n,
                o.officer.name,
                o.officer.app_account_id,
                o.township_name,
                *(own[m].shares if m in own else 0 for m in range(1, 13)),
                sum(om.shares for om in own.values()),
                sum(om.reads for om in own.values()),
            )
        )
    return [
        ROSTER_SHEET.model_copy(update={"rows": roster}),
        TRAINING_SHEET.model_copy(update={"rows": training}),
        ATTENDANCE_SHEET.model_copy(update={"rows": attendance}),
        MONTHLY_SHEET.model_copy(update={"rows": by_month}),
        OFFICER_MONTHLY_SHEET.model_copy(update={"rows": per_officer}),
    ]
