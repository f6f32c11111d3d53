"""The completeness page and submission: what is missing, refusal while incomplete, the immutable
revision, and a new draft after further edits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from wizard_bank import wizard_bank  # noqa: F401  (the `bank` fixture: a small known bank)
from wizard_helpers import post_section, stored

from pia.store.models import Revision

MakeAssessment = Callable[..., int]
COMPLETE = {"vendor_name": "Acme Vision", "modes": ["search"], "threshold": 99}


def completeness_url(aid: int) -> str:
    return f"/assessments/{aid}/completeness"


def submit(auth: Any, aid: int, lock_version: int | str) -> Any:
    return auth.post(f"/assessments/{aid}/submit", {"lock_version": str(lock_version)})


def revisions(db: Session, aid: int) -> list[Revision]:
    db.expire_all()
    query = select(Revision).where(Revision.assessment_id == aid).order_by(Revision.number)
    return list(db.scalars(query))


def test_completeness_lists_missing_required_answers_and_uncovered_elements(
    client: FlaskClient, auth: Any, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers={"modes": ["live"]})
    auth.login("officer_a")
    response = client.get(completeness_url(aid))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    required = html.split('id="required-title"')[1].split("<h2")[0]
    # vendor_name (system) and live_places (revealed by "live") are required and unanswered
    assert (
        f'<a href="/assessments/{aid}/sections/system#q-vendor_name">Who sells the system?</a>'
        in (required)
    )
    assert f'href="/assessments/{aid}/sections/use#q-live_places"' in required
    assert "modes" not in required  # answered
    elements = html.split('id="elements-title"')[1].split("<h2")[0]
    assert "Test surveillance law, s.1(a)" in elements and "The vendor is named." in elements
    assert "s.2" in elements  # warrant: visible for live use, unanswered
    assert "You cannot submit until the required questions above are answered." in html


def test_submitting_an_incomplete_assessment_is_refused_and_says_why(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers={"threshold": 80})
    auth.login("officer_a")
    response = submit(auth, aid, stored(db, aid).lock_version)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html
    assert (
        "This assessment cannot be submitted yet: 2 required question(s) are still unanswered"
        in (html)
    )
    assert f'href="/assessments/{aid}/sections/use#q-modes"' in html
    assert revisions(db, aid) == []
    assert stored(db, aid).status == "draft"


def test_submit_makes_an_immutable_revision_and_a_later_edit_a_new_draft(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers=COMPLETE)
    auth.login("officer_a")
    page = client.get(completeness_url(aid)).get_data(as_text=True)
    assert "Every required question that applies is answered." in page
    assert "as revision 1, which cannot be changed afterwards" in page
    response = submit(auth, aid, stored(db, aid).lock_version)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/assessments/{aid}")
    assert "Submitted as revision 1." in client.get(f"/assessments/{aid}").get_data(as_text=True)
    [revision] = revisions(db, aid)
    assert revision.answers == COMPLETE
    assert revision.bank_id == "wizard-test" and len(revision.fingerprint) == 64
    assert stored(db, aid).status == "submitted"
    # a further edit makes a new draft; the revision stays as submitted
    assert post_section(auth, db, aid, "use", {"threshold": "80"}).status_code == 303
    assert stored(db, aid).status == "draft"
    [revision] = revisions(db, aid)
    assert revision.answers["threshold"] == 99
    # and submitting again makes revision 2
    assert submit(auth, aid, stored(db, aid).lock_version).status_code == 303
    assert [r.number for r in revisions(db, aid)] == [1, 2]


def test_submitting_twice_without_changes_makes_no_new_revision(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers=COMPLETE)
    auth.login("officer_a")
    submit(auth, aid, stored(db, aid).lock_version)
    again = submit(auth, aid, stored(db, aid).lock_version)
    assert again.status_code == 303
    overview = client.get(f"/assessments/{aid}").get_data(as_text=True)
    assert "Nothing changed since revision 1 was submitted" in overview
    assert len(revisions(db, aid)) == 1


def test_submit_from_a_stale_page_is_refused(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers=COMPLETE)
    auth.login("officer_a")
    seen = stored(db, aid).lock_version
    post_section(auth, db, aid, "use", {"threshold": "50"})  # another tab changes an answer
    response = submit(auth, aid, seen)
    assert response.status_code == 409
    assert "The answers changed since you opened this page" in response.get_data(as_text=True)
    assert revisions(db, aid) == []


def test_tampered_version_is_refused(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers=COMPLETE)
    auth.login("officer_a")
    for bad in ("", "abc", "-1", "1e9999"):
        response = submit(auth, aid, bad)
        assert response.status_code == 400
        assert "nothing was submitted" in response.get_data(as_text=True)
    assert revisions(db, aid) == []


def test_only_the_agencys_officers_may_check_and_submit(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers=COMPLETE)
    assert client.get(completeness_url(aid)).status_code == 302
    auth.login("officer_b")
    assert client.get(completeness_url(aid)).status_code == 404
    assert submit(auth, aid, 1).status_code == 404
    auth.logout()
    auth.login("reviewer_a")
    assert client.get(completeness_url(aid)).status_code in (403, 404)
    assert submit(auth, aid, 1).status_code in (403, 404)
    assert revisions(db, aid) == []
