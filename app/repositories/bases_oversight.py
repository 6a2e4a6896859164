"""The city association's oversight of bases: evaluations (BASE-EVAL-1), inspections
(BASE-INSPECT-1), recommendations upward (BASE-PROMOTE-1), rectification notices and
revocations (BASE-REVOKE-1..6)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import JSON, Column
from sqlmodel import Field, Session, col, select

from app.domain.bases import (
    BaseStatus,
    Evaluation,
    EvaluationOutcome,
    NoticeOutcome,
    RectificationNotice,
)
from app.domain.messages import N_
from app.errors import NotFound
from app.i18n import _
from app.repositories.base import Entity, PageRequest, PageResult, save
from app.repositories.bases import BaseRecord, BaseRow
from app.repositories.bases_common import page_under
from app.repositories.types import UTCDateTime


class EvaluationRow(BaseRecord, table=True):
    """BASE-EVAL-1: one comprehensive evaluation, with the yearly compliance it was based on."""

    __tablename__ = "base_evaluations"
    __resource__ = "base_evaluation"

    evaluated_on: date
    outcome: str = Field(max_length=8)
    findings: str = Field(default="", max_length=4000)
    term_number: int
    term_start: date
    term_end: date
    summaries: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    evaluated_by: str | None = Field(default=None, max_length=26)

    def to_domain(self) -> Evaluation:
        """The evaluation as the rule functions take it."""
        return Evaluation(evaluated_on=self.evaluated_on, outcome=EvaluationOutcome(self.outcome))


class BaseInspectionRow(BaseRecord, table=True):
    """BASE-INSPECT-1: a scheduled or unscheduled inspection of a base, with its findings."""

    __tablename__ = "base_inspections"
    __resource__ = "base_inspection"

    inspected_on: date
    kind: str = Field(max_length=16)
    inspectors: str = Field(default="", max_length=500)
    findings: str = Field(max_length=4000)
    recorded_by: str | None = Field(default=None, max_length=26)


class PromotionRow(BaseRecord, table=True):
    """BASE-PROMOTE-1: a recommendation upward of a base or of one of its science products."""

    __tablename__ = "base_promotions"
    __resource__ = "base_promotion"

    kind: str = Field(max_length=32)
    product_form: str | None = Field(default=None, max_length=16)
    title: str = Field(max_length=200)
    note: str = Field(default="", max_length=2000)
    recommended_on: date
    recommended_by: str | None = Field(default=None, max_length=26)


class NoticeRow(BaseRecord, table=True):
    """BASE-REVOKE-3: a rectification notice and how it was closed."""

    __tablename__ = "base_rectification_notices"
    __resource__ = "base_rectification_notice"

    finding: str = Field(max_length=4000)
    deadline: date
    issued_at: datetime = Field(sa_type=UTCDateTime)
    issued_by: str | None = Field(default=None, max_length=26)
    outcome: str | None = Field(default=None, max_length=16)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by: str | None = Field(default=None, max_length=26)
    close_note: str = Field(default="", max_length=2000)

    def to_domain(self) -> RectificationNotice:
        """The notice as the rule functions take it."""
        return RectificationNotice(
            id=self.id,
            issued_at=self.issued_at,
            deadline=self.deadline,
            outcome=NoticeOutcome(self.outcome) if self.outcome else None,
        )


class RevocationRow(Entity, table=True):
    """BASE-REVOKE-1..6: the revocation of a base, with grounds, evidence, decider and time."""

    __tablename__ = "base_revocations"
    __resource__ = "base_revocation"

    base_id: str = Field(foreign_key="bases.id", max_length=26, unique=True)
    county_code: str | None = Field(default=None, max_length=12)
    grounds: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    evidence: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    reason: str = Field(default="", max_length=4000)
    supporting_notices: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    decided_by: str | None = Field(default=None, max_length=26)
    decided_at: datetime = Field(sa_type=UTCDateTime)


Record = TypeVar("Record", bound=BaseRecord)


def _one(session: Session, model: type[Record], base_id: str, row_id: str, missing: str) -> Record:
    # `missing`: the template (`N_`, placeholder `id`) of the 404 when there is no such row.
    row = session.exec(
        select(model).where(col(model.id) == row_id, col(model.base_id) == base_id)
    ).first()
    if row is None:
        raise NotFound(_(missing, id=row_id))
    return row


def _of_base(session: Session, model: type[Record], base_id: str, *order: Any) -> list[Record]:
    """A base's records of one kind, in the given order."""
    stmt = select(model).where(col(model.base_id) == base_id).order_by(*order)
    return list(session.exec(stmt))


