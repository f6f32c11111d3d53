"""Section pages write each question from a skeleton made once per question at start; the skeleton
filled with a request's values must be exactly the question macro's output for those values."""

from __future__ import annotations

from typing import Any

from flask import Flask
from markupsafe import Markup

from pia.engine.bank.model import Bank
from pia.web.wizard.forms import SectionForms
from pia.web.wizard.question_render import QuestionRenderer
from pia.web.wizard.section import RENDERER_KEY

ATTACHED = Markup('<ul class="evidence__list"><li>scan.pdf</li></ul>')


def awkward_answers(bank: Bank) -> dict[str, Any]:
    """Answers whose text needs escaping, and every option of multi questions chosen."""
    answers: dict[str, Any] = {}
    for question in bank.questions.values():
        if question.type == "multi":
            answers[question.id] = [c.value for c in question.choices]
        elif question.type in ("text", "longtext"):
            answers[question.id] = 'Fish & "chips" <b>\n</b>'
    return answers


def test_skeletons_give_what_the_macro_gives(
    app: Flask, bank: Bank, complete_answers: dict[str, Any]
) -> None:
    renderer: QuestionRenderer = app.extensions[RENDERER_KEY]
    forms = SectionForms(bank)
    notes = {qid: "A <note> & more" for qid in list(bank.questions)[::2]}
    cases = [({}, {}), (complete_answers, notes), (awkward_answers(bank), notes)]
    compared = 0
    with app.test_request_context():
        for answers, case_notes in cases:
            for section in bank.sections:
                for item in forms.display(section.id, answers, case_notes, 1).items:
                    for shown in (True, False):
                        for attached in (Markup(""), ATTACHED):
                            fast = renderer(item, shown, [], attached)
                            live = renderer.live(item, shown, [], attached)
                            assert fast == live, (item.question.id, shown)
                            compared += 1
    assert compared == 3 * len(bank.questions) * 4


def test_a_question_with_errors_is_rendered_live_with_its_messages(app: Flask, bank: Bank) -> None:
    renderer: QuestionRenderer = app.extensions[RENDERER_KEY]
    section = bank.sections[0]
    item = SectionForms(bank).display(section.id, {}, {}, 1).items[0]
    with app.test_request_context():
        html = renderer(item, True, ["Enter a number <here>."], Markup(""))
    qid = item.question.id
    assert "question--error" in html
    assert f'id="{qid}-error" data-error-for="{qid}">' in html
    assert "Enter a number &lt;here&gt;." in html
