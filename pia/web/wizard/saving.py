"""Saving a section: from what the browser sent to pia.store.save_answers, and any conflict.

One path serves the section page's POST, the autosave endpoint and the conflict page's resolution,
so all three validate, refuse tampering and detect stale saves the same way:

1. names the section does not have, tampered control fields, or answers for questions that were not
   on the page -> `Rejected` (a 400 page; nothing saved);
2. answers that do not validate stay out of the save and come back as errors beside their fields;
   every other answer is saved, so a typo in one field never costs the others;
3. only what differs from the stored assessment is sent to the store, with the lock version the
   page was loaded at; a stale version -> `Conflict` with both versions of each differing question.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from werkzeug.datastructures import MultiDict

from pia.engine import evaluate
from pia.engine.bank.model import Bank, Question
from pia.engine.evaluation.result import Evaluation
from pia.report.answers import display_answer
from pia.store.models import Assessment, User
from pia.web.shared.config import get_bank
from pia.web.shared.db import get_session
from pia.web.wizard.forms import Changes, SectionForm, SectionForms, clean_text

FORMS_KEY = "pia.section_forms"
CACHE_KEY = "pia.evaluation_cache"


class Rejected(Exception):
    """The request is not something this section's page could have sent; nothing was saved."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def section_forms() -> SectionForms:
    """The form classes for the app's bank, built once (see `init_forms`)."""
    forms = current_app.extensions.get(FORMS_KEY)
    if forms is None:
        forms = current_app.extensions[FORMS_KEY] = SectionForms(get_bank())
    return forms


def evaluation_for(bank: Bank, answers: Mapping[str, Any], profiles: Iterable[str]) -> Evaluation:
    """The engine's Evaluation; profiles the bank no longer has are left out rather than fatal."""
    return evaluate(bank, answers, tuple(p for p in profiles if p in bank.profiles))


class EvaluationCache:
    """Recent evaluations by (assessment, lock version, profiles), per process.

    Every change to an assessment's answers raises its lock version (pia.store.save_answers), and
    evaluate() is deterministic, so an entry can never go stale: paging through sections, or the
    page shown right after a save, reuses the evaluation instead of computing it again.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[Any, ...], Evaluation] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Evaluation | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], evaluation: Evaluation) -> None:
        with self._lock:
            self._entries[key] = evaluation
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


def cache_key(assessment: Assessment) -> tuple[Any, ...]:
    return (assessment.id, assessment.lock_version, tuple(assessment.profiles or ()))


def evaluation_cache() -> EvaluationCache:
    cache = current_app.extensions.get(CACHE_KEY)
    if cache is None:
        cache = current_app.extensions[CACHE_KEY] = EvaluationCache()
    return cache


def evaluation_of(assessment: Assessment) -> Evaluation:
    """The evaluation of the assessment's stored answers (cached by lock version)."""
    key = cache_key(assessment)
    evaluation = evaluation_cache().get(key)
    if evaluation is None:
        evaluation = evaluation_for(get_bank(), assessment.answers or {}, assessment.profiles or ())
        evaluation_cache().put(key, evaluation)
    return evaluation


@dataclass(frozen=True)
class ConflictRow:
    """One question both versions answer differently: theirs as saved, yours as submitted."""

    question: Question
    theirs: str
    theirs_note: str
    mine: str
    mine_note: str


@dataclass(frozen=True)
class Conflict:
    rows: tuple[ConflictRow, ...]
    current_version: int
    # The submitted inputs of the differing questions, carried by the conflict page's form.
    carried: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SaveResult:
    form: SectionForm
    errors: Mapping[str, list[str]]  # question id -> messages; those answers were not saved
    saved: bool  # something was written
    lock_version: int  # the version the page holds now
    evaluation: Evaluation
    conflict: Conflict | None = None


def same_answer(stored: Any, submitted: Any) -> bool:
    """Equal for a person: text up to outer spaces and line-break style, choices in any order."""
    if isinstance(stored, str) and isinstance(submitted, str):
        return clean_text(stored) == clean_text(submitted)
    if isinstance(stored, list) and isinstance(submitted, list):
        return sorted(map(str, stored)) == sorted(map(str, submitted))
    if isinstance(stored, bool) or isinstance(submitted, bool):
        return stored is submitted
    return bool(stored == submitted)


def difference(changes: Changes, answers: Mapping[str, Any], notes: Mapping[str, Any]) -> Changes:
    """Only what differs from the stored answers and notes."""
    return Changes(
        values={q: v for q, v in changes.values.items() if not same_answer(answers.get(q), v)},
        clear=tuple(q for q in changes.clear if answers.get(q) is not None),
        notes={q: n for q, n in changes.notes.items() if not same_answer(notes.get(q) or "", n)},
    )


def check_names(form_class: type[SectionForm], names: Iterable[str]) -> None:
    unknown = form_class.unknown_names(names)
    if unknown:
        shown = ", ".join(unknown[:5]) + (" and more" if len(unknown) > 5 else "")
        raise Rejected(
            f"The form sent fields that this section does not have ({shown}). "
            "Nothing was saved. Reload the section and enter your answers again."
        )


