"""Comparing two revisions in the browser's HTTP: the page, who may see it, bad input, and the
report's appendix "Changes since revision N"."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

ALTERNATIVES_BEFORE = "Manual review of booking photos by detectives."
ALTERNATIVES_AFTER = "Manual review of booking photos by two trained detectives."


@pytest.fixture
def two_revisions(db, bank, people, submitted, submit_assessment) -> int:
    """The submitted assessment, changed and submitted again (revisions 1 and 2)."""
    from pia.store import get_assessment, save_answers
    from pia.store.models import User

    db.expire_all()
    assessment = get_assessment(db, submitted)
    officer = db.get(User, people["officer_a"].id)
    save_answers(
        db,
        bank,
        assessment,
        officer,
        values={
            "alternatives_considered": True,
            "agency_type": "law_enforcement",
            "alternatives_description": ALTERNATIVES_BEFORE,
        },
        expected_version=assessment.lock_version,
    )
    db.commit()
    submit_assessment(submitted)  # revision 2
    assessment = get_assessment(db, submitted)
    save_answers(
        db,
        bank,
        assessment,
        officer,
        values={
            "alternatives_description": ALTERNATIVES_AFTER,
            "threshold": 99.9,
            "log_retention_years": 3,
        },
        expected_version=assessment.lock_version,
    )
    db.commit()
    submit_assessment(submitted)  # revision 3
    return submitted


@pytest.mark.parametrize("key", ["reviewer_a", "officer_a"])
def test_the_latest_two_revisions_side_by_side(auth, two_revisions, key) -> None:
    auth.login(key)
    response = auth.client.get(f"/assessments/{two_revisions}/compare")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<a href="/assessments/1/revisions/2">2</a> beside revision <a' in html.replace(
        f"/assessments/{two_revisions}/", "/assessments/1/"
    )
    answers = html[html.index('id="answers-title"') : html.index('id="notes-title"')]
    assert "Which alternatives were considered and why were they rejected?" in answers
    assert "<td>0%</td>\n      <td>99.9%</td>" in answers
    # The word diff of the long text: the earlier side as it was, the later with the insertion.
    assert f'<td class="diff">{ALTERNATIVES_BEFORE}</td>' in answers
    assert "Manual review of booking photos by <ins>two trained </ins>detectives." in answers
    findings = html[html.index('id="findings-title"') : html.index('id="answers-title"')]
    assert "<td>Removed</td>" in findings  # logs kept for three years: that finding is gone


def test_any_two_revisions(auth, two_revisions) -> None:
    auth.login("reviewer_a")
    response = auth.client.get(f"/assessments/{two_revisions}/compare?old=1&new=3")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<th scope="col">Revision 1</th><th scope="col">Revision 3</th>' in html
    assert "<del>Answer to alternatives_description</del>" in html
    assert f"<ins>{ALTERNATIVES_AFTER}</ins>" in html
    backwards = auth.client.get(f"/assessments/{two_revisions}/compare?old=3&new=1")
    assert backwards.status_code == 200  # reading the changes backwards is allowed
    assert f"<del>{ALTERNATIVES_AFTER}</del>" in backwards.get_data(as_text=True)


@pytest.mark.parametrize("key", ["officer_b", "reviewer_b", "admin"])
def test_people_who_cannot_view_the_revisions_get_404(auth, two_revisions, key) -> None:
    auth.login(key)
    assert auth.client.get(f"/assessments/{two_revisions}/compare").status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("old=2&new=2", "Choose two different revisions."),
        ("old=abc&new=2", "Invalid Choice: could not coerce."),
        ("old=1&new=9", "Not a valid choice."),
    ],
)
def test_bad_choices_are_a_readable_400(auth, two_revisions, query, message) -> None:
    auth.login("reviewer_a")
    response = auth.client.get(f"/assessments/{two_revisions}/compare?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and message in html


def test_one_revision_has_nothing_to_compare(auth, submitted) -> None:
    auth.login("reviewer_a")
    assert auth.client.get(f"/assessments/{submitted}/compare").status_code == 404


def test_the_report_of_a_later_revision_ends_with_its_changes(auth, two_revisions) -> None:
    auth.login("reviewer_a")
    page = auth.client.get(f"/assessments/{two_revisions}/report?revision=3")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Appendix C: Changes since revision 2" in html
    assert "{+two trained+}" in html
    first = auth.client.get(f"/assessments/{two_revisions}/report?revision=1")
    assert "Changes since revision" not in first.get_data(as_text=True)
    pdf = auth.client.get(f"/assessments/{two_revisions}/report.pdf?revision=3").data
    import io

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Appendix C: Changes since revision 2" in text
