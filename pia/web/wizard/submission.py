"""Checking the answers, what is missing, and submitting.

- GET  /assessments/<id>/completeness: the check-your-answers page. Every answer that applies, by
  section, with a Change link back to its question; required questions still unanswered, answers
  that are not valid, and the statutory elements of the chosen profiles that no answer covers yet
  (all from the Evaluation), each linking to its question in its section; the community meetings
  held against the chosen profiles' requirement; then the declaration and
  the submit button, disabled with the reason shown while submission is not possible.
- POST /assessments/<id>/submit: pia.store.submit makes the immutable revision. Refused, with the
  page saying why, while required answers are missing (400) or when the assessment changed since the
  page was loaded (409).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from wtforms import Form, IntegerField
from wtforms.validators import InputRequired, NumberRange
from wtforms.widgets import HiddenInput

from pia.engine import COVERED_PARTIAL
from pia.engine.bank.model import Question, Section
from pia.engine.evaluation.result import COVERED_MISSING, Evaluation
from pia.report.answers import display_answer, note_texts
from pia.store.meetings import meeting_tallies, meetings_for
from pia.store.models import CHANGES_REQUESTED, SUBMITTED, Assessment
from pia.store.policy import Action
from pia.web.shared.access import abort_wrong_status, assessment_or_abort, current_user
from pia.web.shared.config import get_bank
from pia.web.shared.db import get_session
from pia.web.wizard.blueprint import bp
from pia.web.wizard.board_comments import open_threads
from pia.web.wizard.saving import evaluation_of


class SubmitForm(Form):
    """The version the officer looked at: a submission is of exactly what the page showed."""

    lock_version = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(0)])


@dataclass(frozen=True)
class MissingElement:
    profile: str
    cite: str
    text: str
    questions: tuple[Question, ...]  # the visible questions that would cover it


def question_link(assessment_id: int, question: Question) -> str:
    url = url_for("wizard.section_page", assessment_id=assessment_id, section_id=question.section)
    return f"{url}#q-{question.id}"


def missing_elements(evaluation: Evaluation) -> list[MissingElement]:
    bank = get_bank()
    visible = set(evaluation.visible)
    elements = []
    for coverage in evaluation.coverage:
        for element in coverage.elements:
            if element.status not in (COVERED_MISSING, COVERED_PARTIAL):
                continue
            # A partly answered element lists the core questions still open.
            wanted = element.questions if element.status == COVERED_MISSING else element.core
            wanted = wanted or element.questions
            questions = tuple(
                bank.questions[q]
                for q in wanted
                if q in visible and q in bank.questions and q not in element.answered
            )
            elements.append(MissingElement(coverage.name, element.cite, element.text, questions))
    return elements


@dataclass(frozen=True)
class AnswerRow:
    """One question as the check-your-answers page shows it."""

    question: Question
    answer: str  # in words; "" when not answered
    note: str


@dataclass(frozen=True)
class SectionAnswers:
    section: Section
    rows: tuple[AnswerRow, ...]  # the questions that apply, in the bank's order


def answers_by_section(assessment: Assessment, evaluation: Evaluation) -> list[SectionAnswers]:
    """Every question the engine shows, with its answer in words, section by section."""
    bank = get_bank()
    visible = set(evaluation.visible)
    answers = assessment.answers or {}
    notes = note_texts(assessment.notes)
    grouped = []
    for section in bank.sections:
        rows = tuple(
            AnswerRow(
                bank.questions[qid],
                display_answer(bank.questions[qid], answers.get(qid)),
                notes.get(qid, ""),
            )
            for qid in section.questions
            if qid in visible and qid in bank.questions
        )
        grouped.append(SectionAnswers(section, rows))
    return grouped


def render_completeness(
    assessment: Assessment,
    *,
    status: int = 200,
    refusal: str = "",
    evaluation: Evaluation | None = None,
) -> tuple[str, int]:
    bank = get_bank()
    if evaluation is None:
        evaluation = evaluation_of(assessment)
    visible = set(evaluation.visible)
    missing = [bank.questions[q] for q in evaluation.missing if q in bank.questions]
    invalid = [
        (bank.questions[issue.question], issue.message)
        for issue in evaluation.invalid
        if issue.question in visible and issue.question in bank.questions
    ]
    section_titles = {s.id: s.title for s in bank.sections}
    form = SubmitForm(data={"lock_version": assessment.lock_version})
    body = render_template(
        "wizard/completeness.html",
        assessment=assessment,
        evaluation=evaluation,
        missing=missing,
        invalid=invalid,
        elements=missing_elements(evaluation),
        section_titles=section_titles,
        link=lambda q: question_link(assessment.id, q),
        answer_sections=answers_by_section(assessment, evaluation),
        form=form,
        refusal=refusal,
        ready=not missing and not invalid,
        board_comments=open_threads(assessment, assessment.answers or {}),
        meeting_tallies=meeting_tallies(
            bank, assessment, len(meetings_for(get_session(), assessment))
        ),
    )
    return body, status


@bp.get("/assessments/<int:assessment_id>/completeness")
def completeness(assessment_id: int) -> Any:
    assessment = assessment_or_abort(assessment_id, Action.EDIT)
    return render_completeness(assessment)


@bp.post("/assessments/<int:assessment_id>/submit")
def submit(assessment_id: int) -> Any:
    from pia.store import AlreadySubmitted, NotReady, StaleVersion, resubmit
    from pia.store import submit as submit_assessment
    from pia.store.errors import WrongStatus

    assessment = assessment_or_abort(assessment_id, Action.VIEW)
    resubmitting = assessment.status == CHANGES_REQUESTED
    if assessment.status != SUBMITTED:  # submitted: "nothing changed" below
        assessment_or_abort(assessment_id, Action.RESUBMIT if resubmitting else Action.SUBMIT)
    user = current_user()
    assert user is not None
    form = SubmitForm(request.form)
    if not form.validate():
        return render_completeness(
            assessment,
            status=400,
            refusal="The page's hidden version field was altered or is missing, so nothing was "
            "submitted. Check the list below and submit again.",
        )
    session = get_session()
    try:
        verb = resubmit if resubmitting else submit_assessment
        revision = verb(
            session, get_bank(), assessment, user, expected_version=form.lock_version.data
        )
    except NotReady as not_ready:
        parts = []
        if not_ready.missing:
            parts.append(f"{len(not_ready.missing)} required question(s) are still unanswered")
        if not_ready.invalid:
            parts.append(f"{len(not_ready.invalid)} answer(s) are not valid")
        return render_completeness(
            assessment,
            status=400,
            refusal="This assessment cannot be submitted yet: "
            + " and ".join(parts)
            + ". Answer them (each is linked below), then submit again.",
        )
    except StaleVersion:
        session.expire(assessment)
        return render_completeness(
            assessment,
            status=409,
            refusal="The answers changed since you opened this page (perhaps in another tab), so "
            "nothing was submitted. Check the list below, which is now up to date, and submit "
            "again.",
        )
    except AlreadySubmitted:
        flash(
            f"Nothing changed since revision {assessment.revision_count} was submitted, "
            "so no new revision was made.",
            "info",
        )
        return redirect(url_for("dashboard.overview", assessment_id=assessment_id), 303)
    except WrongStatus as refused:
        abort_wrong_status("submit", refused.current_status)
    what = "Resubmitted" if resubmitting else "Submitted"
    flash(
        f"{what} as revision {revision.number}. Reviewers can now read it. "
        "Any further change starts a new draft.",
        "success",
    )
    return redirect(url_for("dashboard.overview", assessment_id=assessment_id), 303)
