"""Information officers (OFF-REG-1): the register, matched by 科普中国 app account id.

The mobile number is personal data: encrypted at rest, matched through `mobile_hash`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Field, Session, col, select

from app.domain.access import Principal
from app.domain.officers import (
    CertificationStatus,
    Officer,
    OfficerFact,
    OfficerStatus,
    Period,
    Place,
    SourceGroup,
)
from app.errors import Conflict, NotFound
from app.i18n import _
from app.ids import new_id
from app.repositories.base import PageRequest, PageResult, Searchable, name_matches, save
from app.repositories.regions import Region, RegionLevel
from app.repositories.scope import get_in_scope, list_in_scope
from app.repositories.types import Encrypted, utcnow
from app.security import personal

#: The officer fields a row stores as they are in the domain model.
OFFICER_FIELDS = (
    "name",
    "mobile",
    "source_group",
    "app_account_id",
    "certification_status",
    "certified_on",
    "registered_on",
    "status",
    "left_on",
)


class OfficerRow(Searchable, table=True):
    """OFF-REG-1: one officer; `region_code` is the village, or the township when no village is
    known; county and township are copied from the region tree for scope and grouping, and
    follow the officer when the region changes."""

    __tablename__ = "officers"
    __resource__ = "officer"

    name: str = Field(max_length=50)
    mobile: str = Field(sa_type=Encrypted)
    mobile_hash: str = Field(max_length=64, index=True)
    region_code: str = Field(foreign_key="regions.id", max_length=12, index=True)
    county_code: str = Field(max_length=12, index=True)
    township_code: str = Field(max_length=12, index=True)
    source_group: str = Field(max_length=32, index=True)
    app_account_id: str = Field(max_length=64, unique=True)
    certification_status: str = Field(max_length=16)
    certified_on: date | None = Field(default=None)
    registered_on: date | None = Field(default=None)
    status: str = Field(max_length=16)
    left_on: date | None = Field(default=None)

    def to_domain(self) -> Officer:
        """The officer as the rules take it."""
        return Officer(
            name=self.name,
            mobile=self.mobile,
            township_code=self.township_code,
            village_code=self.village_code,
            source_group=SourceGroup(self.source_group),
            app_account_id=self.app_account_id,
            certification_status=CertificationStatus(self.certification_status),
            certified_on=self.certified_on,
            registered_on=self.registered_on,
            status=OfficerStatus(self.status),
            left_on=self.left_on,
        )

    @property
    def village_code(self) -> str | None:
        """The officer's village, when the record names one."""
        return None if self.region_code == self.township_code else self.region_code

    def to_fact(self) -> OfficerFact:
        """What the metrics need of this officer."""
        return OfficerFact(
            officer_id=self.id,
            county_code=self.county_code,
            township_code=self.township_code,
            certified_on=self.certified_on,
            registered_on=self.registered_on,
            left_on=self.left_on,
        )


@dataclass(frozen=True)
class Placement:
    """Where a region code puts an officer: its county and township."""

    county_code: str
    township_code: str


def places(session: Session, codes: Iterable[str]) -> dict[str, Place]:
    """The level, county and parent of each region code that exists (one query)."""
    wanted = set(codes)
    if not wanted:
        return {}
    rows = session.exec(select(Region).where(col(Region.id).in_(wanted))).all()
    return {
        r.id: Place(level=r.level, county_code=r.county_code, parent_code=r.parent_code)
        for r in rows
    }


def region_clause(session: Session, code: str) -> ColumnElement[bool]:
    """The officers of a region at any level: village, township, county, city or above."""
    region = session.get(Region, code)
    if region is None:
        raise NotFound.field("region_code", _("unknown region {code}", code=code), "unknown_region")
    level = RegionLevel(region.level)
    if level is RegionLevel.VILLAGE:
        return col(OfficerRow.region_code) == code
    if level is RegionLevel.TOWNSHIP:
        return col(OfficerRow.township_code) == code
    if level is RegionLevel.COUNTY:
        return col(OfficerRow.county_code) == code
    counties = select(Region.id).where(Region.level == RegionLevel.COUNTY)
    if level is RegionLevel.CITY:
        counties = counties.where(Region.parent_code == code)
    else:
        cities = select(Region.id).where(Region.parent_code == code)
        counties = counties.where(col(Region.parent_code).in_(cities))
    # The county codes as values, not a subquery: PostgreSQL then estimates the officers a
    # city has (all of them, not a few hundred) and joins their totals by hash, not one by one.
    return col(OfficerRow.county_code).in_(list(session.exec(counties).all()))


def check_region_in_scope(session: Session, principal: Principal, code: str) -> None:
    """404 when a county administrator asks about a region outside its county."""
    if principal.city_wide:
        return
    region = session.get(Region, code)
    if region is None or region.county_code is None or region.county_code != principal.county_code:
        raise NotFound(_("region {code} not found", code=code))


def get_officer(session: Session, principal: Principal, officer_id: str) -> OfficerRow:
    """The officer with this id in the caller's scope, or 404."""
    return get_in_scope(session, principal, OfficerRow, officer_id)


def registered_clause(period: Period) -> ColumnElement[bool]:
    """OFF-STAT-2: on the register on some day of the period."""
    return and_(
        or_(col(OfficerRow.registered_on).is_(None), col(OfficerRow.registered_on) <= period.end),
        or_(col(OfficerRow.left_on).is_(None), col(OfficerRow.left_on) >= period.start),
    )


