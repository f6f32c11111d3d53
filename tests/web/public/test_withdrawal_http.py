"""Taking an item down after publication, over HTTP, on SQLite and PostgreSQL: the officer asks
for redactions of a published answer, note and evidence file, a reviewer approves them, and at
once the public page, the PDF, the JSON and the evidence download no longer carry them (the page
and files say when and why instead, the file answers 410), in this app and in a second app on the
same database, whose validators come from the database too: the old ETag gets no 304."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from comment_setup import publish_for_comment_now, user
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.engine.bank.model import Bank
from pia.report.public import public_fingerprint
from pia.store.models import AuditEvent, Evidence
from pia.store.public_models import Publication, PublicationWithdrawal, Redaction
from pia.web.public.caching import clear_caches

MARKER = "TAKEDOWN-MARKER-51b7"
ANSWER = "purpose_statement"  # a long text, not sensitive
NOTE = "decisions_supported"
EVIDENCE_QUESTION = "legal_authority_cite"
SECRET_FILE = f"{MARKER}-vendor-prices.txt"
PUBLIC_FILE = "public-brochure.txt"


@pytest.fixture(autouse=True)
def fresh_caches() -> None:
    """The render caches live in the process: start each test (and database) without them."""
    clear_caches()


@pytest.fixture
def published(
    auth: Any, db: Session, bank: Bank, make_assessment, complete_answers, submit_assessment
) -> tuple[int, int]:
    """An assessment published for comment whose answer, note and evidence file carry MARKER;
    -> (assessment id, publication id)."""
    from pia.store import get_assessment, save_answers

    answers = {**complete_answers, ANSWER: f"{MARKER} answer published by mistake"}
    aid = make_assessment("officer_a", answers=answers)
    assessment = get_assessment(db, aid)
    save_answers(
        db,
        bank,
        assessment,
        user(db, "officer_a@example.gov"),
        values={},
        notes={NOTE: f"{MARKER} call the project lead at home"},
        expected_version=assessment.lock_version,
    )
    auth.login("officer_a")
    for name, data in ((SECRET_FILE, f"{MARKER} prices".encode()), (PUBLIC_FILE, b"Brochure")):
        response = auth.post(
            f"/assessments/{aid}/evidence",
            {"question_id": EVIDENCE_QUESTION, "file": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
        )
        assert response.status_code in (302, 303)
    auth.logout()
    submit_assessment(aid)
    return aid, publish_for_comment_now(db, bank, aid).id


def take_down(auth: Any, db: Session, aid: int) -> str:
    """The officer asks to withhold the answer, the note and the file; a reviewer approves each.
    -> the date the public reads (the agency's)."""
    page = f"/assessments/{aid}/publication"
    secret_file = db.scalar(select(Evidence.id).where(Evidence.filename == SECRET_FILE))
    auth.login("officer_a")
    for item, reason in (
        (f"answer:{ANSWER}", "ongoing_investigation"),
        (f"note:{NOTE}", "personal_data"),
        (f"evidence:{secret_file}", "commercial_confidence"),
    ):
        response = auth.post(
            f"{page}/redactions", {"item": item, "reason": reason, "explanation": "By mistake."}
        )
        assert response.status_code == 303, response.get_data(as_text=True)
    auth.logout()
    auth.login("reviewer_a")
    db.expire_all()
    for redaction_id in db.scalars(select(Redaction.id).where(Redaction.assessment_id == aid)):
        assert auth.post(f"{page}/redactions/{redaction_id}/approve").status_code == 303
    listed = auth.client.get(page).get_data(as_text=True)
    assert "Withdrawn from publication" in listed
    auth.logout()
    db.expire_all()
    days = set(db.scalars(select(PublicationWithdrawal.withdrawn_on)))
    assert len(days) == 1
    return days.pop().isoformat()


def number_of(publication: Publication, filename: str) -> int:
    [number] = [
        n
        for n, entry in enumerate(publication.public_data["evidence"], 1)
        if entry["filename"] == filename
    ]
    return number


def test_the_page_loses_the_item_at_once_in_every_app(
    client: FlaskClient, auth: Any, db: Session, second_app, published: tuple[int, int]
) -> None:
    aid, pid = published
    url = f"/public/publications/{pid}"
    other = second_app().test_client()
    first = client.get(url)
    etag = first.headers["ETag"]
    assert MARKER in first.get_data(as_text=True)
    assert other.get(url).headers["ETag"] == etag  # the same validator from the database
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    day = take_down(auth, db, aid)

    publication = db.get(Publication, pid)
    for browser in (client, other):
        after = browser.get(url, headers={"If-None-Match": etag})
        assert after.status_code == 200, "a changed page was answered 304"
        assert after.headers["ETag"] != etag
        text = after.get_data(as_text=True)
        assert MARKER not in text
        for reason in ("ongoing investigation", "personal data", "commercial confidence"):
            assert f"[withheld after publication on {day}: {reason}]" in text
        assert "Amended after publication: 3 item(s) were withdrawn" in text
        assert publication.fingerprint in text  # named as the fingerprint as published
        assert f'/evidence/{number_of(publication, SECRET_FILE)}"' not in text
        assert f'/evidence/{number_of(publication, PUBLIC_FILE)}"' in text
        assert browser.get(url, headers={"If-None-Match": after.headers["ETag"]}).status_code == 304
    approvals = db.scalars(select(AuditEvent).where(AuditEvent.action == "redaction.approved"))
    assert [event.detail["withdrawn_from_publications"] for event in approvals] == [[pid]] * 3


def pdf_text_and_files(body: bytes) -> tuple[str, dict[str, bytes]]:
    reader = PdfReader(io.BytesIO(body))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return text, {name: files[0] for name, files in reader.attachments.items()}


def test_the_pdf_json_and_evidence_are_served_without_the_item(
    app, client: FlaskClient, auth: Any, db: Session, published: tuple[int, int], tmp_path,
    capsys, monkeypatch, bank_dir,
) -> None:  # fmt: skip
    from pia.cli import main

    aid, pid = published
    publication = db.get(Publication, pid)
    stored_fingerprint = publication.fingerprint
    pdf_url = f"/public/publications/{pid}/report.pdf"
    json_url = f"/public/publications/{pid}/report.json"
    secret_url = f"/public/publications/{pid}/evidence/{number_of(publication, SECRET_FILE)}"
    public_url = f"/public/publications/{pid}/evidence/{number_of(publication, PUBLIC_FILE)}"
    before = {url: client.get(url) for url in (pdf_url, json_url, secret_url)}
    assert MARKER in pdf_text_and_files(before[pdf_url].data)[0]
    assert MARKER in before[json_url].get_data(as_text=True)
    assert before[secret_url].data == f"{MARKER} prices".encode()

    day = take_down(auth, db, aid)

    for url in (pdf_url, json_url):
        old = before[url].headers
        assert client.get(url, headers={"If-None-Match": old["ETag"]}).status_code == 200, url
        since = client.get(url, headers={"If-Modified-Since": old["Last-Modified"]})
        assert since.status_code == 200, url

    pdf = client.get(pdf_url)
    text, files = pdf_text_and_files(pdf.data)
    assert MARKER.encode() not in pdf.data
    assert MARKER not in text and all(MARKER.encode() not in data for data in files.values())
    assert "Amended after publication: 3 item(s) were withdrawn" in text
    assert f"withheld after publication on {day}" in text
    embedded = json.loads(files["assessment.json"])
    amendment = embedded["public"]["withdrawn_after_publication"]
    assert amendment == {"original_fingerprint": stored_fingerprint, "withdrawn": 3}
    assert embedded["public_fingerprint"] == public_fingerprint(embedded["public"])
    assert embedded["public_fingerprint"] != stored_fingerprint
    # The amended edition verifies against its own data, like any public PDF.
    monkeypatch.setenv("PIA_INSTANCE", app.instance_path)
    path = tmp_path / "amended.pdf"
    path.write_bytes(pdf.data)
    assert main(["verify", str(path), "--bank", str(bank_dir)]) == 0
    assert "VERIFIED PUBLIC VERSION" in capsys.readouterr().out

    served = client.get(json_url)
    assert MARKER not in served.get_data(as_text=True)
    data = served.get_json()
    assert data["answers"][ANSWER] == (
        f"[withheld after publication on {day}: ongoing investigation]"
    )
    assert data["notes"][NOTE] == f"[withheld after publication on {day}: personal data]"
    assert data["withdrawn_after_publication"]["original_fingerprint"] == stored_fingerprint

    gone = client.get(secret_url)
    assert gone.status_code == 410
    page = gone.get_data(as_text=True)
    assert f"withdrawn from the public after publication, on {day}" in page
    assert "commercial confidence" in page and MARKER not in page
    old_etag = before[secret_url].headers["ETag"]
    assert client.get(secret_url, headers={"If-None-Match": old_etag}).status_code == 410
    since = before[secret_url].headers["Last-Modified"]
    assert client.get(secret_url, headers={"If-Modified-Since": since}).status_code == 410
    assert client.get(public_url).data == b"Brochure"

    # What was published stays on record, under the fingerprint the audit trail names.
    db.expire_all()
    stored = db.get(Publication, pid)
    assert stored.fingerprint == stored_fingerprint == public_fingerprint(stored.public_data)
    assert MARKER in json.dumps(stored.public_data)
