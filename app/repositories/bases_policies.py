"""Base policies: versioned thresholds and dates, added by the city, never edited in place."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, Session, col, select

from app.domain.bases import DEFAULT_BASE_POLICY, BasePolicy
from app.domain.common import policy_in_force
from app.errors import Conflict
from app.i18n import _
from app.repositories.base import Entity, PageRequest, PageResult, save
from app.repositories.scope import find_or_404, list_rows

#: The id under which the built-in policy of the published measures is listed.
DEFAULT_POLICY_ID = "default"


class BasePolicyRow(Entity, table=True):
    """One BasePolicy in force from `effective_on` (BASE-OPEN-1/2, BASE-ACT-1, BASE-REPORT-1,
    BASE-EVAL-1)."""

    __tablename__ = "base_policies"
    __resource__ = "base_policy"

    effective_on: date = Field(unique=True)
    public_min_open_days: int
    public_min_visitors: int
    institution_min_open_days: int
    min_activities: int
    report_due_month: int
    report_due_day: int
    evaluation_term_years: int
    evaluation_window_days: int
    min_review_opinions: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    note: str = Field(default="", max_length=1000)
    created_by: str | None = Field(default=None, max_length=26)

    def to_domain(self) -> BasePolicy:
        """The policy as the rule functions take it."""
        return BasePolicy.model_validate(self, from_attributes=True)


def stored_page(session: Session, page: PageRequest) -> PageResult[BasePolicyRow]:
    """A page of the policies added by the city, in the order they were added."""
    return list_rows(session, BasePolicyRow, page)


def stored(session: Session) -> list[BasePolicyRow]:
    """The policies added by the city, oldest first."""
    return list(session.exec(select(BasePolicyRow).order_by(col(BasePolicyRow.effective_on))))


def all_policies(session: Session) -> list[BasePolicy]:
    """The published default and every policy added since."""
    return [DEFAULT_BASE_POLICY, *(row.to_domain() for row in stored(session))]


def policy_on(session: Session, day: date) -> BasePolicy:
    """The policy in force on `day`."""
    return policy_in_force(all_policies(session), day)


def policy_for_year(session: Session, year: int) -> BasePolicy:
    """Decision (docs/bases.md): a year is judged by the policy in force on its 1 January."""
    return policy_on(session, date(year, 1, 1))


def add_policy(
    session: Session, *, policy: BasePolicy, note: str, created_by: str
) -> BasePolicyRow:
    """A new policy; 409 when one already starts on that date."""
    clash = session.exec(
        select(BasePolicyRow.id).where(BasePolicyRow.effective_on == policy.effective_on)
    ).first()
    if clash is not None or policy.effective_on == DEFAULT_BASE_POLICY.effective_on:
        raise Conflict(
            _("a policy already takes effect on {day}", day=policy.effective_on.isoformat())
        )
    row = BasePolicyRow(**policy.model_dump(), note=note, created_by=created_by)
    return save(session, row)


def get_policy(session: Session, policy_id: str) -> BasePolicyRow:
    """A stored policy, or 404."""
    return find_or_404(session, BasePolicyRow, policy_id)
