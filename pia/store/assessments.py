"""Assessments: creating, saving answers (optimistically locked), reading.

Saving merges the changed answers into the stored ones with one
`UPDATE ... WHERE id = ? AND lock_version = ?`; when no row matches, someone else saved first and
the caller gets StaleVersion with what is stored now, so nothing is ever overwritten silently.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from pia.engine import Bank, Evaluation, evaluate
from pia.engine.bank.model import MIRRORED_DETAILS
from pia.engine.bank.problems import did_you_mean
from pia.store import audit
from pia.store.errors import (
    InvalidInput,
    NotFound,
    StaleVersion,
    WrongStatus,
)
from pia.store.lifecycle import SETTLED
from pia.store.models import DRAFT, Assessment, User, utcnow
from pia.store.policy import ARCHIVED, Action, require
from pia.store.transaction import committing

TEXT_MAX = 200
VERSION_MAX = 200
NOTE_MAX = 20_000
ANSWER_JSON_MAX = 200_000  # one answer's JSON; long text answers are capped by the form at 20,000


def _clean_text(value: str, what: str, field: str, *, limit: int, required: bool = False) -> str:
    cleaned = " ".join(str(value or "").split())
    if required and not cleaned:
        raise InvalidInput(f"{what} must not be empty", field=field)
    if len(cleaned) > limit:
        raise InvalidInput(f"{what} is too long (at most {limit} characters)", field=field)
    return cleaned


def check_profiles(bank: Bank, profiles: Iterable[str]) -> list[str]:
    """The profile ids in bank order, without duplicates; InvalidInput naming an unknown one."""
    wanted = set()
    for profile in profiles:
        if profile not in bank.profiles:
            hint = did_you_mean(str(profile), bank.profiles)
            message = f"unknown jurisdiction profile {profile!r}"
            raise InvalidInput(f"{message} ({hint})" if hint else message, field="profiles")
        wanted.add(profile)
    return [profile for profile in bank.profiles if profile in wanted]


def clean_details(
    title: str, technology: str, vendor: str, product: str, product_version: str
) -> dict[str, str]:
    """The text details as stored; InvalidInput (naming the field) for a bad one."""
    return {
        "title": _clean_text(title, "the title", "title", limit=TEXT_MAX, required=True),
        "technology": _clean_text(technology, "the technology", "technology", limit=TEXT_MAX),
        "vendor": _clean_text(vendor, "the vendor", "vendor", limit=TEXT_MAX),
        "product": _clean_text(product, "the product", "product", limit=TEXT_MAX),
        "product_version": _clean_text(
            product_version, "the product version", "product_version", limit=VERSION_MAX
        ),
    }


def create_assessment(
    session: Session,
    bank: Bank,
    actor: User,
    *,
    title: str,
    technology: str = "",
    vendor: str = "",
    product: str = "",
    product_version: str = "",
    profiles: Iterable[str] = (),
) -> Assessment:
    """A new draft in the officer's agency, recording the bank it is answered against."""
    require(actor, Action.CREATE_ASSESSMENT)
    chosen = check_profiles(bank, [profiles] if isinstance(profiles, str) else profiles)
    details = clean_details(title, technology, vendor, product, product_version)
    answers = with_details(bank, {}, details)
    evaluation = evaluate(bank, answers, tuple(chosen))
    now = utcnow()
    assessment = Assessment(
        agency_id=actor.agency_id,
        **details,
        profiles=chosen,
        bank_id=bank.id,
        bank_version=bank.version,
        status=DRAFT,
        lock_version=0,
        answers=answers,
        notes={},
        overall_level=evaluation.overall.level,
        progress_percent=evaluation.progress.percent,
        revision_count=0,
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
        updated_by_id=actor.id,
    )
    with committing(session):
        session.add(assessment)
        session.flush()
        audit.add_event(
            session,
            audit.ASSESSMENT_CREATED,
            actor=actor,
            assessment=assessment,
            detail={"title": assessment.title, "profiles": chosen, "bank_version": bank.version},
        )
    return assessment


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _check_changes(
    bank: Bank, values: Mapping[str, Any], notes: Mapping[str, str], clear: Sequence[str]
) -> None:
    for question_id in [*values, *notes, *clear]:
        if question_id not in bank.questions:
            hint = did_you_mean(str(question_id), bank.questions)
            message = f"unknown question {question_id!r}"
            raise InvalidInput(f"{message} ({hint})" if hint else message, field=str(question_id))
    for question_id, value in values.items():
        try:
            encoded = json.dumps(value, allow_nan=False)
        except (TypeError, ValueError):
            raise InvalidInput(
                f"the answer to {question_id!r} cannot be stored", field=question_id
            ) from None
        if len(encoded) > ANSWER_JSON_MAX:
            raise InvalidInput(f"the answer to {question_id!r} is too long", field=question_id)
    for question_id, note in notes.items():
        if not isinstance(note, str):
            raise InvalidInput(f"the note on {question_id!r} must be text", field=question_id)
        if len(note) > NOTE_MAX:
            raise InvalidInput(
                f"the note on {question_id!r} is too long (at most {NOTE_MAX} characters)",
                field=question_id,
            )


