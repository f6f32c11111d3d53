"""The revision page: the revision as submitted, the board's record beside it, and the forms the
signed-in person may use now.

It reads a fixed number of statements whatever the number of comments: the revision, the answers
of the earlier revisions that question threads were made on (to say whether the answer changed
since), and the review record (pia.store.record). The template does as little per comment as it
can: one form per open thread (Reply, and Resolve through its own formaction), the URL and CSRF
token built and escaped once per page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import render_template, url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import select
from wtforms import DateField

from pia.report.review_record import (
    CONDITION_STATE_LABELS,
    OUTCOME_LABELS,
    ReviewRecord,
    ThreadView,
)
from pia.store.errors import InvalidInput
from pia.store.models import Assessment, Revision, utcnow
from pia.store.policy import Action, allowed, status_label
from pia.web.review.forms import (
    CONDITION_FIELDS,
    DATE_MESSAGE,
    NEW_CONDITION,
    AddConditionForm,
    DecisionForm,
)
from pia.web.shared.access import current_user
from pia.web.shared.config import get_bank
from pia.web.shared.db import get_session

# Actions offered only on the revision now under review.
ON_LATEST = (
    Action.TAKE_UP,
    Action.COMMENT,
    Action.RATE,
    Action.REQUEST_CHANGES,
    Action.DECIDE,
    Action.WITHDRAW,
)
FIELD_MESSAGES = {
    "due_on": DATE_MESSAGE,
    "plan_item": "Choose one of the adopted action-plan items, or None.",
}
ANYWHERE = (
    Action.REPLY,
    Action.RESOLVE,
    Action.MARK_CONDITION_MET,
    Action.VERIFY_CONDITION,
    Action.ADD_CONDITION,
    Action.DOWNLOAD_EVIDENCE,
)


@dataclass(frozen=True)
class ThreadItem:
    thread: ThreadView
    # For a thread on a question opened against an earlier revision: did the answer change
    # between that revision and this one? None when there is nothing to compare.
    answer_changed: bool | None = None


@dataclass
class Threads:
    general: list[ThreadItem] = field(default_factory=list)
    questions: dict[str, list[ThreadItem]] = field(default_factory=dict)
    findings: dict[str, list[ThreadItem]] = field(default_factory=dict)


def answers_by_revision(
    assessment: Assessment, shown: Revision, record: ReviewRecord
) -> dict[int, Mapping[str, Any]]:
    """The answers of the shown revision and of the earlier ones that question threads were
    made on (one query, none when no such thread is older than the shown revision)."""
    answers: dict[int, Mapping[str, Any]] = {shown.number: shown.answers or {}}
    earlier = {t.revision for t in record.threads if t.kind == "question"} - {shown.number}
    if earlier:
        query = select(Revision.number, Revision.answers).where(
            Revision.assessment_id == assessment.id, Revision.number.in_(earlier)
        )
        answers.update({n: a or {} for n, a in get_session().execute(query)})
    return answers


def answer_changed(
    thread: ThreadView, shown: int, answers: Mapping[int, Mapping[str, Any]]
) -> bool | None:
    if thread.kind != "question" or thread.revision >= shown or thread.revision not in answers:
        return None
    before = answers[thread.revision].get(thread.target)
    return before != answers.get(shown, {}).get(thread.target)


def group_threads(
    record: ReviewRecord, shown: int, answers: Mapping[int, Mapping[str, Any]]
) -> Threads:
    grouped = Threads()
    for thread in record.threads:
        item = ThreadItem(thread, answer_changed(thread, shown, answers))
        if thread.kind == "question":
            grouped.questions.setdefault(thread.target, []).append(item)
        elif thread.kind == "finding":
            grouped.findings.setdefault(thread.target, []).append(item)
        else:
            grouped.general.append(item)
    return grouped


def may(assessment: Assessment, revision: Revision) -> dict[str, bool]:
    """Which forms to show: the policy's answer, and the revision-now-under-review rule."""
    user = current_user()
    latest = revision.number == assessment.revision_count
    flags = {action.value: latest and allowed(user, action, assessment) for action in ON_LATEST}
    flags.update({action.value: allowed(user, action, assessment) for action in ANYWHERE})
    return flags


