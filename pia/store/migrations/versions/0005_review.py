"""The oversight review: statuses of the review lifecycle, the board's record (comments, its own
ratings, decisions, conditions) and frozen evidence sets.

- assessments.status takes the review statuses (draft, submitted, in_review, changes_requested,
  resubmitted, approved, approved_with_conditions, rejected, withdrawn); review_due_on is set by
  a decision.
- revisions.evidence holds the evidence set as at submission (NULL for earlier revisions, whose
  fingerprints never covered evidence). Added with plain ADD COLUMN, so the revisions table and
  its immutability trigger (0002) stay as they are.
- evidence.removed_at / removed_by_id: a file removed from the draft stays stored, since a
  revision may hold it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUSES = "('draft', 'submitted')"
NEW_STATUSES = (
    "('draft', 'submitted', 'in_review', 'changes_requested', 'resubmitted', 'approved', "
    "'approved_with_conditions', 'rejected', 'withdrawn')"
)


def upgrade() -> None:
    op.create_table(
        "board_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=50), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rated_by_id", sa.Integer(), nullable=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_board_ratings_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rated_by_id"],
            ["users.id"],
            name=op.f("fk_board_ratings_rated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_ratings")),
        sa.UniqueConstraint(
            "assessment_id",
            "revision_number",
            "criterion_id",
            name=op.f("uq_board_ratings_assessment_id_revision_number_criterion_id"),
        ),
    )
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("target_kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "target_kind IN ('assessment', 'question', 'finding')",
            name=op.f("ck_comments_target_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_comments_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_comments_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["comments.id"],
            name=op.f("fk_comments_parent_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["users.id"],
            name=op.f("fk_comments_resolved_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index(
        op.f("ix_comments_assessment_id_id"), "comments", ["assessment_id", "id"], unique=False
    )
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("meeting_on", sa.Date(), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=False),
        sa.Column("votes_against", sa.Integer(), nullable=False),
        sa.Column("votes_abstain", sa.Integer(), nullable=False),
        sa.Column("names_for", sa.Text(), nullable=False),
        sa.Column("names_against", sa.Text(), nullable=False),
        sa.Column("names_abstain", sa.Text(), nullable=False),
        sa.Column("review_due_on", sa.Date(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('approved', 'approved_with_conditions', 'rejected')",
            name=op.f("ck_review_decisions_outcome"),
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_review_decisions_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_review_decisions_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decisions")),
        sa.UniqueConstraint(
            "assessment_id",
            "revision_number",
            name=op.f("uq_review_decisions_assessment_id_revision_number"),
        ),
    )
    op.create_table(
        "conditions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("finding_rule", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("met_note", sa.Text(), nullable=False),
        sa.Column("met_filename", sa.String(length=255), nullable=False),
        sa.Column("met_content_type", sa.String(length=100), nullable=False),
        sa.Column("met_sha256", sa.String(length=64), nullable=False),
        sa.Column("met_data", sa.LargeBinary(), nullable=True),
        sa.Column("met_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("met_by_id", sa.Integer(), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('open', 'met', 'verified')", name=op.f("ck_conditions_state")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_conditions_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["review_decisions.id"],
            name=op.f("fk_conditions_decision_id_review_decisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["met_by_id"],
            ["users.id"],
            name=op.f("fk_conditions_met_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_id"],
            ["users.id"],
            name=op.f("fk_conditions_verified_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conditions")),
    )
    op.create_index(
        op.f("ix_conditions_assessment_id_id"), "conditions", ["assessment_id", "id"], unique=False
    )
    op.create_index(
        op.f("ix_conditions_state_due_on"), "conditions", ["state", "due_on"], unique=False
    )
    with op.batch_alter_table("assessments") as batch:
        batch.drop_constraint(op.f("ck_assessments_status"), type_="check")
        batch.alter_column(
            "status", existing_type=sa.String(16), type_=sa.String(32), existing_nullable=False
        )
        batch.add_column(sa.Column("review_due_on", sa.Date(), nullable=True))
        batch.create_check_constraint(op.f("ck_assessments_status"), f"status IN {NEW_STATUSES}")
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("removed_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_evidence_removed_by_id_users"),
            "users",
            ["removed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.add_column("revisions", sa.Column("evidence", sa.JSON(), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite 3.35+ drops a plain column in place; the revisions trigger stays.
        op.execute("ALTER TABLE revisions DROP COLUMN evidence")
    else:
        op.drop_column("revisions", "evidence")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_constraint(op.f("fk_evidence_removed_by_id_users"), type_="foreignkey")
        batch.drop_column("removed_by_id")
        batch.drop_column("removed_at")
    op.execute(
        "UPDATE assessments SET status = 'submitted' WHERE status NOT IN ('draft', 'submitted')"
    )
    with op.batch_alter_table("assessments") as batch:
        batch.drop_constraint(op.f("ck_assessments_status"), type_="check")
        batch.drop_column("review_due_on")
        batch.alter_column(
            "status", existing_type=sa.String(32), type_=sa.String(16), existing_nullable=False
        )
        batch.create_check_constraint(op.f("ck_assessments_status"), f"status IN {OLD_STATUSES}")
    op.drop_index(op.f("ix_conditions_state_due_on"), table_name="conditions")
    op.drop_index(op.f("ix_conditions_assessment_id_id"), table_name="conditions")
    op.drop_table("conditions")
    op.drop_table("review_decisions")
    op.drop_index(op.f("ix_comments_assessment_id_id"), table_name="comments")
    op.drop_table("comments")
    op.drop_table("board_ratings")
