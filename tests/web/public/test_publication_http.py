"""Redaction, the board's permission and publication over HTTP, and the public site they feed.

The security test plants a marker in a redacted answer, a redacted note, a redacted evidence
file's name and content, and a sensitive question's answer; then every public URL (each page,
the PDF's bytes, text and embedded data, the JSON, the index, the feed, every evidence download)
is read and none may carry it.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import feedparser
import pytest
from flask import Flask, url_for
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pia.engine.bank.model import Bank
from pia.store.public_models import Publication, Redaction

MARKER = "SECRET-MARKER-9c1e"
TODAY = datetime.now(UTC).date()
REDACTED_ANSWER = "purpose_statement"  # a long text, not sensitive
REDACTED_NOTE = "decisions_supported"
SENSITIVE = "hosting_details"  # a text question the bank marks sensitive
EVIDENCE_QUESTION = "legal_authority_cite"
PUBLIC_TEXT = "Public answer about vendors 5d2a"  # an answer that must be published
TITLE = 'Face search & <b>"pilot"</b>'  # markup in user text: escaped in pages and the feed


def decision_form(revision: int) -> dict[str, Any]:
    return {
        "revision": revision,
        "outcome": "approved_with_conditions",
        "rationale": "Proportionate with the safeguards described.",
        "meeting_on": TODAY.isoformat(),
        "votes_for": "4",
        "votes_against": "1",
        "votes_abstain": "0",
        "review_due_on": (TODAY + timedelta(days=730)).isoformat(),
        "conditions-0-text": "Publish a yearly audit of searches.",
        "conditions-0-owner": "Records office",
        "conditions-0-due_on": (TODAY + timedelta(days=90)).isoformat(),
        "conditions-0-finding_rule": "",
    }


def upload(auth: Any, aid: int, question_id: str, name: str, data: bytes) -> Any:
    return auth.post(
        f"/assessments/{aid}/evidence",
        {"question_id": question_id, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def evidence_id(db: Session, aid: int, filename: str) -> int:
    from pia.store.models import Evidence

    return db.scalar(
        select(Evidence.id).where(Evidence.assessment_id == aid, Evidence.filename == filename)
    )


@pytest.fixture
def decided(
    client, auth, db: Session, bank: Bank, make_assessment, complete_answers, submit_assessment
) -> int:
    """An assessment with markers in what will be withheld, submitted and approved."""
    answers = dict(complete_answers)
    answers[REDACTED_ANSWER] = f"{MARKER} answer that is redacted"
    answers[SENSITIVE] = f"{MARKER} sensitive hosting details"
    answers["vendor_name"] = PUBLIC_TEXT
    # The vendor is kept with the assessment's details, which the answer shows.
    aid = make_assessment("officer_a", answers=answers, title=TITLE, vendor=PUBLIC_TEXT)
    from pia.store import get_assessment, save_answers
    from pia.store.models import User

    assessment = get_assessment(db, aid)
    officer = (
        db.get(User, assessment.created_by_id) if hasattr(assessment, "created_by_id") else None
    )
    save_answers(
        db,
        bank,
        assessment,
        officer or db.scalars(select(User).where(User.email == "officer_a@example.gov")).one(),
        values={},
        notes={REDACTED_NOTE: f"{MARKER} note that is redacted", "vendor_name": "A public note"},
        expected_version=assessment.lock_version,
    )
    db.commit()
    auth.login("officer_a")
    assert upload(
        auth, aid, EVIDENCE_QUESTION, f"{MARKER}-contract.txt", f"{MARKER} inside".encode()
    ).status_code in (302, 303)
    assert upload(
        auth, aid, "vendor_name", "public-brochure-報告.txt", b"A public brochure"
    ).status_code in (302, 303)
    auth.logout()
    submit_assessment(aid)
    auth.login("reviewer_a")
    assert auth.post(f"/assessments/{aid}/review/take-up", {"revision": 1}).status_code == 303
    assert auth.post(f"/assessments/{aid}/review/decision", decision_form(1)).status_code == 303
    auth.logout()
    return aid


def publish_with_redactions(auth: Any, db: Session, aid: int) -> int:
    """The whole flow over HTTP; returns the publication's id."""
    page = f"/assessments/{aid}/publication"
    auth.login("officer_a")
    secret_file = evidence_id(db, aid, f"{MARKER}-contract.txt")
    for item, reason in (
        (f"answer:{REDACTED_ANSWER}", "ongoing_investigation"),
        (f"note:{REDACTED_NOTE}", "personal_data"),
        (f"evidence:{secret_file}", "commercial_confidence"),
    ):
        response = auth.post(
            f"{page}/redactions", {"item": item, "reason": reason, "explanation": "x"}
        )
        assert response.status_code == 303, response.get_data(as_text=True)
    # Not yet allowed by the board: refused, nothing published.
    refused = auth.post(f"{page}/comment", period())
    assert refused.status_code == 409
    assert "has not allowed publication" in refused.get_data(as_text=True)
    auth.logout()
    auth.login("reviewer_a")
    assert auth.post(f"{page}/allow", {"revision": 1}).status_code == 303
    auth.logout()
    auth.login("officer_a")
    refused = auth.post(f"{page}/comment", period())
    assert refused.status_code == 409
    assert "3 redaction(s) await a reviewer" in refused.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Publication)) == 0
    auth.logout()
    auth.login("reviewer_a")
    db.expire_all()
    for redaction_id in db.scalars(select(Redaction.id).where(Redaction.assessment_id == aid)):
        assert auth.post(f"{page}/redactions/{redaction_id}/approve").status_code == 303
    auth.logout()
    auth.login("officer_a")
    assert auth.post(f"{page}/comment", period()).status_code == 303
    auth.logout()
    db.expire_all()
    return db.scalar(select(Publication.id).where(Publication.assessment_id == aid))


