"""Officer activity plans (OFF-PLAN-1)."""

from __future__ import annotations

from sqlmodel import Session

from app.domain.access import Principal
from app.domain.officers import ActivityPlan
from app.errors import InvalidInput, RuleViolation
from app.i18n import _
from app.repositories import officers_activity_plans as repo
from app.repositories.regions import require_region
from app.rules.officers import check_activity_plan_region
from app.services.officers import acting_county


def create_activity_plan(
    *, session: Session, principal: Principal, plan: ActivityPlan
) -> repo.ActivityPlanRow:
    """OFF-PLAN-1: a plan in the caller's county, its region at the owner's level."""
    result = check_activity_plan_region(plan.owner_kind, plan.region_code)
    if not result.ok:
        raise RuleViolation(result.errors)
    county = require_region(session, plan.region_code, field="region_code").county_code
    if county is None:
        raise InvalidInput.one("region_code", _("a county or a place within one"), "not_county")
    acting_county(principal, county, field="region_code")
    return repo.create_activity_plan(session, plan=plan, county_code=county)
