"""The three exports county staff ask for (issue 15): the columns of each sheet, the labels its
cells show, and the figures that are computed rather than counted (VOL-ORG-4, VOL-HONOUR-1,
VOL-HOURS-1, BASE-OPEN-1..3, BASE-ACT-1, BASE-THEME-1, BASE-REPORT-1, BASE-EVENT-1,
BASE-LIAISON-1).

Every header and label is an English template marked with `N_`; the shell renders it in the
caller's language. Nothing here reads the database or the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, Protocol

from app.domain.bases import BaseCategory, BaseStatus, OpeningClass
from app.domain.common import SHANGHAI, local_date, local_midnight
from app.domain.messages import N_
from app.domain.volunteers import (
    OrgLevel,
    ServiceRecord,
    ServiceRecordSource,
    ServiceScope,
    VolunteerPolicy,
)
from app.rules.bases_compliance import Compliance, ComplianceItem, ComplianceStatus
from app.rules.volunteers_hours import hours_from_seconds, record_seconds, star_level
from app.rules.volunteers_org import check_size

#: The star levels of VOL-HONOUR-1 that have a column of their own (a volunteer without a star
#: is in none).
STARS = (1, 2, 3, 4, 5)


def year_span(year: int) -> tuple[datetime, datetime]:
    """The instants of a calendar year in Asia/Shanghai, `[1 January, next 1 January)`: a
    record, an activity or a step belongs to the year of its local start."""
    start = datetime.combine(date(year, 1, 1), time(), tzinfo=SHANGHAI)
    return start, datetime.combine(date(year + 1, 1, 1), time(), tzinfo=SHANGHAI)


def day_span(
    starts_on: date | None, ends_on: date | None
) -> tuple[datetime | None, datetime | None]:
    """The instants of the days `starts_on` to `ends_on`, both included, in Asia/Shanghai, as a
    half-open range; an open end stays open."""
    start = None if starts_on is None else local_midnight(starts_on)
    end = None if ends_on is None else local_midnight(ends_on, after=1)
    return start, end


# --- labels shown in cells -------------------------------------------------------------------

ORG_LEVEL_NAMES: dict[OrgLevel, str] = {
    OrgLevel.REGION_CORPS: N_("region corps"),
    OrgLevel.CITY_TEAM: N_("city team"),
    OrgLevel.COUNTY_TEAM: N_("county team"),
    OrgLevel.TOWNSHIP_SUBTEAM: N_("township sub-team"),
    OrgLevel.SOCIETY_TEAM: N_("society team"),
    OrgLevel.SOCIETY_SUBTEAM: N_("society sub-team"),
    OrgLevel.UNIVERSITY_TEAM: N_("university team"),
    OrgLevel.UNIVERSITY_SUBTEAM: N_("university sub-team"),
    OrgLevel.ENTERPRISE_TEAM: N_("enterprise or park team"),
}
COMPLIANCE_STATUS_NAMES: dict[ComplianceStatus, str] = {
    ComplianceStatus.MET: N_("met"),
    ComplianceStatus.UNMET: N_("not met"),
    ComplianceStatus.AT_RISK: N_("at risk"),
    ComplianceStatus.PENDING: N_("in progress"),
    ComplianceStatus.ADVISORY: N_("advisory"),
}
SOURCE_NAMES: dict[ServiceRecordSource, str] = {
    ServiceRecordSource.STAFF: N_("entered by staff"),
    ServiceRecordSource.ATTENDANCE: N_("check-in and check-out"),
    ServiceRecordSource.DECLARATION: N_("declared by the volunteer"),
}
CATEGORY_NAMES: dict[BaseCategory, str] = {
    BaseCategory.VENUE: N_("science venues"),
    BaseCategory.NATURAL: N_("natural resources"),
    BaseCategory.RESEARCH: N_("education and research"),
    BaseCategory.AGRI: N_("agriculture, rural areas and farmers"),
    BaseCategory.PRODUCTION: N_("production facilities"),
    BaseCategory.OTHER: N_("other category"),
}
OPENING_CLASS_NAMES: dict[OpeningClass, str] = {
    OpeningClass.PUBLIC: N_("public venue class"),
    OpeningClass.INSTITUTION: N_("institution class"),
    OpeningClass.UNDETERMINED: N_("class undetermined"),
}
BASE_STATUS_NAMES: dict[BaseStatus, str] = {
    BaseStatus.ACCREDITED: N_("accredited"),
    BaseStatus.LAPSED: N_("lapsed"),
    BaseStatus.REVOKED: N_("revoked"),
}
#: Every enumeration a cell may show, with the template of each value.
_LABELS: dict[type[StrEnum], Mapping[Any, str]] = {
    OrgLevel: ORG_LEVEL_NAMES,
    ComplianceStatus: COMPLIANCE_STATUS_NAMES,
    ServiceRecordSource: SOURCE_NAMES,
    BaseCategory: CATEGORY_NAMES,
    OpeningClass: OPENING_CLASS_NAMES,
    BaseStatus: BASE_STATUS_NAMES,
}


def label(value: StrEnum) -> str:
    """The template a cell shows for an enumeration value (its code when it has none)."""
    return known_label(value) or value.value


def known_label(value: StrEnum) -> str | None:
    """The template of an enumeration value's label, None when it has none."""
    return _LABELS.get(type(value), {}).get(value)


