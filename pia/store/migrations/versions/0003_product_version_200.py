"""Product versions may be as long as the other descriptive fields (200 characters).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.alter_column(
            "product_version", existing_type=sa.String(100), type_=sa.String(200), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.alter_column(
            "product_version", existing_type=sa.String(200), type_=sa.String(100), nullable=False
        )
