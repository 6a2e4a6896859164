"""The county statistics ledger of officers (OFF-LEDGER-1)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col

from app.domain.access import Principal
from app.domain.officers import (
    GroupBy,
    LedgerOfficer,
    LedgerSheet,
    LedgerTraining,
    OfficerMonth,
    Period,
)
from app.i18n import _
from app.repositories import officers as officers_repo
from app.repositories import officers_figures as figures_repo
from app.repositories import officers_training as training_repo
from app.repositories.regions import RegionLevel, require_region
from app.rules.officers import build_ledger


@dataclass(frozen=True)
class Ledger:
    """OFF-LEDGER-1: a county's ledger for a year: its title (in the caller's language) and its
    sheets, in print order."""

    title: str
    sheets: list[LedgerSheet]


def county_ledger(*, session: Session, principal: Principal, county_code: str, year: int) -> Ledger:
    """OFF-LEDGER-1: the county's sheets for the year, from the register, training and figures;
    404 for another county, 422 for a code that is not a county."""
    officers_repo.check_region_in_scope(session, principal, county_code)
    county = require_region(
        session, county_code, field="query.county_code", level=RegionLevel.COUNTY
    )
    period = Period.year(year)
    population = col(officers_repo.OfficerRow.county_code) == county.id
    officers = officers_repo.on_register(session, population=population, period=period)
    names = officers_repo.region_names(
        session, {o.township_code for o in officers} | {o.region_code for o in officers}
    )
    sessions = training_repo.year_sessions(session, county_code=county.id, year=year)
    present = training_repo.attendees(session, principal, session_ids=[s.id for s in sessions])
    sheets = build_ledger(
        officers=[
            LedgerOfficer(
                officer_id=o.id,
                officer=o.to_domain(),
                township_name=names.get(o.township_code, o.township_code),
                village_name=names.get(o.village_code, "") if o.village_code else "",
            )
            for o in officers
        ],
        trainings=[
            LedgerTraining(
                session=s.to_domain(),
                attendees=[
                    (o.name, o.app_account_id) for o in present[s.id] if o.county_code == county.id
                ],
            )
            for s in sessions
        ],
        monthly=figures_repo.measure_groups(
            session, population=population, period=period, group_by=GroupBy.MONTH
        ),
        officer_months=[
            OfficerMonth(officer_id=oid, month=month, shares=shares, reads=reads)
            for oid, month, shares, reads in figures_repo.month_totals(
                session, population=population, year=year
            )
        ],
    )
    title = _(
        "{county} information officer statistics ledger {year}", county=county.name, year=year
    )
    return Ledger(title=title, sheets=sheets)