def merge_changes(
    answers: Mapping[str, Any],
    notes: Mapping[str, str],
    values: Mapping[str, Any],
    new_notes: Mapping[str, str],
    clear: Iterable[str] = (),
) -> tuple[dict[str, Any], dict[str, str]]:
    """The stored answers and notes with the changes applied.

    An empty value (None, "", [], {}) or an id in `clear` removes the answer; an empty or blank
    note removes the note. Answers to other questions are kept as they are.
    """
    merged_answers = dict(answers)
    merged_notes = dict(notes)
    for question_id in clear:
        merged_answers.pop(question_id, None)
    for question_id, value in values.items():
        if _is_empty(value):
            merged_answers.pop(question_id, None)
        else:
            merged_answers[question_id] = value
    for question_id, note in new_notes.items():
        if note.strip():
            merged_notes[question_id] = note
        else:
            merged_notes.pop(question_id, None)
    return merged_answers, merged_notes


def check_version(expected_version: object) -> None:
    """A lock version is a whole number; anything else is a tampered form, not a conflict."""
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise InvalidInput("the form's version number is not valid", field="lock_version")


def read_current(session: Session, assessment_id: int) -> Any:
    """The stored answers, notes, version, status and revision count, read from the database
    (not the session's cache, which may be older)."""
    query = select(
        Assessment.answers,
        Assessment.notes,
        Assessment.lock_version,
        Assessment.status,
        Assessment.revision_count,
        Assessment.archived_at,
    ).where(Assessment.id == assessment_id)
    row = session.execute(query).one_or_none()
    if row is None:
        raise NotFound("this assessment no longer exists")
    return row


def _stale(row: Any) -> StaleVersion:
    return StaleVersion(row.answers or {}, row.notes or {}, row.lock_version)


def read_at_version(session: Session, assessment_id: int, expected_version: int) -> Any:
    """read_current's row, if the assessment is still at `expected_version`; otherwise raises
    StaleVersion carrying what is stored."""
    row = read_current(session, assessment_id)
    if row.lock_version != expected_version:
        raise _stale(row)
    return row


def update_at_version(
    session: Session, assessment_id: int, expected_version: int, new_values: Mapping[str, Any]
) -> None:
    """The optimistic lock: UPDATE the assessment only if it is still at `expected_version`.
    When another save got there first, rolls back and raises StaleVersion with what is stored.
    Runs in the caller's unit of work, which commits."""
    statement = (
        update(Assessment)
        .where(
            Assessment.id == assessment_id,
            Assessment.lock_version == expected_version,
            # Archived since the caller's checks: read-only now, whatever the version.
            Assessment.archived_at.is_(None),
        )
        .values(**new_values)
        .execution_options(synchronize_session=False)
    )
    if session.execute(statement).rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        current = read_current(session, assessment_id)
        if current.archived_at is not None:
            raise WrongStatus("cannot edit: the assessment is archived", current_status=ARCHIVED)
        raise _stale(current)


