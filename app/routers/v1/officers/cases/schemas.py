"""The API models of county reports to the city (OFF-CASE-1)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.domain.common import Moment
from app.domain.officers import CASE_KIND_LABELS, OfficerCaseKind, OfficerCaseStatus, Title
from app.repositories.officers_cases import CaseRow


class OfficerCaseCreate(BaseModel):
    """OFF-CASE-1: a county reports a typical case, a problem or a suggestion to the city."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "typical_case",
                    "title": "红山区“科普大篷车进社区”信息员带动经验",
                    "body": "2025年以来，红山区组织科普信息员在社区微信群转发科普文章……",
                }
            ]
        },
    )

    kind: OfficerCaseKind
    title: Title
    body: str = Field(min_length=1, max_length=20000)


class OfficerCaseReply(BaseModel):
    """The city's reply."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reply": "经验做法很好，市科协将在全市推广。"}]},
    )

    reply: str = Field(min_length=1, max_length=20000)


class OfficerCasePublic(BaseModel):
    """A case and how the city handled it."""

    id: str
    county_code: str
    kind: OfficerCaseKind
    kind_label: str
    title: str
    body: str
    status: OfficerCaseStatus
    submitted_at: Moment
    read_at: Moment | None
    replied_at: Moment | None
    featured_at: Moment | None
    reply: str | None
    version: int

    @classmethod
    def of(cls, row: CaseRow) -> OfficerCasePublic:
        """The public view of a stored case."""
        kind = OfficerCaseKind(row.kind)
        return cls(
            id=row.id,
            county_code=row.county_code,
            kind=kind,
            kind_label=CASE_KIND_LABELS[kind],
            title=row.title,
            body=row.body,
            status=OfficerCaseStatus(row.status),
            submitted_at=row.submitted_at,
            read_at=row.read_at,
            replied_at=row.replied_at,
            featured_at=row.featured_at,
            reply=row.reply,
            version=row.version,
        )
