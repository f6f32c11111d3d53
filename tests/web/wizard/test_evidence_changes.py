"""Removing and replacing a draft's evidence from the section page, without JavaScript: each
attached file has Remove and Replace buttons in the section's form (the answers typed are saved
first); a refused change changes no file; a submitted revision keeps the files it was submitted
with."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from wizard_bank import wizard_bank  # noqa: F401  (the `bank` fixture: a small known bank)
from wizard_helpers import form_data, section_url, stored

from pia.store.models import AuditEvent, Evidence, Revision

MakeAssessment = Callable[..., int]
COMPLETE = {"vendor_name": "Acme Vision", "modes": ["search"], "threshold": 99}
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 120


def _post(auth: Any, db: Session, aid: int, answers: dict[str, Any], **extra: Any) -> Any:
    data = form_data(answers, lock_version=stored(db, aid).lock_version)
    data.update(extra)
    return auth.post(section_url(aid, "system"), data, content_type="multipart/form-data")


def _attach(auth: Any, db: Session, aid: int, name: str, body: bytes) -> int:
    response = _post(
        auth,
        db,
        aid,
        {},
        go="upload",
        evidence_question="description",
        file=(io.BytesIO(body), name),
    )
    assert response.status_code == 303
    db.expire_all()
    return db.scalar(select(Evidence.id).where(Evidence.filename == name))


def _draft_files(db: Session, aid: int) -> list[str]:
    db.expire_all()
    query = (
        select(Evidence.filename)
        .where(Evidence.assessment_id == aid, Evidence.removed_at.is_(None))
        .order_by(Evidence.id)
    )
    return list(db.scalars(query))


def _actions(db: Session) -> list[str]:
    db.expire_all()
    return list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_each_file_has_remove_and_replace_buttons_in_the_section_form(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    eid = _attach(auth, db, aid, "sheet.txt", b"The data sheet\n")
    page = client.get(section_url(aid, "system")).get_data(as_text=True)
    form = page[page.index('id="section-form"') : page.index("</form>", page.index("section-form"))]
    assert f'name="evidence_change" value="remove:{eid}"' in form
    assert f'name="evidence_change" value="replace:{eid}"' in form
    assert re.search(rf'<label for="replace-{eid}">New file to replace sheet.txt</label>', form)
    assert f'<input type="file" id="replace-{eid}" name="replace-{eid}"' in form
    assert "a submitted revision keeps the files it was submitted with" in form


def test_remove_saves_the_typed_answers_then_takes_the_file_off_the_draft(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    eid = _attach(auth, db, aid, "sheet.txt", b"The data sheet\n")
    response = _post(auth, db, aid, {"vendor_name": "Typed first"}, evidence_change=f"remove:{eid}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{section_url(aid, 'system')}#q-description")
    assert stored(db, aid).answers["vendor_name"] == "Typed first"
    assert _draft_files(db, aid) == []
    assert db.get(Evidence, eid) is not None  # kept for any revision that holds it
    assert _actions(db)[-1] == "evidence.removed"
    page = client.get(section_url(aid, "system")).get_data(as_text=True)
    assert "Removed sheet.txt from the draft." in page and "sheet.txt</a>" not in page


def test_replace_puts_the_new_file_in_place_under_the_same_question(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    eid = _attach(auth, db, aid, "old.txt", b"Version one\n")
    response = _post(
        auth,
        db,
        aid,
        {"vendor_name": "Also saved"},
        evidence_change=f"replace:{eid}",
        **{f"replace-{eid}": (io.BytesIO(b"Version two\n"), "new.txt")},
    )
    assert response.status_code == 303
    assert _draft_files(db, aid) == ["new.txt"]
    new = db.scalars(select(Evidence).where(Evidence.filename == "new.txt")).one()
    assert (new.question_id, new.data) == ("description", b"Version two\n")
    assert stored(db, aid).answers["vendor_name"] == "Also saved"
    assert _actions(db)[-1] == "evidence.replaced"
    assert "Replaced the file with new.txt." in client.get(section_url(aid, "system")).get_data(
        as_text=True
    )


def test_a_refused_change_keeps_the_file_and_the_answers_and_says_why(
    auth: Any, db: Session, make_assessment: MakeAssessment, people: Any
) -> None:
    aid = make_assessment()
    other = make_assessment("officer_b")
    auth.login("officer_b")
    foreign = _attach(auth, db, other, "theirs.txt", b"Another agency's file\n")
    auth.logout()
    auth.login("officer_a")
    eid = _attach(auth, db, aid, "sheet.txt", b"The data sheet\n")
    cases = [
        ({"evidence_change": f"replace:{eid}"}, "the file was not replaced: choose the new file"),
        (
            {"evidence_change": f"replace:{eid}", f"replace-{eid}": (io.BytesIO(ELF), "x.txt")},
            "the file was not replaced:",
        ),
        ({"evidence_change": "remove:abc"}, "the file was not changed: the button pressed"),
        ({"evidence_change": f"remove:{foreign}"}, "the file was not changed: there is no such"),
    ]
    for number, (extra, message) in enumerate(cases):
        before = _actions(db)
        response = _post(auth, db, aid, {"vendor_name": f"Kept {number}"}, **extra)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, extra
        assert f"Your answers were saved, but {message}" in html, extra
        assert stored(db, aid).answers["vendor_name"] == f"Kept {number}"
        assert _draft_files(db, aid) == ["sheet.txt"]
        assert [a for a in _actions(db)[len(before) :] if a.startswith("evidence.")] == []
    assert _draft_files(db, other) == ["theirs.txt"]


def test_after_submission_the_revision_keeps_its_files(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers=COMPLETE)
    auth.login("officer_a")
    eid = _attach(auth, db, aid, "sheet.txt", b"The data sheet\n")
    response = auth.post(
        f"/assessments/{aid}/submit", {"lock_version": str(stored(db, aid).lock_version)}
    )
    assert response.status_code == 303 and stored(db, aid).status == "submitted"
    response = _post(auth, db, aid, {}, evidence_change=f"remove:{eid}")
    assert response.status_code == 303
    assert stored(db, aid).status == "draft"  # the change starts a new draft
    assert _draft_files(db, aid) == []
    db.expire_all()
    revision = db.scalars(select(Revision).where(Revision.assessment_id == aid)).one()
    assert [item["filename"] for item in revision.evidence] == ["sheet.txt"]
    download = client.get(f"/evidence/{eid}")
    assert download.status_code == 200 and download.data == b"The data sheet\n"
