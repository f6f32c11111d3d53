"""Details asked once: the questions the bank marks with `mirrors_detail` are answered by the
assessment's details (vendor, product, version), shown read-only on their section page with a
link to the details form, and kept in step when the details change. Question ids come from the
bank, never from this file."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session
from wizard_helpers import post_section, section_url, stored

from pia.engine.bank.model import Bank

DETAILS = {
    "title": "Harbour pilot",
    "technology": "face recognition",
    "vendor": "Acme Vision",
    "product": "FaceFind",
    "product_version": "4.2",
}


def mirrors(bank: Bank) -> dict[str, str]:
    """Detail -> the question that asks it again."""
    found = {detail: qid for qid, detail in bank.mirrored_details().items()}
    assert {"vendor", "product", "product_version"} <= set(found)
    return found


def create(auth: Any, bank: Bank) -> int:
    profile = next(iter(bank.profiles))
    response = auth.post("/assessments/new", {**DETAILS, "profiles": [profile]})
    assert response.status_code == 302
    match = re.search(r"/assessments/(\d+)$", response.headers["Location"])
    assert match
    return int(match.group(1))


def test_the_details_answer_their_questions_and_show_read_only(
    auth: Any, db: Session, bank: Bank
) -> None:
    asked_again = mirrors(bank)
    auth.login("officer_a")
    aid = create(auth, bank)
    answers = stored(db, aid).answers
    for detail, qid in asked_again.items():
        assert answers[qid] == DETAILS[detail], qid

    section = bank.questions[asked_again["vendor"]].section
    html = auth.client.get(section_url(aid, section)).get_data(as_text=True)
    for detail, qid in asked_again.items():
        block = re.search(
            rf'<div class="question question--mirrored" id="q-{qid}".*?</div>', html, re.S
        )
        assert block, qid
        assert f"<bdi>{DETAILS[detail]}</bdi>" in block.group(0)
        assert f'href="/assessments/{aid}/details"' in block.group(0)
        # Not asked: no input and no "asked" marker, so a save of the page cannot change it.
        assert f'name="{qid}"' not in html
        assert f'name="asked" value="{qid}"' not in html


def test_changing_the_details_changes_the_answers(auth: Any, db: Session, bank: Bank) -> None:
    asked_again = mirrors(bank)
    auth.login("officer_a")
    aid = create(auth, bank)
    version = stored(db, aid).lock_version
    changed = {**DETAILS, "vendor": "Other Corp", "product_version": "5.0"}
    profile = next(iter(bank.profiles))
    response = auth.post(
        f"/assessments/{aid}/details", {**changed, "profiles": [profile], "lock_version": version}
    )
    assert response.status_code == 303
    answers = stored(db, aid).answers
    assert answers[asked_again["vendor"]] == "Other Corp"
    assert answers[asked_again["product_version"]] == "5.0"
    assert answers[asked_again["product"]] == "FaceFind"
    # Check your answers: the new value, and Change leads to the details form.
    page = auth.client.get(f"/assessments/{aid}/completeness").get_data(as_text=True)
    row = re.search(
        rf'<div class="summary-list__row" id="answer-{asked_again["vendor"]}">.*?</div>', page, re.S
    )
    assert row
    assert "Other Corp" in row.group(0)
    assert f'href="/assessments/{aid}/details"' in row.group(0)


def test_an_answer_sent_for_a_mirrored_question_does_not_replace_the_detail(
    auth: Any, db: Session, bank: Bank
) -> None:
    asked_again = mirrors(bank)
    auth.login("officer_a")
    aid = create(auth, bank)
    qid = asked_again["vendor"]
    section = bank.questions[qid].section
    response = post_section(auth, db, aid, section, {qid: "Somebody else"}, asked=[qid])
    assert response.status_code in (200, 302, 303)
    assessment = stored(db, aid)
    assert assessment.answers[qid] == "Acme Vision"
    assert assessment.vendor == "Acme Vision"
