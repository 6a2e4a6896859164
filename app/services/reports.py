"""The exports county staff ask for (issue 15): the volunteer service of a year, the yearly
compliance of every accredited base, and the hours sheet of a team.

Each function checks what it is asked for (year, county, organisation, activity) in the
caller's scope at once, so that a refusal is an ordinary problem answer, and returns an
`Export` whose rows are read lazily, batch by batch, while the file is written in the same
unit of work (app/spreadsheets.py). Layouts and decisions: docs/reports.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement
from sqlmodel import Session

from app.domain.access import Principal, Role
from app.domain.bases import BaseCategory
from app.domain.personal import mask_id_number
from app.domain.volunteers import OrgLevel, ServiceScope, VolunteerPolicy
from app.errors import InvalidInput, NotFound
from app.i18n import _
from app.repositories import bases as bases_repo
from app.repositories import reports as repo
from app.repositories import volunteers as volunteer_repo
from app.repositories import volunteers_activities as activities
from app.repositories import volunteers_orgs as orgs
from app.repositories.bases import BaseRow, YearRecords
from app.repositories.bases_policies import policy_for_year
from app.repositories.regions import Region, RegionLevel, require_region
from app.repositories.volunteers_orgs import OrganizationRow
from app.rules import reports as rules
from app.rules.bases_compliance import assess_year
from app.rules.reports import PeopleFigures, ServiceFigures, label
from app.rules.volunteers_hours import hours_from_seconds, record_seconds
from app.services.bases import status_of
from app.spreadsheets import Cell, Export, Sheet, text


def _check_year(year: int, today: date) -> None:
    if year > today.year:
        raise InvalidInput.one("query.year", _("{year} has not begun", year=year), "future")


def _county(session: Session, principal: Principal, county_code: str | None) -> Region | None:
    """The county a query names: 404 for one outside a county administrator's county, as for a
    code that names no county."""
    if county_code is None:
        return None
    if principal.role is Role.COUNTY_ADMIN and county_code != principal.county_code:
        message = _("unknown region {code}", code=county_code)
        raise NotFound.field("query.county_code", message, "unknown_region")
    return require_region(session, county_code, field="query.county_code", level=RegionLevel.COUNTY)


def _organization(session: Session, principal: Principal, organization_id: str) -> OrganizationRow:
    """An organisation the caller reports on (city-wide roles any), else 404 naming the field."""
    try:
        if principal.city_wide:
            return orgs.get_org(session, organization_id)
        return orgs.get_managed_org(session, principal, organization_id)
    except NotFound as missing:
        raise NotFound.field("query.organization_id", missing.detail or "") from None


def _cell(value: rules.ComplianceCell) -> Cell:
    if isinstance(value, StrEnum):
        return text(label(value))
    return value


# --- 1. volunteer service ----------------------------------------------------------------------


def volunteer_service(
    *,
    session: Session,
    principal: Principal,
    year: int,
    county_code: str | None,
    organization_id: str | None,
    today: date,
) -> Export:
    """VOL-ORG-4, VOL-SCOPE-1, VOL-HOURS-1, VOL-HONOUR-1, VOL-DUTY-4, VOL-EXIT-1: one row per
    organisation in scope, a subtotal after each county's (city-level organisations first) and
    the total of all; 422 for a year not begun, 404 for a county or organisation out of scope."""
    _check_year(year, today)
    county = _county(session, principal, county_code)
    org = None if organization_id is None else _organization(session, principal, organization_id)
    where = repo.organizations_where(
        principal,
        county_code=None if county is None else county.id,
        path=None if org is None else org.path,
    )
    policy = volunteer_repo.policy_on(min(date(year, 12, 31), today))
    scope = org.name if org else county.name if county else text(rules.WHOLE_CITY)
    rows = _volunteer_rows(session, where, year=year, policy=policy)
    return Export(
        heading=text(rules.VOLUNTEER_SERVICE_HEADING, scope=scope, year=year),
        sheets=[Sheet.of(rules.VOLUNTEER_SERVICE_TITLE, rules.VOLUNTEER_SERVICE_HEADERS, rows)],
    )


def _volunteer_rows(
    session: Session, where: Sequence[ColumnElement[bool]], *, year: int, policy: VolunteerPolicy
) -> Iterator[list[Cell]]:
    conditions = list(where)
    everyone = repo.ids_in(OrganizationRow, conditions)
    ends_at = rules.year_span(year)[1]
    # One pass over the serving volunteers' records gives every row its stars.
    stars = rules.tally_stars(
        repo.serving_memberships(session, everyone, ends_at),
        repo.serving_records(session, everyone, ends_at),
        policy,
    )
    counties = repo.counties(session, OrganizationRow, conditions)
    names = repo.region_names(session, counties)
    total = ServiceFigures()
    for county in counties:
        place = names.get(county, county) if county else text(rules.CITY_LEVEL)
        subtotal = ServiceFigures()
        for batch in repo.batches(session, OrganizationRow, conditions, county):
            ids = [o.id for o in batch]
            people = _people(session, ids, year=year, by_org=True, stars=stars.by_org)
            done = _service(session, batch, people, year=year, policy=policy)
            for o in batch:
                figures = done[o.id]
                subtotal.add(figures)
                flag = (
                    text(rules.UNDERSIZED, minimum=policy.county_team_min_members)
                    if figures.undersized
                    else None
                )
                level = text(label(OrgLevel(o.level)))
                yield _volunteer_row(place, o.name, level, flag, people[o.id], figures)
        in_county = repo.ids_in(
            OrganizationRow, [*conditions, repo.in_county(OrganizationRow, county)]
        )
        county_stars = {"": stars.by_county.get(county, {})}
        county_people = _people(session, in_county, year=year, by_org=False, stars=county_stars)
        yield _volunteer_row(
            place, text(rules.SUBTOTAL), None, subtotal.undersized, county_people[""], subtotal
        )
        total.add(subtotal)
    all_people = _people(session, everyone, year=year, by_org=False, stars={"": stars.total})
    yield _volunteer_row(text(rules.TOTAL), None, None, total.undersized, all_people[""], total)


def _people(
    session: Session,
    orgs_: repo.Orgs,
    *,
    year: int,
    by_org: bool,
    stars: Mapping[str, Mapping[int, int]],
) -> dict[str, PeopleFigures]:
    span = rules.year_span(year)
    registered = repo.registered_counts(session, orgs_, span[1], by_org=by_org)
    active = repo.active_counts(session, orgs_, span, by_org=by_org)
    new = repo.new_counts(session, orgs_, span, by_org=by_org)
    exited = repo.exited_counts(session, orgs_, span, by_org=by_org)
    keys: Iterable[str] = orgs_ if by_org and isinstance(orgs_, list) else [""]
    return {
        k: PeopleFigures(
            registered=registered.get(k, 0),
            active=active.get(k, 0),
            new=new.get(k, 0),
            exited=exited.get(k, 0),
            stars=stars.get(k, {}),
        )
        for k in keys
    }


def _service(
    session: Session,
    batch: Sequence[OrganizationRow],
    people: dict[str, PeopleFigures],
    *,
    year: int,
    policy: VolunteerPolicy,
) -> dict[str, ServiceFigures]:
    span = rules.year_span(year)
    ids = [o.id for o in batch]
    seconds = rules.seconds_by_key(repo.confirmed_records(session, ids, span))
    certificates = repo.certificate_counts(session, ids, year)
    out = {
        o.id: ServiceFigures(
            teams=1,
            undersized=int(rules.undersized(OrgLevel(o.level), people[o.id].registered, policy)),
            seconds=seconds.get(o.id, 0),
            certificates=certificates.get(o.id, 0),
        )
        for o in batch
    }
    for count in repo.activity_counts(session, ids, span):
        figures = out[count.organization_id]
        figures.activities[count.scope] = count.activities
        figures.major_projects += count.major_projects
    return out


def _volunteer_row(
    county: str,
    name: str | None,
    level: str | None,
    flag: str | int | None,
    people: PeopleFigures,
    service: ServiceFigures,
) -> list[Cell]:
    return [
        county,
        name,
        level,
        service.teams,
        flag,
        people.registered,
        people.active,
        people.new,
        people.exited,
        sum(service.activities.values()),
        *(service.activities.get(scope, 0) for scope in ServiceScope),
        service.major_projects,
        hours_from_seconds(service.seconds),
        *(people.stars.get(stars, 0) for stars in rules.STARS),
        service.certificates,
    ]


# --- 2. base compliance ------------------------------------------------------------------------


def base_compliance(
    *,
    session: Session,
    principal: Principal,
    year: int,
    county_code: str | None,
    today: date,
) -> Export:
    """BASE-OPEN-1..4, BASE-ACT-1, BASE-THEME-1, BASE-REPORT-1, BASE-EVENT-1, BASE-LIAISON-1:
    one row per base in scope accredited during the year (the dashboard's bases), one column per
    duty of `assess_year` and its status; 422 for a year not begun, 404 for a county out of
    scope."""
    _check_year(year, today)
    county = _county(session, principal, county_code)
    where = repo.bases_where(
        principal, year=year, county_code=None if county is None else county.id
    )
    scope = county.name if county else text(rules.WHOLE_CITY)
    rows = _base_rows(session, where, year=year, today=today)
    return Export(
        heading=text(rules.BASE_COMPLIANCE_HEADING, scope=scope, year=year),
        sheets=[Sheet.of(rules.BASE_COMPLIANCE_TITLE, rules.BASE_COMPLIANCE_HEADERS, rows)],
    )


def _base_rows(
    session: Session, where: Sequence[ColumnElement[bool]], *, year: int, today: date
) -> Iterator[list[Cell]]:
    conditions = list(where)
    policy = policy_for_year(session, year)
    counties = repo.counties(session, BaseRow, conditions)
    names = repo.region_names(session, counties)
    empty = YearRecords()
    for county in counties:
        place = names.get(county, county) if county else text(rules.CITY_LEVEL)
        for batch in repo.batches(session, BaseRow, conditions, county):
            records = bases_repo.records_for(session, [b.id for b in batch], [year])
            for base in batch:
                status = status_of(base, today)
                r = records.get((base.id, year), empty)
                compliance = assess_year(
                    base.to_domain(status), year, r.stats, r.activities, r.report, policy, today
                )
                yield [
                    place,
                    base.name,
                    base.plaque_number,
                    text(label(BaseCategory(base.category))),
                    text(label(compliance.opening_class)),
                    base.accredited_on,
                    text(label(status)),
                    compliance.months_reported,
                    *(_cell(v) for v in rules.compliance_cells(compliance)),
                ]


# --- 3. the hours sheet ------------------------------------------------------------------------


def service_hours(
    *,
    session: Session,
    principal: Principal,
    activity_id: str | None,
    organization_id: str | None,
    starts_on: date | None,
    ends_on: date | None,
) -> Export:
    """VOL-HOURS-1, VOL-DUTY-1: the confirmed records of one activity, or of an organisation and
    its sub-organisations, between two days (both included, either open), one row each with the
    volunteer's name and masked ID number, and a total row; 422 unless exactly one of the two is
    named or when the days are reversed, 404 for one out of scope (403 for another
    organisation's activity, which every signed-in caller can see)."""
    if (activity_id is None) == (organization_id is None):
        message = _("give the activity_id or the organization_id, one of them")
        raise InvalidInput.one("query.activity_id", message, "one_of")
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        raise InvalidInput.one("query.ends_on", _("ends before it starts"), "order")
    path: str | None = None
    if activity_id is not None:
        try:
            activity = (
                activities.get_activity(session, activity_id)
                if principal.city_wide
                else activities.get_managed_activity(session, principal, activity_id)
            )
        except NotFound as missing:
            raise NotFound.field("query.activity_id", missing.detail or "") from None
        name = activity.title
    else:
        org = _organization(session, principal, organization_id or "")
        name, path = org.name, org.path
    starts_at, ends_at = rules.day_span(starts_on, ends_on)
    lines = repo.hours_lines(
        session,
        principal,
        activity_id=activity_id,
        path=path,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    heading = text(
        rules.hours_heading(starts_on, ends_on),
        name=name,
        starts_on=starts_on.isoformat() if starts_on else "",
        ends_on=ends_on.isoformat() if ends_on else "",
    )
    return Export(
        heading=heading,
        sheets=[
            Sheet.of(rules.SERVICE_HOURS_TITLE, rules.SERVICE_HOURS_HEADERS, _hours_rows(lines))
        ],
    )


def _hours_rows(lines: Iterable[repo.HoursLine]) -> Iterator[list[Cell]]:
    count = 0
    seconds = 0
    for line in lines:
        served = record_seconds(line.record)
        day, start, end = rules.clock_times(line.record)
        yield [
            line.volunteer_name,
            mask_id_number(line.id_number),
            line.activity_title,
            line.organization_name,
            day,
            start,
            end,
            hours_from_seconds(served),
            text(label(line.source)),
        ]
        count += 1
        seconds += served
    total = text(rules.RECORDS_TOTAL, count=count)
    yield [total, None, None, None, None, None, None, hours_from_seconds(seconds), None]
