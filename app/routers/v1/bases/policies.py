"""Base policies: the thresholds and dates of Att. 3 as versioned data (BASE-OPEN-1/2,
BASE-ACT-1, BASE-REPORT-1, BASE-EVAL-1). Added for the future, never edited once in force."""

from __future__ import annotations

from dataclasses import replace

from fastapi import Response

from app.domain.bases import DEFAULT_BASE_POLICY, BasePolicy
from app.domain.common import local_date
from app.errors import problem_responses
from app.repositories import bases_policies
from app.routers.deps import NowDep, PageDep, SessionDep, set_etag
from app.routers.pages import Page, mark_created
from app.routers.route import resource_router
from app.routers.v1.bases.auth import PoliciesRead, PoliciesWrite
from app.routers.v1.bases.schemas import BasePolicyCreate, BasePolicyPublic
from app.services import bases_policies as service

router = resource_router("base-policies")
#: Where the published measures' policy comes from; it has no stored row.
DEFAULT_NOTE = "赤科协发〔2023〕4号 附件3"
#: The cursor after the published default: before every stored policy's id.
AFTER_DEFAULT = "0"
#: The published default is never edited: it stays at its first version.
DEFAULT_ETAG = '"1"'


def _public(
    policy: BasePolicy, *, row: bases_policies.BasePolicyRow | None, current: BasePolicy
) -> BasePolicyPublic:
    return BasePolicyPublic(
        id=row.id if row is not None else bases_policies.DEFAULT_POLICY_ID,
        note=row.note if row is not None else DEFAULT_NOTE,
        created_at=row.created_at if row is not None else None,
        in_force=policy == current,
        **policy.model_dump(),
    )


@router.get("/base-policies", summary="List base policies")
def list_base_policies(
    _principal: PoliciesRead, session: SessionDep, now: NowDep, page: PageDep
) -> Page[BasePolicyPublic]:
    """The published default first, then every later policy in the order added, marking the one
    in force."""
    current = bases_policies.policy_on(session, local_date(now))
    # The published default lies before every stored row and never changes, so it heads the
    # first page and is left out of `updated_since` reads and of reads by stored ids.
    head = 0 if page.updated_since is not None or page.ids is not None else 1
    items: list[BasePolicyPublic] = []
    if head and page.cursor is None:
        items.append(_public(DEFAULT_BASE_POLICY, row=None, current=current))
        if page.limit == 1:
            more = bases_policies.stored_page(session, page)
            after = AFTER_DEFAULT if more.items else None
            total = None if more.total is None else more.total + head
            return Page(items=items, next_cursor=after, total=total)
        page = replace(page, limit=page.limit - 1)
    result = bases_policies.stored_page(session, page)
    items += [_public(r.to_domain(), row=r, current=current) for r in result.items]
    total = None if result.total is None else result.total + head
    return Page(items=items, next_cursor=result.next_cursor, total=total)


@router.post(
    "/base-policies",
    status_code=201,
    summary="Add a base policy",
    responses=problem_responses(409),
)
def create_base_policy(
    body: BasePolicyCreate,
    principal: PoliciesWrite,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> BasePolicyPublic:
    """A policy taking effect after today: policies in force are never changed."""
    today = local_date(now)
    row, policy = service.add_policy(
        session,
        effective_on=body.effective_on,
        values=body.model_dump(exclude={"note", "effective_on"}),
        note=body.note,
        created_by=principal.user_id,
        today=today,
    )
    mark_created(response, f"/api/v1/base-policies/{row.id}", row)
    return _public(policy, row=row, current=bases_policies.policy_on(session, today))


@router.get(
    "/base-policies/{policy_id}", summary="Read a base policy", responses=problem_responses(404)
)
def get_base_policy(
    policy_id: str, _principal: PoliciesRead, session: SessionDep, now: NowDep, response: Response
) -> BasePolicyPublic:
    """One policy; `default` is the published one."""
    current = bases_policies.policy_on(session, local_date(now))
    if policy_id == bases_policies.DEFAULT_POLICY_ID:
        response.headers["ETag"] = DEFAULT_ETAG
        return _public(DEFAULT_BASE_POLICY, row=None, current=current)
    row = bases_policies.get_policy(session, policy_id)
    set_etag(response, row)
    return _public(row.to_domain(), row=row, current=current)
