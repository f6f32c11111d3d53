"""The database tables as SQLAlchemy 2 declarative models.

Times are stored in UTC and always come back timezone-aware, on SQLite as on PostgreSQL. JSON
columns are replaced wholesale, never mutated in place (the ORM does not see in-place changes).
A Revision is immutable: the ORM refuses to update or delete one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column, relationship

from pia.store.errors import StoreError

OFFICER = "officer"
REVIEWER = "reviewer"
ADMIN = "admin"
ROLES = (OFFICER, REVIEWER, ADMIN)

# The review lifecycle (see pia.store.policy and docs/review.md).
DRAFT = "draft"
SUBMITTED = "submitted"
IN_REVIEW = "in_review"
CHANGES_REQUESTED = "changes_requested"
RESUBMITTED = "resubmitted"
APPROVED = "approved"
APPROVED_WITH_CONDITIONS = "approved_with_conditions"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
STATUSES = (
    DRAFT,
    SUBMITTED,
    IN_REVIEW,
    CHANGES_REQUESTED,
    RESUBMITTED,
    APPROVED,
    APPROVED_WITH_CONDITIONS,
    REJECTED,
    WITHDRAWN,
)
DECIDED = (APPROVED, APPROVED_WITH_CONDITIONS, REJECTED)
STATUS_LABELS = {
    DRAFT: "Draft",
    SUBMITTED: "Submitted",
    IN_REVIEW: "In review",
    CHANGES_REQUESTED: "Changes requested",
    RESUBMITTED: "Resubmitted",
    APPROVED: "Approved",
    APPROVED_WITH_CONDITIONS: "Approved with conditions",
    REJECTED: "Rejected",
    WITHDRAWN: "Withdrawn",
}

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and read back timezone-aware on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one (UTC)")
        value = value.astimezone(UTC)
        # SQLite has no time zones: keep UTC wall time.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
    }


user_remit = Table(
    "user_remit",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("agencies.id", ondelete="CASCADE"), primary_key=True),
)


class Agency(Base):
    __tablename__ = "agencies"
    __mapper_args__: ClassVar[dict[str, Any]] = {"eager_defaults": False}  # no RETURNING time_zone

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # IANA name (e.g. "Europe/Berlin"): times are shown to the agency's people in this zone.
    # Loaded when first read, and defaulted by the database: code that creates and reads agencies
    # (the migration tests run it on older schemas) never names the column otherwise.
    time_zone: Mapped[str] = mapped_column(String(64), server_default="UTC", deferred=True)

    def __repr__(self) -> str:
        return f"<Agency {self.id} {self.name!r}>"


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    # Officers belong to one agency; reviewers and admins to none.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="RESTRICT"))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Raised to end every session at once (pia.store.sessions): a session cookie carries the
    # version it was issued at and opens nothing once the stored version has moved on.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agency: Mapped[Agency | None] = relationship(lazy="joined")
    # A reviewer's remit: the agencies whose submissions they may read.
    remit: Mapped[list[Agency]] = relationship(
        secondary=user_remit, lazy="selectin", order_by=Agency.name
    )

    @property
    def remit_ids(self) -> frozenset[int]:
        return frozenset(agency.id for agency in self.remit)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r} {self.role}>"


class Assessment(Base):
    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES!r}", name="status"),
        # The officer's dashboard: one agency, not archived, most recently changed first.
        Index(None, "agency_id", "archived_at", "updated_at", "id"),
        # The reviewer's list: submitted at least once, not archived, most recently submitted
        # first.
        Index(None, "agency_id", "archived_at", "submitted_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(200))
    technology: Mapped[str] = mapped_column(String(200), default="")
    vendor: Mapped[str] = mapped_column(String(200), default="")
    product: Mapped[str] = mapped_column(String(200), default="")
    product_version: Mapped[str] = mapped_column(String(200), default="")
    profiles: Mapped[list[str]] = mapped_column(default=list)  # jurisdiction profile ids
    # The bank the answers were last evaluated against.
    bank_id: Mapped[str] = mapped_column(String(100))
    bank_version: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(32), default=DRAFT)
    # Optimistic lock: +1 on every save; a save names the version it started from.
    lock_version: Mapped[int] = mapped_column(Integer, default=0)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)  # question id -> value
    notes: Mapped[dict[str, Any]] = mapped_column(default=dict)  # question id -> text
    # Cached from the latest evaluation, so lists need no evaluation and no answers.
    overall_level: Mapped[str] = mapped_column(String(50), default="")
    progress_percent: Mapped[int] = mapped_column(Integer, default=0)
    revision_count: Mapped[int] = mapped_column(Integer, default=0)
    # The latest submission, for the reviewer's list.
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    submitted_level: Mapped[str] = mapped_column(String(50), default="")
    # Set by the board's decision: when the assessment must be looked at again.
    review_due_on: Mapped[date | None] = mapped_column(default=None)
    # Set while archived: kept for the record, off the dashboard by default and read-only.
    archived_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    agency: Mapped[Agency] = relationship(lazy="joined")

    @property
    def is_submitted(self) -> bool:
        return self.status == SUBMITTED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def __repr__(self) -> str:
        return f"<Assessment {self.id} {self.title!r} v{self.lock_version} {self.status}>"


class Revision(Base):
    """A submission: what was answered, how it evaluated, against which bank. Never changes."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("assessment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per assessment
    answers: Mapped[dict[str, Any]] = mapped_column()
    notes: Mapped[dict[str, Any]] = mapped_column()
    evaluation: Mapped[dict[str, Any]] = mapped_column()  # pia.engine.evaluation_to_dict
    bank_id: Mapped[str] = mapped_column(String(100))
    bank_version: Mapped[str] = mapped_column(String(50))
    # SHA-256 of bank id, version, answers, notes and evidence (pia.engine.evaluation.fingerprint).
    fingerprint: Mapped[str] = mapped_column(String(64))
    # The evidence set as it was at submission: [{evidence_id, question, filename, sha256, size}]
    # in EVIDENCE_ORDER. None for revisions submitted before evidence was frozen with them.
    evidence: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON(), default=None)
    profiles: Mapped[list[str]] = mapped_column()
    # Title, technology, vendor, product, product_version and agency name as submitted.
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON())
    overall_level: Mapped[str] = mapped_column(String(50))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    submitted_by: Mapped[User | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Revision {self.assessment_id}#{self.number} {self.fingerprint[:12]}>"


class ImmutableRevision(StoreError):
    """Something tried to change or delete a submitted revision."""


@event.listens_for(Revision, "before_update")
def _refuse_revision_update(_mapper: Mapper[Any], _connection: Any, target: Revision) -> None:
    raise ImmutableRevision(
        f"revision {target.number} of assessment {target.assessment_id} "
        "is a submission and cannot be changed"
    )


@event.listens_for(Revision, "before_delete")
def _refuse_revision_delete(_mapper: Mapper[Any], _connection: Any, target: Revision) -> None:
    raise ImmutableRevision(
        f"revision {target.number} of assessment {target.assessment_id} "
        "is a submission and cannot be deleted"
    )


class Evidence(Base):
    __tablename__ = "evidence"
    __table_args__ = (Index(None, "assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(255))  # sanitised
    content_type: Mapped[str] = mapped_column(String(100))  # as detected from the bytes
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # Deferred: lists of evidence never load the files.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Removed from the working copy. The row stays: a revision may hold the file.
    removed_at: Mapped[datetime | None] = mapped_column(default=None)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<Evidence {self.id} {self.filename!r} {self.size}B>"


class AuditEvent(Base):
    """One state change. Events form one hash chain per installation (pia.store.audit_chain):
    `seq` is the event's place in it, `prev_hash` the hash of the event before, `hash` the
    SHA-256 of this event's fields and `prev_hash`. The three are set when the event's
    transaction commits; an event without them was not written by pia."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index(None, "assessment_id", "at"),
        Index(None, "at"),
        Index(None, "seq", unique=True),
        Index(None, "actor_id", "seq"),
        Index(None, "agency_id", "seq"),
        Index(None, "action", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(64))  # e.g. "assessment.submitted"
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    seq: Mapped[int | None] = mapped_column(Integer, default=None)
    prev_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    hash: Mapped[str | None] = mapped_column(String(64), default=None)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} #{self.seq} {self.action}>"


class AuditChainHead(Base):
    """The one row that says where the audit chain ends. Appending locks it, so appends from
    several processes are serialised; verifying compares it with the newest event, so deleting
    the newest events is noticed too."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)  # of the newest event, 0 when there is none
    hash: Mapped[str] = mapped_column(String(64))  # of the newest event, GENESIS when none


class PlanItem(Base):
    """An item of the action plan that the officer adopted, with who does it and by when.

    `item_id` is the engine's stable id (pia.engine.PlanItem.id, e.g. "safeguard:rule.mitigation");
    `text` keeps what the item said when adopted, should a later bank word it differently.
    """

    __tablename__ = "plan_items"
    __table_args__ = (UniqueConstraint("assessment_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(String(1000))
    owner: Mapped[str] = mapped_column(String(200))
    due: Mapped[date] = mapped_column(Date)
    adopted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    adopted_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(default=None)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<PlanItem {self.id} {self.item_id!r} due {self.due}>"


class SigninAttempts(Base):
    """Sign-in attempts counted against one key in the current window (pia.store.signin_limit).

    `key` is a SHA-256 over the email as typed (and, for the per-address limit, the client's
    address): the limit must match attempts, not read them (who tried is in the audit trail, the
    address nowhere). One row per key, counted up by one atomic statement per attempt.
    """

    __tablename__ = "signin_attempts"
    __table_args__ = (Index(None, "window_start"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer)


class PasswordReset(Base):
    """A single-use, expiring link an administrator issued for someone to set a new password.

    Only the SHA-256 of the link's secret is stored: a copy of the database opens no account.
    """

    __tablename__ = "password_resets"
    __table_args__ = (Index(None, "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class SecondFactor(Base):
    """An account's TOTP second factor (RFC 6238, pia.store.second_factor).

    A row is written when a code from the app has proved it holds the secret (`confirmed_at`).
    The secret is kept as the authenticator app keeps it (a code can only be checked with it).
    `last_step` is the time step of the last code accepted: a code is refused unless its step
    is later, so a code seen over someone's shoulder cannot be used again within its window.
    """

    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    last_step: Mapped[int | None] = mapped_column(BigInteger, default=None)


class RecoveryCode(Base):
    """A single-use code that stands in for the authenticator. `selector` (the code's first
    group) finds the row; the whole code is checked against `code_hash` (argon2id, as
    passwords are), so a copy of the database opens no account."""

    __tablename__ = "recovery_codes"
    __table_args__ = (UniqueConstraint("user_id", "selector"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    selector: Mapped[str] = mapped_column(String(16))
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class OutboxMessage(Base):
    """An email waiting to be sent, written in the transaction of the change it tells about.

    A sender claims due messages (`claim_token`, `claimed_until`: a lease, so a crashed sender's
    messages are retried), sends them and sets `sent_at`; a failure counts an attempt and waits
    longer before the next (`next_attempt_at`); after the last attempt `failed_at` is set.
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (Index(None, "sent_at", "failed_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. "submitted"
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(String(32), default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    failed_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str] = mapped_column(String(500), default="")

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} to {self.recipient!r}>"


class ReminderSent(Base):
    """A due-date reminder already queued: the unique key makes the scheduled check, run by
    several processes, queue each reminder once."""

    __tablename__ = "mail_reminders"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
