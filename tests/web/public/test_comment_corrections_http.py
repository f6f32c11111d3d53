"""Reconsidering a moderated comment and correcting a response over HTTP, on SQLite and
PostgreSQL: the forms on the queue, the public page (never a stale cached copy), 400 with the
error beside the field, 403 for a reviewer, 409 once the final report froze the comments."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from comment_setup import TODAY, post_comment, publish_for_comment_now, set_period, user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pia.store.models import Assessment, AuditEvent
from pia.store.public_models import (
    CommentResponse,
    CommentResponseVersion,
    Publication,
    PublicComment,
)


@pytest.fixture
def publication_id(db: Session, bank, submitted: int) -> int:
    return publish_for_comment_now(db, bank, submitted).id


@pytest.fixture
def comments(client, db: Session, publication_id: int) -> list[int]:
    for body in ("How long are face images kept?", "Who audits the searches?"):
        assert post_comment(client, publication_id, body).status_code == 303
    return list(db.scalars(select(PublicComment.id).order_by(PublicComment.id)))


def queue_url(db: Session, publication_id: int) -> str:
    return f"/assessments/{db.get(Publication, publication_id).assessment_id}/public-comments"


def state(db: Session, comment_id: int) -> str:
    db.expire_all()
    return db.get(PublicComment, comment_id).state


def audit_count(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(AuditEvent)) or 0


def error_beside(html: str, field_id: str) -> str | None:
    found = re.search(rf'<p class="field-error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else None


def reconsider(auth: Any, url: str, comment: int, reason: str, earlier: str) -> Any:
    return auth.post(f"{url}/{comment}/reconsider", {"reason": reason, "earlier_state": earlier})


def test_a_moderator_reconsiders_an_approval_and_the_public_page_follows(
    client, auth, db: Session, publication_id: int, comments: list[int]
) -> None:
    url = queue_url(db, publication_id)
    _, second = comments
    auth.login("officer_a")
    for comment in comments:
        assert auth.post(f"{url}/{comment}/approve").status_code == 303
    public = client.get(f"/public/publications/{publication_id}")
    assert "Who audits the searches?" in public.get_data(as_text=True)
    etag = public.headers["ETag"]

    page = client.get(url).get_data(as_text=True)
    assert f'action="{url}/{second}/reconsider"' in page and "Reconsider this decision" in page
    before = audit_count(db)
    refused = auth.post(f"{url}/{second}/reconsider", {"reason": " ", "earlier_state": "approved"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    field = f"reconsider-reason-{second}"
    assert "Give the reason for reconsidering the decision." in (error_beside(html, field) or "")
    assert re.search(rf'id="{field}"[^>]*aria-describedby="{field}-hint {field}-error"', html)
    assert f'href="#{field}"' in html  # the summary at the top links to it
    assert state(db, second) == "approved" and audit_count(db) == before

    done = auth.post(
        f"{url}/{second}/reconsider",
        {"reason": "Approved by mistake: it names a person.", "earlier_state": "approved"},
    )
    assert done.status_code == 303 and done.headers["Location"].endswith(f"#comment-{second}")
    assert state(db, second) == "pending"
    event = db.scalars(
        select(AuditEvent).where(AuditEvent.action == "public_comment.reconsidered")
    ).one()
    assert event.detail["earlier_state"] == "approved"
    assert event.detail["reason"] == "Approved by mistake: it names a person."
    page = client.get(url).get_data(as_text=True)
    pending = page.split('id="pending"', 1)[1].split('id="responses"', 1)[0]
    assert f"Comment #{second}" in pending and f'{url}/{second}/reject"' in pending

    # the page's validator changed: the old copy is not served again
    again = client.get(f"/public/publications/{publication_id}", headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag
    text = again.get_data(as_text=True)
    assert "Who audits the searches?" not in text and "How long are face images kept?" in text
    # a second click from a page that still shows it approved changes nothing
    stale = auth.post(
        f"{url}/{second}/reconsider", {"reason": "Twice.", "earlier_state": "approved"}
    )
    assert stale.status_code == 409 and "awaiting moderation" in stale.get_data(as_text=True)
    assert auth.post(f"{url}/{second}/reject", {"reason": "Names a person"}).status_code == 303
    assert state(db, second) == "rejected"


def test_only_moderators_reconsider(
    client, auth, db: Session, publication_id: int, comments: list[int]
) -> None:
    url = queue_url(db, publication_id)
    first, _ = comments
    auth.login("officer_a")
    assert auth.post(f"{url}/{first}/reject", {"reason": "Off topic"}).status_code == 303
    auth.logout()
    auth.login("reviewer_a")
    assert "Reconsider this decision" not in client.get(url).get_data(as_text=True)
    response = auth.post(
        f"{url}/{first}/reconsider", {"reason": "No.", "earlier_state": "rejected"}
    )
    assert response.status_code == 403 and state(db, first) == "rejected"
    auth.logout()
    auth.login("officer_b")
    response = auth.post(
        f"{url}/{first}/reconsider", {"reason": "No.", "earlier_state": "rejected"}
    )
    assert response.status_code == 404 and state(db, first) == "rejected"


def test_the_agency_corrects_its_response_and_the_public_sees_when(
    client, auth, db: Session, publication_id: int, comments: list[int]
) -> None:
    url = queue_url(db, publication_id)
    first, _ = comments
    auth.login("officer_a")
    assert auth.post(f"{url}/{first}/approve").status_code == 303
    body = {"comment_ids": [first], "body": "Images go after 30 dyas."}
    assert auth.post(f"{url}/responses", body).status_code == 303
    response_id = db.scalars(select(CommentResponse.id)).one()
    etag = client.get(f"/public/publications/{publication_id}").headers["ETag"]
    page = client.get(url).get_data(as_text=True)
    assert f'action="{url}/responses/{response_id}/correct"' in page

    refused = auth.post(
        f"{url}/responses/{response_id}/correct", {"theme": "Kept theme", "body": ""}
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    field = f"correct-body-{response_id}"
    assert "Write the corrected response." in (error_beside(html, field) or "")
    assert f'aria-describedby="{field}-error"' in html
    assert 'value="Kept theme"' in html  # the rest as typed
    same = auth.post(f"{url}/responses/{response_id}/correct", {"body": "Images go after 30 dyas."})
    assert same.status_code == 400
    assert "the same as the published response" in (
        error_beside(same.get_data(as_text=True), field) or ""
    )

    done = auth.post(f"{url}/responses/{response_id}/correct", {"body": "Images go after 30 days."})
    assert done.status_code == 303
    db.expire_all()
    assert db.get(CommentResponse, response_id).body == "Images go after 30 days."
    assert [v.body for v in db.scalars(select(CommentResponseVersion))] == [
        "Images go after 30 dyas."
    ]
    assert "Earlier versions of this response (1)" in client.get(url).get_data(as_text=True)
    public = client.get(f"/public/publications/{publication_id}", headers={"If-None-Match": etag})
    text = public.get_data(as_text=True)
    assert public.status_code == 200
    assert "Images go after 30 days." in text and "30 dyas" not in text
    assert f"The agency corrected this response on {TODAY.isoformat()}." in text

    auth.logout()
    auth.login("reviewer_a")
    forbidden = auth.post(f"{url}/responses/{response_id}/correct", {"body": "Reviewer's."})
    assert forbidden.status_code == 403


def test_once_the_final_report_is_published_both_are_refused(
    client, auth, db: Session, bank, publication_id: int, comments: list[int]
) -> None:
    from pia.store.publication import publish_final

    url = queue_url(db, publication_id)
    first, second = comments
    auth.login("officer_a")
    assert auth.post(f"{url}/{first}/approve").status_code == 303
    assert auth.post(f"{url}/{second}/reject", {"reason": "Off topic"}).status_code == 303
    assert (
        auth.post(f"{url}/responses", {"comment_ids": [first], "body": "Yes."}).status_code == 303
    )
    response_id = db.scalars(select(CommentResponse.id)).one()
    set_period(db, publication_id, TODAY - timedelta(days=20), TODAY - timedelta(days=1))
    assessment_id = db.get(Publication, publication_id).assessment_id
    publish_final(db, bank, db.get(Assessment, assessment_id), user(db, "officer_a@example.gov"))
    before = audit_count(db)

    page = client.get(url).get_data(as_text=True)
    assert 'id="frozen-note"' in page
    assert "/reconsider" not in page and "/correct" not in page
    refused = auth.post(
        f"{url}/{second}/reconsider", {"reason": "Oops.", "earlier_state": "rejected"}
    )
    assert refused.status_code == 409
    assert "can no longer be changed" in refused.get_data(as_text=True)
    refused = auth.post(f"{url}/responses/{response_id}/correct", {"body": "Changed."})
    assert refused.status_code == 409
    assert "final report published on" in refused.get_data(as_text=True)
    assert state(db, second) == "rejected" and audit_count(db) == before
    db.expire_all()
    assert db.get(CommentResponse, response_id).body == "Yes."