def certified_clause(period: Period) -> ColumnElement[bool]:
    """OFF-STAT-2: on the register and certified on or before the period's end."""
    return and_(
        registered_clause(period),
        col(OfficerRow.certified_on).is_not(None),
        col(OfficerRow.certified_on) <= period.end,
    )


def list_officers(
    session: Session,
    principal: Principal,
    *,
    page: PageRequest,
    region_code: str | None = None,
    source_group: SourceGroup | None = None,
    certified: bool | None = None,
    status: OfficerStatus | None = None,
    mobile: str | None = None,
    active_ids: ColumnElement[bool] | None = None,
    q: str | None = None,
) -> PageResult[OfficerRow]:
    """Officers in scope, filtered (`q` by name); `active_ids` is a clause from the figures
    repository."""
    where: list[ColumnElement[bool]] = [name_matches(OfficerRow, q)]
    if region_code is not None:
        where.append(region_clause(session, region_code))
    if certified is not None:
        wanted = CertificationStatus.CERTIFIED if certified else CertificationStatus.REGISTERED
        where.append(col(OfficerRow.certification_status) == wanted.value)
    if mobile is not None:
        where.append(col(OfficerRow.mobile_hash) == personal.ring().blind_index(mobile))
    if active_ids is not None:
        where.append(active_ids)
    return list_in_scope(
        session,
        principal,
        OfficerRow,
        page,
        *where,
        equal={"source_group": source_group, "status": status},
    )


def _assign(row: OfficerRow, officer: Officer, placement: Placement) -> bool:
    """Copy the officer onto the row; True when anything changed."""
    changed = False
    for field in OFFICER_FIELDS:
        value = getattr(officer, field)
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed = True
    region_code = officer.village_code or officer.township_code
    if row.region_code != region_code:
        row.region_code = region_code
        changed = True
    if changed:
        row.mobile_hash = personal.ring().blind_index(officer.mobile)
        row.county_code = placement.county_code
        row.township_code = placement.township_code
    return changed


def _new_row(officer: Officer, placement: Placement) -> OfficerRow:
    now = utcnow()
    # Explicit id and timestamps: pydantic's default factories cost more than the row (bulk).
    return OfficerRow(
        id=new_id(),
        created_at=now,
        updated_at=now,
        mobile_hash=personal.ring().blind_index(officer.mobile),
        region_code=officer.village_code or officer.township_code,
        county_code=placement.county_code,
        township_code=placement.township_code,
        **{f: getattr(officer, f) for f in OFFICER_FIELDS},
    )


def create_officer(session: Session, *, officer: Officer, placement: Placement) -> OfficerRow:
    """A new officer; 409 when the app account id is already registered."""
    if find_by_accounts(session, [officer.app_account_id]):
        raise Conflict(
            _("app account {account} is already registered", account=officer.app_account_id)
        )
    row = _new_row(officer, placement)
    return save(session, row)


def create_officers(
    session: Session, officers: Sequence[tuple[Officer, Placement]]
) -> list[OfficerRow]:
    """New officers whose account ids the caller checked are free; rows in the given order."""
    rows = [_new_row(officer, placement) for officer, placement in officers]
    session.add_all(rows)
    session.flush()
    return rows


def update_officer(
    session: Session, *, row: OfficerRow, officer: Officer, placement: Placement
) -> bool:
    """Replace the officer's fields; True when anything changed. 409 on a taken account id."""
    if officer.app_account_id != row.app_account_id:
        taken = find_by_accounts(session, [officer.app_account_id])
        if taken:
            raise Conflict(
                _("app account {account} is already registered", account=officer.app_account_id)
            )
    changed = _assign(row, officer, placement)
    if changed:
        save(session, row)
    return changed


def find_by_accounts(session: Session, accounts: Sequence[str]) -> dict[str, OfficerRow]:
    """Officers by app account id, for any number of ids, a few thousand per query."""
    found: dict[str, OfficerRow] = {}
    unique = list(dict.fromkeys(accounts))
    for start in range(0, len(unique), 5000):
        chunk = unique[start : start + 5000]
        rows = session.exec(select(OfficerRow).where(col(OfficerRow.app_account_id).in_(chunk)))
        found.update({r.app_account_id: r for r in rows})
    return found


def on_register(
    session: Session, *, population: ColumnElement[bool], period: Period
) -> list[OfficerRow]:
    """OFF-LEDGER-1: the officers of a population on the register in the period, by township."""
    return list(
        session.exec(
            select(OfficerRow)
            .where(population, registered_clause(period))
            .order_by(col(OfficerRow.township_code), col(OfficerRow.id))
        ).all()
    )


def region_names(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """The names of regions by code (one query)."""
    rows = session.execute(
        select(col(Region.id), col(Region.name)).where(col(Region.id).in_(set(codes)))
    )
    return {str(key): str(name) for key, name in rows}


def officer_names(session: Session, ids: Iterable[str]) -> dict[str, str]:
    """The names of officers by id (one query)."""
    rows = session.execute(
        select(col(OfficerRow.id), col(OfficerRow.name)).where(col(OfficerRow.id).in_(set(ids)))
    )
    return {str(key): str(name) for key, name in rows}


def counties_of(session: Session, region_code: str | None) -> list[Region]:
    """OFF-KPI-1: the counties a scorecard compares — of one city, or every county on record."""
    stmt = select(Region).where(Region.level == RegionLevel.COUNTY)
    if region_code is not None:
        stmt = stmt.where(Region.parent_code == region_code)
    return list(session.exec(stmt.order_by(col(Region.id))).all())