# --- evaluations ---------------------------------------------------------------------------------


def evaluations(session: Session, base_id: str) -> list[EvaluationRow]:
    """Every evaluation of a base, oldest first (the term's rule reads them all)."""
    order = (col(EvaluationRow.evaluated_on), col(EvaluationRow.id))
    return _of_base(session, EvaluationRow, base_id, *order)


def list_evaluations(
    session: Session, base_id: str, page: PageRequest
) -> PageResult[EvaluationRow]:
    """A page of a base's evaluations, in the order they were recorded."""
    return page_under(session, EvaluationRow, base_id, page)


def get_evaluation(session: Session, base_id: str, evaluation_id: str) -> EvaluationRow:
    """One evaluation of a base, or 404."""
    return _one(session, EvaluationRow, base_id, evaluation_id, N_("evaluation {id} not found"))


def add_evaluation(
    session: Session, base: BaseRow, *, fields: dict[str, Any], evaluated_by: str
) -> EvaluationRow:
    """Record an evaluation."""
    return save(session, EvaluationRow(**fields, **base.owner_scope(), evaluated_by=evaluated_by))


# --- inspections and promotions ------------------------------------------------------------------


def add_inspection(
    session: Session, base: BaseRow, *, fields: dict[str, Any], recorded_by: str
) -> BaseInspectionRow:
    """Record an inspection."""
    return save(session, BaseInspectionRow(**fields, **base.owner_scope(), recorded_by=recorded_by))


def inspections(session: Session, base_id: str, page: PageRequest) -> PageResult[BaseInspectionRow]:
    """A page of a base's inspections, in the order they were recorded."""
    return page_under(session, BaseInspectionRow, base_id, page)


def add_promotion(
    session: Session, base: BaseRow, *, fields: dict[str, Any], recommended_by: str
) -> PromotionRow:
    """Record a recommendation upward."""
    return save(
        session, PromotionRow(**fields, **base.owner_scope(), recommended_by=recommended_by)
    )


def promotions(session: Session, base_id: str, page: PageRequest) -> PageResult[PromotionRow]:
    """A page of a base's recommendations upward, in the order they were recorded."""
    return page_under(session, PromotionRow, base_id, page)


# --- notices and revocation ----------------------------------------------------------------------


def add_notice(
    session: Session,
    base: BaseRow,
    *,
    reason: str,
    due_on: date,
    issued_at: datetime,
    issued_by: str,
) -> NoticeRow:
    """Issue a rectification notice."""
    return save(
        session,
        NoticeRow(
            **base.owner_scope(),
            finding=reason,
            deadline=due_on,
            issued_at=issued_at,
            issued_by=issued_by,
        ),
    )


def notices(session: Session, base_id: str) -> list[NoticeRow]:
    """Every rectification notice of a base, oldest first (revocation's rule reads them all)."""
    return _of_base(session, NoticeRow, base_id, col(NoticeRow.issued_at))


def list_notices(session: Session, base_id: str, page: PageRequest) -> PageResult[NoticeRow]:
    """A page of a base's rectification notices, in the order they were issued."""
    return page_under(session, NoticeRow, base_id, page)


def get_notice(session: Session, base_id: str, notice_id: str) -> NoticeRow:
    """One notice of a base, or 404."""
    return _one(session, NoticeRow, base_id, notice_id, N_("rectification notice {id} not found"))


def close_notice(
    session: Session,
    row: NoticeRow,
    *,
    outcome: NoticeOutcome,
    note: str,
    closed_at: datetime,
    closed_by: str,
) -> NoticeRow:
    """Close a notice as rectified or not."""
    row.outcome = outcome.value
    row.close_note = note
    row.closed_at = closed_at
    row.closed_by = closed_by
    return save(session, row)


def revocation_of(session: Session, base_id: str) -> RevocationRow | None:
    """The revocation of a base, if revoked."""
    return session.exec(select(RevocationRow).where(RevocationRow.base_id == base_id)).first()


def revoke(
    session: Session,
    base: BaseRow,
    *,
    grounds: list[str],
    evidence: list[str],
    reason: str,
    supporting_notices: list[str],
    decided_by: str,
    decided_at: datetime,
) -> RevocationRow:
    """Revoke at once: the base leaves the public directory in the same transaction."""
    row = RevocationRow(
        **base.owner_scope(),
        grounds=grounds,
        evidence=evidence,
        reason=reason,
        supporting_notices=supporting_notices,
        decided_by=decided_by,
        decided_at=decided_at,
    )
    base.status = BaseStatus.REVOKED.value
    base.revoked_at = decided_at
    session.add(row)
    session.add(base)
    session.flush()
    return row