def period(opens: date = TODAY, days: int = 30) -> dict[str, str]:
    return {"opens_on": opens.isoformat(), "closes_on": (opens + timedelta(days=days)).isoformat()}


def public_urls(
    app: Flask, publication_id: int, assessment_id: int, evidence_count: int
) -> list[str]:
    values = {
        "publication_id": [publication_id],
        "assessment_id": [assessment_id],
        "number": list(range(1, evidence_count + 2)),
    }
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("public.") or "GET" not in (rule.methods or ()):
                continue
            combos: list[dict[str, Any]] = [{}]
            for name in sorted(rule.arguments):
                combos = [{**c, name: v} for c in combos for v in values[name]]
            urls += [url_for(rule.endpoint, **combo) for combo in combos]
    return urls


def every_byte_stream(response: Any) -> list[bytes]:
    """The raw body and, for a PDF, its extracted text and every embedded file."""
    body = response.get_data()
    streams = [body]
    if response.mimetype == "application/pdf":
        reader = PdfReader(io.BytesIO(body))
        streams.append("\n".join(page.extract_text() for page in reader.pages).encode())
        streams += [data for files in reader.attachments.values() for data in files]
    return streams


def test_no_withheld_content_reaches_any_public_byte_stream(
    app, client, auth, db: Session, decided: int, bank: Bank
) -> None:
    publication_id = publish_with_redactions(auth, db, decided)
    publication = db.get(Publication, publication_id)
    urls = public_urls(app, publication_id, decided, len(publication.public_data["evidence"]))
    assert len(urls) >= 8
    seen_public_text = seen_evidence = 0
    for url in urls:
        response = client.get(url, follow_redirects=True)
        assert response.status_code in (200, 404), url
        for stream in every_byte_stream(response):
            assert MARKER.encode() not in stream, url
            assert MARKER.encode("utf-16-be") not in stream, url
            seen_public_text += PUBLIC_TEXT.encode() in stream
        seen_evidence += response.get_data() == b"A public brochure"
    assert seen_public_text >= 3  # the page, the PDF and the JSON do show what is published
    assert seen_evidence == 1  # the published evidence file downloads; the withheld one does not
    text = client.get(f"/public/publications/{publication_id}").get_data(as_text=True)
    for reason in ("ongoing investigation", "personal data", "commercial confidence"):
        assert f"[withheld: {reason}]" in text


def test_the_public_pdf_verifies_against_its_public_fingerprint(
    app, client, auth, db: Session, decided: int, tmp_path, capsys, monkeypatch, bank_dir
) -> None:
    from pia.cli import main

    monkeypatch.setenv("PIA_INSTANCE", app.instance_path)
    publication_id = publish_with_redactions(auth, db, decided)
    publication = db.get(Publication, publication_id)
    pdf = client.get(f"/public/publications/{publication_id}/report.pdf").data
    path = tmp_path / "public.pdf"
    path.write_bytes(pdf)
    assert main(["verify", str(path), "--bank", str(bank_dir)]) == 0
    out = capsys.readouterr().out
    assert "VERIFIED PUBLIC VERSION" in out and publication.fingerprint in out
    embedded = json.loads(PdfReader(io.BytesIO(pdf)).attachments["assessment.json"][0])
    assert embedded["public"] == publication.public_data
    # A changed byte of the public data no longer verifies.
    tampered = pdf.replace(b"Public answer about vendors", b"Public answer about vendorz")
    path.write_bytes(tampered)
    assert main(["verify", str(path), "--bank", str(bank_dir)]) != 0


