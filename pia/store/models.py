"""The database tables as SQLAlchemy 2 declarative models.

Times are stored in UTC and always come back timezone-aware, on SQLite as on PostgreSQL. JSON
columns are replaced wholesale, never mutated in place (the ORM does not see in-place changes).
A Revision is immutable: the ORM refuses to update or delete one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
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

DRAFT = "draft"
SUBMITTED = "submitted"
STATUSES = (DRAFT, SUBMITTED)

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

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

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
        # The officer's dashboard: one agency, most recently changed first.
        Index(None, "agency_id", "updated_at", "id"),
        # The reviewer's list: submitted at least once, most recently submitted first.
        Index(None, "agency_id", "submitted_at", "id"),
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
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
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
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    agency: Mapped[Agency] = relationship(lazy="joined")

    @property
    def is_submitted(self) -> bool:
        return self.status == SUBMITTED

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
    # SHA-256 of bank id, version, answers and notes (pia.engine.evaluation.fingerprint).
    fingerprint: Mapped[str] = mapped_column(String(64))
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

    def __repr__(self) -> str:
        return f"<Evidence {self.id} {self.filename!r} {self.size}B>"


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index(None, "assessment_id", "at"), Index(None, "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(64))  # e.g. "assessment.submitted"
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action}>"


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
