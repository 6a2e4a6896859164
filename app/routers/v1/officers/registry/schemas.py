"""The API models of the officer register (OFF-REG-1)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from app.domain.common import Day, Moment
from app.domain.officers import (
    CERTIFICATION_LABELS,
    OFFICER_STATUS_LABELS,
    SOURCE_GROUP_LABELS,
    AppAccountId,
    CertificationStatus,
    Mobile,
    Name,
    Officer,
    OfficerStatus,
    SourceGroup,
    TownshipCode,
    VillageCode,
)
from app.domain.personal import PersonalKind, mask
from app.repositories.officers import OfficerRow
from app.routers.fields import Partial

_EXAMPLE: dict[str, JsonValue] = {
    "name": "张丽娟",
    "mobile": "13847612345",
    "township_code": "150402001",
    "village_code": "150402001201",
    "source_group": "farmer_herder",
    "app_account_id": "kpzg-15047612345",
    "certified_on": "2024-03-01",
    "registered_on": "2024-02-20",
}


class OfficerPublic(BaseModel):
    """An officer; the mobile number is masked unless revealed."""

    id: str
    name: str
    mobile: str
    revealed: bool
    county_code: str
    township_code: str
    village_code: str | None
    source_group: SourceGroup
    source_group_label: str
    app_account_id: str
    certification_status: CertificationStatus
    certified_on: Day | None
    registered_on: Day | None
    status: OfficerStatus
    left_on: Day | None
    version: int
    created_at: Moment
    updated_at: Moment

    @classmethod
    def of(cls, row: OfficerRow, *, revealed: bool = False) -> OfficerPublic:
        """The public view of a stored officer."""
        group = SourceGroup(row.source_group)
        return cls(
            id=row.id,
            name=row.name,
            mobile=row.mobile if revealed else mask(PersonalKind.PHONE, row.mobile) or "",
            revealed=revealed,
            county_code=row.county_code,
            township_code=row.township_code,
            village_code=row.village_code,
            source_group=group,
            source_group_label=group.label,
            app_account_id=row.app_account_id,
            certification_status=CertificationStatus(row.certification_status),
            certified_on=row.certified_on,
            registered_on=row.registered_on,
            status=OfficerStatus(row.status),
            left_on=row.left_on,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


class OfficerCreate(BaseModel):
    """OFF-REG-1: a new officer, placed in a township and optionally one of its villages.
    Without a status, a certification date means certified and a leaving date means left."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})

    name: Name
    mobile: Mobile
    township_code: TownshipCode = Field(description="The township (9 digits)")
    village_code: VillageCode | None = Field(
        default=None, description="A village of the township (12 digits)"
    )
    source_group: SourceGroup
    app_account_id: AppAccountId
    certification_status: CertificationStatus | None = None
    certified_on: Day | None = None
    registered_on: Day | None = None
    status: OfficerStatus | None = None
    left_on: Day | None = None

    def officer(self) -> Officer:
        """The officer, statuses derived from the dates where not given."""
        fields = self.model_dump()
        if self.certification_status is None:
            fields["certification_status"] = (
                CertificationStatus.CERTIFIED
                if self.certified_on is not None
                else CertificationStatus.REGISTERED
            )
        if self.status is None:
            fields["status"] = OfficerStatus.LEFT if self.left_on else OfficerStatus.ACTIVE
        return Officer(**fields)


class OfficerUpdate(Partial):
    """Fields to change; the result must still be a consistent record (OFF-REG-1). A new
    township needs a village of it, or `village_code: null`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"township_code": "150402002", "village_code": None, "left_on": "2025-06-30"}
            ]
        },
    )

    clearable = frozenset({"village_code", "certified_on", "registered_on", "left_on"})

    name: Name | None = None
    mobile: Mobile | None = None
    township_code: TownshipCode | None = None
    village_code: VillageCode | None = None
    source_group: SourceGroup | None = None
    app_account_id: AppAccountId | None = None
    certification_status: CertificationStatus | None = None
    certified_on: Day | None = None
    registered_on: Day | None = None
    status: OfficerStatus | None = None
    left_on: Day | None = None


def spellings(enum: type[StrEnum], labels: Mapping[Any, str]) -> dict[str, JsonValue]:
    """The JSON Schema of an import cell that takes the code or the Chinese label: two enums,
    since a code and a label may differ only in case (`qq`, `QQ`), which one enum of a
    generated client cannot name apart."""
    return {
        "anyOf": [
            {"type": "string", "enum": [m.value for m in enum]},
            {"type": "string", "enum": list(labels.values())},
        ]
    }


class OfficerBulkRow(BaseModel):
    """One row of `POST /officers:bulk` (CSV/XLSX header names); codes or Chinese labels."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{**_EXAMPLE, "source_group": "农牧民"}]}
    )

    name: str
    mobile: str
    township_code: str
    village_code: str | None = None
    source_group: str = Field(
        description="Code or label, e.g. farmer_herder or 农牧民",
        json_schema_extra=spellings(SourceGroup, SOURCE_GROUP_LABELS),
    )
    app_account_id: str
    certification_status: (
        Annotated[
            str, Field(json_schema_extra=spellings(CertificationStatus, CERTIFICATION_LABELS))
        ]
        | None
    ) = None
    certified_on: Day | None = None
    registered_on: Day | None = None
    status: (
        Annotated[str, Field(json_schema_extra=spellings(OfficerStatus, OFFICER_STATUS_LABELS))]
        | None
    ) = None
    left_on: Day | None = None
