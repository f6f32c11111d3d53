"""Publications stored before the cover followed its answers: their stored public data lists the
answer that mirrors the vendor as withheld but still shows the vendor on the cover. Served over
HTTP (SQLite and PostgreSQL), the page, the PDF (read back with pypdf, and verified by `pia
verify`) and the JSON read the answer's marker there instead, as an amended edition whose
validators differ from those the stored edition was served with; a publication with nothing to
withhold is served exactly as stored."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest
from comment_setup import publish_for_comment_now
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy.orm import Session

from pia.engine.bank.model import Bank
from pia.report.public import public_fingerprint
from pia.store.public_models import Publication
from pia.web.public.caching import clear_caches, make_etag

VENDOR = "Legacy Vendor Holdings 4c1d"
MARKER = "[withheld: commercial confidence]"


@pytest.fixture(autouse=True)
def fresh_caches() -> None:
    clear_caches()


@pytest.fixture
def vendor_question(bank: Bank) -> str:
    [question] = [q.id for q in bank.questions.values() if q.mirrors_detail == "vendor"]
    return question


def publish_with_vendor(
    db: Session, bank: Bank, make_assessment, complete_answers, submit_assessment, question: str
) -> Publication:
    answers = {**complete_answers, question: VENDOR}
    aid = make_assessment("officer_a", answers=answers, vendor=VENDOR)
    submit_assessment(aid)
    return publish_for_comment_now(db, bank, aid)


def store_as_before(db: Session, publication: Publication, question: str) -> str:
    """Write the publication's public data as it was stored before the cover followed its
    answers: the answer withheld, the vendor still on the cover; -> its fingerprint."""
    data = copy.deepcopy(dict(publication.public_data))
    data["answers"][question] = MARKER
    data["withheld"] = [
        *data["withheld"],
        {"kind": "answer", "question": question, "reason": "commercial confidence"},
    ]
    data["meta"]["vendor"] = VENDOR
    publication.public_data = data
    publication.fingerprint = public_fingerprint(data)
    db.commit()
    return publication.fingerprint


def pdf_text_and_data(pdf: bytes) -> tuple[str, dict[str, Any]]:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return text, json.loads(reader.attachments["assessment.json"][0])


def test_a_stored_cover_showing_a_withheld_answer_is_served_with_its_marker(
    client: FlaskClient, db: Session, bank: Bank, make_assessment, complete_answers,
    submit_assessment, vendor_question: str, second_app, tmp_path, capsys, monkeypatch,
    app, bank_dir,
) -> None:  # fmt: skip
    from pia.cli import main

    publication = publish_with_vendor(
        db, bank, make_assessment, complete_answers, submit_assessment, vendor_question
    )
    stored = store_as_before(db, publication, vendor_question)
    pid = publication.id
    page_url = f"/public/publications/{pid}"
    pdf_url, json_url = f"{page_url}/report.pdf", f"{page_url}/report.json"

    page = client.get(page_url)
    html = page.get_data(as_text=True)
    assert VENDOR not in html and MARKER in html
    assert "Amended after publication: a detail on the cover" in html
    assert stored in html  # named as the fingerprint as published

    pdf = client.get(pdf_url)
    text, embedded = pdf_text_and_data(pdf.data)
    assert VENDOR not in text and VENDOR.encode() not in pdf.data
    assert f"Vendor {MARKER}" in text
    public = embedded["public"]
    assert public["meta"]["vendor"] == MARKER
    assert public["withdrawn_after_publication"] == {"original_fingerprint": stored, "withdrawn": 0}
    assert embedded["public_fingerprint"] == public_fingerprint(public) != stored
    monkeypatch.setenv("PIA_INSTANCE", app.instance_path)
    path = tmp_path / "amended.pdf"
    path.write_bytes(pdf.data)
    assert main(["verify", str(path), "--bank", str(bank_dir)]) == 0
    assert "VERIFIED PUBLIC VERSION" in capsys.readouterr().out

    served = client.get(json_url)
    assert VENDOR not in served.get_data(as_text=True)
    data = served.get_json()
    assert data["meta"]["vendor"] == MARKER
    assert data["public_fingerprint"] == embedded["public_fingerprint"]

    # Neither the stored data nor its fingerprint changes: they are the record of what was
    # published.
    db.expire_all()
    again = db.get(Publication, pid)
    assert again.fingerprint == stored and again.public_data["meta"]["vendor"] == VENDOR

    # The validators the stored edition was served with no longer answer 304, and another app
    # on the same database gives the same ones (the PDF's name its own signing key too).
    for url, kind in ((pdf_url, "pdf"), (json_url, "json")):
        response = client.get(url)
        assert response.headers["ETag"].strip('"') != make_etag(kind, stored)
        old = {"If-Modified-Since": response.headers["Last-Modified"]}
        assert client.get(url, headers=old).status_code == 200, url
    other = second_app().test_client()
    for url in (json_url, page_url):
        assert other.get(url).headers["ETag"] == client.get(url).headers["ETag"], url
    assert client.get(page_url, headers={"If-None-Match": page.headers["ETag"]}).status_code == 304


def test_a_publication_with_nothing_withheld_on_its_cover_is_served_as_stored(
    client: FlaskClient, db: Session, bank: Bank, make_assessment, complete_answers,
    submit_assessment, vendor_question: str,
) -> None:  # fmt: skip
    publication = publish_with_vendor(
        db, bank, make_assessment, complete_answers, submit_assessment, vendor_question
    )
    pid, stored = publication.id, publication.fingerprint
    stored_data = json.loads(json.dumps(publication.public_data))  # as the database holds it
    page = client.get(f"/public/publications/{pid}").get_data(as_text=True)
    assert VENDOR in page and "Amended after publication" not in page
    _text, embedded = pdf_text_and_data(client.get(f"/public/publications/{pid}/report.pdf").data)
    assert embedded["public_fingerprint"] == stored
    assert embedded["public"] == stored_data
    data = client.get(f"/public/publications/{pid}/report.json").get_json()
    assert data.pop("public_fingerprint") == stored
    assert data == stored_data
    # As published, the file never changes: If-Modified-Since answers 304.
    response = client.get(f"/public/publications/{pid}/report.json")
    since = {"If-Modified-Since": response.headers["Last-Modified"]}
    assert client.get(f"/public/publications/{pid}/report.json", headers=since).status_code == 304
