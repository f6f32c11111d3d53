"""Failed sign-ins in the database, so that every app process shares one sign-in limit.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signin_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signin_failures")),
    )
    op.create_index(
        op.f("ix_signin_failures_key_at"), "signin_failures", ["key", "at"], unique=False
    )
    op.create_index(op.f("ix_signin_failures_at"), "signin_failures", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_signin_failures_at"), table_name="signin_failures")
    op.drop_index(op.f("ix_signin_failures_key_at"), table_name="signin_failures")
    op.drop_table("signin_failures")
