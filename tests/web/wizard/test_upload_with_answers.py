"""The section's one upload control: Upload posts the section's answers and the file in one
request, the answers are saved first, and a refused file or a bad answer loses nothing."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from wizard_bank import wizard_bank  # noqa: F401  (the `bank` fixture: a small known bank)
from wizard_helpers import form_data, section_url, stored

from pia.store.models import Evidence

MakeAssessment = Callable[..., int]
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 120


def upload_with_answers(
    auth: Any,
    db: Session,
    aid: int,
    section: str,
    answers: dict[str, Any],
    question_id: str,
    file: tuple[bytes, str] | None,
) -> Any:
    data = form_data(answers, lock_version=stored(db, aid).lock_version)
    data.update(go="upload", evidence_question=question_id)
    if file is not None:
        data["file"] = (io.BytesIO(file[0]), file[1])
    return auth.post(section_url(aid, section), data, content_type="multipart/form-data")


def evidence(db: Session, aid: int) -> list[tuple[str, str]]:
    db.expire_all()
    rows = db.scalars(select(Evidence).where(Evidence.assessment_id == aid).order_by(Evidence.id))
    return [(e.question_id, e.filename) for e in rows]


def test_upload_saves_the_typed_answers_then_attaches_the_file(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    response = upload_with_answers(
        auth,
        db,
        aid,
        "system",
        {"vendor_name": "Typed just now", "description": "Typed too"},
        "description",
        (b"The vendor's data sheet\n", "sheet.txt"),
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{section_url(aid, 'system')}#q-description")
    assessment = stored(db, aid)
    assert assessment.answers["vendor_name"] == "Typed just now"
    assert assessment.answers["description"] == "Typed too"
    assert evidence(db, aid) == [("description", "sheet.txt")]
    page = client.get(section_url(aid, "system")).get_data(as_text=True)
    assert "Attached sheet.txt to “Describe the system”." in page
    assert "Your answers were saved." in page


def test_the_section_page_has_one_upload_control_listing_its_questions(
    client: FlaskClient, auth: Any, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers={"modes": ["search"]})
    auth.login("officer_a")
    page = client.get(section_url(aid, "use")).get_data(as_text=True)
    assert page.count('type="file"') == 1
    assert page.count('name="go" value="upload"') == 1
    assert 'enctype="multipart/form-data"' in page
    select_html = page.split('id="evidence_question"')[1].split("</select>")[0]
    assert '<option value="modes" data-evidence-for="modes">' in select_html
    # live_places only applies to live use: present for the script to reveal, but not choosable
    assert 'data-evidence-for="live_places" hidden disabled>' in select_html


def test_a_refused_file_keeps_the_answers_and_says_why(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    response = upload_with_answers(
        auth, db, aid, "system", {"vendor_name": "Kept"}, "vendor_name", (ELF, "tool.exe")
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Your answers were saved, but the file was not attached:" in html
    assert 'value="Kept"' in html
    assert stored(db, aid).answers["vendor_name"] == "Kept"
    assert evidence(db, aid) == []


def test_upload_without_a_file_or_a_question_keeps_the_answers(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    no_file = upload_with_answers(
        auth, db, aid, "system", {"vendor_name": "One"}, "vendor_name", None
    )
    assert no_file.status_code == 400
    assert "choose a file first" in no_file.get_data(as_text=True)
    assert stored(db, aid).answers["vendor_name"] == "One"
    no_question = upload_with_answers(
        auth, db, aid, "system", {"vendor_name": "Two"}, "", (b"notes\n", "notes.txt")
    )
    assert no_question.status_code == 400
    assert "choose the question it supports" in no_question.get_data(as_text=True)
    # a question of another section is not this control's to choose
    other = upload_with_answers(
        auth, db, aid, "system", {"vendor_name": "Three"}, "modes", (b"notes\n", "notes.txt")
    )
    assert other.status_code == 400
    assert stored(db, aid).answers["vendor_name"] == "Three"
    assert evidence(db, aid) == []


def test_a_bad_answer_does_not_stop_the_other_answers_or_the_file(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers={"modes": ["search"]})
    auth.login("officer_a")
    response = upload_with_answers(
        auth,
        db,
        aid,
        "use",
        {"modes": "search", "threshold": "not a number", "gallery": "mugshots"},
        "gallery",
        (b"Gallery policy\n", "gallery.txt"),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and 'value="not a number"' in html
    assert stored(db, aid).answers["gallery"] == "mugshots"
    assert evidence(db, aid) == [("gallery", "gallery.txt")]


def test_autosave_ignores_the_upload_controls_question(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    data = form_data({"vendor_name": "Auto"}, lock_version=stored(db, aid).lock_version)
    data["evidence_question"] = "vendor_name"
    response = auth.post(section_url(aid, "system") + "/autosave", data)
    assert response.status_code == 200
    assert stored(db, aid).answers["vendor_name"] == "Auto"
