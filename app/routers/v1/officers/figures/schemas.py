"""The API models of dissemination figures (OFF-STAT-1) and officer metrics (OFF-STAT-2)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from app.domain.common import Day
from app.domain.officers import (
    CHANNEL_LABELS,
    Channel,
    GroupBy,
    Metrics,
    OfficerMetricsRankKey,
    RankedMetrics,
)
from app.routers.v1.officers.registry.schemas import spellings
from app.services.officers_figures import MetricsAnswer


class OfficerDisseminationSheet(StrEnum):
    """The columns of an uploaded sheet of figures (docs/spreadsheets.md): the template's
    (`GET /templates/officer-disseminations.xlsx`), or the 科普中国 app's export as downloaded."""

    TEMPLATE = "officer-disseminations"
    KEPU_CHINA_APP = "kepu-china-app"


class OfficerDisseminationBulkRow(BaseModel):
    """One row of `POST /officer-disseminations:bulk`; the channel as code or Chinese label."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "app_account_id": "kpzg-15047612345",
                    "date": "2025-03-12",
                    "channel": "wechat_group",
                    "shares": 12,
                    "reads": 340,
                }
            ]
        }
    )

    app_account_id: str
    date: str = Field(description="YYYY-MM-DD, not after today in Asia/Shanghai")
    channel: str = Field(
        description="Code or label, e.g. wechat_group or 微信群",
        json_schema_extra=spellings(Channel, CHANNEL_LABELS),
    )
    shares: int = Field(ge=0)
    reads: int = Field(ge=0)


class OfficerFigures(BaseModel):
    """OFF-STAT-2: head-count beside activity and volume, never alone; a rate is null when
    undefined."""

    registered: int
    certified: int
    active: int
    activity_rate: float | None
    shares: int
    reads: int


class OfficerMetrics(OfficerFigures):
    """OFF-STAT-1/2: a group's head-count, activity and volume, by its key (and rank)."""

    key: str
    name: str | None = None
    rank: int | None = None
    shares_per_active: float | None

    @classmethod
    def of(cls, metrics: Metrics, name: str | None) -> OfficerMetrics:
        """The public view of one group's metrics (with its rank in a ranking)."""
        return cls(
            key=metrics.key,
            name=name,
            rank=metrics.rank if isinstance(metrics, RankedMetrics) else None,
            registered=metrics.registered,
            certified=metrics.certified,
            active=metrics.active,
            activity_rate=metrics.activity_rate,
            shares=metrics.shares,
            reads=metrics.reads,
            shares_per_active=metrics.shares_per_active,
        )


class OfficerMetricsReport(BaseModel):
    """OFF-STAT-2: the total of the population and, when grouped, every group."""

    region_code: str | None
    officer_id: str | None
    starts_on: Day
    ends_on: Day
    group_by: GroupBy | None
    rank_by: OfficerMetricsRankKey | None
    total: OfficerMetrics
    groups: list[OfficerMetrics]
    next_cursor: str | None = None

    @classmethod
    def of(
        cls,
        answer: MetricsAnswer,
        *,
        region_code: str | None,
        officer_id: str | None,
        group_by: GroupBy | None,
        rank_by: OfficerMetricsRankKey | None,
    ) -> OfficerMetricsReport:
        """The report of a metrics question as asked."""
        return cls(
            region_code=region_code,
            officer_id=officer_id,
            starts_on=answer.period.start,
            ends_on=answer.period.end,
            group_by=group_by,
            rank_by=rank_by,
            total=OfficerMetrics.of(answer.total, None),
            groups=[OfficerMetrics.of(g, answer.names.get(g.key)) for g in answer.groups],
            next_cursor=answer.next_cursor,
        )