def plan_item_choices(
    assessment: Assessment, allowed_now: Mapping[str, bool], record: ReviewRecord
) -> list[tuple[int, str]]:
    """(id, text) of the adopted action-plan items a condition may point at: read only when a
    form on the page offers them."""
    from pia.store import plan_items_for

    adding = allowed_now[Action.ADD_CONDITION.value] and record.decision is not None
    if not (allowed_now[Action.DECIDE.value] or adding):
        return []
    return [(item.id, item.text) for item in plan_items_for(get_session(), assessment)]


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def show_errors_beside_fields(form: Any, refused: InvalidInput | None) -> list[tuple[str, str]]:
    """Put every message beside its field of the posted decision or add-condition form: what
    WTForms could not read (a date it cannot parse says how to write one) and each value the
    store refused. The store numbers conditions from 1 over the entries filled in
    ("conditions-2-owner" is the owner of the second of them). Returns (field id, message) of
    every error, in the page's order, for the summary at the top."""
    if isinstance(form, DecisionForm):
        entries = form.posted_conditions()
        fields = [box for box in form if box.name != "conditions"]
        fields += [entry[name] for entry in entries for name in CONDITION_FIELDS]
    else:
        entries = [form]
        fields = [form[name] for name in CONDITION_FIELDS]
    for box in fields:
        if not box.errors:
            continue
        if box.short_name in FIELD_MESSAGES:
            box.errors = [FIELD_MESSAGES[box.short_name]]
        elif isinstance(box, DateField):
            box.errors = [DATE_MESSAGE]
    unplaced = []
    for problem in refused.problems if refused is not None else ():
        target = _field_named(form, entries, problem.field)
        if target is None:
            unplaced.append(("", _sentence(str(problem))))
        else:
            target.errors = [*target.errors, _sentence(str(problem))]
    return [(box.id, message) for box in fields for message in box.errors] + unplaced


def _field_named(form: Any, entries: Sequence[Any], name: str) -> Any:
    """The field the store named: "conditions-<n>-<field>" in the n-th condition filled in, or a
    field of the decision form; None when none is (the message then shows only at the top)."""
    number, _, short = name.removeprefix("conditions-").partition("-")
    if name.startswith("conditions-") and number.isdigit() and short in CONDITION_FIELDS:
        return entries[int(number) - 1][short] if 0 < int(number) <= len(entries) else None
    if isinstance(form, DecisionForm) and name and name != "conditions" and name in form:
        return form[name]
    return None


def decision_form(form: DecisionForm | None) -> DecisionForm:
    if form is not None:
        return form
    today = utcnow().date()
    blank = DecisionForm(meeting_on=today, review_due_on=today + timedelta(days=730))
    return blank


def render_revision_page(
    assessment: Assessment,
    revision: Revision,
    *,
    refusal: str = "",
    status: int = 200,
    forms: Mapping[str, Any] | None = None,
    refused: InvalidInput | None = None,
) -> tuple[str, int]:
    from pia.store import review_record
    from pia.web.review.views import answers_by_section

    bank = get_bank()
    evaluation = revision.evaluation or {}
    sections, unknown = answers_by_section(
        bank,
        revision.answers or {},
        revision.notes or {},
        frozenset(evaluation.get("visible", ())),
    )
    record = review_record(get_session(), assessment, revision.number)
    forms = dict(forms or {})
    allowed_now = may(assessment, revision)
    posted = forms.get("add_condition") or forms.get("decide")
    problems = show_errors_beside_fields(posted, refused) if posted is not None else []
    add_form = forms.get("add_condition") or AddConditionForm(prefix=NEW_CONDITION)
    body = render_template(
        "review/revision.html",
        assessment=assessment,
        revision=revision,
        meta=revision.meta or {},
        evaluation=evaluation,
        sections=sections,
        unknown=unknown,
        record=record,
        ratings=record.ratings_by_criterion,
        threads=group_threads(
            record, revision.number, answers_by_revision(assessment, revision, record)
        ),
        may=allowed_now,
        plan_items=plan_item_choices(assessment, allowed_now, record),
        add_condition_form=add_form,
        problems=problems,
        status_text=status_label(assessment.status),
        outcome_labels=OUTCOME_LABELS,
        condition_labels=CONDITION_STATE_LABELS,
        decision_form=decision_form(forms.get("decide")),
        posted=forms,
        refusal=refusal,
        today=utcnow().date(),
        # Built and escaped once: a page with hundreds of comment forms would otherwise build
        # and escape each URL and CSRF token hundreds of times.
        urls={
            "comments": Markup.escape(url_for("review.comment", assessment_id=assessment.id)),
            "token": Markup.escape(generate_csrf()),
        },
    )
    return body, status
