"""The officers' moderation queue and responses over HTTP, on SQLite and PostgreSQL, and the final
report's section "Public comment and response" (page and PDF, read back with pypdf)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from comment_setup import TODAY, post_comment, publish_for_comment_now, set_period, user
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pia.store.models import Assessment, AuditEvent
from pia.store.public_models import CommentResponse, Publication, PublicComment


@pytest.fixture
def publication_id(db: Session, bank, submitted: int) -> int:
    return publish_for_comment_now(db, bank, submitted).id


@pytest.fixture
def comments(client, db: Session, publication_id: int) -> list[int]:
    """Four comments from the public, pending."""
    bodies = [
        "How long are face images kept?",
        "Retention should be 30 days at most.",
        "How long are face images kept?!",
        "Spam spam spam",
    ]
    for body in bodies:
        assert post_comment(client, publication_id, body).status_code == 303
    return list(db.scalars(select(PublicComment.id).order_by(PublicComment.id)))


def queue_url(db: Session, publication_id: int) -> str:
    assessment_id = db.get(Publication, publication_id).assessment_id
    return f"/assessments/{assessment_id}/public-comments"


def states(db: Session) -> dict[int, str]:
    db.expire_all()
    return dict(db.execute(select(PublicComment.id, PublicComment.state)).all())


def audit_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(AuditEvent))


def test_officer_moderates_and_responds_and_the_public_sees_the_result(
    client, auth, db: Session, publication_id: int, comments: list[int]
) -> None:
    url = queue_url(db, publication_id)
    first, second, repeat, spam = comments
    auth.login("officer_a")
    page = client.get(url).get_data(as_text=True)
    assert "4 awaiting moderation" in page and "How long are face images kept?" in page

    assert auth.post(f"{url}/{first}/approve").status_code == 303
    assert auth.post(f"{url}/{second}/approve").status_code == 303
    assert auth.post(f"{url}/{repeat}/duplicate", {"duplicate_of": first}).status_code == 303
    assert auth.post(f"{url}/{spam}/reject", {"reason": "Advertising"}).status_code == 303
    assert states(db) == {
        first: "approved",
        second: "approved",
        repeat: "duplicate",
        spam: "rejected",
    }
    db.expire_all()
    assert db.get(PublicComment, repeat).duplicate_of_id == first
    assert db.get(PublicComment, spam).moderation_reason == "Advertising"

    response = auth.post(
        f"{url}/responses",
        {
            "comment_ids": [first, second],
            "theme": "Data retention",
            "body": "Images go after 30 days.",
        },
    )
    assert response.status_code == 303
    db.expire_all()
    [written] = db.scalars(select(CommentResponse)).all()
    assert written.theme == "Data retention"
    assert {db.get(PublicComment, c).response_id for c in (first, second)} == {written.id}
    actions = set(db.scalars(select(AuditEvent.action)).all())
    assert {
        "public_comment.approved",
        "public_comment.rejected",
        "public_comment.marked_duplicate",
        "public_comment.responded",
    } <= actions
    auth.logout()

    public = client.get(f"/public/publications/{publication_id}").get_data(as_text=True)
    assert "How long are face images kept?" in public
    assert "Retention should be 30 days at most." in public
    assert "Images go after 30 days." in public and "Data retention" in public
    assert "How long are face images kept?!" not in public  # the duplicate
    assert "Spam spam spam" not in public and "Advertising" not in public


def test_a_single_response_needs_no_theme_and_several_do(
    client, auth, db: Session, publication_id: int, comments: list[int]
) -> None:
    url = queue_url(db, publication_id)
    first, second, *_ = comments
    auth.login("officer_a")
    for comment in (first, second):
        assert auth.post(f"{url}/{comment}/approve").status_code == 303
    before = audit_count(db)
    refused = auth.post(f"{url}/responses", {"comment_ids": [first, second], "body": "Both."})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Name the theme that groups these comments." in text
    assert "Both." in text  # the response as typed is kept
    assert (
        auth.post(f"{url}/responses", {"comment_ids": [first], "theme": "", "body": ""}).status_code
        == 400
    )
    assert db.scalar(select(func.count()).select_from(CommentResponse)) == 0
    assert audit_count(db) == before

    assert (
        auth.post(f"{url}/responses", {"comment_ids": [first], "body": "Thirty days."}).status_code
        == 303
    )
    again = auth.post(f"{url}/responses", {"comment_ids": [first], "body": "Again."})
    assert again.status_code == 400
    assert "answered already" in again.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(CommentResponse)) == 1


def test_bad_moderation_input_changes_nothing(
    client, auth, db: Session, publication_id: int, comments: list[int]
) -> None:
    url = queue_url(db, publication_id)
    first, second, *_ = comments
    auth.login("officer_a")
    before, events = states(db), audit_count(db)

    no_reason = auth.post(f"{url}/{first}/reject", {"reason": "  "})
    assert no_reason.status_code == 400
    assert "Give the reason for rejecting the comment." in no_reason.get_data(as_text=True)
    assert auth.post(f"{url}/{first}/duplicate", {"duplicate_of": first}).status_code == 400
    unknown = auth.post(f"{url}/{first}/duplicate", {"duplicate_of": 999999})
    assert unknown.status_code == 400
    assert "choose a comment on this assessment" in unknown.get_data(as_text=True).lower()
    assert auth.post(f"{url}/{first}/duplicate", {"duplicate_of": "abc"}).status_code == 400
    # Approving a pending comment twice: the second is told it happened already.
    assert auth.post(f"{url}/{second}/approve").status_code == 303
    twice = auth.post(f"{url}/{second}/reject", {"reason": "Changed my mind"})
    assert twice.status_code == 409
    assert "moderated already (it is approved)" in twice.get_data(as_text=True)
    # A response to a comment that is not approved.
    pending_reply = auth.post(f"{url}/responses", {"comment_ids": [first], "body": "Hello"})
    assert pending_reply.status_code == 400
    assert auth.post(f"{url}/999999/approve").status_code == 404
    after = states(db)
    assert after == {**before, second: "approved"}
    assert audit_count(db) == events + 1


def test_only_the_agencys_officers_moderate(
    client, auth, db: Session, publication_id: int, comments: list[int]
) -> None:
    url = queue_url(db, publication_id)
    first = comments[0]
    anonymous = client.post(f"{url}/{first}/approve", data={"csrf_token": auth.csrf_token()})
    assert anonymous.status_code in (302, 303) and "/signin" in anonymous.headers["Location"]
    auth.login("officer_b")
    assert client.get(url).status_code == 404
    assert auth.post(f"{url}/{first}/approve").status_code == 404
    auth.logout()
    auth.login("reviewer_a")
    page = client.get(url)
    assert page.status_code == 200  # the board may read the queue
    assert "/approve" not in page.get_data(as_text=True)
    assert auth.post(f"{url}/{first}/approve").status_code == 403
    assert auth.post(f"{url}/responses", {"comment_ids": [first], "body": "x"}).status_code == 403
    assert set(states(db).values()) == {"pending"}


def test_the_final_report_holds_public_comment_and_response(
    app,
    client,
    auth,
    db: Session,
    bank,
    publication_id: int,
    comments: list[int],
    tmp_path,
    monkeypatch,
    bank_dir,
) -> None:
    from pia.cli import main
    from pia.store.public_models import CommunityMeeting
    from pia.store.publication import publish_final

    markup = 'Plain <b>bold</b> and <font color="red">red</font> **stars**'
    assert post_comment(client, publication_id, markup, name="<i>Eve</i>").status_code == 303
    url = queue_url(db, publication_id)
    first, second, repeat, spam = comments
    marked = max(states(db))
    auth.login("officer_a")
    for comment in (first, second, marked):
        assert auth.post(f"{url}/{comment}/approve").status_code == 303
    assert auth.post(f"{url}/{repeat}/duplicate", {"duplicate_of": first}).status_code == 303
    assert auth.post(f"{url}/{spam}/reject", {"reason": "Advertising"}).status_code == 303
    assert (
        auth.post(
            f"{url}/responses",
            {"comment_ids": [first, second], "theme": "Data retention", "body": "Kept 30 days."},
        ).status_code
        == 303
    )
    assert (
        auth.post(
            f"{url}/responses", {"comment_ids": [marked], "body": "Reply with <b>tags</b> kept."}
        ).status_code
        == 303
    )
    auth.logout()
    assessment_id = db.get(Publication, publication_id).assessment_id
    for day, place in (
        (-15, "Central Library"),
        (-10, "https://meet.example/town-hall"),
        (-5, "Ward 3 hall"),
    ):
        db.add(
            CommunityMeeting(
                assessment_id=assessment_id,
                held_on=TODAY + timedelta(days=day),
                place=place,
                attendance=40 + day,
                summary=f"Residents asked about retention at {place}.",
            )
        )
    db.commit()
    opens, closes = TODAY - timedelta(days=20), TODAY - timedelta(days=1)
    set_period(db, publication_id, opens, closes)
    final = publish_final(
        db, bank, db.get(Assessment, assessment_id), user(db, "officer_a@example.gov")
    )

    page = client.get(f"/public/publications/{final.id}").get_data(as_text=True)
    assert "Public comment and response" in page
    assert f"{opens.isoformat()} to {closes.isoformat()}" in page
    for label, number in (("Comments received", 5), ("Approved and published", 3), ("Rejected", 1)):
        assert label in page and f">{number}<" in page.split(label, 1)[1][:200], label
    assert "Data retention" in page and "Kept 30 days." in page
    assert "Ward 3 hall" in page and "Community meetings held" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page
    assert "Advertising" not in page and "Spam spam spam" not in page

    pdf = client.get(f"/public/publications/{final.id}/report.pdf").data
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    assert "Public comment and response" in flat
    assert f"{opens.isoformat()} to {closes.isoformat()}" in flat
    assert "Data retention" in flat and "Kept 30 days." in flat
    assert '<b>bold</b> and <font color="red">red</font> **stars**' in flat  # printed literally
    assert "<i>Eve</i>" in flat and "Reply with <b>tags</b> kept." in flat
    assert "Residents asked about retention at Central Library." in flat
    assert "Spam spam spam" not in flat and "Advertising" not in flat
    # The section is part of the frozen public data: `pia verify` renders the PDF again from it.
    monkeypatch.setenv("PIA_INSTANCE", app.instance_path)
    path = tmp_path / "final.pdf"
    path.write_bytes(pdf)
    assert main(["verify", str(path), "--bank", str(bank_dir)]) == 0
    record = db.get(Publication, final.id).public_data["public_comment"]
    assert (record["received"], record["approved"], record["rejected"]) == (5, 3, 1)
    assert record["duplicates"] == 1 and len(record["meetings"]) == 3
