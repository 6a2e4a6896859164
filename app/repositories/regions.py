"""Regions (GB/T 2260 codes): a tree that is data, seeded by migration, extended by the city."""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Field, Session

from app.domain.messages import N_
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import _
from app.repositories.base import Entity, PageRequest, PageResult, save
from app.repositories.scope import list_rows


class RegionLevel(StrEnum):
    """Levels of the region tree."""

    REGION = "region"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


#: What each level is called (a message names it).
LEVEL_NAMES = {
    RegionLevel.REGION: N_("region"),
    RegionLevel.CITY: N_("city"),
    RegionLevel.COUNTY: N_("county"),
    RegionLevel.TOWNSHIP: N_("township"),
    RegionLevel.VILLAGE: N_("village"),
}

CHILD_LEVEL = {
    RegionLevel.REGION: RegionLevel.CITY,
    RegionLevel.CITY: RegionLevel.COUNTY,
    RegionLevel.COUNTY: RegionLevel.TOWNSHIP,
    RegionLevel.TOWNSHIP: RegionLevel.VILLAGE,
}


class Region(Entity, table=True):
    """A region; `id` is its code, `county_code` the county it lies in (county admin scope)."""

    __tablename__ = "regions"
    __resource__ = "region"

    id: str = Field(primary_key=True, max_length=12)
    name: str = Field(max_length=100)
    level: str = Field(max_length=16)
    parent_code: str | None = Field(
        default=None, foreign_key="regions.id", max_length=12, index=True
    )
    county_code: str | None = Field(default=None, max_length=12, index=True)

    @property
    def code(self) -> str:
        """The region's GB/T 2260 code (its id)."""
        return self.id


def get_region(session: Session, code: str) -> Region:
    """The region with this code, or 404."""
    region = session.get(Region, code)
    if region is None:
        raise NotFound(_("{resource} {id} not found", resource="region", id=code))
    return region


def list_regions(
    session: Session, *, page: PageRequest, parent_code: str | None, level: str | None
) -> PageResult[Region]:
    """Regions, filtered by parent and level."""
    return list_rows(session, Region, page, equal={"parent_code": parent_code, "level": level})


def add_region(session: Session, *, code: str, name: str, parent_code: str) -> Region:
    """A township under a county or a village under a township."""
    parent = session.get(Region, parent_code)
    if parent is None:
        raise NotFound.field(
            "parent_code", _("unknown region {code}", code=parent_code), "unknown_region"
        )
    child_level = CHILD_LEVEL.get(RegionLevel(parent.level))
    if child_level not in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
        raise InvalidInput.one(
            "parent_code", _("only townships and villages can be added"), "level"
        )
    length = 9 if child_level is RegionLevel.TOWNSHIP else 12
    if len(code) != length:
        level = _(LEVEL_NAMES[child_level])
        raise InvalidInput.one(
            "code", _("a {level} code has {length} digits", level=level, length=length), "length"
        )
    if not code.startswith(parent.id[: length - 3]):
        raise InvalidInput.one(
            "code", _("code must extend the parent code {parent}", parent=parent.id), "prefix"
        )
    if session.get(Region, code) is not None:
        raise Conflict(_("region {code} exists", code=code))
    county = parent.id if parent.level == RegionLevel.COUNTY else parent.county_code
    region = Region(
        id=code, name=name, level=child_level, parent_code=parent.id, county_code=county
    )
    return save(session, region)


def county_of(session: Session, code: str) -> str | None:
    """The county a region code lies in (itself for a county), or None for city level and above."""
    region = session.get(Region, code)
    if region is None:
        raise NotFound.field("region_code", _("unknown region {code}", code=code), "unknown_region")
    return region.county_code


def require_region(
    session: Session, code: str, *, field: str, level: RegionLevel | None = None
) -> Region:
    """The region a field names, of `level` when one is asked for (`county_code` a county,
    `township_code` a township); otherwise a 404 naming the field, since no region of that
    level has the code."""
    region = session.get(Region, code)
    if region is None:
        raise NotFound.field(field, _("unknown region {code}", code=code), "unknown_region")
    if level is not None and region.level != level:
        found, wanted = _(LEVEL_NAMES[RegionLevel(region.level)]), _(LEVEL_NAMES[level])
        raise NotFound.field(
            field,
            _("{code} is a {level}, not a {wanted}", code=code, level=found, wanted=wanted),
            "region_level",
        )
    return region
