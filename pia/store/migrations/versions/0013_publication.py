"""Publication: redactions, the board's permission to publish, publications (frozen public
revisions), public comments with the agency's responses and their rate limit, community meetings.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "public_comments",
    "comment_responses",
    "publications",
    "publication_permissions",
    "redactions",
    "community_meetings",
    "public_comment_rates",
)


def upgrade() -> None:
    op.create_table(
        "public_comment_rates",
        sa.Column("client_key", sa.String(length=64), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("client_key", "window_start", name=op.f("pk_public_comment_rates")),
    )
    op.create_table(
        "community_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=500), nullable=False),
        sa.Column("attendance", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("materials_note", sa.Text(), nullable=False),
        sa.Column("materials_filename", sa.String(length=255), nullable=False),
        sa.Column("materials_content_type", sa.String(length=100), nullable=False),
        sa.Column("materials_sha256", sa.String(length=64), nullable=False),
        sa.Column("materials_data", sa.LargeBinary(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_community_meetings_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_community_meetings_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_meetings")),
    )
    op.create_index(
        op.f("ix_community_meetings_assessment_id_held_on"),
        "community_meetings",
        ["assessment_id", "held_on"],
        unique=False,
    )
    op.create_table(
        "publication_permissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("allowed_by_id", sa.Integer(), nullable=True),
        sa.Column("allowed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["allowed_by_id"],
            ["users.id"],
            name=op.f("fk_publication_permissions_allowed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_publication_permissions_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_permissions")),
        sa.UniqueConstraint(
            "assessment_id",
            "revision_number",
            name=op.f("uq_publication_permissions_assessment_id_revision_number"),
        ),
    )
    op.create_table(
        "publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("comment_opens_on", sa.Date(), nullable=True),
        sa.Column("comment_closes_on", sa.Date(), nullable=True),
        sa.Column("public_data", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("stage IN ('comment', 'final')", name=op.f("ck_publications_stage")),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
            name=op.f("fk_publications_agency_id_agencies"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_publications_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_publications_published_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publications")),
    )
    op.create_index(
        op.f("ix_publications_agency_id_published_at"),
        "publications",
        ["agency_id", "published_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_publications_assessment_id_id"),
        "publications",
        ["assessment_id", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_publications_published_at_id"),
        "publications",
        ["published_at", "id"],
        unique=False,
    )
    op.create_table(
        "redactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "reason IN ('security', 'ongoing_investigation', 'personal_data', "
            "'commercial_confidence')",
            name=op.f("ck_redactions_reason"),
        ),
        sa.CheckConstraint(
            "target_kind IN ('answer', 'note', 'evidence')", name=op.f("ck_redactions_target_kind")
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["users.id"],
            name=op.f("fk_redactions_approved_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_redactions_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_redactions_requested_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redactions")),
        sa.UniqueConstraint(
            "assessment_id",
            "target_kind",
            "target_id",
            name=op.f("uq_redactions_assessment_id_target_kind_target_id"),
        ),
    )
    op.create_table(
        "comment_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=True),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_comment_responses_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publications.id"],
            name=op.f("fk_comment_responses_publication_id_publications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"],
            ["users.id"],
            name=op.f("fk_comment_responses_written_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_responses")),
    )
    op.create_index(
        op.f("ix_comment_responses_publication_id_id"),
        "comment_responses",
        ["publication_id", "id"],
        unique=False,
    )
    op.create_table(
        "public_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("moderation_reason", sa.Text(), nullable=False),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("moderated_by_id", sa.Integer(), nullable=True),
        sa.Column("moderated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("response_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'approved', 'rejected', 'duplicate')",
            name=op.f("ck_public_comments_state"),
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_public_comments_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"],
            ["public_comments.id"],
            name=op.f("fk_public_comments_duplicate_of_id_public_comments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["moderated_by_id"],
            ["users.id"],
            name=op.f("fk_public_comments_moderated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publications.id"],
            name=op.f("fk_public_comments_publication_id_publications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["comment_responses.id"],
            name=op.f("fk_public_comments_response_id_comment_responses"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_comments")),
    )
    op.create_index(
        op.f("ix_public_comments_assessment_id_state"),
        "public_comments",
        ["assessment_id", "state"],
        unique=False,
    )
    op.create_index(
        op.f("ix_public_comments_publication_id_state_id"),
        "public_comments",
        ["publication_id", "state", "id"],
        unique=False,
    )


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
