"""A condition of an approval may point at an adopted action-plan item.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conditions") as batch:
        batch.add_column(sa.Column("plan_item_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_conditions_plan_item_id_plan_items"),
            "plan_items",
            ["plan_item_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(op.f("ix_conditions_plan_item_id"), ["plan_item_id"])


def downgrade() -> None:
    with op.batch_alter_table("conditions") as batch:
        batch.drop_index(op.f("ix_conditions_plan_item_id"))
        batch.drop_constraint(op.f("fk_conditions_plan_item_id_plan_items"), type_="foreignkey")
        batch.drop_column("plan_item_id")
