"""Taking down what only an earlier publication shows, over HTTP, on SQLite and PostgreSQL:
revision 1 was published for comment with an answer and an evidence file that revision 2 (the
final version) no longer has. The publishing page offers both; once a reviewer approves, the
publication for comment no longer shows them, and the final version still shows its own answer."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta
from typing import Any

import pytest
from comment_setup import TODAY, publish_for_comment_now, set_period, user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pia.engine.bank.model import Bank
from pia.report.public import published_value_sha256
from pia.store.models import Assessment, Evidence
from pia.store.public_models import Publication, PublicationWithdrawal, Redaction
from pia.web.public.caching import clear_caches

MARKER = "OLD-TEXT-MARKER-4c2d"
ANSWER = "purpose_statement"  # a long text, not sensitive
CORRECTED = "Search of booking photographs after an arrest, for named offences."
EVIDENCE_QUESTION = "legal_authority_cite"
OLD_FILE = "draft-contract.txt"


@pytest.fixture(autouse=True)
def fresh_caches() -> None:
    clear_caches()


@pytest.fixture
def republished(
    auth: Any, db: Session, bank: Bank, make_assessment, complete_answers, submit_assessment
) -> tuple[int, int, int]:
    """Revision 1 published for comment with MARKER in an answer and a file; revision 2, the
    answer corrected and the file removed, published as the final version.
    -> (assessment id, publication for comment id, final publication id)"""
    from pia.store import get_assessment, record_decision, save_answers, take_up
    from pia.store.evidence import remove_evidence
    from pia.store.publication import allow_publication, publish_final

    answers = {**complete_answers, ANSWER: f"{MARKER} who to call at home"}
    aid = make_assessment("officer_a", answers=answers)
    auth.login("officer_a")
    response = auth.post(
        f"/assessments/{aid}/evidence",
        {"question_id": EVIDENCE_QUESTION, "file": (io.BytesIO(b"Draft terms"), OLD_FILE)},
        content_type="multipart/form-data",
    )
    assert response.status_code in (302, 303)
    auth.logout()
    submit_assessment(aid)
    first = publish_for_comment_now(db, bank, aid).id

    officer = user(db, "officer_a@example.gov")
    reviewer = user(db, "reviewer_a@example.gov")
    db.expire_all()
    assessment = get_assessment(db, aid)
    save_answers(
        db, bank, assessment, officer, values={ANSWER: CORRECTED}, notes={},
        expected_version=assessment.lock_version,
    )  # fmt: skip
    old_file = db.scalar(select(Evidence.id).where(Evidence.filename == OLD_FILE))
    remove_evidence(db, assessment, officer, old_file)
    submit_assessment(aid)
    db.expire_all()
    assessment = db.get(Assessment, aid)
    take_up(db, assessment, reviewer, revision=2)
    record_decision(
        db, assessment, reviewer, revision=2, outcome="approved", rationale="Corrected.",
        meeting_on=TODAY,
    )  # fmt: skip
    allow_publication(db, assessment, reviewer, revision=2)
    set_period(db, first, TODAY - timedelta(days=20), TODAY - timedelta(days=1))
    final = publish_final(db, bank, db.get(Assessment, aid), officer).id
    return aid, first, final


def options(page: str) -> dict[str, str]:
    """The item list of the redaction form: value -> label."""
    found = re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', page)
    return {html.unescape(value): html.unescape(label) for value, label in found}


def test_what_only_an_earlier_publication_shows_can_be_taken_down(
    client, auth, db: Session, bank: Bank, republished: tuple[int, int, int]
) -> None:
    aid, first, final = republished
    page = f"/assessments/{aid}/publication"
    old_answer = f"answer:{ANSWER}:{published_value_sha256(f'{MARKER} who to call at home')}"
    old_file = f"evidence:{db.scalar(select(Evidence.id).where(Evidence.filename == OLD_FILE))}"
    assert MARKER in client.get(f"/public/publications/{first}").get_data(as_text=True)

    auth.login("officer_a")
    offered = options(auth.client.get(page).get_data(as_text=True))
    question = bank.questions[ANSWER].text
    assert offered[old_answer] == (
        f"Answer as published: {question} (published with revision 1; not in revision 2)"
    )
    assert offered[old_file] == (
        f"Evidence file: {OLD_FILE} (published with revision 1; not in revision 2)"
    )
    assert offered[f"answer:{ANSWER}"] == f"Answer: {question}"  # the current answer, as before
    for item in (old_answer, old_file):
        response = auth.post(
            f"{page}/redactions",
            {"item": item, "reason": "personal_data", "explanation": "Published by mistake."},
        )
        assert response.status_code == 303, response.get_data(as_text=True)
    listed = html.unescape(auth.client.get(page).get_data(as_text=True))
    assert f"Answer as published (changed since): {question}" in listed
    auth.logout()
    auth.login("reviewer_a")
    db.expire_all()
    for redaction_id in db.scalars(select(Redaction.id).where(Redaction.assessment_id == aid)):
        assert auth.post(f"{page}/redactions/{redaction_id}/approve").status_code == 303
    auth.logout()

    db.expire_all()
    withdrawn = db.execute(select(PublicationWithdrawal.publication_id, PublicationWithdrawal.kind))
    assert sorted(withdrawn) == [(first, "answer"), (first, "evidence")]
    taken_down = client.get(f"/public/publications/{first}").get_data(as_text=True)
    assert MARKER not in taken_down and OLD_FILE not in taken_down
    assert "withheld after publication on" in taken_down
    assert client.get(f"/public/publications/{first}/evidence/1").status_code == 410
    still = html.unescape(client.get(f"/public/publications/{final}").get_data(as_text=True))
    assert CORRECTED in still
    assert "withheld after publication" not in still
    assert CORRECTED in client.get(f"/public/publications/{final}/report.json").get_data(
        as_text=True
    )


def test_a_text_no_publication_shows_is_refused_beside_the_field(
    auth, db: Session, republished: tuple[int, int, int]
) -> None:
    aid, *_ = republished
    auth.login("officer_a")
    refused = auth.post(
        f"/assessments/{aid}/publication/redactions",
        {"item": f"answer:{ANSWER}:{'0' * 64}", "reason": "security", "explanation": "Typed."},
    )
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Choose an answer or note as a publication of this assessment shows it." in text
    assert "Typed." in text  # the other input kept
    assert db.scalar(select(func.count()).select_from(Redaction)) == 0
    assert db.scalar(select(func.count()).select_from(Publication)) == 2
