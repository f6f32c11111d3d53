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
from pia.web.wizard.base import Base, decode_base, encode_base, stored_base
from pia.web.wizard.forms import Changes, SectionForm, SectionForms, clean_text

FORMS_KEY = "pia.section_forms"
ASKED_NAME = "asked"
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
    # The base of the conflict page: the saved versions it shows (pia.web.wizard.base).
    base: str = ""
    # True when the person's changes to every other question were saved (a merging save).
    others_saved: bool = False


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


def check_repeats(form_class: type[SectionForm], formdata: MultiDict[str, str]) -> None:
    """Only list inputs (the asked questions, multiple-choice answers) may come more than once."""
    from pia.engine.bank.model import MULTI

    lists = {ASKED_NAME} | {q.id for q in form_class.questions if q.type == MULTI}
    for name in formdata:
        if name not in lists and len(formdata.getlist(name)) > 1:
            raise Rejected(
                f"The form sent the field {name!r} more than once, which the page never does. "
                "Nothing was saved. Reload the section."
            )


def read_form(
    section_id: str, formdata: MultiDict[str, str], assessment: Assessment
) -> SectionForm:
    """The validated form, or Rejected for anything only a tampered page would send."""
    forms = section_forms()
    form_class = forms.form_class(section_id)
    check_names(form_class, formdata.keys())
    check_repeats(form_class, formdata)
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
    base = page_base(form)
    stored_answers = dict(assessment.answers or {})
    stored_notes = dict(assessment.notes or {})
    submitted = form.changes()
    wanted = submitted if base is None else own_changes(submitted, base)
    change = difference(wanted, stored_answers, stored_notes)
    errors = form.question_errors()
    if change.is_empty():
        set_base(form, submitted, base, stored_answers, stored_notes)
        evaluation = evaluation_of(assessment)
        return SaveResult(form, errors, False, assessment.lock_version, evaluation)
    session = get_session()
    try:
        if base is None:
            # A client that does not say what its page showed: any save since is a conflict.
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
        else:
            evaluation = merge_own_changes(session, assessment, user, change, base)
    except StaleVersion as stale:
        session.rollback()
        conflict = conflict_between(form, wanted, stale, formdata)
        theirs = evaluation_for(bank, stale.current_answers, assessment.profiles or ())
        return SaveResult(form, errors, False, stale.current_version, theirs, conflict)
    set_lock_version(form, assessment.lock_version)
    set_base(form, submitted, base, assessment.answers or {}, assessment.notes or {})
    evaluation_cache().put(cache_key(assessment), evaluation)
    return SaveResult(form, errors, True, assessment.lock_version, evaluation)


def merge_own_changes(
    session: Any, assessment: Assessment, user: User, change: Changes, base: Base
) -> Evaluation:
    """Saves the person's changes onto what is stored now. Questions changed both here and
    elsewhere are left out and the rest saved; StaleVersion then names the left-out ones (with
    what is stored after the rest was saved), for the conflict page."""
    from pia.store.errors import StaleVersion
    from pia.store.merging import merge_answers

    conflicting: set[str] = set()
    last: StaleVersion | None = None
    while True:
        remaining = without(change, conflicting)
        if remaining.is_empty():
            break
        try:
            evaluation = merge_answers(
                session,
                get_bank(),
                assessment,
                user,
                values=remaining.values,
                notes=remaining.notes,
                clear=remaining.clear,
                base_answers={
                    q: base.get(q, ("", ""))[0] for q in [*remaining.values, *remaining.clear]
                },
                base_notes={q: base.get(q, ("", ""))[1] for q in remaining.notes},
            )
        except StaleVersion as stale:
            session.rollback()
            if not stale.questions:
                raise
            conflicting |= set(stale.questions)
            last = stale
            continue
        if not conflicting:
            return evaluation
        last = StaleVersion(
            assessment.answers or {}, assessment.notes or {}, assessment.lock_version, []
        )
        break
    assert last is not None
    raise StaleVersion(
        last.current_answers, last.current_notes, last.current_version, sorted(conflicting)
    )


def without(change: Changes, questions: set[str]) -> Changes:
    return Changes(
        values={q: v for q, v in change.values.items() if q not in questions},
        clear=tuple(q for q in change.clear if q not in questions),
        notes={q: n for q, n in change.notes.items() if q not in questions},
    )


def page_base(form: SectionForm) -> Base | None:
    try:
        return decode_base(form.base.data, (q.id for q in form.questions))
    except ValueError as error:
        raise Rejected(
            f"The page's hidden fields were altered ({error}). Nothing was saved. "
            "Reload the section."
        ) from None


def own_changes(submitted: Changes, base: Base) -> Changes:
    """Only the answers and notes the person changed on their page: those differing from what
    the page showed. The rest may be stale copies of answers changed elsewhere since."""
    from pia.store.merging import digest

    def shown(question_id: str, part: int) -> str:
        return base.get(question_id, ("", ""))[part]

    return Changes(
        values={q: v for q, v in submitted.values.items() if digest(v) != shown(q, 0)},
        clear=tuple(q for q in submitted.clear if digest(None) != shown(q, 0)),
        notes={q: n for q, n in submitted.notes.items() if digest(n) != shown(q, 1)},
    )


def set_base(
    form: SectionForm,
    submitted: Changes,
    base: Base | None,
    answers: Mapping[str, Any],
    notes: Mapping[str, Any],
) -> None:
    """The base of the page as it stands after this save: what the person's inputs now show.

    Inputs that did not validate still show what the person typed, so they keep the base they had;
    questions not on the page show what is stored.
    """
    from pia.store.merging import digest

    now = stored_base(form.questions, answers, notes)
    before = base or now
    asked = set(form.asked_ids())
    result: Base = {}
    for question in form.questions:
        qid = question.id
        if qid not in asked:
            result[qid] = now[qid]
            continue
        if qid in submitted.values:
            answer = digest(submitted.values[qid])
        elif qid in submitted.clear:
            answer = digest(None)
        else:
            answer = before.get(qid, now[qid])[0]
        note = (
            digest(submitted.notes[qid]) if qid in submitted.notes else before.get(qid, now[qid])[1]
        )
        result[qid] = (answer, note)
    form.base.data = encode_base(result)
    form.base.raw_data = [form.base.data]


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
    if stale.questions is not None:
        differing &= set(stale.questions)  # a merging save: only questions changed on both sides
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
    shown = stored_base([row.question for row in rows], theirs_answers, theirs_notes)
    return Conflict(
        tuple(rows),
        stale.current_version,
        carried,
        encode_base(shown),
        others_saved=stale.questions is not None,
    )


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
