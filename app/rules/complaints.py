"""Complaints and reports: where they go and who may handle them (VOL-SUPER-1)."""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.common import Finding, RuleResult
from app.domain.complaints import (
    ComplaintRoute,
    ComplaintStatus,
    ComplaintSubject,
    ComplaintSubjectKind,
)
from app.domain.messages import N_
from app.domain.volunteers import OrgNode
from app.rules.volunteers_org import ancestors


def route_complaint(subject: ComplaintSubject, nodes: Mapping[str, OrgNode]) -> ComplaintRoute:
    """VOL-SUPER-1: to the next organisation up, or the city association at the top.

    A complaint about an organisation goes to its parent; one about a volunteer goes to the
    organisation they served in, or to the city association when none is named.
    """
    if subject.kind is ComplaintSubjectKind.VOLUNTEER:
        return ComplaintRoute(handler_organization_id=subject.organization_id)
    subject_node = nodes.get(subject.organization_id or "")
    parent_id = subject_node.parent_id if subject_node is not None else None
    return ComplaintRoute(handler_organization_id=parent_id)


def may_handle(
    handler_organization_id: str | None,
    subject: ComplaintSubject,
    nodes: Mapping[str, OrgNode],
) -> bool:
    """VOL-SUPER-1: never the organisation complained about, nor one of its sub-organisations.

    The city association (None) may handle any complaint.
    """
    if handler_organization_id is None:
        return True
    if subject.kind is ComplaintSubjectKind.VOLUNTEER or subject.organization_id is None:
        return True
    return subject.organization_id not in ancestors(handler_organization_id, nodes)


def check_handling(
    acting_organization_id: str | None,
    subject: ComplaintSubject,
    status: ComplaintStatus,
    nodes: Mapping[str, OrgNode],
) -> RuleResult:
    """VOL-SUPER-1: a note or a closing comes from an allowed handler, on an open complaint."""
    findings: list[Finding] = []
    if not may_handle(acting_organization_id, subject, nodes):
        findings.append(
            Finding(
                rule="VOL-SUPER-1",
                code="conflict_of_interest",
                message=N_("an organisation never handles a complaint about itself or its parent"),
            )
        )
    if status is ComplaintStatus.CLOSED:
        findings.append(
            Finding(
                rule="VOL-SUPER-1", code="complaint_closed", message=N_("the complaint is closed")
            )
        )
    return RuleResult(findings=findings)
