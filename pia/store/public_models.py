"""What an assessment shows the public: redactions, publications, public comments and the agency's
responses, and the community meetings held about it.

A Publication is a frozen public revision: the redacted copy of one decided revision, with its own
fingerprint, never changed after it is written (a later publication supersedes it). Redactions are
asked for by the officer and approved by a reviewer before anything is published; they name what
they hide (an answer, a note or an evidence file) and why, from a fixed list of reasons.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from pia.store.models import Base, utcnow

# What a redaction hides.
REDACT_ANSWER = "answer"
REDACT_NOTE = "note"
REDACT_EVIDENCE = "evidence"
REDACTION_TARGETS = (REDACT_ANSWER, REDACT_NOTE, REDACT_EVIDENCE)

# Why: the fixed list the public sees as "[withheld: <label>]".
REDACTION_REASONS = {
    "security": "security",
    "ongoing_investigation": "ongoing investigation",
    "personal_data": "personal data",
    "commercial_confidence": "commercial confidence",
}

# A publication's stage: open for public comment, or the final report.
STAGE_COMMENT = "comment"
STAGE_FINAL = "final"
PUBLICATION_STAGES = (STAGE_COMMENT, STAGE_FINAL)

# A public comment's place in the moderation queue.
COMMENT_PENDING = "pending"
COMMENT_APPROVED = "approved"
COMMENT_REJECTED = "rejected"
COMMENT_DUPLICATE = "duplicate"
PUBLIC_COMMENT_STATES = (COMMENT_PENDING, COMMENT_APPROVED, COMMENT_REJECTED, COMMENT_DUPLICATE)


class Redaction(Base):
    """One answer, note or evidence file withheld from the public, with its reason."""

    __tablename__ = "redactions"
    __table_args__ = (
        CheckConstraint(f"target_kind IN {REDACTION_TARGETS!r}", name="target_kind"),
        CheckConstraint(f"reason IN {tuple(REDACTION_REASONS)!r}", name="reason"),
        UniqueConstraint(
            "assessment_id", "target_kind", "target_id", "value_sha256", name="uq_redactions_item"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(100))  # question id, or evidence id as text
    # "" for the answer or note whatever it says; for one as an earlier publication showed it
    # (changed since), the SHA-256 of that text (pia.report.public.published_value_sha256): only
    # that text is withheld, wherever it is shown.
    value_sha256: Mapped[str] = mapped_column(String(64), server_default="", default="")
    reason: Mapped[str] = mapped_column(String(32))
    explanation: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    # None until a reviewer approves it; changing the redaction clears the approval.
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def reason_label(self) -> str:
        return REDACTION_REASONS.get(self.reason, self.reason)


class PublicationPermission(Base):
    """The board's permission to publish a decided revision."""

    __tablename__ = "publication_permissions"
    __table_args__ = (UniqueConstraint("assessment_id", "revision_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    revision_number: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    allowed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    allowed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Publication(Base):
    """A frozen public revision: the redacted copy of one revision, as published at one stage."""

    __tablename__ = "publications"
    __table_args__ = (
        CheckConstraint(f"stage IN {PUBLICATION_STAGES!r}", name="stage"),
        Index(None, "assessment_id", "id"),
        # The public list and feeds: newest first, by agency.
        Index(None, "published_at", "id"),
        Index(None, "agency_id", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="RESTRICT"))
    revision_number: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(16))
    comment_opens_on: Mapped[date | None] = mapped_column(default=None)
    comment_closes_on: Mapped[date | None] = mapped_column(default=None)
    # Everything the public sees, redacted: meta, answers and notes with withheld markers, the
    # evaluation, the evidence list and the redactions applied (reasons only).
    # Deferred: a publication's row is read on every public request (for its validators), its
    # public data (a whole report) only when a page or file is rendered.
    public_data: Mapped[dict[str, Any]] = mapped_column(JSON(), deferred=True)
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of public_data, canonical
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Copied from the public data (migration 0014) so the public list reads neither it nor the
    # assessment.
    title: Mapped[str] = mapped_column(String(200), server_default="", default="")
    overall_level: Mapped[str] = mapped_column(String(50), server_default="", default="")


class PublicationWithdrawal(Base):
    """An item withdrawn from a publication already made: a redaction approved after the
    publication, applied to it when it is served (its stored public data stays as published).
    Written once with the approval and never changed: withdrawing or changing the redaction later
    does not put the item back into this publication."""

    __tablename__ = "publication_withdrawals"
    __table_args__ = (
        CheckConstraint(f"kind IN {REDACTION_TARGETS!r}", name="kind"),
        CheckConstraint(f"reason IN {tuple(REDACTION_REASONS)!r}", name="reason"),
        # Named here: the convention's name (every column's) passes PostgreSQL's 63 characters.
        UniqueConstraint(
            "publication_id",
            "kind",
            "question",
            "evidence_number",
            name="uq_publication_withdrawals_item",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id", ondelete="CASCADE"))
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # answer, note or evidence
    question: Mapped[str] = mapped_column(String(100))  # the question it belongs to
    # An evidence file's place (1-based) in the publication's evidence list; 0 for the others.
    evidence_number: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(String(32))
    redaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("redactions.id", ondelete="SET NULL")
    )
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_on: Mapped[date] = mapped_column()  # the agency's date, as the public reads it

    @property
    def reason_label(self) -> str:
        return REDACTION_REASONS.get(self.reason, self.reason)


class CommentResponse(Base):
    """The agency's answer to one public comment or to a theme of several."""

    __tablename__ = "comment_responses"
    __table_args__ = (Index(None, "publication_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id", ondelete="CASCADE"))
    theme: Mapped[str] = mapped_column(String(200), default="")  # "" for a single comment's
    body: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the agency corrected it: the text above is then the corrected one, and each
    # earlier version is a CommentResponseVersion.
    corrected_at: Mapped[datetime | None] = mapped_column(default=None)
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CommentResponseVersion(Base):
    """An earlier text of a response the agency corrected, kept as it was published."""

    __tablename__ = "comment_response_versions"
    __table_args__ = (UniqueConstraint("response_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("comment_responses.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1 for the first text, 2 for the next...
    theme: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    written_at: Mapped[datetime] = mapped_column()
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    superseded_at: Mapped[datetime] = mapped_column()


class PublicComment(Base):
    """A comment from the public on a publication open for comment; plain text everywhere."""

    __tablename__ = "public_comments"
    __table_args__ = (
        CheckConstraint(f"state IN {PUBLIC_COMMENT_STATES!r}", name="state"),
        Index(None, "publication_id", "state", "id"),
        Index(None, "assessment_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id", ondelete="CASCADE"))
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(200), default="")  # optional
    email: Mapped[str] = mapped_column(String(254), default="")  # optional, never published
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(16), default=COMMENT_PENDING)
    moderation_reason: Mapped[str] = mapped_column(Text, default="")
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("public_comments.id", ondelete="SET NULL")
    )
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    moderated_at: Mapped[datetime | None] = mapped_column(default=None)
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("comment_responses.id", ondelete="SET NULL")
    )


