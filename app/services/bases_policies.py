"""Use cases of base policies: the thresholds and dates of Att. 3 as versioned data
(BASE-OPEN-1/2, BASE-ACT-1, BASE-REPORT-1, BASE-EVAL-1), added for the future, never edited
once in force."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from app.domain.bases import BasePolicy
from app.errors import FieldError, InvalidInput, pydantic_message
from app.i18n import _
from app.repositories import bases_policies
from app.repositories.bases_policies import BasePolicyRow


def add_policy(
    session: Session,
    *,
    effective_on: date,
    values: dict[str, Any],
    note: str,
    created_by: str,
    today: date,
) -> tuple[BasePolicyRow, BasePolicy]:
    """A policy taking effect after today; a value left out keeps the one in force the day
    before it starts. 422 for a policy in force or a due date that does not exist."""
    if effective_on <= today:
        raise InvalidInput.one(
            "effective_on",
            _("a new policy takes effect after today; one in force is never edited"),
            "not_future",
        )
    base = bases_policies.policy_on(session, effective_on)
    given = {k: v for k, v in values.items() if v is not None}
    try:
        policy = BasePolicy(**{**base.model_dump(), **given, "effective_on": effective_on})
    except ValidationError as exc:
        raise InvalidInput(
            [
                FieldError(field="report_due_day", message=pydantic_message(e), code="invalid_date")
                for e in exc.errors()
            ]
        ) from exc
    row = bases_policies.add_policy(session, policy=policy, note=note, created_by=created_by)
    return row, policy
