"""The board's record beside each revision: comments, its own ratings, decisions, conditions.

None of it is inside a Revision (which never changes) or inside the engine's Evaluation (which the
board never overwrites): each row names the assessment and the revision number it was made against.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pia.store.models import APPROVED, APPROVED_WITH_CONDITIONS, REJECTED, Base, User, utcnow

# What a comment is about.
ON_ASSESSMENT = "assessment"
ON_QUESTION = "question"
ON_FINDING = "finding"
COMMENT_TARGETS = (ON_ASSESSMENT, ON_QUESTION, ON_FINDING)

OUTCOMES = (APPROVED, APPROVED_WITH_CONDITIONS, REJECTED)

# A condition's state: the officer marks it met, a reviewer verifies (or reopens) it.
CONDITION_OPEN = "open"
CONDITION_MET = "met"
CONDITION_VERIFIED = "verified"
CONDITION_STATES = (CONDITION_OPEN, CONDITION_MET, CONDITION_VERIFIED)
CONDITION_LABELS = {
    CONDITION_OPEN: "Open",
    CONDITION_MET: "Met, awaiting verification",
    CONDITION_VERIFIED: "Verified",
}


class Comment(Base):
    """A thread's first comment (parent_id None) or a reply. Threads are resolved as a whole."""

    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint(f"target_kind IN {COMMENT_TARGETS!r}", name="target_kind"),
        Index(None, "assessment_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    revision_number: Mapped[int] = mapped_column(Integer)  # the revision it was written against
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(100), default="")  # question or rule id
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id], lazy="raise")

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class BoardRating(Base):
    """The board's own level for one criterion of one revision, with its reason."""

    __tablename__ = "board_ratings"
    __table_args__ = (UniqueConstraint("assessment_id", "revision_number", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    revision_number: Mapped[int] = mapped_column(Integer)
    criterion_id: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(50))
    reason: Mapped[str] = mapped_column(Text)
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewDecision(Base):
    """The board's decision on one revision: outcome, rationale, meeting and recorded vote."""

    __tablename__ = "review_decisions"
    __table_args__ = (
        CheckConstraint(f"outcome IN {OUTCOMES!r}", name="outcome"),
        UniqueConstraint("assessment_id", "revision_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    revision_number: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(32))
    rationale: Mapped[str] = mapped_column(Text)
    meeting_on: Mapped[date] = mapped_column()
    votes_for: Mapped[int] = mapped_column(Integer, default=0)
    votes_against: Mapped[int] = mapped_column(Integer, default=0)
    votes_abstain: Mapped[int] = mapped_column(Integer, default=0)
    names_for: Mapped[str] = mapped_column(Text, default="")
    names_against: Mapped[str] = mapped_column(Text, default="")
    names_abstain: Mapped[str] = mapped_column(Text, default="")
    review_due_on: Mapped[date | None] = mapped_column(default=None)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class Condition(Base):
    """A condition of an approval: text, owner, due date, optionally the finding it answers."""

    __tablename__ = "conditions"
    __table_args__ = (
        CheckConstraint(f"state IN {CONDITION_STATES!r}", name="state"),
        Index(None, "assessment_id", "id"),
        # Dashboards look for conditions past their due date that are not verified.
        Index(None, "state", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("review_decisions.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column()
    finding_rule: Mapped[str] = mapped_column(String(100), default="")  # "" for none
    # The adopted action-plan item that carries the condition out, if the board named one.
    plan_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_items.id", ondelete="SET NULL"), index=True, default=None
    )
    state: Mapped[str] = mapped_column(String(16), default=CONDITION_OPEN)
    met_note: Mapped[str] = mapped_column(Text, default="")
    # A file showing the condition met, kept with the condition (not in the draft's evidence).
    met_filename: Mapped[str] = mapped_column(String(255), default="")
    met_content_type: Mapped[str] = mapped_column(String(100), default="")
    met_sha256: Mapped[str] = mapped_column(String(64), default="")
    met_data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True, default=None)
    met_at: Mapped[datetime | None] = mapped_column(default=None)
    met_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None] = mapped_column(default=None)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def state_label(self) -> str:
        return CONDITION_LABELS.get(self.state, self.state)
