"""The `question` macro (wizard/_question.html), the one place a question's HTML is written,
rendered for a question whose answer was refused."""

from __future__ import annotations

from flask import Flask

from pia.engine.bank.model import Bank
from pia.web.wizard.forms import SectionForms


def test_a_question_with_errors_is_rendered_with_its_messages(app: Flask, bank: Bank) -> None:
    section = bank.sections[0]
    item = SectionForms(bank).display(section.id, {}, {}, 1).items[0]
    with app.test_request_context():
        question = app.jinja_env.get_template("wizard/_question.html").module.question
        html = question(item, True, ["Enter a number <here>."], None)
    qid = item.question.id
    assert "question--error" in html
    assert f'id="{qid}-error" data-error-for="{qid}">' in html
    assert "Enter a number &lt;here&gt;." in html
