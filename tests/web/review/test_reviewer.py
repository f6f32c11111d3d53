"""The reviewer's list of submitted assessments and the read-only revision view."""

from __future__ import annotations

from markupsafe import escape

from pia.engine.bank import model
from pia.web.review.views import format_answer


def e(text: str) -> str:
    """Text as the autoescaping templates write it."""
    return str(escape(text))


def test_list_shows_submissions_in_remit_only(
    auth, make_assessment, submit_assessment, complete_answers
) -> None:
    ours = make_assessment("officer_a", title="Agency A submission", answers=complete_answers)
    submit_assessment(ours)
    make_assessment("officer_a", title="Agency A draft")
    theirs = make_assessment("officer_b", title="Agency B submission", answers=complete_answers)
    submit_assessment(theirs, "officer_b")

    auth.login("reviewer_a")
    html = auth.client.get("/review").get_data(as_text=True)
    assert "Agency A submission" in html
    assert f'href="/assessments/{ours}/revisions/1"' in html
    assert "Agency A draft" not in html
    assert "Agency B submission" not in html
    auth.logout()
    auth.login("reviewer_b")
    html = auth.client.get("/review").get_data(as_text=True)
    assert "Agency B submission" in html and "Agency A submission" not in html


def test_empty_list_says_so(auth) -> None:
    auth.login("reviewer_a")
    assert "Nothing has been submitted for review yet." in auth.client.get("/review").get_data(
        as_text=True
    )


def test_revision_view_shows_answers_notes_and_risk_summary(
    auth, bank, db, people, make_assessment, complete_answers
) -> None:
    from pia.store import get_assessment, get_revision, save_answers, submit
    from pia.store.models import User

    assessment_id = make_assessment("officer_a", title="Harbour cameras")
    officer = db.get(User, people["officer_a"].id)
    assessment = get_assessment(db, assessment_id)
    noted = next(iter(bank.questions))
    save_answers(
        db,
        bank,
        assessment,
        officer,
        values=complete_answers,
        notes={noted: "Confirmed with the vendor on 3 March."},
        expected_version=assessment.lock_version,
    )
    db.commit()
    db.expire_all()
    assessment = get_assessment(db, assessment_id)
    submit(db, bank, assessment, officer, assessment.lock_version)
    db.commit()
    revision = get_revision(db, assessment, 1)
    evaluation = revision.evaluation

    auth.login("reviewer_a")
    response = auth.client.get(f"/assessments/{assessment_id}/revisions/1")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Harbour cameras" in html and "revision 1 of 1" in html
    assert revision.fingerprint in html
    assert "Note: Confirmed with the vendor on 3 March." in html
    assert f'href="/assessments/{assessment_id}/report.pdf?revision=1"' in html
    # Every visible question of the revision is listed with its answer, by section.
    for question_id in evaluation["visible"]:
        question = bank.questions[question_id]
        # A question that asks a detail again is answered by that detail (mirrors_detail).
        expected = format_answer(question, revision.answers[question_id])
        assert e(question.text) in html
        assert e(expected) in html
    for section in bank.sections:
        if any(bank.questions[q].section == section.id for q in evaluation["visible"]):
            assert f"<h3>{e(section.title)}</h3>" in html
    # The risk summary is the stored evaluation's.
    assert "Overall level: <span class=" in html
    assert evaluation["overall"]["level"] in html
    for criterion in evaluation["criteria"]:
        assert e(criterion["name"]) in html
    for finding in evaluation["findings"]:
        assert e(finding["title"]) in html
    # Read-only until taken up: the only forms are sign-out and taking up the review.
    assert html.count("<form") == 2 and 'action="/signout"' in html
    assert f'action="/assessments/{assessment_id}/review/take-up"' in html


def test_other_agencys_reviewer_gets_404(auth, submitted: int) -> None:
    auth.login("reviewer_b")
    assert auth.client.get(f"/assessments/{submitted}/revisions/1").status_code == 404
    assert auth.client.get(f"/assessments/{submitted}").status_code == 404


def test_unknown_revision_number_is_404(auth, submitted: int) -> None:
    auth.login("reviewer_a")
    assert auth.client.get(f"/assessments/{submitted}/revisions/2").status_code == 404
    assert auth.client.get(f"/assessments/{submitted}/revisions/0").status_code == 404


def test_officer_reads_their_own_revision(auth, submitted: int) -> None:
    auth.login("officer_a")
    response = auth.client.get(f"/assessments/{submitted}/revisions/1")
    assert response.status_code == 200
    assert "A read-only record of what was submitted" in response.get_data(as_text=True)


def test_revision_keeps_answers_the_bank_no_longer_has(bank, complete_answers) -> None:
    """A revision made against another bank version still shows every submitted answer."""
    from pia.web.review.views import answers_by_section

    answers = {**complete_answers, "retired_question": "kept"}
    notes = {"retired_question": "from version 0.9"}
    sections, unknown = answers_by_section(bank, answers, notes, frozenset(bank.questions))
    assert [(row.id, row.answer, row.note) for row in unknown] == [
        ("retired_question", "kept", "from version 0.9")
    ]
    assert [s.id for s in sections] == [s.id for s in bank.sections]
    assert sum(len(s.rows) for s in sections) == len(bank.questions)


def question(kind: str, **extra) -> model.Question:
    return model.Question("q", "s", "Q?", kind, **extra)


def test_format_answer_for_each_type() -> None:
    choices = (model.Choice("a", "Alpha"), model.Choice("b", "Beta"))
    groups = (model.Choice("w", "Women"), model.Choice("m", "Men"))
    assert format_answer(question("choice", choices=choices), "b") == "Beta"
    assert format_answer(question("multi", choices=choices), ["a", "b"]) == "Alpha, Beta"
    assert format_answer(question("multi", choices=choices), []) == "None selected"
    assert format_answer(question("yesno"), True) == "Yes"
    assert format_answer(question("yesno"), False) == "No"
    assert format_answer(question("number", unit="%"), 0.5) == "0.5 %"
    assert format_answer(question("number"), 12) == "12"
    assert format_answer(question("date"), "2026-01-15") == "2026-01-15"
    assert (
        format_answer(question("group_numbers", groups=groups, unit="%"), {"w": 1.5, "m": 0.5})
        == "Women: 1.5 %; Men: 0.5 %"
    )
    assert format_answer(question("text"), None) == "Not answered"
    # A value of the wrong shape (from an older bank) is shown as it is, not an error.
    assert format_answer(question("choice", choices=choices), ["x"]) == "['x']"
