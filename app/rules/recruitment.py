"""Recruitment drives and applications to them: VOL-RECRUIT-1."""

from __future__ import annotations

from datetime import date

from app.domain.common import Finding, RuleResult
from app.domain.recruitment import (
    Recruitment,
    RecruitmentApplicationStatus,
    RecruitmentOpenness,
    RecruitmentRegularity,
)


def check_recruitment(recruitment: Recruitment) -> RuleResult:
    """VOL-RECRUIT-1: a periodic drive has a closing date; a directed one says whom it targets."""
    findings: list[Finding] = []
    if recruitment.regularity is RecruitmentRegularity.PERIODIC and recruitment.closes_on is None:
        findings.append(
            Finding(
                rule="VOL-RECRUIT-1",
                message="a periodic recruitment has a closing date",
                field="closes_on",
            )
        )
    if (
        recruitment.openness is RecruitmentOpenness.DIRECTED
        and not (recruitment.directed_to or "").strip()
    ):
        findings.append(
            Finding(
                rule="VOL-RECRUIT-1",
                message="a directed recruitment names whom it is directed to",
                field="directed_to",
            )
        )
    return RuleResult(findings=findings)


def check_application(recruitment: Recruitment, today: date) -> RuleResult:
    """VOL-RECRUIT-1: a volunteer applies while the drive is open (both days included)."""
    closed = today < recruitment.opens_on or (
        recruitment.closes_on is not None and today > recruitment.closes_on
    )
    if closed:
        return RuleResult(
            findings=[Finding(rule="VOL-RECRUIT-1", message="the recruitment is not open")]
        )
    return RuleResult()


def check_decision(status: RecruitmentApplicationStatus) -> RuleResult:
    """VOL-RECRUIT-1: only a pending application is accepted or declined, once."""
    if status is not RecruitmentApplicationStatus.PENDING:
        return RuleResult(
            findings=[
                Finding(rule="VOL-RECRUIT-1", message=f"the application is already {status.value}")
            ]
        )
    return RuleResult()
