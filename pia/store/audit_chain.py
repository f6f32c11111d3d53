"""The audit trail as one hash chain per installation, so an edited, deleted or reordered event
is noticed.

Each event's `hash` is the SHA-256 of a canonical serialisation of its fields (time, actor,
agency, assessment, action, detail) and `prev_hash`, the hash of the event before it. The chain
is appended to when the event's transaction commits (a `before_commit` hook on every Session):
the appending transaction locks the single `audit_chain_head` row (SELECT ... FOR UPDATE on
PostgreSQL; on SQLite the write lock the transaction already holds), numbers its events after
the head, hashes them and moves the head. Appends from several processes are therefore
serialised, and the lock is held only while committing. A rolled-back transaction appends nothing.

`verify_chain` walks the events in chain order and reports the first problem.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from pia.store.errors import StoreError
from pia.store.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64  # the "previous hash" of the first event
HEAD_ID = 1
_PENDING = "pia.audit.unchained"  # session.info key: events added in this transaction
_VERIFY_BATCH = 2000


def canonical_detail(detail: Mapping[str, Any] | None) -> dict[str, Any]:
    """The detail as the JSON column gives it back (tuples become lists, keys strings), so the
    hash computed before storing matches the one computed from the stored row."""
    return json.loads(json.dumps(dict(detail or {}), allow_nan=False))


def event_hash(
    prev_hash: str,
    at: datetime,
    actor_id: int | None,
    agency_id: int | None,
    assessment_id: int | None,
    action: str,
    detail: Mapping[str, Any],
) -> str:
    """SHA-256 (hex) of the event's fields and the previous event's hash, canonically encoded."""
    fields = {
        "v": 1,
        "prev": prev_hash,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "agency": agency_id,
        "assessment": assessment_id,
        "action": action,
        "detail": detail,
    }
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_of(row: Any, prev_hash: str) -> str:
    """The hash an event row (an AuditEvent or a result row with its columns) should carry."""
    return event_hash(
        prev_hash,
        row.at,
        row.actor_id,
        row.agency_id,
        row.assessment_id,
        row.action,
        canonical_detail(row.detail),
    )


def mark_unchained(session: Session, added: AuditEvent) -> None:
    """Remember an event added to the session, to be chained when the transaction commits."""
    session.info.setdefault(_PENDING, []).append(added)


@event.listens_for(Session, "before_commit")
def _append_pending(session: Session) -> None:
    pending = [e for e in session.info.pop(_PENDING, ()) if e in session]
    if not pending:
        return
    session.flush()  # the events exist (ids, and on SQLite the write lock) before the head lock
    head = session.execute(
        select(AuditChainHead.seq, AuditChainHead.hash)
        .where(AuditChainHead.id == HEAD_ID)
        .with_for_update()
    ).one_or_none()
    if head is None:
        raise StoreError("the audit chain has no head row: run `pia db upgrade`")
    seq, last_hash = head.seq, head.hash
    for added in sorted(pending, key=lambda e: e.id):
        seq += 1
        added.seq = seq
        added.prev_hash = last_hash
        added.hash = last_hash = hash_of(added, last_hash)
    session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID)
        .values(seq=seq, hash=last_hash)
        .execution_options(synchronize_session=False)
    )


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


@dataclass(frozen=True)
class ChainReport:
    """The outcome of `verify_chain`: intact, or the first problem found, in words."""

    intact: bool
    events: int  # events checked
    problem: str = ""

    def __str__(self) -> str:
        if self.intact:
            return f"audit trail intact: {self.events} event(s), hash chain unbroken"
        return f"audit trail broken: {self.problem}"


def _describe(row: Any) -> str:
    when = row.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"event #{row.seq} (id {row.id}, {row.action} at {when})"


_CHAIN_COLUMNS = (
    AuditEvent.id,
    AuditEvent.seq,
    AuditEvent.at,
    AuditEvent.actor_id,
    AuditEvent.agency_id,
    AuditEvent.assessment_id,
    AuditEvent.action,
    AuditEvent.detail,
    AuditEvent.prev_hash,
    AuditEvent.hash,
)


def _chain_rows(session: Session, up_to: int) -> Iterator[Any]:
    """The chained events numbered up to `up_to`, in chain order, read in batches of columns."""
    after = -1
    while True:
        query = (
            select(*_CHAIN_COLUMNS)
            .where(AuditEvent.seq.is_not(None), AuditEvent.seq > after, AuditEvent.seq <= up_to)
            .order_by(AuditEvent.seq)
            .limit(_VERIFY_BATCH)
        )
        rows = session.execute(query).all()
        yield from rows
        if len(rows) < _VERIFY_BATCH:
            return
        after = rows[-1].seq


def _read_head(session: Session) -> Any:
    return session.execute(
        select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.id == HEAD_ID)
    ).one_or_none()


def _broken_link(session: Session, row: Any, previous: Any | None) -> str:
    """Why `row` does not follow `previous`: reordered (the event it was chained to is elsewhere
    in the trail) or deleted (that event is gone)."""
    chained_to = session.execute(
        select(AuditEvent.id, AuditEvent.seq, AuditEvent.at, AuditEvent.action).where(
            AuditEvent.hash == row.prev_hash
        )
    ).first()
    if chained_to is not None:
        now_after = f"now follows {_describe(previous)}" if previous else "is now first"
        return (
            f"{_describe(row)} was reordered: it was written right after "
            f"{_describe(chained_to)}, but {now_after}"
        )
    if previous is None:
        return f"the event(s) before {_describe(row)}, the first in the trail, were deleted"
    return (
        f"an event between {_describe(previous)} and {_describe(row)} was deleted "
        "(or edited and given a new hash)"
    )


def verify_chain(session: Session) -> ChainReport:
    """Walk the whole trail in chain order; report the first edited, deleted or reordered event.

    Needs no lock and no snapshot: it checks the chain up to the head as first read, and events
    appended meanwhile are told from forged ones by reading the head again."""
    head = _read_head(session)
    if head is None:
        return ChainReport(False, 0, "the chain's head row is missing")
    outside = session.execute(
        select(AuditEvent.id, AuditEvent.action)
        .where(AuditEvent.seq.is_(None))
        .order_by(AuditEvent.id)
        .limit(1)
    ).first()
    if outside is not None:
        return ChainReport(
            False,
            0,
            f"event id {outside.id} ({outside.action}) is not in the chain: "
            "it was added to the database directly",
        )
    previous = None
    count = 0
    for row in _chain_rows(session, head.seq):
        problem = _problem_at(session, row, previous)
        if problem:
            return ChainReport(False, count, problem)
        previous = row
        count += 1
    return _check_end(session, head, previous, count)


def _problem_at(session: Session, row: Any, previous: Any | None) -> str:
    if hash_of(row, row.prev_hash or "") != row.hash:
        return f"{_describe(row)} was edited: its fields no longer match its hash"
    expected_prev = previous.hash if previous is not None else GENESIS
    if row.prev_hash != expected_prev:
        return _broken_link(session, row, previous)
    expected_seq = previous.seq + 1 if previous is not None else 1
    if row.seq != expected_seq:
        return f"{_describe(row)} was renumbered: it should be #{expected_seq}"
    return ""


def _check_end(session: Session, head: Any, last: Any | None, count: int) -> ChainReport:
    """The walk must end where the head says; anything numbered beyond it must be an append
    committed since the head was read."""
    last_seq = last.seq if last is not None else 0
    last_hash = last.hash if last is not None else GENESIS
    if last_seq < head.seq:
        where = f"after {_describe(last)}" if last is not None else "in the trail"
        return ChainReport(
            False,
            count,
            f"the newest {head.seq - last_seq} event(s) {where} were deleted "
            f"(the chain records {head.seq} events)",
        )
    if last_hash != head.hash:
        return ChainReport(
            False,
            count,
            f"the newest event, {_describe(last)}, does not match the chain's recorded end: "
            "it was changed directly in the database",
        )
    beyond = session.execute(
        select(*_CHAIN_COLUMNS)
        .where(AuditEvent.seq > head.seq)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    if beyond is not None:
        now = _read_head(session)
        if now is None or beyond.seq > now.seq:
            return ChainReport(
                False,
                count,
                f"{_describe(beyond)} lies beyond the chain's recorded end: "
                "it was added directly in the database",
            )
    return ChainReport(True, count)
