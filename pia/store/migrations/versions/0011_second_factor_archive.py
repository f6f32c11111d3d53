"""TOTP second factors with recovery codes, and archived assessments.

- second_factors: one per account that has (or is enrolling) a TOTP authenticator; last_step
  stops a code being used twice.
- recovery_codes: single-use codes, argon2id hashes only.
- assessments.archived_at: set while an assessment is archived (read-only, off the dashboard).
  The two list indexes gain it after the agency: the lists show what is not archived, and
  without it every row counted or skipped would be read from the table.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The dashboard's and the reviewer's list index: before -> after.
LIST_INDEXES = (
    (("agency_id", "updated_at", "id"), ("agency_id", "archived_at", "updated_at", "id")),
    (("agency_id", "submitted_at", "id"), ("agency_id", "archived_at", "submitted_at", "id")),
)


def upgrade() -> None:
    op.create_table(
        "second_factors",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_step", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_second_factors_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_second_factors")),
    )
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("selector", sa.String(length=16), nullable=False),
        sa.Column("code_hash", sa.String(length=255), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_recovery_codes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
        sa.UniqueConstraint("user_id", "selector", name=op.f("uq_recovery_codes_user_id_selector")),
    )
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    for old, new in LIST_INDEXES:
        op.drop_index(op.f(f"ix_assessments_{'_'.join(old)}"), table_name="assessments")
        op.create_index(op.f(f"ix_assessments_{'_'.join(new)}"), "assessments", list(new))


def downgrade() -> None:
    for old, new in LIST_INDEXES:
        op.drop_index(op.f(f"ix_assessments_{'_'.join(new)}"), table_name="assessments")
        op.create_index(op.f(f"ix_assessments_{'_'.join(old)}"), "assessments", list(old))
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("archived_at")
    op.drop_table("recovery_codes")
    op.drop_table("second_factors")
