"""Merging concurrent edits question by question.

A page records, for every question it shows, a digest of the answer and of the note as shown (its
"base"). A save names, for each answer and note it changes, the base digest it started from. The
save succeeds when every one of those is still what is stored; answers and notes changed elsewhere
meanwhile are kept, and only an answer or note changed on both sides is a conflict
(StaleVersion.questions). Two colleagues editing different questions therefore never collide.

The check and the write happen against one reading of the row: on PostgreSQL the row is locked
(SELECT ... FOR UPDATE) so concurrent saves queue; on SQLite, where writers are serialised anyway,
the UPDATE is guarded by the lock version read and retried when another save got there first.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from pia.engine import Bank, Evaluation, evaluate
from pia.store import audit
from pia.store.assessments import (
    _check_changes,
    evaluation_profiles,
    merge_changes,
    update_at_version,
)
from pia.store.errors import NotFound, StaleVersion
from pia.store.models import DRAFT, SUBMITTED, Assessment, User, utcnow
from pia.store.policy import Action, require

DIGEST_LENGTH = 16
# Each retry means another save was written in between; more than this many in a row is a stampede
# the caller should hear about as a conflict rather than wait out.
MERGE_ATTEMPTS = 200


def _canonical(value: Any) -> Any:
    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip() or None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return sorted(str(item) for item in value)
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    return value


def digest(value: Any) -> str:
    """A short digest of an answer or note as a person sees it (empty and missing are alike)."""
    encoded = json.dumps(_canonical(value), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()[:DIGEST_LENGTH]


def _read_for_update(session: Session, assessment_id: int) -> Any:
    query = (
        select(
            Assessment.answers,
            Assessment.notes,
            Assessment.lock_version,
            Assessment.status,
        )
        .where(Assessment.id == assessment_id)
        .with_for_update()
    )
    row = session.execute(query).one_or_none()
    if row is None:
        session.rollback()
        raise NotFound("this assessment no longer exists")
    return row


def _conflicts(
    row: Any, base_answers: Mapping[str, str], base_notes: Mapping[str, str]
) -> list[str]:
    answers, notes = row.answers or {}, row.notes or {}
    changed = {q for q, base in base_answers.items() if digest(answers.get(q)) != base}
    changed |= {q for q, base in base_notes.items() if digest(notes.get(q)) != base}
    return sorted(changed)


def merge_answers(
    session: Session,
    bank: Bank,
    assessment: Assessment,
    actor: User,
    *,
    values: Mapping[str, Any],
    notes: Mapping[str, str],
    clear: Iterable[str],
    base_answers: Mapping[str, str],
    base_notes: Mapping[str, str],
) -> Evaluation:
    """Save changed answers and notes onto whatever is stored now (see the module docstring).

    `base_answers` must name every question in `values` and `clear`, `base_notes` every question in
    `notes`: the digest of what the person's page showed. Raises StaleVersion with `questions` set
    to the questions changed both here and elsewhere; nothing is written then.
    """
    require(actor, Action.EDIT, assessment)
    notes = dict(notes)
    clear = list(clear)
    _check_changes(bank, values, notes, clear)
    touched_answers = {q: base_answers.get(q, "") for q in [*values, *clear]}
    touched_notes = {q: base_notes.get(q, "") for q in notes}
    for _attempt in range(MERGE_ATTEMPTS):
        row = _read_for_update(session, assessment.id)
        conflicts = _conflicts(row, touched_answers, touched_notes)
        if conflicts:
            session.rollback()
            raise StaleVersion(row.answers or {}, row.notes or {}, row.lock_version, conflicts)
        stored_answers, stored_notes = row.answers or {}, row.notes or {}
        answers, merged_notes = merge_changes(stored_answers, stored_notes, values, notes, clear)
        evaluation = evaluate(bank, answers, evaluation_profiles(bank, assessment))
        if answers == stored_answers and merged_notes == stored_notes:
            session.rollback()  # nothing changed: nothing to write (and the row lock ends)
            _remember(assessment, row, {})
            return evaluation
        version = row.lock_version + 1
        new_values = {
            "answers": answers,
            "notes": merged_notes,
            "lock_version": version,
            "status": DRAFT,
            "overall_level": evaluation.overall.level,
            "progress_percent": evaluation.progress.percent,
            "bank_id": bank.id,
            "bank_version": bank.version,
            "updated_at": utcnow(),
            "updated_by_id": actor.id,
        }
        try:
            update_at_version(session, assessment.id, row.lock_version, new_values)
        except StaleVersion:
            continue  # another save was written after the read (SQLite): read again
        try:
            _record(session, actor, assessment, row, version, answers, merged_notes)
            session.commit()
        except BaseException:
            session.rollback()
            raise
        _remember(assessment, row, new_values)
        return evaluation
    row = _read_for_update(session, assessment.id)
    session.rollback()
    raise StaleVersion(row.answers or {}, row.notes or {}, row.lock_version, [])


def _record(
    session: Session,
    actor: User,
    assessment: Assessment,
    row: Any,
    version: int,
    answers: Mapping[str, Any],
    merged_notes: Mapping[str, str],
) -> None:
    stored_answers, stored_notes = row.answers or {}, row.notes or {}
    audit.add_event(
        session,
        audit.ANSWERS_SAVED,
        actor=actor,
        assessment=assessment,
        detail={
            "version": version,
            "answers_changed": sorted(
                q for q in {*answers, *stored_answers} if answers.get(q) != stored_answers.get(q)
            ),
            "notes_changed": sorted(
                q
                for q in {*merged_notes, *stored_notes}
                if merged_notes.get(q) != stored_notes.get(q)
            ),
            "reopened": row.status == SUBMITTED,
            "merged": True,
        },
    )


def _remember(assessment: Assessment, row: Any, new_values: Mapping[str, Any]) -> None:
    """The caller's object shows what is stored now, without another read."""
    current = {"answers": row.answers or {}, "notes": row.notes or {}}
    current["lock_version"] = row.lock_version
    current.update(new_values)
    for key, value in current.items():
        set_committed_value(assessment, key, value)
