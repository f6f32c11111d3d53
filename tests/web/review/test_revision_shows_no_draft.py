"""A reviewer sees what was submitted, never the officer's later draft.

After submission the officer goes on editing: text answers, notes and an evidence file carrying a
marker. Every GET route of the URL map that a reviewer can open for the assessment, with each
section, revision, evidence file and `?revision=1`, is then fetched as the reviewer; none may
show the marker (PDFs are read as text and embedded data). The revision's own answers must show,
so the pages checked are real ones.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, url_for
from pypdf import PdfReader

from pia.engine.bank import model

DRAFT = "DRAFT-ONLY-7f3a"


def readable(response: Any) -> str:
    """A response as text; a PDF as its extracted text plus its embedded files; a Word file as
    the text of its paragraphs and tables."""
    import io

    if response.mimetype.endswith("wordprocessingml.document"):
        import docx

        word = docx.Document(io.BytesIO(response.get_data()))
        cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in word.paragraphs] + cells)
    if response.mimetype != "application/pdf":
        return response.get_data(as_text=True)
    reader = PdfReader(io.BytesIO(response.get_data()))
    parts = [page.extract_text() for page in reader.pages]
    parts += [data.decode("utf-8") for files in reader.attachments.values() for data in files]
    return "\n".join(parts)


def reviewer_urls(app: Flask, assessment_id: int, bank: Any, evidence_ids: list[int]) -> list[str]:
    values: dict[str, list[Any]] = {
        "assessment_id": [assessment_id],
        "number": [1],
        "section_id": [section.id for section in bank.sections],
        "evidence_id": evidence_ids,
    }
    urls: list[str] = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
                continue
            of_assessment = "assessment_id" in rule.arguments and rule.arguments <= set(values)
            if not of_assessment and rule.arguments != {"evidence_id"}:
                continue
            combos: list[dict[str, Any]] = [{}]
            for name in sorted(rule.arguments):
                combos = [{**combo, name: value} for combo in combos for value in values[name]]
            for combo in combos:
                url = url_for(rule.endpoint, **combo)
                urls += [url, f"{url}?revision=1"]
    return urls


def edit_draft_after_submission(db, bank, people, assessment_id: int) -> None:
    from pia.store import get_assessment, save_answers
    from pia.store.models import User

    db.expire_all()
    assessment = get_assessment(db, assessment_id)
    officer = db.get(User, people["officer_a"].id)
    texts = {
        q.id: f"{DRAFT} answer to {q.id}"
        for q in bank.questions.values()
        if q.type in (model.TEXT, model.LONGTEXT)
    }
    notes = {qid: f"{DRAFT} note on {qid}" for qid in list(bank.questions)[:30]}
    save_answers(
        db,
        bank,
        assessment,
        officer,
        values=texts,
        notes=notes,
        expected_version=assessment.lock_version,
    )
    db.commit()


def open_as_reviewer(app, auth, client, bank, assessment_id, evidence_ids) -> list[tuple[str, str]]:
    auth.login("reviewer_a")
    opened = []
    for url in reviewer_urls(app, assessment_id, bank, evidence_ids):
        response = client.get(url)
        if response.status_code == 200:
            opened.append((url, readable(response)))
    return opened


def test_reviewer_pages_show_the_revision_not_the_draft(
    app: Flask, auth, client, db, bank, people, submitted: int
) -> None:
    edit_draft_after_submission(db, bank, people, submitted)
    opened = open_as_reviewer(app, auth, client, bank, submitted, [])
    paths = {url.split("?")[0] for url, _body in opened}
    assert f"/assessments/{submitted}/revisions/1" in paths
    assert f"/assessments/{submitted}/report.pdf" in paths
    assert f"/assessments/{submitted}/report.json" in paths
    for url, body in opened:
        assert DRAFT not in body, url
    revision_page = dict(opened)[f"/assessments/{submitted}/revisions/1"]
    text_question = next(
        q for q in bank.questions.values() if q.type == model.TEXT and not q.mirrors_detail
    )
    assert f"Answer to {text_question.id}" in revision_page
    report = json.loads(dict(opened)[f"/assessments/{submitted}/report.json"])
    assert DRAFT not in json.dumps(report)


def test_evidence_added_after_submission_stays_out_of_the_revision(
    app: Flask, auth, client, db, bank, people, submitted: int
) -> None:
    from pia.store import add_evidence, get_assessment
    from pia.store.models import User

    db.expire_all()
    assessment = get_assessment(db, submitted)
    officer = db.get(User, people["officer_a"].id)
    question = next(iter(bank.questions))
    evidence = add_evidence(
        db,
        assessment,
        officer,
        question_id=question,
        filename=f"{DRAFT}.txt",
        data=b"added after submission\n",
        max_bytes=1024 * 1024,
        bank=bank,
    )
    db.commit()
    opened = open_as_reviewer(app, auth, client, bank, submitted, [evidence.id])
    assert opened
    for url, body in opened:
        if url.startswith("/evidence/"):
            continue  # the file itself: the draft's to show its own editors
        assert DRAFT not in body, url