CITY_LEVEL = N_("city level")
WHOLE_CITY = N_("the whole city")
SUBTOTAL = N_("Subtotal")
TOTAL = N_("Total")
RECORDS_TOTAL = N_("Total: {count} records")
UNDERSIZED = N_("under {minimum} members")

# --- 1. volunteer service by county, organisation and year -----------------------------------

VOLUNTEER_SERVICE_TITLE = N_("Volunteer service")
VOLUNTEER_SERVICE_HEADING = N_("{scope} volunteer service report {year}")
SCOPE_HEADERS: dict[ServiceScope, str] = {
    ServiceScope.GRASSROOTS: N_("Scope 1: grassroots outreach"),
    ServiceScope.INNOVATION_RURAL: N_("Scope 2: innovation and rural revitalisation"),
    ServiceScope.VENUES_BASES: N_("Scope 3: venues and bases"),
    ServiceScope.MAJOR_EVENTS: N_("Scope 4: major events"),
    ServiceScope.FACILITIES_MASS_ACTIVITIES: N_("Scope 5: facilities and mass activities"),
    ServiceScope.VULNERABLE_GROUPS: N_("Scope 6: the elderly, minors and people in need"),
    ServiceScope.INTERNET: N_("Scope 7: internet services"),
    ServiceScope.OTHER: N_("Scope 8: other services"),
}
STAR_HEADERS: dict[int, str] = {
    1: N_("1-star volunteers"),
    2: N_("2-star volunteers"),
    3: N_("3-star volunteers"),
    4: N_("4-star volunteers"),
    5: N_("5-star volunteers"),
}
VOLUNTEER_SERVICE_HEADERS: tuple[str, ...] = (
    N_("County"),
    N_("Organisation name"),
    N_("Organisation level"),
    N_("Teams"),
    N_("County teams under the usual size (VOL-ORG-4)"),
    N_("Registered volunteers"),
    N_("Active volunteers"),
    N_("New volunteers"),
    N_("Exited volunteers"),
    N_("Activities held"),
    *SCOPE_HEADERS.values(),
    N_("Major projects"),
    N_("Confirmed hours"),
    *STAR_HEADERS.values(),
    N_("Certificates issued"),
)


@dataclass
class ServiceFigures:
    """What a set of organisations did in a year, figures that add up across organisations:
    teams, undersized county teams (VOL-ORG-4), activities per scope category (VOL-SCOPE-1) and
    major projects, confirmed seconds (VOL-HOURS-1) and valid certificates issued (VOL-DUTY-4)."""

    teams: int = 0
    undersized: int = 0
    activities: dict[ServiceScope, int] = field(default_factory=dict)
    major_projects: int = 0
    seconds: int = 0
    certificates: int = 0

    def add(self, other: ServiceFigures) -> None:
        """Add another set's figures to these (a subtotal)."""
        self.teams += other.teams
        self.undersized += other.undersized
        for scope, n in other.activities.items():
            self.activities[scope] = self.activities.get(scope, 0) + n
        self.major_projects += other.major_projects
        self.seconds += other.seconds
        self.certificates += other.certificates


