"""Types shared by every area: findings, rule results, time zone and policy versioning."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

#: Every deadline of the measures is read in China Standard Time (docs/rules.md, "Time").
SHANGHAI = ZoneInfo("Asia/Shanghai")


class Severity(StrEnum):
    """How a finding weighs: `error` refuses an action, `warning` and `advisory` only inform."""

    ERROR = "error"
    WARNING = "warning"
    ADVISORY = "advisory"


class Finding(BaseModel):
    """One rule that is not satisfied, named by its ID in docs/rules.md."""

    model_config = ConfigDict(frozen=True)

    rule: str
    message: str
    severity: Severity = Severity.ERROR
    field: str | None = None


class RuleResult(BaseModel):
    """Every finding of one check; `ok` when none of them is an error."""

    findings: list[Finding] = []

    @property
    def ok(self) -> bool:
        """True when no finding refuses the action."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        """The findings that refuse the action."""
        return [f for f in self.findings if f.severity is Severity.ERROR]


class VersionedPolicy(BaseModel):
    """A set of policy parameters in force from `effective_from` (the measures are trial texts)."""

    model_config = ConfigDict(frozen=True)

    effective_from: date


P = TypeVar("P", bound=VersionedPolicy)


def policy_in_force(policies: list[P], on: date) -> P:
    """The policy with the latest `effective_from` not after `on`; the earliest if none is yet."""
    eligible = [p for p in policies if p.effective_from <= on]
    if eligible:
        return max(eligible, key=lambda p: p.effective_from)
    return min(policies, key=lambda p: p.effective_from)


def local_date(moment: datetime) -> date:
    """The calendar date of an aware instant in Asia/Shanghai."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every instant must carry its offset")
    return moment.astimezone(SHANGHAI).date()


class Observance(StrEnum):
    """The commemorative days and weeks the measures name (BASE-EVENT-1, VOL-SCOPE-1(4)): one
    enumeration for every area, so a client sees one spelling."""

    LEI_FENG_DAY = "lei_feng_day"
    SCI_TECH_WEEK = "sci_tech_week"
    SCIENCE_WORKERS_DAY = "science_workers_day"
    SCIENCE_DAY = "science_day"
    THREE_TO_COUNTRYSIDE = "three_to_countryside"
    VOLUNTEER_DAY = "volunteer_day"

    @property
    def label(self) -> str:
        """The observance's Chinese name."""
        return OBSERVANCE_LABELS[self]


OBSERVANCE_LABELS: dict[Observance, str] = {
    Observance.LEI_FENG_DAY: "学雷锋纪念日（3月5日）",
    Observance.SCI_TECH_WEEK: "科技活动周（5月）",
    Observance.SCIENCE_WORKERS_DAY: "全国科技工作者日（5月30日）",
    Observance.SCIENCE_DAY: "全国科普日（9月）",
    Observance.THREE_TO_COUNTRYSIDE: "文化科技卫生“三下乡”",
    Observance.VOLUNTEER_DAY: "国际志愿者日（12月5日）",
}
