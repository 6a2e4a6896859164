"""Rectification notices and the immediate revocation of a base's title (Att. 3 Art. 24)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime

from pydantic import Field

from app.domain.bases import (
    BaseStatus,
    NoticeOutcome,
    RectificationNotice,
    RevocationGround,
)
from app.domain.common import Finding, RuleResult, local_date
from app.domain.messages import N_

#: The rule ID of a finding about the revocation as a whole rather than one ground.
REVOKE = "BASE-REVOKE-1..6"


class RevocationCheck(RuleResult):
    """Whether a revocation may go ahead, and the notices that support ground 3."""

    supporting_notices: list[str] = Field(default_factory=list)


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def notice_expired_unrectified(notice: RectificationNotice, now: datetime) -> bool:
    """BASE-REVOKE-3: issued, its deadline day over (Asia/Shanghai), and not closed rectified."""
    return (
        notice.issued_at <= now
        and notice.deadline < local_date(now)
        and notice.outcome is not NoticeOutcome.RECTIFIED
    )


def check_revocation(
    *,
    status: BaseStatus,
    grounds: Collection[RevocationGround],
    evidence: Collection[str],
    notices: Iterable[RectificationNotice],
    reason: str | None,
    now: datetime,
) -> RevocationCheck:
    """BASE-REVOKE-1..6: grounds given, evidence attached, and each ground's precondition.

    Ground 3 needs a rectification notice that was issued, whose deadline has passed and which
    was not closed as rectified; ground 6 needs a written reason. A base whose title has
    already ended (revoked, or lapsed after a failed evaluation) cannot be revoked.
    """
    findings: list[Finding] = []
    if status is BaseStatus.REVOKED:
        findings.append(
            Finding(
                rule=REVOKE,
                field="status",
                code="already_revoked",
                message=N_("the base is already revoked"),
            )
        )
    elif status is BaseStatus.LAPSED:
        findings.append(
            Finding(
                rule=REVOKE,
                field="status",
                code="lapsed",
                message=N_("the base's accreditation has lapsed"),
            )
        )
    if not grounds:
        findings.append(
            Finding(
                rule=REVOKE,
                field="grounds",
                code="grounds_required",
                message=N_("at least one ground of Art. 24"),
            )
        )
    if not [e for e in evidence if not _blank(e)]:
        findings.append(
            Finding(
                rule=REVOKE,
                field="evidence",
                code="evidence_required",
                message=N_("evidence of the grounds is required"),
            )
        )
    supporting: list[str] = []
    if RevocationGround.TITLE_MISUSE_UNRECTIFIED in grounds:
        notices = list(notices)
        supporting = [n.id for n in notices if notice_expired_unrectified(n, now)]
        if not supporting:
            code, message = _ground_3_gap(notices, now)
            findings.append(
                Finding(rule="BASE-REVOKE-3", field="grounds", code=code, message=message)
            )
    if RevocationGround.OTHER in grounds and _blank(reason):
        findings.append(
            Finding(
                rule="BASE-REVOKE-6",
                field="reason",
                code="reason_required",
                message=N_("other grounds need a written reason"),
            )
        )
    return RevocationCheck(findings=findings, supporting_notices=supporting)


def _ground_3_gap(notices: list[RectificationNotice], now: datetime) -> tuple[str, str]:
    """The code and the message of why no notice supports ground 3."""
    issued = [n for n in notices if n.issued_at <= now]
    if not issued:
        return "no_notice_issued", N_(
            "ground 3 needs a rectification notice first; none was issued"
        )
    if all(n.outcome is NoticeOutcome.RECTIFIED for n in issued):
        return "notices_rectified", N_("every rectification notice was closed as rectified")
    return "notice_not_expired", N_(
        "no rectification notice has passed its deadline unrectified yet"
    )


def check_records_open(status: BaseStatus) -> RuleResult:
    """BASE-REVOKE-1..6: a revoked base's records no longer change (409)."""
    if status is BaseStatus.REVOKED:
        return RuleResult(
            findings=[
                Finding(
                    rule=REVOKE,
                    field="status",
                    code="revoked",
                    message=N_("the base is revoked; its records no longer change"),
                )
            ]
        )
    return RuleResult()


def check_notice(reason: str, due_on: date, *, now: datetime) -> RuleResult:
    """BASE-REVOKE-3: a notice states what must be rectified and a due date after the day of
    issue."""
    findings: list[Finding] = []
    if _blank(reason):
        findings.append(
            Finding(
                rule="BASE-REVOKE-3",
                field="reason",
                code="reason_required",
                message=N_("state what must be rectified"),
            )
        )
    if due_on <= local_date(now):
        findings.append(
            Finding(
                rule="BASE-REVOKE-3",
                field="due_on",
                code="deadline_not_after_issue",
                message=N_("the deadline must be after the day the notice is issued"),
            )
        )
    return RuleResult(findings=findings)


#: BASE-REVOKE-3: what closing a notice already closed is told, by how it was closed.
ALREADY_CLOSED: dict[NoticeOutcome, str] = {
    NoticeOutcome.RECTIFIED: N_("the notice was already closed as rectified"),
    NoticeOutcome.NOT_RECTIFIED: N_("the notice was already closed as not rectified"),
}


def check_notice_close(
    notice: RectificationNotice, outcome: NoticeOutcome, *, now: datetime
) -> RuleResult:
    """BASE-REVOKE-3: a notice is closed once; as not rectified only after its deadline day."""
    findings: list[Finding] = []
    if notice.outcome is not None:
        findings.append(
            Finding(
                rule="BASE-REVOKE-3",
                field="outcome",
                code="notice_closed",
                message=ALREADY_CLOSED[notice.outcome],
            )
        )
    if outcome is NoticeOutcome.NOT_RECTIFIED and notice.deadline >= local_date(now):
        findings.append(
            Finding(
                rule="BASE-REVOKE-3",
                field="outcome",
                code="deadline_not_passed",
                message=N_("the base has until {deadline} to rectify"),
                params={"deadline": notice.deadline.isoformat()},
            )
        )
    return RuleResult(findings=findings)
