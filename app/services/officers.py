"""The officer register (OFF-REG-1): registration one by one and in bulk, updates, reveals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlmodel import Session

from app.domain.access import Principal
from app.domain.common import Finding
from app.domain.messages import N_
from app.domain.officers import Officer
from app.errors import InvalidInput, RuleViolation
from app.i18n import _
from app.repositories import officers as repo
from app.repositories.regions import RegionLevel, require_region
from app.repositories.reveal import reveal
from app.routers.bulk import BulkMode, BulkResult, RowResult, RowStatus, row_error, summarise
from app.rules.officers import check_officer, parse_officer_row, place_officer, repeated_keys


def _county_scope(principal: Principal) -> str | None:
    return None if principal.city_wide else principal.county_code


def acting_county(principal: Principal, county_code: str | None, *, field: str) -> str:
    """The county a write is for: a county administrator's own (another is a 422 naming the
    field); the city administrator names one."""
    if not principal.city_wide:
        if county_code is not None and county_code != principal.county_code:
            raise InvalidInput.one(field, _("outside your county"), "out_of_scope")
        return principal.county_code or ""
    if county_code is None:
        raise InvalidInput.one(field, _("required for a city administrator"), "required")
    return county_code


def _placed(
    session: Session, principal: Principal, officer: Officer, today: date
) -> repo.Placement:
    """The officer's placement: a 422 naming the field for an unknown township or village or one
    outside the caller's county, and one listing every OFF-REG-1 finding of the record."""
    township = require_region(
        session, officer.township_code, field="township_code", level=RegionLevel.TOWNSHIP
    )
    if officer.village_code is not None:
        require_region(
            session, officer.village_code, field="village_code", level=RegionLevel.VILLAGE
        )
    scope = _county_scope(principal)
    if township.county_code is None or (scope is not None and township.county_code != scope):
        raise InvalidInput.one("township_code", _("outside your county"), "out_of_scope")
    result = check_officer(officer, today=today)
    if not result.ok:
        raise RuleViolation(result.errors)
    return repo.Placement(township.county_code, officer.township_code)


def register_officer(
    *, session: Session, principal: Principal, officer: Officer, today: date
) -> repo.OfficerRow:
    """OFF-REG-1: a county registers one of its officers; the app account id is unique (409)."""
    placement = _placed(session, principal, officer, today)
    return repo.create_officer(session, officer=officer, placement=placement)


def read_officer(
    *, session: Session, principal: Principal, officer_id: str, revealed: bool
) -> repo.OfficerRow:
    """One officer in scope; revealing the mobile number is audited (403 without need to know)."""
    row = repo.get_officer(session, principal, officer_id)
    if revealed:
        reveal(session, principal, row, ["mobile"])
    return row


def update_officer(
    *,
    session: Session,
    principal: Principal,
    row: repo.OfficerRow,
    changes: Mapping[str, Any],
    today: date,
) -> repo.OfficerRow:
    """OFF-REG-1: change fields of a record, which must stay consistent and in scope."""
    officer = Officer.model_validate({**row.to_domain().model_dump(), **changes})
    placement = _placed(session, principal, officer, today)
    repo.update_officer(session, row=row, officer=officer, placement=placement)
    return row


def import_officers(
    *,
    session: Session,
    principal: Principal,
    rows: Sequence[Mapping[str, object]],
    mode: BulkMode,
    include_ok: bool,
    today: date,
) -> BulkResult:
    """OFF-REG-1: rows matched by app account id — created, updated, matched_existing or error."""
    parsed = [parse_officer_row(raw, today=today) for raw in rows]
    officers = [p.officer for p in parsed]
    repeats = repeated_keys(
        officers, lambda o: o.app_account_id, rule="OFF-REG-1", field="app_account_id"
    )
    good = [o for o in officers if o is not None]
    places = repo.places(
        session, {o.township_code for o in good} | {o.village_code for o in good if o.village_code}
    )
    existing = repo.find_by_accounts(session, [o.app_account_id for o in good])
    scope = _county_scope(principal)
    results: list[RowResult] = []
    writes: list[tuple[Officer, repo.Placement, repo.OfficerRow | None]] = []
    for index, (item, officer) in enumerate(zip(parsed, officers, strict=True)):
        findings = list(item.result.findings)
        if index in repeats:
            findings.append(repeats[index])
        if officer is None or findings:
            results.append(row_error(index + 1, findings))
            continue
        county, findings = place_officer(officer, places, county_code=scope)
        current = existing.get(officer.app_account_id)
        if current is not None and scope is not None and current.county_code != scope:
            findings.append(
                Finding(
                    rule="OFF-REG-1",
                    code="account_of_another_county",
                    message=N_("registered to an officer outside your county"),
                    field="app_account_id",
                )
            )
        if findings or county is None:
            results.append(row_error(index + 1, findings))
            continue
        placement = repo.Placement(county, officer.township_code)
        if current is None:
            status = RowStatus.CREATED
        elif current.to_domain() == officer and current.county_code == county:
            status = RowStatus.MATCHED_EXISTING
        else:
            status = RowStatus.UPDATED
        results.append(RowResult(row=index + 1, status=status, id=current.id if current else None))
        if status is not RowStatus.MATCHED_EXISTING:
            writes.append((officer, placement, current))
    summary = summarise(mode, results, include_ok=include_ok)
    created = iter(
        repo.create_officers(session, [(o, p) for o, p, current in writes if current is None])
    )
    for officer, placement, current in writes:
        if current is not None:
            repo.update_officer(session, row=current, officer=officer, placement=placement)
    for result in results:
        if result.status is RowStatus.CREATED:
            result.id = next(created).id
    return summary