def test_bad_redactions_and_publications_change_nothing(
    client, auth, db: Session, decided: int
) -> None:
    page = f"/assessments/{decided}/publication"
    auth.login("officer_a")
    before = db.scalar(select(func.count()).select_from(Redaction))
    bad_reason = auth.post(
        f"{page}/redactions", {"item": f"answer:{REDACTED_ANSWER}", "reason": "embarrassment"}
    )
    assert bad_reason.status_code == 400
    assert "choose a reason from the list" in bad_reason.get_data(as_text=True).lower()
    bad_item = auth.post(
        f"{page}/redactions", {"item": "answer:no_such_question", "reason": "security"}
    )
    assert bad_item.status_code == 400
    other = auth.post(f"{page}/redactions", {"item": "evidence:999999", "reason": "security"})
    assert other.status_code == 400
    assert db.scalar(select(func.count()).select_from(Redaction)) == before
    auth.logout()
    auth.login("reviewer_a")
    assert auth.post(f"{page}/allow", {"revision": 1}).status_code == 303
    auth.logout()
    auth.login("officer_a")
    backwards = auth.post(f"{page}/comment", period(TODAY + timedelta(days=5), days=-2))
    assert backwards.status_code == 400
    assert "must close after the day it opens" in backwards.get_data(as_text=True)
    past = auth.post(f"{page}/comment", period(TODAY - timedelta(days=2)))
    assert past.status_code == 400 and "cannot open in the past" in past.get_data(as_text=True)
    garbled = auth.post(f"{page}/comment", {"opens_on": "soon", "closes_on": "later"})
    assert garbled.status_code == 400
    final = auth.post(f"{page}/final")
    assert final.status_code == 409 and "for public comment first" in final.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Publication)) == 0
    # A reviewer may not publish; an officer may not approve redactions or allow publication.
    assert auth.post(f"{page}/allow", {"revision": 1}).status_code == 403
    auth.logout()
    auth.login("reviewer_a")
    assert auth.post(f"{page}/comment", period()).status_code == 403
    auth.logout()
    # Another agency's officer does not see the assessment at all.
    auth.login("officer_b")
    assert client.get(page).status_code == 404


def test_public_pages_are_cacheable_and_never_stale(
    client, auth, db: Session, decided: int, bank: Bank
) -> None:
    from pia.store import get_assessment
    from pia.store.models import User
    from pia.store.publication import publish_final

    publication_id = publish_with_redactions(auth, db, decided)
    for url in (
        f"/public/publications/{publication_id}",
        "/public/",
        "/public/feed.atom",
        "/public/index.json",
    ):
        first = client.get(url)
        assert first.status_code == 200 and first.headers["ETag"], url
        assert first.headers["Last-Modified"]
        assert "no-cache" in first.headers["Cache-Control"]
        assert "Set-Cookie" not in first.headers, url  # a shared cache may keep it
        # Pages may change without a newer time: only the ETag revalidates them.
        since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
        assert since.status_code == 200, url
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.get_data() == b"", url
    data_url = f"/public/publications/{publication_id}/report.json"
    stamp = client.get(data_url).headers["Last-Modified"]
    assert client.get(data_url, headers={"If-Modified-Since": stamp}).status_code == 304
    listing = client.get("/public/")
    assert "Open for comment" in listing.get_data(as_text=True)
    # The final version, once the period is over: the list, feed and index change with it.
    db.expire_all()
    officer = db.scalars(select(User).where(User.email == "officer_a@example.gov")).one()
    final = publish_final(
        db, bank, get_assessment(db, decided), officer, today=TODAY + timedelta(days=31)
    )
    for url in ("/public/", "/public/feed.atom", "/public/index.json"):
        after = client.get(url, headers={"If-None-Match": listing.headers["ETag"]})
        assert after.status_code == 200, url
    index = client.get("/public/index.json").get_json()
    assert [row["stage"] for row in index["publications"]] == ["final"]
    assert index["publications"][0]["fingerprint"] == final.fingerprint
    feed = feedparser.parse(client.get("/public/feed.atom").get_data())
    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == 2
    assert "final report" in feed.entries[0].title
    assert feed.entries[0].title.startswith(TITLE)  # the markup read back as text
    assert "<b>" not in client.get("/public/").get_data(as_text=True)
    assert feed.entries[0].link.endswith(f"/public/publications/{final.id}")
    final_page = client.get(f"/public/publications/{final.id}").get_data(as_text=True)
    assert "Final public report" in final_page
    old_page = client.get(f"/public/publications/{publication_id}").get_data(as_text=True)
    assert "A newer publication of this assessment exists" in old_page
    assert client.get(f"/public/?status=final&agency={final.agency_id}").status_code == 200
    assert client.get("/public/?status=bogus").status_code == 400
    assert client.get("/public/publications/999999").status_code == 404


def test_a_public_evidence_file_downloads_under_its_name_in_any_script(
    client, auth, db: Session, decided: int
) -> None:
    publication_id = publish_with_redactions(auth, db, decided)
    listed = db.get(Publication, publication_id).public_data["evidence"]
    [number] = [
        n for n, entry in enumerate(listed, 1) if entry.get("filename", "").endswith("報告.txt")
    ]
    response = client.get(f"/public/publications/{publication_id}/evidence/{number}")
    assert response.status_code == 200 and response.data == b"A public brochure"
    disposition = response.headers["Content-Disposition"]
    disposition.encode("latin-1")  # a WSGI server sends headers as Latin-1: no raw Unicode
    assert "filename*=UTF-8''" in disposition and "attachment" in disposition
    assert "sandbox" in response.headers["Content-Security-Policy"]
