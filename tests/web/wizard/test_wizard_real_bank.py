"""The wizard on the real bank (questions/): every section renders, and every example assessment
survives a round trip through every section's form unchanged (what the page shows is exactly what
is stored, so an officer who presses Save without touching anything changes nothing)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from page_form import as_post_data, submitted_pairs
from sqlalchemy.orm import Session
from wizard_helpers import section_url, stored

from pia.engine import read_answers_file
from pia.engine.bank.model import Bank

EXAMPLES = sorted((Path(__file__).resolve().parents[3] / "questions" / "examples").glob("*.yaml"))


def save_notes(db: Session, bank: Bank, aid: int, key_id: int, notes: dict[str, str]) -> None:
    from pia.store import save_answers
    from pia.store.models import User

    if not notes:
        return
    assessment = stored(db, aid)
    actor = db.get(User, key_id)
    assert actor is not None
    save_answers(
        db,
        bank,
        assessment,
        actor,
        values={},
        notes=notes,
        expected_version=assessment.lock_version,
    )
    db.commit()


def test_every_section_renders_for_a_new_assessment(
    client: FlaskClient, auth: Any, bank: Bank, make_assessment: Callable[..., int]
) -> None:
    aid = make_assessment(profiles=list(bank.profiles))
    auth.login("officer_a")
    for section in bank.sections:
        response = client.get(section_url(aid, section.id))
        assert response.status_code == 200, section.id
        html = response.get_data(as_text=True)
        for question_id in section.questions:
            assert f'id="q-{question_id}"' in html
    completeness = client.get(f"/assessments/{aid}/completeness")
    assert completeness.status_code == 200


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_examples_round_trip_through_every_section_unchanged(
    client: FlaskClient,
    auth: Any,
    db: Session,
    bank: Bank,
    people: Any,
    make_assessment: Callable[..., int],
    example: Path,
) -> None:
    document = read_answers_file(example)
    aid = make_assessment(answers=dict(document.answers), profiles=list(document.profiles))
    save_notes(db, bank, aid, people["officer_a"].id, dict(document.notes))
    before = stored(db, aid)
    answers, notes, version = dict(before.answers), dict(before.notes), before.lock_version
    auth.login("officer_a")
    for section in bank.sections:
        page = client.get(section_url(aid, section.id))
        assert page.status_code == 200, section.id
        data = as_post_data(submitted_pairs(page.get_data(as_text=True), "section-form"))
        response = client.post(section_url(aid, section.id), data=data)
        assert response.status_code == 303, (section.id, response.get_data(as_text=True)[-3000:])
    after = stored(db, aid)
    assert after.answers == answers
    assert after.notes == notes
    assert after.lock_version == version  # nothing differed, so nothing was written


def test_none_of_these_cannot_be_ticked_with_other_answers(
    client: FlaskClient, auth: Any, db: Session, make_assessment: Callable[..., int]
) -> None:
    from wizard_helpers import post_section

    aid = make_assessment()
    auth.login("officer_a")
    values = {"contract_terms": ["testing_api", "none"], "annual_cost": "125000"}
    response = post_section(auth, db, aid, "alternatives", values)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    message = "Choose “None of these” on its own, or untick it."
    assert html.count(message) == 2  # beside the field and in the error summary
    assert '<a href="#contract_terms-0">' in html  # the summary links to the first checkbox
    answers = stored(db, aid).answers
    assert "contract_terms" not in answers and answers["annual_cost"] == 125000  # the rest saved
    # on its own it is saved
    response = post_section(auth, db, aid, "alternatives", {"contract_terms": ["none"]})
    assert response.status_code == 303
    assert stored(db, aid).answers["contract_terms"] == ["none"]


def cited_sources(client: FlaskClient, aid: int, bank: Bank) -> list[str]:
    pages = [client.get(section_url(aid, section.id)) for section in bank.sections]
    assert all(page.status_code == 200 for page in pages)
    return [
        source
        for page in pages
        for source in re.findall(r"<cite>([^<]*)</cite>", page.get_data(as_text=True))
    ]


def test_questions_cite_only_the_chosen_jurisdictions_laws(
    client: FlaskClient, auth: Any, bank: Bank, make_assessment: Callable[..., int]
) -> None:
    """As findings do, a question leaves out sources of jurisdictions the assessment did not
    choose; sources of no jurisdiction are shown to all."""
    auth.login("officer_a")
    everywhere = cited_sources(client, make_assessment(profiles=list(bank.profiles)), bank)
    washington = cited_sources(client, make_assessment(profiles=["wa_rcw_43_386"]), bank)
    eu_prefixes = tuple(bank.profiles["eu_ai_act_gdpr"].sources)
    assert any(source.startswith(eu_prefixes) for source in everywhere)
    assert not any(source.startswith(eu_prefixes) for source in washington)
    assert any(source.startswith("RCW") for source in washington)
    general = [
        s
        for s in everywhere
        if not any(s.startswith(p.sources) for p in bank.profiles.values() if p.sources)
    ]
    assert general and set(general) <= set(washington)
