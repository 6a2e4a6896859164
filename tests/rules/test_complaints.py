"""Complaints and reports: VOL-SUPER-1."""

import pytest
from pydantic import ValidationError

from app.domain.complaints import ComplaintStatus, ComplaintSubject, ComplaintSubjectKind
from app.domain.volunteers import OrgLevel, OrgNode
from app.rules.complaints import check_handling, may_handle, route_complaint

L = OrgLevel
#: corps > city > county (hongshan) > township.
TREE = {
    n.id: n
    for n in [
        OrgNode(id="corps", level=L.REGION_CORPS),
        OrgNode(id="city", level=L.CITY_TEAM, parent_id="corps"),
        OrgNode(id="hongshan", level=L.COUNTY_TEAM, parent_id="city"),
        OrgNode(id="township", level=L.TOWNSHIP_SUBTEAM, parent_id="hongshan"),
    ]
}


def org_complaint(org_id: str) -> ComplaintSubject:
    return ComplaintSubject(kind=ComplaintSubjectKind.ORGANIZATION, organization_id=org_id)


@pytest.mark.parametrize(
    ("subject", "handler"),
    [
        (org_complaint("township"), "hongshan"),
        (org_complaint("hongshan"), "city"),
        (org_complaint("corps"), None),
        (
            ComplaintSubject(
                kind=ComplaintSubjectKind.VOLUNTEER, volunteer_id="v1", organization_id="hongshan"
            ),
            "hongshan",
        ),
        (ComplaintSubject(kind=ComplaintSubjectKind.VOLUNTEER, volunteer_id="v1"), None),
    ],
)
def test_vol_super_1_complaint_goes_to_the_next_organisation_up(
    subject: ComplaintSubject, handler: str | None
) -> None:
    route = route_complaint(subject, TREE)
    assert route.handler_organization_id == handler
    assert route.city_association is (handler is None)
    assert may_handle(route.handler_organization_id, subject, TREE)


@pytest.mark.parametrize(
    ("handler", "allowed"),
    [("hongshan", False), ("township", False), ("city", True), ("corps", True), (None, True)],
)
def test_vol_super_1_never_handled_by_the_organisation_complained_about(
    handler: str | None, allowed: bool
) -> None:
    assert may_handle(handler, org_complaint("hongshan"), TREE) is allowed


def test_vol_super_1_complaint_names_its_subject() -> None:
    with pytest.raises(ValidationError):
        ComplaintSubject(kind=ComplaintSubjectKind.ORGANIZATION)


@pytest.mark.parametrize(
    ("acting", "status", "codes"),
    [
        ("city", ComplaintStatus.RECEIVED, []),
        ("city", ComplaintStatus.HANDLING, []),
        ("city", ComplaintStatus.CLOSED, ["complaint_closed"]),
        ("township", ComplaintStatus.RECEIVED, ["conflict_of_interest"]),
        ("hongshan", ComplaintStatus.CLOSED, ["conflict_of_interest", "complaint_closed"]),
    ],
)
def test_vol_super_1_handled_by_an_allowed_handler_until_closed(
    acting: str, status: ComplaintStatus, codes: list[str]
) -> None:
    result = check_handling(acting, org_complaint("hongshan"), status, TREE)
    assert [(f.rule, f.code) for f in result.findings] == [("VOL-SUPER-1", c) for c in codes]