def read_form(
    section_id: str, formdata: MultiDict[str, str], assessment: Assessment
) -> SectionForm:
    """The validated form, or Rejected for anything only a tampered page would send."""
    forms = section_forms()
    form_class = forms.form_class(section_id)
    check_names(form_class, formdata.keys())
    form = forms.from_post(section_id, formdata, assessment.answers or {}, assessment.notes or {})
    if form.control_errors():
        raise Rejected(
            "The page's hidden fields were altered or are missing "
            f"({'; '.join(form.control_errors())}). Nothing was saved. Reload the section."
        )
    stray = form.stray_names(formdata.keys())
    if stray:
        raise Rejected(
            f"The form sent answers for questions that were not on the page ({', '.join(stray)}). "
            "Nothing was saved. Reload the section."
        )
    return form


def save(
    assessment: Assessment, user: User, section_id: str, formdata: MultiDict[str, str]
) -> SaveResult:
    """Validates and saves a section's submitted form (see the module docstring)."""
    from pia.store import save_answers
    from pia.store.errors import StaleVersion

    bank = get_bank()
    form = read_form(section_id, formdata, assessment)
    stored_answers = dict(assessment.answers or {})
    stored_notes = dict(assessment.notes or {})
    wanted = form.changes()
    change = difference(wanted, stored_answers, stored_notes)
    errors = form.question_errors()
    if change.is_empty():
        evaluation = evaluation_of(assessment)
        return SaveResult(form, errors, False, assessment.lock_version, evaluation)
    session = get_session()
    try:
        evaluation = save_answers(
            session,
            bank,
            assessment,
            user,
            values=change.values,
            notes=change.notes,
            clear=change.clear,
            expected_version=form.lock_version.data,
        )
        session.commit()
    except StaleVersion as stale:
        session.rollback()
        conflict = conflict_between(form, wanted, stale, formdata)
        theirs = evaluation_for(bank, stale.current_answers, assessment.profiles or ())
        return SaveResult(form, errors, False, stale.current_version, theirs, conflict)
    set_lock_version(form, assessment.lock_version)
    evaluation_cache().put(cache_key(assessment), evaluation)
    return SaveResult(form, errors, True, assessment.lock_version, evaluation)


def set_lock_version(form: SectionForm, version: int) -> None:
    """The re-rendered page must carry the new version, not the one it was submitted with."""
    form.lock_version.data = version
    form.lock_version.raw_data = [str(version)]


def conflict_between(
    form: SectionForm, wanted: Changes, stale: Any, formdata: MultiDict[str, str]
) -> Conflict | None:
    """Both versions of each question the submission would change differently; None if none."""
    theirs_answers: Mapping[str, Any] = stale.current_answers
    theirs_notes: Mapping[str, Any] = stale.current_notes
    mine = difference(wanted, theirs_answers, theirs_notes)
    differing = set(mine.values) | set(mine.clear) | set(mine.notes)
    rows = []
    for question in form.questions:
        if question.id not in differing:
            continue
        my_value = None if question.id in wanted.clear else wanted.values.get(question.id)
        if question.id not in wanted.values and question.id not in wanted.clear:
            my_value = theirs_answers.get(question.id)  # an answer that failed validation
        rows.append(
            ConflictRow(
                question=question,
                theirs=display_answer(question, theirs_answers.get(question.id)),
                theirs_note=str(theirs_notes.get(question.id) or ""),
                mine=display_answer(question, my_value),
                mine_note=wanted.notes.get(question.id, str(theirs_notes.get(question.id) or "")),
            )
        )
    if not rows:
        return None
    owners = form.owners()
    ids = {row.question.id for row in rows}
    carried = tuple(
        (name, value)
        for name, value in formdata.items(multi=True)
        if name in owners and owners[name] in ids
    )
    return Conflict(tuple(rows), stale.current_version, carried)


def resolution_formdata(
    formdata: MultiDict[str, str], form_class: type[SectionForm]
) -> MultiDict[str, str]:
    """The conflict page's POST as a section POST keeping only the questions resolved as "mine".

    The page sends `choose-<question id>` = mine | theirs per question, or `all` = mine | theirs.
    """
    owners = form_class.owners()
    everything = formdata.get("all")
    if everything not in (None, "mine", "theirs"):
        raise Rejected("The choice between the two versions was not one the page offers.")
    asked = formdata.getlist("asked")
    keep: set[str] = set()
    for question_id in asked:
        choice = everything or formdata.get(f"choose-{question_id}", "mine")
        if choice not in ("mine", "theirs"):
            raise Rejected("The choice between the two versions was not one the page offers.")
        if choice == "mine":
            keep.add(question_id)
    allowed_choices = {f"choose-{q}" for q in asked} | {"all"}
    result: MultiDict[str, str] = MultiDict()
    for name, value in formdata.items(multi=True):
        if name.startswith("choose-") or name == "all":
            if name not in allowed_choices:
                raise Rejected("The form named a question that was not in the conflict.")
            continue
        if name == "asked":
            if value in keep:
                result.add(name, value)
        elif name in owners:
            if owners[name] in keep:
                result.add(name, value)
        else:
            result.add(name, value)
    return result
