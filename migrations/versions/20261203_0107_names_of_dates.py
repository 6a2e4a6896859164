"""Dates named `<event>_on` throughout (issue 11): a policy's `effective_from` becomes
`effective_on`, a compliance summary's `as_of` becomes `evaluated_on`.

Revision ID: 0107
Revises: 0106
Create Date: 2026-12-03 11:00:00.000000
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0107"
down_revision: str | Sequence[str] | None = "0106"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rename_policy_column(old: str, new: str) -> None:
    with op.batch_alter_table("base_policies") as batch_op:
        batch_op.drop_constraint(f"uq_base_policies_{old}", type_="unique")
        batch_op.alter_column(old, new_column_name=new)
    # A second batch: SQLite's copy-and-move drops a constraint on a column renamed in the same one.
    with op.batch_alter_table("base_policies") as batch_op:
        batch_op.create_unique_constraint(f"uq_base_policies_{new}", [new])


def _rename_summary_key(old: str, new: str) -> None:
    evaluations = sa.table("base_evaluations", sa.column("id"), sa.column("summaries", sa.JSON))
    conn = op.get_bind()
    for row_id, summaries in conn.execute(sa.select(evaluations.c.id, evaluations.c.summaries)):
        renamed: list[dict[str, Any]] = [
            {(new if k == old else k): v for k, v in s.items()} for s in summaries or []
        ]
        conn.execute(
            evaluations.update().where(evaluations.c.id == row_id).values(summaries=renamed)
        )


def upgrade() -> None:
    """Rename the policy column and the key in stored compliance summaries."""
    _rename_policy_column("effective_from", "effective_on")
    _rename_summary_key("as_of", "evaluated_on")


def downgrade() -> None:
    """The v1 names again."""
    _rename_policy_column("effective_on", "effective_from")
    _rename_summary_key("evaluated_on", "as_of")
