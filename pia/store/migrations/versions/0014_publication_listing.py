"""Publications carry their title and overall level, so the public list reads neither the frozen
public data nor the assessment.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("publications") as batch:
        batch.add_column(
            sa.Column("title", sa.String(length=200), server_default="", nullable=False)
        )
        batch.add_column(
            sa.Column("overall_level", sa.String(length=50), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("publications") as batch:
        batch.drop_column("overall_level")
        batch.drop_column("title")