class PublicCommentRate(Base):
    """Comments received per client per time window: the public comment form's rate limit, kept
    in the database so that every `pia serve` process counts the same (one upsert per comment)."""

    __tablename__ = "public_comment_rates"

    client_key: Mapped[str] = mapped_column(String(64), primary_key=True)  # hash of the address
    window_start: Mapped[datetime] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class CommunityMeeting(Base):
    """A community consultation meeting held about an assessment."""

    __tablename__ = "community_meetings"
    __table_args__ = (Index(None, "assessment_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    held_on: Mapped[date] = mapped_column()
    place: Mapped[str] = mapped_column(String(500))  # an address or a link
    attendance: Mapped[int | None] = mapped_column(Integer, default=None)
    summary: Mapped[str] = mapped_column(Text)
    materials_note: Mapped[str] = mapped_column(Text, default="")
    materials_filename: Mapped[str] = mapped_column(String(255), default="")
    materials_content_type: Mapped[str] = mapped_column(String(100), default="")
    materials_sha256: Mapped[str] = mapped_column(String(64), default="")
    materials_data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True, default=None)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarFeed(Base):
    """An agency's secret calendar feed address: only the SHA-256 of its token is kept, so the
    address is shown once when made; making a new one retires the old."""

    __tablename__ = "calendar_feeds"

    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), primary_key=True
    )
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
