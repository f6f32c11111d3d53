"""The whole public accountability flow over HTTP, on SQLite and PostgreSQL: an assessment goes
from draft through submission, the review decision, the board's permission, an approved
redaction, publication for comment, public comments (approved, rejected, duplicate) with a
response by theme, three community meetings (the Washington profile's 3 satisfied), the period
closing, and the final publication, whose page and signed PDF show "Public comment and response"
with its counts and the meetings; `pia verify` verifies the PDF and the redacted answer's marker
is in no public byte stream."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from comment_setup import TODAY, post_comment, set_period
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_publication_http import (
    MARKER,
    REDACTED_ANSWER,
    decision_form,
    every_byte_stream,
    period,
    public_urls,
)

from pia.store.models import Assessment
from pia.store.public_models import Publication, PublicComment, Redaction

WA = "wa_rcw_43_386"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def latest_publication(db: Session, aid: int) -> Publication:
    db.expire_all()
    return db.scalars(
        select(Publication).where(Publication.assessment_id == aid).order_by(Publication.id.desc())
    ).first()


def test_from_draft_to_the_final_public_report(
    app, client, auth, db: Session, bank, make_assessment, complete_answers, tmp_path,
    monkeypatch, bank_dir,
) -> None:  # fmt: skip
    from pia.cli import main

    answers = dict(complete_answers)
    answers[REDACTED_ANSWER] = f"{MARKER} answer that is redacted"
    aid = make_assessment("officer_a", answers=answers, profiles=[WA])  # a draft
    auth.login("officer_a")
    lock = db.get(Assessment, aid).lock_version
    assert auth.post(f"/assessments/{aid}/submit", {"lock_version": str(lock)}).status_code == 303
    page = f"/assessments/{aid}/publication"
    redaction = {"item": f"answer:{REDACTED_ANSWER}", "reason": "ongoing_investigation"}
    assert auth.post(f"{page}/redactions", {**redaction, "explanation": "x"}).status_code == 303
    auth.logout()

    auth.login("reviewer_a")
    assert auth.post(f"/assessments/{aid}/review/take-up", {"revision": 1}).status_code == 303
    assert auth.post(f"/assessments/{aid}/review/decision", decision_form(1)).status_code == 303
    assert auth.post(f"{page}/allow", {"revision": 1}).status_code == 303
    [redaction_id] = db.scalars(select(Redaction.id).where(Redaction.assessment_id == aid))
    assert auth.post(f"{page}/redactions/{redaction_id}/approve").status_code == 303
    auth.logout()

    auth.login("officer_a")
    assert auth.post(f"{page}/comment", period()).status_code == 303
    auth.logout()
    for_comment = latest_publication(db, aid)
    assert for_comment.stage == "comment"

    bodies = ("Keep images 30 days at most.", "Buy cheap watches", "Keep images 30 days at most!")
    for body in bodies:
        assert post_comment(client, for_comment.id, body).status_code == 303
    first, spam, repeat = db.scalars(select(PublicComment.id).order_by(PublicComment.id))
    queue = f"/assessments/{aid}/public-comments"
    auth.login("officer_a")
    assert auth.post(f"{queue}/{first}/approve").status_code == 303
    assert auth.post(f"{queue}/{spam}/reject", {"reason": "Advertising"}).status_code == 303
    assert auth.post(f"{queue}/{repeat}/duplicate", {"duplicate_of": first}).status_code == 303
    response = {"comment_ids": [first], "theme": "Data retention", "body": "Kept 30 days."}
    assert auth.post(f"{queue}/responses", response).status_code == 303

    for days_ago, place in ((9, "Central Library"), (6, "Ward 3 hall"), (3, "Town hall")):
        meeting = {
            "held_on": (TODAY - timedelta(days=days_ago)).isoformat(),
            "place": place,
            "attendance": "30",
            "summary": f"Residents asked about retention at {place}.",
            "materials_note": "",
        }
        recorded = auth.post(
            f"/assessments/{aid}/meetings", meeting, content_type="multipart/form-data"
        )
        assert recorded.status_code == 303
    check = flat(client.get(f"/assessments/{aid}/completeness").get_data(as_text=True))
    assert "3 of 3 required meetings held: requirement met" in check

    # The period has closed (moved into the past, as days passing would): the final version.
    opens, closes = TODAY - timedelta(days=20), TODAY - timedelta(days=1)
    set_period(db, for_comment.id, opens, closes)
    assert auth.post(f"{page}/final").status_code == 303
    auth.logout()
    final = latest_publication(db, aid)
    assert final.stage == "final" and final.id != for_comment.id

    text = flat(client.get(f"/public/publications/{final.id}").get_data(as_text=True))
    assert "Public comment and response" in text
    assert f"{opens.isoformat()} to {closes.isoformat()}" in text
    for label, number in (("Comments received", 3), ("Approved and published", 1), ("Rejected", 1)):
        assert label in text and f">{number}<" in text.split(label, 1)[1][:200], label
    assert "Data retention" in text and "Kept 30 days." in text
    assert "Community meetings held" in text and "Ward 3 hall" in text
    assert "Buy cheap watches" not in text and "Advertising" not in text

    pdf = client.get(f"/public/publications/{final.id}/report.pdf").data
    pdf_text = flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "Public comment and response" in pdf_text
    assert "Data retention" in pdf_text and "Kept 30 days." in pdf_text
    assert "Residents asked about retention at Town hall." in pdf_text
    record = final.public_data["public_comment"]
    assert (record["received"], record["approved"], record["rejected"]) == (3, 1, 1)
    assert record["duplicates"] == 1 and len(record["meetings"]) == 3

    monkeypatch.setenv("PIA_INSTANCE", app.instance_path)
    path = tmp_path / "final.pdf"
    path.write_bytes(pdf)
    assert main(["verify", str(path), "--bank", str(bank_dir)]) == 0

    evidence = len(final.public_data["evidence"])
    urls = public_urls(app, final.id, aid, evidence)
    assert f"/public/publications/{final.id}/report.pdf" in urls
    for url in urls:
        response = client.get(url, follow_redirects=True)
        assert response.status_code in (200, 404), url
        for stream in every_byte_stream(response):
            assert MARKER.encode() not in stream, url
            assert MARKER.encode("utf-16-be") not in stream, url
