"""Comment dates over HTTP, on SQLite and PostgreSQL, in the agency's time zone: a comment
received at noon UTC on 1 March is received on 2 March in Kiritimati (UTC+14), on the moderation
page, the public page and the final report's record alike; and the board reaches the moderation
queue from the revision it reviews."""

from __future__ import annotations

from datetime import UTC, datetime

from comment_setup import post_comment, publish_for_comment_now, user
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pia.store.accounts import set_agency_time_zone
from pia.store.models import Agency, Assessment
from pia.store.public_models import CommentResponse, PublicComment

NOON_UTC = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # 2 March, 02:00 in Kiritimati


def test_comment_dates_are_the_agencys(client, auth, db: Session, bank, submitted: int) -> None:
    from pia.store.comment_moderation import approve_public_comment, respond_to_public_comments
    from pia.store.comment_record import public_comment_record

    publication = publish_for_comment_now(db, bank, submitted)
    publication_id, aid = publication.id, publication.assessment_id
    set_agency_time_zone(db, db.get(Agency, publication.agency_id), "Pacific/Kiritimati")
    db.commit()
    assert post_comment(client, publication_id, "What about retention?").status_code == 303
    [comment_id] = db.scalars(select(PublicComment.id))
    db.execute(update(PublicComment).values(received_at=NOON_UTC))
    db.commit()

    auth.login("officer_a")
    queue = client.get(f"/assessments/{aid}/public-comments").get_data(as_text=True)
    assert "received 2 Mar 2026, 02:00" in queue
    auth.logout()

    assessment = db.get(Assessment, aid)
    officer = user(db, "officer_a@example.gov")
    approve_public_comment(db, assessment, officer, comment_id)
    respond_to_public_comments(db, assessment, officer, comment_ids=[comment_id], body="30 days.")
    db.execute(update(CommentResponse).values(written_at=NOON_UTC))
    db.commit()
    page = client.get(f"/public/publications/{publication_id}").get_data(as_text=True)
    assert "received 2026-03-02" in page and "received 2026-03-01" not in page

    db.expire_all()
    record = public_comment_record(db, db.get(Assessment, aid), bank)
    assert record.comments[0].received_on == "2026-03-02"
    assert record.responses[0].written_on == "2026-03-02"


def test_the_board_reaches_the_moderation_queue_from_the_revision(
    client, auth, db: Session, bank, submitted: int
) -> None:
    publication = publish_for_comment_now(db, bank, submitted)
    aid = publication.assessment_id
    auth.login("reviewer_a")
    revision = client.get(f"/assessments/{aid}/revisions/1").get_data(as_text=True)
    queue = f"/assessments/{aid}/public-comments"
    assert f'href="{queue}"' in revision
    assert client.get(queue).status_code == 200
