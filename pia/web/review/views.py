"""The reviewer's pages: submitted assessments in their remit, and a read-only revision view.

A revision is shown as it was submitted: its own answers, notes and stored evaluation (nothing is
re-evaluated here). Questions are labelled from the loaded bank; answers to questions that bank no
longer has are listed by id, so nothing submitted is hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request

from pia.engine.bank import model
from pia.web.shared.access import assessment_or_abort, require
from pia.web.shared.db import get_session

bp = Blueprint("review", __name__, template_folder="templates")


def _number(value: Any, unit: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{text} {unit}".strip()


def format_answer(question: model.Question, value: Any) -> str:
    """An answer as people read it: choice labels, Yes/No, numbers with units."""
    if value is None:
        return "Not answered"
    kind = question.type
    if kind == model.CHOICE and isinstance(value, str):
        return question.choice_label(value)
    if kind == model.MULTI and isinstance(value, list):
        return ", ".join(question.choice_label(str(v)) for v in value) or "None selected"
    if kind == model.YESNO and isinstance(value, bool):
        return "Yes" if value else "No"
    if kind == model.NUMBER:
        return _number(value, question.unit)
    if kind == model.GROUP_NUMBERS and isinstance(value, Mapping):
        labels = {group.value: group.label for group in question.groups}
        return "; ".join(
            f"{labels.get(str(k), str(k))}: {_number(v, question.unit)}" for k, v in value.items()
        )
    return str(value)


@dataclass(frozen=True)
class AnswerRow:
    id: str
    text: str
    answer: str
    note: str
    answered: bool
    multiline: bool


@dataclass(frozen=True)
class SectionAnswers:
    id: str
    title: str
    rows: tuple[AnswerRow, ...]


def answers_by_section(
    bank: model.Bank,
    answers: Mapping[str, Any],
    notes: Mapping[str, Any],
    visible: frozenset[str],
) -> tuple[tuple[SectionAnswers, ...], tuple[AnswerRow, ...]]:
    """The revision's visible questions by section, and answers the bank does not know."""
    sections = []
    for section in bank.sections:
        rows = []
        for question_id in section.questions:
            question = bank.questions[question_id]
            if question_id not in visible and question_id not in answers:
                continue
            value = answers.get(question_id)
            rows.append(
                AnswerRow(
                    id=question_id,
                    text=question.text,
                    answer=format_answer(question, value),
                    note=str(notes.get(question_id) or ""),
                    answered=value is not None,
                    multiline=question.type == model.LONGTEXT,
                )
            )
        if rows:
            sections.append(SectionAnswers(section.id, section.title, tuple(rows)))
    unknown = tuple(
        AnswerRow(qid, qid, str(value), str(notes.get(qid) or ""), True, False)
        for qid, value in answers.items()
        if qid not in bank.questions
    )
    return tuple(sections), unknown


@bp.route("/review")
def index() -> tuple[str, int]:
    from pia.store import list_submitted
    from pia.store.policy import Action
    from pia.web.shared.list_filters import REVIEW_SORTS, AssessmentFilterForm

    user = require(Action.LIST_SUBMITTED)
    filters = AssessmentFilterForm(
        request.args, sorts=REVIEW_SORTS, agencies=[(a.id, a.name) for a in user.remit]
    )
    valid = filters.validate()
    page_number = max(1, request.args.get("page", 1, type=int) or 1)
    page = list_submitted(
        get_session(),
        user,
        page=page_number,
        per_page=int(current_app.config["PIA_PAGE_SIZE"]),
        filters=filters.to_filter(),
    )
    return render_template("review/index.html", page=page, filters=filters), 200 if valid else 400


@bp.route("/assessments/<int:assessment_id>/revisions/<int:number>")
def revision(assessment_id: int, number: int) -> tuple[str, int]:
    from pia.store import get_revision
    from pia.store.policy import Action
    from pia.web.review.page import render_revision_page

    assessment = assessment_or_abort(assessment_id, Action.VIEW)
    found = get_revision(get_session(), assessment, number)
    if found is None:
        abort(404)
    return render_revision_page(assessment, found)
