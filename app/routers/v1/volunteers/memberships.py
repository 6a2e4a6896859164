"""A volunteer's memberships and their steps, each a colon verb (VOL-REG-2, VOL-EXIT-1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Response

from app.domain.volunteers import MembershipAction
from app.errors import problem_responses
from app.routers.deps import NowDep, PageDep, SessionDep
from app.routers.pages import Page, page_map
from app.routers.route import resource_router
from app.routers.v1.volunteers.auth import VolunteersManage, VolunteersRead, VolunteersSelfServe
from app.routers.v1.volunteers.schemas import (
    MembershipCreate,
    MembershipPublic,
    MembershipStep,
    membership_public,
)
from app.services import volunteers as service

router = resource_router("volunteers")

MEMBERSHIP = "/volunteers/{volunteer_id}/memberships/{membership_id}"


@router.get(
    "/volunteers/{volunteer_id}/memberships",
    summary="List a volunteer's memberships with their history",
    responses=problem_responses(404),
)
def list_memberships(
    volunteer_id: str, principal: VolunteersRead, session: SessionDep, page: PageDep
) -> Page[MembershipPublic]:
    """VOL-EXIT-1: every organisation joined, its status and each step with its reason."""
    result = service.memberships_page(
        session=session, principal=principal, volunteer_id=volunteer_id, page=page
    )
    return page_map(membership_public, result)


@router.post(
    "/volunteers/{volunteer_id}/memberships",
    status_code=201,
    summary="Join an organisation",
    responses=problem_responses(404, 409),
)
def create_membership(
    volunteer_id: str,
    body: MembershipCreate,
    principal: VolunteersSelfServe,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> MembershipPublic:
    """VOL-REG-2: a volunteer asks to join (pending); an administrator adds (active).
    Expelled volunteers are refused (VOL-EXIT-1)."""
    view = service.join_organization(
        session=session,
        principal=principal,
        volunteer_id=volunteer_id,
        organization_id=body.organization_id,
        reason=body.reason,
        now=now,
    )
    response.headers["Location"] = f"/api/v1/volunteers/{volunteer_id}/memberships/{view.row.id}"
    return membership_public(view)


@router.get(
    MEMBERSHIP, summary="Read a membership with its history", responses=problem_responses(404)
)
def get_membership(
    volunteer_id: str, membership_id: str, principal: VolunteersRead, session: SessionDep
) -> MembershipPublic:
    """VOL-EXIT-1: the organisation joined, its status and each step with its reason."""
    return membership_public(
        service.membership(
            session=session,
            principal=principal,
            volunteer_id=volunteer_id,
            membership_id=membership_id,
        )
    )


#: VOL-EXIT-1: what each colon verb does, as its summary.
STEPS: dict[MembershipAction, str] = {
    MembershipAction.APPROVE: "Approve a pending membership",
    MembershipAction.REJECT: "Reject a pending membership, with a reason",
    MembershipAction.WARN: "Warn a member, with a reason",
    MembershipAction.EXIT: "Exit a warned member, with a reason",
    MembershipAction.EXPEL: "Expel a member (serious cases; never undone), with a reason",
    MembershipAction.LEAVE: "Leave an organisation (the volunteer, or for it), with a reason",
    MembershipAction.READMIT: "Readmit a former member, with a reason",
}


def _step_route(action: MembershipAction, principal_type: Any) -> Callable[..., MembershipPublic]:
    def step(
        volunteer_id: str,
        membership_id: str,
        principal: VolunteersManage,
        session: SessionDep,
        now: NowDep,
        body: MembershipStep | None = None,
    ) -> MembershipPublic:
        view = service.change_membership(
            session=session,
            principal=principal,
            volunteer_id=volunteer_id,
            membership_id=membership_id,
            action=action,
            reason=body.reason if body else None,
            now=now,
        )
        return membership_public(view)

    # The role set differs per verb; the closure's annotation is set to it here.
    step.__annotations__["principal"] = principal_type
    step.__name__ = step.__qualname__ = f"{action.value}_membership"
    step.__doc__ = f"VOL-EXIT-1: `{action.value}`; refused transitions are 409."
    return step


for _action, _summary in STEPS.items():
    router.post(
        f"{MEMBERSHIP}:{_action.value}",
        summary=_summary,
        responses=problem_responses(404, 409),
    )(
        _step_route(
            _action,
            VolunteersSelfServe if _action is MembershipAction.LEAVE else VolunteersManage,
        )
    )
