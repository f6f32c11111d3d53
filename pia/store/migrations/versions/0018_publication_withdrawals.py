"""Publication withdrawals: items withdrawn from a publication already made, by a redaction
approved after it (applied when the publication is served; its public data stays as published).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "publication_withdrawals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("question", sa.String(length=100), nullable=False),
        sa.Column("evidence_number", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("redaction_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('answer', 'note', 'evidence')", name=op.f("ck_publication_withdrawals_kind")
        ),
        sa.CheckConstraint(
            "reason IN ('security', 'ongoing_investigation', 'personal_data', "
            "'commercial_confidence')",
            name=op.f("ck_publication_withdrawals_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_publication_withdrawals_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publications.id"],
            name=op.f("fk_publication_withdrawals_publication_id_publications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["redaction_id"],
            ["redactions.id"],
            name=op.f("fk_publication_withdrawals_redaction_id_redactions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"],
            ["users.id"],
            name=op.f("fk_publication_withdrawals_withdrawn_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_withdrawals")),
        sa.UniqueConstraint(
            "publication_id",
            "kind",
            "question",
            "evidence_number",
            name="uq_publication_withdrawals_item",
        ),
    )


def downgrade() -> None:
    op.drop_table("publication_withdrawals")
