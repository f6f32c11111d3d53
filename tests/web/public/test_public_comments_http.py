"""The public comment form over HTTP, on SQLite and PostgreSQL: a comment goes to the moderation
queue; a filled honeypot looks accepted and is stored nowhere; a comment outside the period or
over the length limit is refused and changes nothing; the rate limit per client address (kept in
the database) answers 429, counts the address a trusted proxy gives, and holds under parallel
posts."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from comment_setup import (
    TODAY,
    counted_statements,
    form_token,
    post_comment,
    publish_for_comment_now,
    set_period,
    user,
)
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pia.store.models import AuditEvent
from pia.store.public_comments import COMMENT_MAX_CHARS
from pia.store.public_models import PublicComment, PublicCommentRate


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"PIA_PUBLIC_COMMENT_RATE_MAX": 3, "PIA_TRUSTED_PROXIES": "10.0.0.1"}


@pytest.fixture
def publication_id(db: Session, bank, submitted: int) -> int:
    return publish_for_comment_now(db, bank, submitted).id


def stored(db: Session) -> list[PublicComment]:
    db.expire_all()
    return list(db.scalars(select(PublicComment).order_by(PublicComment.id)))


def events(db: Session, action: str) -> int:
    return db.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    )


def test_a_comment_goes_to_the_moderation_queue_not_the_public_page(
    client, db: Session, publication_id: int
) -> None:
    page = client.get(f"/public/publications/{publication_id}/comments")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Open for comment." in text and 'name="website"' in text
    assert page.headers["Cache-Control"] == "no-store"  # the page carries a CSRF token

    response = post_comment(
        client,
        publication_id,
        "Line one about retention.\r\nLine two.",
        name="Ada Citizen",
        email="ada@example.org",
    )
    assert response.status_code == 303
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "your comment was received" in thanks
    [comment] = stored(db)
    assert (comment.state, comment.name, comment.email) == (
        "pending",
        "Ada Citizen",
        "ada@example.org",
    )
    assert comment.body == "Line one about retention.\nLine two."
    assert events(db, "public_comment.received") == 1
    # Not public until approved.
    assert "Line one about retention." not in thanks
    publication_page = client.get(f"/public/publications/{publication_id}").get_data(as_text=True)
    assert "Line one about retention." not in publication_page
    assert f"/public/publications/{publication_id}/comments" in publication_page


def test_name_and_email_are_optional_and_a_bad_email_is_refused_beside_the_field(
    client, db: Session, publication_id: int
) -> None:
    assert post_comment(client, publication_id, "Anonymous concern.").status_code == 303
    refused = post_comment(client, publication_id, "Keep this text.", email="not an address")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "give an email address like name@example.org" in text.lower()
    assert "Keep this text." in text  # the comment as typed is still in the form
    assert [c.body for c in stored(db)] == ["Anonymous concern."]


def test_a_filled_honeypot_looks_accepted_and_is_stored_nowhere(
    client, db: Session, publication_id: int
) -> None:
    response = post_comment(
        client, publication_id, "Buy cheap watches", website="http://spam.example"
    )
    assert response.status_code == 303
    assert "your comment was received" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert stored(db) == []
    assert events(db, "public_comment.received") == 0
    assert db.scalar(select(func.count()).select_from(PublicCommentRate)) == 0


def test_over_the_length_limit_is_400_with_the_text_kept_and_nothing_stored(
    client, db: Session, publication_id: int
) -> None:
    too_long = "x" * (COMMENT_MAX_CHARS + 1)
    refused = post_comment(client, publication_id, too_long)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert f"at most {COMMENT_MAX_CHARS:,} characters" in text
    assert too_long in text
    assert 'aria-invalid="true"' in text
    assert stored(db) == []
    assert db.scalar(select(func.count()).select_from(PublicCommentRate)) == 0
    # Exactly at the limit, with line breaks as a browser sends them (two characters each but
    # counted once), is accepted.
    at_limit = "y" * (COMMENT_MAX_CHARS - 2) + "\r\n" + "z"
    assert post_comment(client, publication_id, at_limit).status_code == 303
    assert len(stored(db)[0].body) == COMMENT_MAX_CHARS
    assert post_comment(client, publication_id, "   ").status_code == 400


@pytest.mark.parametrize(
    ("opens", "closes", "says"),
    [
        (-20, -1, "the comment period closed on"),
        (2, 20, "the comment period opens on"),
    ],
)
def test_outside_the_period_is_409_and_changes_nothing(
    client, db: Session, publication_id: int, opens: int, closes: int, says: str
) -> None:
    token = form_token(client, publication_id)  # the form shows only while the period is open
    set_period(db, publication_id, TODAY + timedelta(days=opens), TODAY + timedelta(days=closes))
    refused = post_comment(client, publication_id, "Too late or too early.", csrf_token=token)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert says.capitalize() in text and "nothing was stored" in text
    assert 'name="body"' not in text  # no form while the period is not open
    assert stored(db) == []
    assert db.scalar(select(func.count()).select_from(PublicCommentRate)) == 0


def test_the_final_publication_closes_the_period(
    client, db: Session, bank, publication_id: int
) -> None:
    from pia.store.models import Assessment
    from pia.store.public_models import Publication
    from pia.store.publication import publish_final

    token = form_token(client, publication_id)
    publication = db.get(Publication, publication_id)
    set_period(db, publication_id, TODAY - timedelta(days=20), TODAY - timedelta(days=1))
    assessment = db.get(Assessment, publication.assessment_id)
    publish_final(db, bank, assessment, user(db, "officer_a@example.gov"))
    set_period(db, publication_id, TODAY - timedelta(days=20), TODAY + timedelta(days=5))
    refused = post_comment(client, publication_id, "After the final report.", csrf_token=token)
    assert refused.status_code == 409
    assert stored(db) == []


def test_above_the_rate_limit_is_429_with_a_readable_page(
    client, db: Session, publication_id: int
) -> None:
    for number in range(3):
        assert post_comment(client, publication_id, f"Comment {number}").status_code == 303
    limited = post_comment(client, publication_id, "One too many")
    text = limited.get_data(as_text=True)
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert "Too many comments" in text and "nothing was stored" in text
    assert "<html" in text
    assert [c.body for c in stored(db)] == [f"Comment {n}" for n in range(3)]
    # Another address has its own count.
    other = post_comment(
        client, publication_id, "From elsewhere", environ_base={"REMOTE_ADDR": "192.0.2.7"}
    )
    assert other.status_code == 303
    # The count lives in the database: a hash of the address, never the address.
    keys = db.scalars(select(PublicCommentRate.client_key)).all()
    assert len(keys) == 2 and all(len(key) == 64 and "." not in key for key in keys)


def test_the_client_address_is_the_trusted_proxys_and_only_its(
    client, db: Session, publication_id: int
) -> None:
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for number in range(3):
        response = post_comment(
            client,
            publication_id,
            f"Via proxy {number}",
            environ_base=proxy,
            headers={"X-Forwarded-For": f"198.51.100.{number}"},
        )
        assert response.status_code == 303  # three clients behind the proxy, one comment each
    # A client reaching the app directly cannot pick its address with the header.
    direct = {"REMOTE_ADDR": "203.0.113.9"}
    for number in range(3):
        response = post_comment(
            client,
            publication_id,
            f"Direct {number}",
            environ_base=direct,
            headers={"X-Forwarded-For": f"198.51.100.{50 + number}"},
        )
        assert response.status_code == 303
    spoofed = post_comment(
        client,
        publication_id,
        "Direct, spoofing",
        environ_base=direct,
        headers={"X-Forwarded-For": "198.51.100.99"},
    )
    assert spoofed.status_code == 429
    assert len(stored(db)) == 6


def test_parallel_posts_from_one_address_accept_at_most_the_limit(
    app: Flask, db: Session, publication_id: int
) -> None:
    clients = [app.test_client() for _ in range(8)]
    tokens = []
    for each in clients:
        tokens.append(form_token(each, publication_id))
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    lock = threading.Lock()

    def post(index: int) -> None:
        barrier.wait()
        response = post_comment(
            clients[index], publication_id, f"Parallel {index}", csrf_token=tokens[index]
        )
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [303] * 3 + [429] * 5
    assert len(stored(db)) == 3
    assert db.scalar(select(PublicCommentRate.count)) == 3  # refused posts rolled back


def test_comments_are_plain_text_on_every_page(client, db: Session, publication_id: int) -> None:
    from pia.store.comment_moderation import approve_public_comment, respond_to_public_comments
    from pia.store.models import Assessment
    from pia.store.public_models import Publication

    hostile = (
        "<script>alert('x')</script> **bold** [link](http://evil.example) "
        '<b>bold</b> <font color="red">red</font>'
    )
    assert post_comment(client, publication_id, hostile, name="<i>Mallory</i>").status_code == 303
    officer = user(db, "officer_a@example.gov")
    publication = db.get(Publication, publication_id)
    assessment = db.get(Assessment, publication.assessment_id)
    [comment] = stored(db)
    approve_public_comment(db, assessment, officer, comment.id)
    respond_to_public_comments(
        db, assessment, officer, comment_ids=[comment.id], body="We read <b>this</b> **too**."
    )
    for url in (
        f"/public/publications/{publication_id}",
        f"/public/publications/{publication_id}/comments",
    ):
        text = client.get(url).get_data(as_text=True)
        assert "&lt;script&gt;alert(" in text, url
        assert "<script>alert" not in text, url
        assert "&lt;b&gt;bold&lt;/b&gt;" in text and "<b>bold</b>" not in text, url
        assert "&lt;font color=" in text, url
        assert "**bold**" in text and "<strong>bold</strong>" not in text, url
        assert "&lt;i&gt;Mallory&lt;/i&gt;" in text, url
        assert "We read &lt;b&gt;this&lt;/b&gt; **too**." in text, url


def test_the_publication_page_etag_changes_when_a_comment_is_approved(
    client, db: Session, publication_id: int
) -> None:
    from pia.store.comment_moderation import approve_public_comment
    from pia.store.models import Assessment
    from pia.store.public_models import Publication

    url = f"/public/publications/{publication_id}"
    before = client.get(url)
    etag = before.headers["ETag"]
    assert post_comment(client, publication_id, "Cached or not?").status_code == 303
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304  # still pending
    publication = db.get(Publication, publication_id)
    assessment = db.get(Assessment, publication.assessment_id)
    approve_public_comment(db, assessment, user(db, "officer_a@example.gov"), stored(db)[0].id)
    after = client.get(url, headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert "Cached or not?" in after.get_data(as_text=True)


def test_the_comment_page_reads_the_publication_and_its_agency_once(
    app: Flask, client, publication_id: int
) -> None:
    with counted_statements(app) as statements:
        page = client.get(f"/public/publications/{publication_id}/comments")
    assert page.status_code == 200 and "Open for comment." in page.get_data(as_text=True)
    lookups = [s for s in statements if "FROM publications" in s and "publications.id =" in s]
    assert len(lookups) == 1
    # The agency with its time zone in one statement; the thread's dates use the same zone.
    assert len([s for s in statements if "agencies" in s]) == 1


def test_an_unknown_publication_is_404(client) -> None:
    assert client.get("/public/publications/999999/comments").status_code == 404
