"""Comment corrections: a response the agency corrected keeps each earlier text.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("comment_responses") as batch:
        batch.add_column(sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("corrected_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_comment_responses_corrected_by_id_users"),
            "users",
            ["corrected_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "comment_response_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=True),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["comment_responses.id"],
            name=op.f("fk_comment_response_versions_response_id_comment_responses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"],
            ["users.id"],
            name=op.f("fk_comment_response_versions_written_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["users.id"],
            name=op.f("fk_comment_response_versions_superseded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_response_versions")),
        sa.UniqueConstraint(
            "response_id", "number", name=op.f("uq_comment_response_versions_response_id_number")
        ),
    )


def downgrade() -> None:
    op.drop_table("comment_response_versions")
    with op.batch_alter_table("comment_responses") as batch:
        batch.drop_constraint(
            op.f("fk_comment_responses_corrected_by_id_users"), type_="foreignkey"
        )
        batch.drop_column("corrected_by_id")
        batch.drop_column("corrected_at")
