"""Base policies: the thresholds and dates of Att. 3 as versioned data (BASE-OPEN-1/2,
BASE-ACT-1, BASE-REPORT-1, BASE-EVAL-1). Added for the future, never edited once in force."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.domain.access import Principal, Role
from app.domain.bases import DEFAULT_BASE_POLICY, BasePolicy
from app.domain.common import local_date
from app.errors import FieldError, InvalidInput, problem_responses
from app.repositories import bases_policies
from app.routers.deps import AnyUser, NowDep, SessionDep, allow, set_etag
from app.routers.pages import Page
from app.routers.route import resource_router

router = resource_router("base-policies")


class BasePolicyPublic(BaseModel):
    """A policy and the dates it governs."""

    id: str
    effective_from: date
    public_min_open_days: int
    public_min_visitors: int
    institution_min_open_days: int
    min_activities: int
    report_due_month: int
    report_due_day: int
    evaluation_term_years: int
    evaluation_window_days: int
    note: str
    created_at: datetime | None
    in_force: bool


class BasePolicyCreate(BaseModel):
    """A new policy; a value left out keeps the one in force the day before it starts."""

    model_config = ConfigDict(extra="forbid")

    effective_from: date
    public_min_open_days: int | None = Field(default=None, ge=0, le=366)
    public_min_visitors: int | None = Field(default=None, ge=0)
    institution_min_open_days: int | None = Field(default=None, ge=0, le=366)
    min_activities: int | None = Field(default=None, ge=0)
    report_due_month: int | None = Field(default=None, ge=1, le=12)
    report_due_day: int | None = Field(default=None, ge=1, le=31)
    evaluation_term_years: int | None = Field(default=None, ge=1, le=10)
    evaluation_window_days: int | None = Field(default=None, ge=0, le=3660)
    note: str = Field(default="", max_length=1000)


def _public(
    policy: BasePolicy, *, row: bases_policies.BasePolicyRow | None, current: BasePolicy
) -> BasePolicyPublic:
    return BasePolicyPublic(
        id=row.id if row is not None else bases_policies.DEFAULT_POLICY_ID,
        note=row.note if row is not None else "赤科协发〔2023〕4号 附件3",
        created_at=row.created_at if row is not None else None,
        in_force=policy == current,
        **policy.model_dump(),
    )


@router.get("/base-policies", summary="List base policies")
def list_base_policies(
    _principal: AnyUser, session: SessionDep, now: NowDep
) -> Page[BasePolicyPublic]:
    """The published default and every later policy, oldest first, marking the one in force."""
    current = bases_policies.policy_on(session, local_date(now))
    rows = bases_policies.stored(session)
    items = [
        _public(DEFAULT_BASE_POLICY, row=None, current=current),
        *(_public(r.to_domain(), row=r, current=current) for r in rows),
    ]
    return Page(items=items, next_cursor=None)


@router.post(
    "/base-policies",
    status_code=201,
    summary="Add a base policy",
    responses=problem_responses(409),
)
def create_base_policy(
    body: BasePolicyCreate,
    principal: Annotated[Principal, allow(Role.CITY_ADMIN)],
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> BasePolicyPublic:
    """A policy taking effect after today: policies in force are never changed."""
    today = local_date(now)
    if body.effective_from <= today:
        raise InvalidInput.one(
            "effective_from",
            "a new policy takes effect after today; one in force is never edited",
            "not_future",
        )
    base = bases_policies.policy_on(session, body.effective_from)
    values = {k: v for k, v in body.model_dump(exclude={"note"}).items() if v is not None}
    try:
        policy = BasePolicy(**{**base.model_dump(), **values})
    except ValidationError as exc:
        raise InvalidInput(
            [
                FieldError(field="report_due_day", message=str(e["msg"]), code="invalid_date")
                for e in exc.errors()
            ]
        ) from exc
    row = bases_policies.add_policy(
        session, policy=policy, note=body.note, created_by=principal.user_id
    )
    response.headers["Location"] = f"/api/v1/base-policies/{row.id}"
    set_etag(response, row)
    return _public(policy, row=row, current=bases_policies.policy_on(session, today))


@router.get(
    "/base-policies/{policy_id}", summary="Read a base policy", responses=problem_responses(404)
)
def get_base_policy(
    policy_id: str, _principal: AnyUser, session: SessionDep, now: NowDep, response: Response
) -> BasePolicyPublic:
    """One policy; `default` is the published one."""
    current = bases_policies.policy_on(session, local_date(now))
    if policy_id == bases_policies.DEFAULT_POLICY_ID:
        return _public(DEFAULT_BASE_POLICY, row=None, current=current)
    row = bases_policies.get_policy(session, policy_id)
    set_etag(response, row)
    return _public(row.to_domain(), row=row, current=current)
