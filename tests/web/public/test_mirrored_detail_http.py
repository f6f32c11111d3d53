"""Withholding an answer that mirrors an assessment detail (the vendor: the bank's
`mirrors_detail`) takes the detail off the public edition's cover too, over HTTP, on SQLite and
PostgreSQL: at publication and when the answer is withdrawn after it, the page, the PDF (read
back with pypdf: the cover, every page, the embedded data) and the JSON say why instead."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from comment_setup import publish_for_comment_now
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.engine.bank.model import Bank
from pia.store.public_models import PublicationWithdrawal, Redaction
from pia.web.public.caching import clear_caches

VENDOR = "Covert Vendor Holdings 7e3b"
REASON = "commercial confidence"


@pytest.fixture(autouse=True)
def fresh_caches() -> None:
    clear_caches()


@pytest.fixture
def vendor_question(bank: Bank) -> str:
    [question] = [q.id for q in bank.questions.values() if q.mirrors_detail == "vendor"]
    return question


@pytest.fixture
def submitted_with_vendor(
    make_assessment, complete_answers, submit_assessment, vendor_question: str
) -> int:
    answers = {**complete_answers, vendor_question: VENDOR}
    aid = make_assessment("officer_a", answers=answers, vendor=VENDOR)
    submit_assessment(aid)
    return aid


def withhold_vendor(auth: Any, db: Session, aid: int, question: str) -> None:
    page = f"/assessments/{aid}/publication"
    auth.login("officer_a")
    response = auth.post(
        f"{page}/redactions",
        {"item": f"answer:{question}", "reason": "commercial_confidence", "explanation": "NDA."},
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    auth.logout()
    auth.login("reviewer_a")
    db.expire_all()
    for redaction_id in db.scalars(select(Redaction.id).where(Redaction.assessment_id == aid)):
        assert auth.post(f"{page}/redactions/{redaction_id}/approve").status_code == 303
    auth.logout()


def served(client: Any, pid: int) -> tuple[str, str, str, dict[str, Any], str]:
    """The page, the PDF's cover text and all its text, its embedded public data, the JSON."""
    page = client.get(f"/public/publications/{pid}").get_data(as_text=True)
    pdf = client.get(f"/public/publications/{pid}/report.pdf")
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.data))
    cover = " ".join(reader.pages[0].extract_text().split())
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    embedded = json.loads(reader.attachments["assessment.json"][0])
    data = client.get(f"/public/publications/{pid}/report.json").get_data(as_text=True)
    return page, cover, text, embedded, data


def test_a_vendor_withheld_before_publication_is_not_on_the_cover(
    client, auth, db: Session, bank: Bank, submitted_with_vendor: int, vendor_question: str
) -> None:
    aid = submitted_with_vendor
    withhold_vendor(auth, db, aid, vendor_question)
    pid = publish_for_comment_now(db, bank, aid).id
    marker = f"[withheld: {REASON}]"
    page, cover, text, embedded, data = served(client, pid)
    for output in (page, text, json.dumps(embedded), data):
        assert VENDOR not in output
    assert marker in page
    assert f"Vendor {marker}" in cover
    assert embedded["public"]["meta"]["vendor"] == marker
    assert json.loads(data)["meta"]["vendor"] == marker


def test_a_vendor_withdrawn_after_publication_leaves_the_cover(
    client, auth, db: Session, bank: Bank, submitted_with_vendor: int, vendor_question: str
) -> None:
    aid = submitted_with_vendor
    pid = publish_for_comment_now(db, bank, aid).id
    page, cover, *_ = served(client, pid)
    assert VENDOR in page and f"Vendor {VENDOR}" in cover  # published as it was

    withhold_vendor(auth, db, aid, vendor_question)
    db.expire_all()
    [day] = set(db.scalars(select(PublicationWithdrawal.withdrawn_on)))
    marker = f"[withheld after publication on {day.isoformat()}: {REASON}]"
    page, cover, text, embedded, data = served(client, pid)
    for output in (page, text, json.dumps(embedded), data):
        assert VENDOR not in output
    assert marker in page
    assert f"Vendor {marker}" in cover
    public = json.loads(data)
    assert public["meta"]["vendor"] == marker and public["answers"][vendor_question] == marker
    assert public["withdrawn_after_publication"]["withdrawn"] == 1  # one item: the answer
