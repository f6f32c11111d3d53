"""The check-your-answers page: every answer that applies, by section, with a Change link back to
its question; the declaration; and Submit, disabled with the reason while submission is not
possible."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from wizard_bank import wizard_bank  # noqa: F401  (the `bank` fixture: a small known bank)
from wizard_helpers import post_section

MakeAssessment = Callable[..., int]
COMPLETE = {"vendor_name": "Acme Vision", "modes": ["search"], "threshold": 99}


def page(client: FlaskClient, aid: int) -> str:
    response = client.get(f"/assessments/{aid}/completeness")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def row(html: str, question_id: str) -> str:
    match = re.search(
        rf'<div class="summary-list__row" id="answer-{question_id}">(.*?)</div>', html, re.S
    )
    assert match, f"no row for {question_id}"
    return match.group(1)


def test_every_answer_is_listed_by_section_in_words_with_a_change_link(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers={**COMPLETE, "modes": ["search", "live"], "fmr": {"women": 0.5}})
    auth.login("officer_a")
    saved = post_section(
        auth, db, aid, "use", {"threshold": "99", "threshold-note": "Vendor default"}
    )
    assert saved.status_code == 303
    html = page(client, aid)
    answers = html.split('id="answers-title"')[1]
    # sections in the bank's order, each with its own heading
    assert answers.index('id="answers-system"') < answers.index('id="answers-use"')
    vendor = row(html, "vendor_name")
    assert "Who sells the system?" in vendor and "Acme Vision" in vendor
    assert f'href="/assessments/{aid}/sections/system#q-vendor_name"' in vendor
    assert ">Change<" in vendor
    # choices in their labels, numbers with their unit, notes beside the answer
    modes = row(html, "modes")
    assert "Investigative search; Live recognition in public places" in modes
    threshold = row(html, "threshold")
    assert "99 %" in threshold or "99%" in threshold
    assert "Note: Vendor default" in threshold
    assert "Women: 0.5" in row(html, "fmr")
    # an unanswered question that applies says so and links to answer it
    places = row(html, "live_places")
    assert "Not answered (required)" in places
    assert f'href="/assessments/{aid}/sections/use#q-live_places"' in places
    assert ">Answer<" in places


def test_questions_that_do_not_apply_are_not_listed(
    client: FlaskClient, auth: Any, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers=COMPLETE)
    auth.login("officer_a")
    html = page(client, aid)
    assert 'id="answer-modes"' in html
    assert 'id="answer-live_places"' not in html  # only shown for live use


def test_submit_is_disabled_with_the_reason_while_answers_are_missing(
    client: FlaskClient, auth: Any, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers={"threshold": 80})
    auth.login("officer_a")
    html = page(client, aid)
    submit_part = html.split('id="submit-title"')[1]
    assert "You cannot submit until the required questions above are answered." in submit_part
    assert re.search(
        r'<button type="submit" class="button" disabled aria-describedby="submit-reason">'
        r"Submit for review</button>",
        submit_part,
    )
    assert "Declaration" not in submit_part


def test_submit_is_enabled_after_the_declaration_when_complete(
    client: FlaskClient, auth: Any, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers=COMPLETE)
    auth.login("officer_a")
    submit_part = page(client, aid).split('id="submit-title"')[1]
    assert "Declaration" in submit_part
    assert "you confirm that, to the best of your knowledge" in submit_part
    assert '<button type="submit" class="button">Submit for review</button>' in submit_part
    assert "cannot submit" not in submit_part