@dataclass(frozen=True)
class PeopleFigures:
    """The distinct volunteers of a set of organisations in a year; a volunteer of two of its
    organisations counts once. `stars` counts the registered volunteers at each star level."""

    registered: int = 0
    active: int = 0
    new: int = 0
    exited: int = 0
    stars: Mapping[int, int] = field(default_factory=dict)


def undersized(level: OrgLevel, members: int, policy: VolunteerPolicy) -> bool:
    """VOL-ORG-4: whether a team of this level and size is a county team under the usual size."""
    return any(f.rule == "VOL-ORG-4" for f in check_size(level, members, policy).findings)


class Serving(Protocol):
    """A membership serving at the end of the year, with the county of its organisation."""

    @property
    def volunteer_id(self) -> str: ...

    @property
    def organization_id(self) -> str: ...

    @property
    def county_code(self) -> str | None: ...


@dataclass
class StarTally:
    """VOL-HONOUR-1: how many volunteers stand at each star level, per organisation, per county
    and in all; a volunteer of two organisations of a county counts once in the county."""

    by_org: dict[str, dict[int, int]] = field(default_factory=dict)
    by_county: dict[str | None, dict[int, int]] = field(default_factory=dict)
    total: dict[int, int] = field(default_factory=dict)


def _count(levels: dict[int, int], stars: int) -> None:
    levels[stars] = levels.get(stars, 0) + 1


def tally_stars(
    memberships: Iterable[Serving], records: Iterable[ServiceRecord], policy: VolunteerPolicy
) -> StarTally:
    """VOL-HONOUR-1: the star level of each serving volunteer by all its confirmed records
    (`star_level` of their hours), tallied per organisation, county and in all.

    Both come sorted by volunteer id, and are merged as they come: only one volunteer's
    memberships and total are held at a time, whatever the number of volunteers."""
    tally = StarTally()
    pending = iter(records)
    record = next(pending, None)
    group: list[Serving] = []

    def close() -> None:
        nonlocal record
        volunteer = group[0].volunteer_id
        while record is not None and record.volunteer_id < volunteer:
            record = next(pending, None)
        seconds = 0
        while record is not None and record.volunteer_id == volunteer:
            seconds += record_seconds(record)
            record = next(pending, None)
        stars = star_level(hours_from_seconds(seconds), policy)
        if not stars:
            return
        for membership in group:
            _count(tally.by_org.setdefault(membership.organization_id, {}), stars)
        for county in {m.county_code for m in group}:
            _count(tally.by_county.setdefault(county, {}), stars)
        _count(tally.total, stars)

    for membership in memberships:
        if group and membership.volunteer_id != group[0].volunteer_id:
            close()
            group = []
        group.append(membership)
    if group:
        close()
    return tally


def seconds_by_key(records: Iterable[tuple[str, ServiceRecord]]) -> dict[str, int]:
    """VOL-HOURS-1: the seconds of the records under each key (summed in seconds, rounded only
    when shown, so a total is never the sum of rounded parts)."""
    out: dict[str, int] = {}
    for key, record in records:
        out[key] = out.get(key, 0) + record_seconds(record)
    return out


# --- 2. base compliance ----------------------------------------------------------------------

