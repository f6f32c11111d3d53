"""Moderating and answering comments once the final report froze them, over HTTP, on SQLite and
PostgreSQL: approving, rejecting, marking a duplicate and responding are refused with 409 as
reconsidering and correcting are, the queue offers none of them for those comments, and comments
on a later publication for comment are moderated as usual."""

from __future__ import annotations

from datetime import timedelta

import pytest
from comment_setup import TODAY, post_comment, publish_for_comment_now, set_period, user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pia.store.models import Assessment, AuditEvent
from pia.store.public_models import CommentResponse, Publication, PublicComment


@pytest.fixture
def publication_id(db: Session, bank, submitted: int) -> int:
    return publish_for_comment_now(db, bank, submitted).id


def audit_count(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_comments_the_final_report_froze_are_no_longer_moderated_or_answered(
    client, auth, db: Session, bank, publication_id: int
) -> None:
    from pia.store.publication import publish_final, publish_for_comment

    for body in ("Kept how long?", "Who audits it?", "Kept how long??"):
        assert post_comment(client, publication_id, body).status_code == 303
    answered, waiting, unanswered = db.scalars(
        select(PublicComment.id).order_by(PublicComment.id)
    ).all()
    assessment_id = db.get(Publication, publication_id).assessment_id
    url = f"/assessments/{assessment_id}/public-comments"
    auth.login("officer_a")
    for comment in (answered, unanswered):
        assert auth.post(f"{url}/{comment}/approve").status_code == 303
    set_period(db, publication_id, TODAY - timedelta(days=20), TODAY - timedelta(days=1))
    officer = user(db, "officer_a@example.gov")
    publish_final(db, bank, db.get(Assessment, assessment_id), officer)
    before = audit_count(db)

    page = client.get(url).get_data(as_text=True)
    assert "can no longer be moderated, answered, reconsidered or corrected" in page
    assert f"/{waiting}/approve" not in page and f"/{waiting}/reject" not in page
    assert 'name="comment_ids"' not in page
    assert "they can no longer be answered" in page
    refusals = [
        auth.post(f"{url}/{waiting}/approve"),
        auth.post(f"{url}/{waiting}/reject", {"reason": "Off topic"}),
        auth.post(f"{url}/{waiting}/duplicate", {"duplicate_of": str(answered)}),
        auth.post(f"{url}/responses", {"comment_ids": [unanswered], "body": "Thirty days."}),
    ]
    for refused in refusals:
        assert refused.status_code == 409
        text = refused.get_data(as_text=True)
        assert "The final report holds these comments" in text
        assert "final report published on" in text and "can no longer be changed" in text
    db.expire_all()
    assert db.get(PublicComment, waiting).state == "pending"
    assert db.get(PublicComment, unanswered).response_id is None
    assert db.scalar(select(func.count()).select_from(CommentResponse)) == 0
    assert audit_count(db) == before

    # A later publication for comment is open to comments, moderation and responses again.
    later = publish_for_comment(
        db, bank, db.get(Assessment, assessment_id), officer,
        opens_on=TODAY, closes_on=TODAY + timedelta(days=10),
    )  # fmt: skip
    assert post_comment(client, later.id, "And now?").status_code == 303
    fresh = db.scalar(select(PublicComment.id).where(PublicComment.publication_id == later.id))
    assert auth.post(f"{url}/{fresh}/approve").status_code == 303
    answer = auth.post(f"{url}/responses", {"comment_ids": [fresh], "body": "Yes."})
    assert answer.status_code == 303


def test_reconsidering_an_original_brings_its_duplicate_back_to_the_queue(
    client, auth, db: Session, publication_id: int
) -> None:
    for body in ("Kept how long?", "Kept how long??"):
        assert post_comment(client, publication_id, body).status_code == 303
    original, copy = db.scalars(select(PublicComment.id).order_by(PublicComment.id)).all()
    url = f"/assessments/{db.get(Publication, publication_id).assessment_id}/public-comments"
    auth.login("officer_a")
    assert auth.post(f"{url}/{original}/approve").status_code == 303
    assert auth.post(f"{url}/{copy}/duplicate", {"duplicate_of": str(original)}).status_code == 303
    response = auth.post(
        f"{url}/{original}/reconsider", {"reason": "Abusive.", "earlier_state": "approved"}
    )
    assert response.status_code == 303
    assert auth.post(f"{url}/{original}/reject", {"reason": "Abusive."}).status_code == 303
    db.expire_all()
    duplicate = db.get(PublicComment, copy)
    assert (duplicate.state, duplicate.duplicate_of_id) == ("pending", None)
    page = client.get(url).get_data(as_text=True)
    assert f"/{copy}/approve" in page  # awaiting moderation again
    returned = db.scalars(
        select(AuditEvent).where(AuditEvent.action == "public_comment.duplicate_returned")
    ).all()
    assert [event.detail["comment"] for event in returned] == [copy]