def save_answers(
    session: Session,
    bank: Bank,
    assessment: Assessment,
    actor: User,
    *,
    values: Mapping[str, Any],
    notes: Mapping[str, str] | None = None,
    expected_version: int,
    clear: Iterable[str] = (),
) -> Evaluation:
    """Merge changed answers and notes into the assessment and return the new evaluation.

    `expected_version` is the lock_version the person's form was built from. When the stored
    version differs, nothing is written and StaleVersion carries the stored answers. A save that
    changes nothing writes nothing (and does not reopen a submitted assessment). A save that changes
    a submitted assessment makes it a draft again: the next submission becomes a new revision.
    Raises InvalidInput for unknown question ids or values that cannot be stored.
    """
    require(actor, Action.EDIT, assessment)
    check_version(expected_version)
    notes = dict(notes or {})
    clear = list(clear)
    _check_changes(bank, values, notes, clear)
    row = read_at_version(session, assessment.id, expected_version)
    if row.status != assessment.status:  # a reviewer moved it since the object was read
        set_committed_value(assessment, "status", row.status)
        require(actor, Action.EDIT, assessment)
    answers, merged_notes = merge_changes(row.answers or {}, row.notes or {}, values, notes, clear)
    answers = with_details(bank, answers, details_of(assessment))
    evaluation = evaluate(bank, answers, evaluation_profiles(bank, assessment))
    if answers == (row.answers or {}) and merged_notes == (row.notes or {}):
        return evaluation  # nothing changed: nothing to write
    changed = sorted(
        q for q in {*answers, *(row.answers or {})} if answers.get(q) != (row.answers or {}).get(q)
    )
    new_values = {
        "answers": answers,
        "notes": merged_notes,
        "lock_version": expected_version + 1,
        # A change to a submitted, decided or withdrawn assessment starts a new draft; while
        # changes are requested it stays in that status until the officer resubmits.
        "status": DRAFT if row.status in SETTLED else row.status,
        "overall_level": evaluation.overall.level,
        "progress_percent": evaluation.progress.percent,
        "bank_id": bank.id,
        "bank_version": bank.version,
        "updated_at": utcnow(),
        "updated_by_id": actor.id,
    }
    with committing(session):
        update_at_version(session, assessment.id, expected_version, new_values)
        audit.add_event(
            session,
            audit.ANSWERS_SAVED,
            actor=actor,
            assessment=assessment,
            detail={
                "version": expected_version + 1,
                "answers_changed": changed,
                "notes_changed": sorted(
                    q
                    for q in {*merged_notes, *(row.notes or {})}
                    if merged_notes.get(q) != (row.notes or {}).get(q)
                ),
                "reopened": row.status in SETTLED,
            },
        )
    for key, value in new_values.items():
        set_committed_value(assessment, key, value)
    return evaluation


def evaluation_profiles(bank: Bank, assessment: Assessment) -> tuple[str, ...]:
    """The assessment's profiles that the bank still has (a newer bank may have dropped one)."""
    return tuple(profile for profile in assessment.profiles or () if profile in bank.profiles)


def details_of(assessment: Assessment) -> dict[str, str]:
    """The assessment's details that questions may mirror, by name."""
    return {name: str(getattr(assessment, name) or "") for name in MIRRORED_DETAILS}


def with_details(
    bank: Bank, answers: Mapping[str, Any], details: Mapping[str, str]
) -> dict[str, Any]:
    """`answers` with every question that mirrors a detail (the bank's `mirrors_detail`)
    answered by that detail, so the cover and the answers cannot differ. The details form is
    the one place they are given: an answer sent for such a question is replaced. A detail left
    empty leaves the question as it is."""
    merged = dict(answers)
    for question_id, detail in bank.mirrored_details().items():
        value = str(details.get(detail) or "").strip()
        if value:
            merged[question_id] = value
    return merged


def current_answers(bank: Bank, assessment: Assessment) -> dict[str, Any]:
    """The assessment's answers, with mirrored questions answered by its details."""
    return with_details(bank, assessment.answers or {}, details_of(assessment))


def evaluate_assessment(bank: Bank, assessment: Assessment) -> Evaluation:
    """The evaluation of the assessment's current answers (pure; nothing is written)."""
    return evaluate(bank, current_answers(bank, assessment), evaluation_profiles(bank, assessment))


def is_row_id(value: object) -> bool:
    """True for a whole number a database id column can hold (ids in URLs are checked first)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def get_assessment(session: Session, assessment_id: int) -> Assessment | None:
    """The assessment, or None (also for ids that are not whole numbers in range)."""
    if not is_row_id(assessment_id):
        return None
    return session.get(Assessment, assessment_id)
