"""The review round over HTTP on both databases: take up, comment, rate, request changes, the
officer sees the comments and resubmits, decide with conditions; refusals that change nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pia.engine import Bank

TODAY = date.today()


def page(client: Any, aid: int, number: int = 1) -> str:
    return client.get(f"/assessments/{aid}/revisions/{number}").get_data(as_text=True)


def first_visible_question(db: Session, aid: int) -> str:
    from pia.store import get_assessment, get_revision

    revision = get_revision(db, get_assessment(db, aid), 1)
    return revision.evaluation["visible"][0]


def audit_count(db: Session) -> int:
    from pia.store import AuditEvent

    db.expire_all()
    return db.scalar(select(func.count()).select_from(AuditEvent)) or 0


def status(db: Session, aid: int) -> str:
    from pia.store import get_assessment

    db.expire_all()
    return get_assessment(db, aid).status


def decision_form(revision: int, **changes: Any) -> dict[str, Any]:
    form = {
        "revision": revision,
        "outcome": "approved_with_conditions",
        "rationale": "Proportionate with the safeguards described.",
        "meeting_on": TODAY.isoformat(),
        "votes_for": "4",
        "votes_against": "1",
        "votes_abstain": "0",
        "names_against": "Member Lee",
        "review_due_on": (TODAY + timedelta(days=730)).isoformat(),
        "conditions-0-text": "Publish a yearly audit of searches.",
        "conditions-0-owner": "Records office",
        "conditions-0-due_on": (TODAY + timedelta(days=90)).isoformat(),
        "conditions-0-finding_rule": "",
    }
    form.update(changes)
    return form


def test_a_round_of_changes_to_a_decision_with_conditions(
    client, auth, db: Session, bank: Bank, submitted: int
) -> None:
    aid = submitted
    question = first_visible_question(db, aid)
    auth.login("reviewer_a")
    assert "Take up this review" in page(client, aid)
    response = auth.post(f"/assessments/{aid}/review/take-up", {"revision": 1})
    assert response.status_code == 303 and status(db, aid) == "in_review"
    response = auth.post(
        f"/assessments/{aid}/review/comments",
        {"revision": 1, "kind": "question", "target": question, "body": "Source, please."},
    )
    assert response.status_code == 303
    criterion = next(iter(bank.criteria))
    response = auth.post(
        f"/assessments/{aid}/review/ratings",
        {
            "revision": 1,
            "criterion": criterion,
            "level": bank.levels[-1],
            "reason": "Live use is likely.",
        },
    )
    assert response.status_code == 303
    html = page(client, aid)
    assert "Source, please." in html and "Live use is likely." in html
    assert "Board&#39;s rating" in html or "Board's rating" in html
    response = auth.post(
        f"/assessments/{aid}/review/request-changes", {"revision": 1, "message": "Add tests."}
    )
    assert response.status_code == 303 and status(db, aid) == "changes_requested"

    auth.logout()
    auth.login("officer_a")
    html = page(client, aid)
    assert "Source, please." in html and "Reply to this thread" in html
    completeness = client.get(f"/assessments/{aid}/completeness").get_data(as_text=True)
    assert "Open comments from the oversight board" in completeness
    assert "Source, please." in completeness and "Resubmit for review" in completeness
    section = bank.questions[question].section
    wizard = client.get(f"/assessments/{aid}/sections/{section}").get_data(as_text=True)
    assert "Source, please." in wizard and f"#q-{question}" in wizard
    assert "Your answer is unchanged since revision 1." in wizard
    from pia.store import Comment

    thread_id = db.scalar(select(Comment.id).where(Comment.body == "Source, please."))
    response = auth.post(
        f"/assessments/{aid}/review/comments/{thread_id}/replies", {"body": "Added the source."}
    )
    assert response.status_code == 303
    from pia.store import get_assessment

    db.expire_all()
    response = auth.post(
        f"/assessments/{aid}/submit", {"lock_version": get_assessment(db, aid).lock_version}
    )
    assert response.status_code == 303 and status(db, aid) == "resubmitted"

    auth.logout()
    auth.login("reviewer_a")
    html = page(client, aid, 2)
    assert "Added the source." in html
    assert "the answer is unchanged since revision 1" in html
    # a decision form built from revision 1 is stale now
    before = audit_count(db)
    stale = auth.post(f"/assessments/{aid}/review/decision", decision_form(1))
    assert stale.status_code == 409 and "revision 2 was submitted" in stale.get_data(as_text=True)
    assert audit_count(db) == before and status(db, aid) == "resubmitted"
    response = auth.post(f"/assessments/{aid}/review/decision", decision_form(2))
    assert response.status_code == 303 and status(db, aid) == "approved_with_conditions"
    html = page(client, aid, 2)
    assert "Approved with conditions" in html and "Publish a yearly audit of searches." in html
    assert "4 for, 1 against, 0 abstaining" in html and "Member Lee" in html
    listing = client.get("/review").get_data(as_text=True)
    assert (TODAY + timedelta(days=730)).isoformat() in listing


BAD = [
    ({"rationale": ""}, "the rationale must not be empty"),
    ({"conditions-0-due_on": (TODAY - timedelta(days=1)).isoformat()}, "must be after today"),
    ({"meeting_on": "30/11/2026"}, "Enter the date as YYYY-MM-DD"),
]


def test_bad_decisions_and_comments_change_nothing(
    client, auth, db: Session, submitted: int
) -> None:
    aid = submitted
    auth.login("reviewer_a")
    auth.post(f"/assessments/{aid}/review/take-up", {"revision": 1})
    before = audit_count(db)
    for change, message in BAD:
        response = auth.post(f"/assessments/{aid}/review/decision", decision_form(1, **change))
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and message in html, change
        assert 'role="alert"' in html
    response = auth.post(
        f"/assessments/{aid}/review/comments",
        {"revision": 1, "kind": "question", "target": "no_such_question", "body": "?"},
    )
    assert response.status_code == 400
    assert "does not show a question" in response.get_data(as_text=True)
    assert audit_count(db) == before and status(db, aid) == "in_review"
    # a transition the status does not allow: 409 naming the current status
    response = auth.post(f"/assessments/{aid}/review/take-up", {"revision": 1})
    assert response.status_code == 409
    assert "its current status is “In review”" in response.get_data(as_text=True)
    assert audit_count(db) == before


def test_officers_and_other_reviewers_cannot_act_as_the_board(
    client, auth, db: Session, submitted: int
) -> None:
    aid = submitted
    auth.login("officer_a")
    assert auth.post(f"/assessments/{aid}/review/take-up", {"revision": 1}).status_code == 403
    auth.logout()
    auth.login("reviewer_b")
    assert auth.post(f"/assessments/{aid}/review/take-up", {"revision": 1}).status_code == 404
    assert status(db, aid) == "submitted"


def upload(auth: Any, aid: int, question_id: str, name: str, data: bytes) -> Any:
    import io

    return auth.post(
        f"/assessments/{aid}/evidence",
        {"question_id": question_id, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def rendered_part(pdf: bytes) -> bytes:
    """The rendered report inside a served PDF: the signature is an incremental update after it
    (its signing time differs on every request)."""
    end = pdf.index(b"%%EOF") + len(b"%%EOF\n")
    assert len(pdf) > end, "the served PDF is not signed"
    return pdf[:end]


def test_a_revisions_report_is_the_same_bytes_after_later_uploads(
    client, auth, db: Session, bank: Bank, make_assessment, complete_answers, submit_assessment
) -> None:
    aid = make_assessment("officer_a", answers=complete_answers)
    auth.login("officer_a")
    question = next(iter(bank.questions))
    assert upload(auth, aid, question, "before.txt", b"Before submission").status_code in (302, 303)
    submit_assessment(aid)
    first = rendered_part(client.get(f"/assessments/{aid}/report.pdf?revision=1").data)
    assert upload(auth, aid, question, "after.txt", b"After submission").status_code in (302, 303)
    again = rendered_part(client.get(f"/assessments/{aid}/report.pdf?revision=1").data)
    assert again == first
    data = client.get(f"/assessments/{aid}/report.json?revision=1").get_json()
    assert [item["filename"] for item in data["evidence"]] == ["before.txt"]
    # the draft has both files; its own report lists both
    draft = client.get(f"/assessments/{aid}/report.json").get_json()
    assert sorted(item["filename"] for item in draft["evidence"]) == ["after.txt", "before.txt"]
    assert status(db, aid) == "draft"


def test_a_decided_revisions_report_carries_the_record_and_verifies(
    app, client, auth, db: Session, submitted: int, tmp_path, capsys, monkeypatch, bank_dir
) -> None:
    from pia.cli import main

    # pia verify trusts the certificate of the installation whose instance folder it is given
    monkeypatch.setenv("PIA_INSTANCE", app.instance_path)
    aid = submitted
    auth.login("reviewer_a")
    auth.post(f"/assessments/{aid}/review/take-up", {"revision": 1})
    auth.post(
        f"/assessments/{aid}/review/comments",
        {"revision": 1, "kind": "assessment", "body": "Well argued."},
    )
    assert auth.post(f"/assessments/{aid}/review/decision", decision_form(1)).status_code == 303
    pdf = client.get(f"/assessments/{aid}/report.pdf?revision=1").data
    data = client.get(f"/assessments/{aid}/report.json?revision=1").get_json()
    assert data["review"]["decision"]["outcome"] == "approved_with_conditions"
    assert data["review"]["threads"][0]["comments"][0]["body"] == "Well argued."
    csv_text = client.get(f"/assessments/{aid}/findings.csv?revision=1").get_data(as_text=True)
    assert "board_decision" in csv_text.splitlines()[0]
    html = client.get(f"/assessments/{aid}/report?revision=1").get_data(as_text=True)
    assert "Oversight review record" in html and "Publish a yearly audit of searches." in html
    path = tmp_path / "decided.pdf"
    path.write_bytes(pdf)
    assert main(["verify", str(path), "--bank", str(bank_dir)]) == 0, capsys.readouterr().err


def test_the_revision_page_reads_the_same_statements_for_2_or_60_comments(
    app, client, auth, db: Session, people, submitted: int
) -> None:
    from sqlalchemy import event

    from pia.store import add_comment, get_assessment, reply, take_up
    from pia.store.models import User
    from pia.web.shared.db import get_engine

    aid = submitted
    assessment = get_assessment(db, aid)
    reviewer = db.get(User, people["reviewer_a"].id)
    officer = db.get(User, people["officer_a"].id)
    take_up(db, assessment, reviewer, revision=1)
    visible = first_visible_question(db, aid)
    auth.login("reviewer_a")
    with app.app_context():
        engine = get_engine()
    statements: list[str] = []

    def note(*args: Any) -> None:
        statements.append(args[2])

    def count() -> int:
        statements.clear()
        event.listen(engine, "before_cursor_execute", note)
        try:
            assert client.get(f"/assessments/{aid}/revisions/1").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", note)
        return len(statements)

    def add(number: int) -> None:
        for index in range(number):
            kind = ("assessment", "question")[index % 2]
            target = visible if kind == "question" else ""
            thread = add_comment(
                db, assessment, reviewer, revision=1, kind=kind, target=target, body=f"C{index}"
            )
            if index % 3 == 0:
                reply(db, assessment, officer, thread.id, body="Answered.")

    add(2)
    few = count()
    add(58)
    assert count() == few
    assert "C57" in client.get(f"/assessments/{aid}/revisions/1").get_data(as_text=True)