BASE_COMPLIANCE_TITLE = N_("Base compliance")
BASE_COMPLIANCE_HEADING = N_("{scope} base compliance {year}")
BASE_COMPLIANCE_HEADERS: tuple[str, ...] = (
    N_("County"),
    N_("Base name"),
    N_("Plaque number"),
    N_("Base category"),
    N_("Opening class"),
    N_("Accredited on"),
    N_("Status today"),
    N_("Months reported"),
    N_("Opening class set (BASE-OPEN-3)"),
    N_("Open days"),
    N_("Open days required"),
    N_("Open days (BASE-OPEN-1/2)"),
    N_("Visitors received"),
    N_("Visitors required"),
    N_("Visitors (BASE-OPEN-1)"),
    N_("Activities counted"),
    N_("Activities required"),
    N_("Activities (BASE-ACT-1)"),
    N_("Work theme"),
    N_("Work theme (BASE-THEME-1)"),
    N_("Report submitted on"),
    N_("Report due on"),
    N_("Days late"),
    N_("Annual report (BASE-REPORT-1)"),
    N_("National events covered"),
    N_("National events (BASE-EVENT-1)"),
    N_("Liaison (BASE-LIAISON-1)"),
    N_("Items not met or at risk"),
)

ComplianceCell = int | str | date | ComplianceStatus | None


def compliance_cells(compliance: Compliance) -> list[ComplianceCell]:
    """Every duty of `assess_year` in its own columns, in the order of the headers from
    `Opening class set` on: a duty the base does not have (visitors of an institution, the class
    of a base that has one) is left empty."""
    items: dict[str, ComplianceItem] = {i.measure: i for i in compliance.items}

    def status(measure: str) -> ComplianceStatus | None:
        item = items.get(measure)
        return None if item is None else item.status

    def value(measure: str, name: str) -> int | str | None:
        item = items.get(measure)
        return None if item is None else getattr(item, name)

    report = items.get("report")
    submitted = None if report is None or report.actual is None else str(report.actual)
    due = None if report is None or report.required is None else str(report.required)
    failing = (ComplianceStatus.UNMET, ComplianceStatus.AT_RISK)
    return [
        status("opening_class"),
        value("open_days", "actual"),
        value("open_days", "required"),
        status("open_days"),
        value("visitors", "actual"),
        value("visitors", "required"),
        status("visitors"),
        value("activities", "actual"),
        value("activities", "required"),
        status("activities"),
        value("theme", "actual"),
        status("theme"),
        date.fromisoformat(submitted) if submitted else None,
        date.fromisoformat(due) if due else None,
        None if report is None else report.days_late,
        status("report"),
        value("national_events", "actual"),
        status("national_events"),
        status("liaison"),
        sum(1 for i in compliance.items if i.status in failing),
    ]


# --- 3. the hours sheet of a team ------------------------------------------------------------

SERVICE_HOURS_TITLE = N_("Service hours")
SERVICE_HOURS_HEADING = N_("Service hours of {name}")
SERVICE_HOURS_HEADING_BETWEEN = N_("Service hours of {name}, {starts_on} to {ends_on}")
SERVICE_HOURS_HEADING_FROM = N_("Service hours of {name} from {starts_on}")
SERVICE_HOURS_HEADING_UNTIL = N_("Service hours of {name} until {ends_on}")
SERVICE_HOURS_HEADERS: tuple[str, ...] = (
    N_("Volunteer name"),
    N_("ID number"),
    N_("Activity title"),
    N_("Organisation name"),
    N_("Service date"),
    N_("Start time"),
    N_("End time"),
    N_("Hours served"),
    N_("How recorded"),
)


def hours_heading(starts_on: date | None, ends_on: date | None) -> str:
    """The heading template of an hours sheet for the days it covers."""
    if starts_on and ends_on:
        return SERVICE_HOURS_HEADING_BETWEEN
    if starts_on:
        return SERVICE_HOURS_HEADING_FROM
    if ends_on:
        return SERVICE_HOURS_HEADING_UNTIL
    return SERVICE_HOURS_HEADING


def clock_times(record: ServiceRecord) -> tuple[date, str, str]:
    """A record's local date, start and end on the local clock (`HH:MM`); an end on a later day
    carries its date."""
    start = record.starts_at.astimezone(SHANGHAI)
    end = record.ends_at.astimezone(SHANGHAI)
    end_text = (
        end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%Y-%m-%d %H:%M")
    )
    return local_date(record.starts_at), start.strftime("%H:%M"), end_text
