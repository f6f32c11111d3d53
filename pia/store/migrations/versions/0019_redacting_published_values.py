"""Redacting a published value: a redaction may name an answer or note as an earlier
publication showed it (its SHA-256), so that text is taken down without the question's current
answer.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_UNIQUE = "uq_redactions_assessment_id_target_kind_target_id"
NEW_UNIQUE = "uq_redactions_item"


def upgrade() -> None:
    with op.batch_alter_table("redactions") as batch:
        batch.add_column(
            sa.Column("value_sha256", sa.String(length=64), server_default="", nullable=False)
        )
        batch.drop_constraint(OLD_UNIQUE, type_="unique")
        batch.create_unique_constraint(
            NEW_UNIQUE, ["assessment_id", "target_kind", "target_id", "value_sha256"]
        )


def downgrade() -> None:
    # The older schema has one redaction per item: those of a published value cannot stay.
    op.execute("DELETE FROM redactions WHERE value_sha256 <> ''")
    with op.batch_alter_table("redactions") as batch:
        batch.drop_constraint(NEW_UNIQUE, type_="unique")
        batch.create_unique_constraint(OLD_UNIQUE, ["assessment_id", "target_kind", "target_id"])
        batch.drop_column("value_sha256")
