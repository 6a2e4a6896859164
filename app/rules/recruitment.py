"""Recruitment drives and applications to them: VOL-RECRUIT-1."""

from __future__ import annotations

from datetime import date

from app.domain.common import Finding, RuleResult
from app.domain.messages import N_
from app.domain.recruitment import (
    Recruitment,
    RecruitmentApplicationStatus,
    RecruitmentOpenness,
    RecruitmentRegularity,
)

#: VOL-RECRUIT-1: what a decision on an application already decided is told, by its decision.
ALREADY_DECIDED: dict[RecruitmentApplicationStatus, str] = {
    RecruitmentApplicationStatus.ACCEPTED: N_("the application is already accepted"),
    RecruitmentApplicationStatus.DECLINED: N_("the application is already declined"),
}


def check_recruitment(recruitment: Recruitment) -> RuleResult:
    """VOL-RECRUIT-1: a periodic drive has a closing date; a directed one says whom it targets."""
    findings: list[Finding] = []
    if recruitment.regularity is RecruitmentRegularity.PERIODIC and recruitment.closes_on is None:
        findings.append(
            Finding(
                rule="VOL-RECRUIT-1",
                code="closes_on_required",
                message=N_("a periodic recruitment has a closing date"),
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
                code="directed_to_required",
                message=N_("a directed recruitment names whom it is directed to"),
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
            findings=[
                Finding(
                    rule="VOL-RECRUIT-1",
                    code="recruitment_not_open",
                    message=N_("the recruitment is not open"),
                )
            ]
        )
    return RuleResult()


def check_decision(status: RecruitmentApplicationStatus) -> RuleResult:
    """VOL-RECRUIT-1: only a pending application is accepted or declined, once."""
    if status is not RecruitmentApplicationStatus.PENDING:
        return RuleResult(
            findings=[
                Finding(
                    rule="VOL-RECRUIT-1",
                    code="application_decided",
                    message=ALREADY_DECIDED[status],
                )
            ]
        )
    return RuleResult()
