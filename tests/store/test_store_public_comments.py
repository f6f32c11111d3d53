"""Public comments in the store, on SQLite and PostgreSQL: the comment period read in the agency's
time zone, the rate limit's fixed windows, moderation rules and the report's record."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from publication_rows import publication_row
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pia.store.accounts import set_agency_time_zone
from pia.store.comment_moderation import (
    approve_public_comment,
    mark_duplicate_comment,
    reject_public_comment,
    respond_to_public_comments,
)
from pia.store.comment_record import PublicThread, public_comment_record
from pia.store.errors import InvalidInput, NotAllowed
from pia.store.models import Assessment
from pia.store.public_comments import (
    CommentPeriodClosed,
    CommentRateExceeded,
    RateLimit,
    comment_period,
    submit_public_comment,
)
from pia.store.public_models import (
    CommentResponse,
    Publication,
    PublicComment,
    PublicCommentRate,
)

CLOSES = date(2026, 3, 1)
# 03:00 UTC on the day after the period closes: still the closing day in Los Angeles.
EARLY_NEXT_MORNING_UTC = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
LIMIT = RateLimit(max_comments=2, window=timedelta(hours=1))


def comment(session: Session, publication: Publication, body: str, **kwargs: Any) -> Any:
    kwargs.setdefault("now", EARLY_NEXT_MORNING_UTC - timedelta(days=2))
    kwargs.setdefault("client_address", "192.0.2.1")
    return submit_public_comment(session, publication, body=body, limit=LIMIT, **kwargs)


def test_the_period_is_read_in_the_agencys_time_zone(session: Session, cast: Any) -> None:
    publication = publication_row(session, cast, opens=date(2026, 2, 1), closes=CLOSES)
    assert comment_period(session, publication, EARLY_NEXT_MORNING_UTC) == "closed"  # UTC agency
    with pytest.raises(CommentPeriodClosed, match="closed on 2026-03-01"):
        comment(session, publication, "Late?", now=EARLY_NEXT_MORNING_UTC)
    set_agency_time_zone(session, cast.own, "America/Los_Angeles")
    session.commit()
    session.expire_all()
    assert comment_period(session, publication, EARLY_NEXT_MORNING_UTC) == "open"
    stored = comment(session, publication, "Still the last day here.", now=EARLY_NEXT_MORNING_UTC)
    assert stored.state == "pending"
    early = publication_row(session, cast, opens=date(2026, 3, 2), closes=date(2026, 3, 20))
    assert comment_period(session, early, EARLY_NEXT_MORNING_UTC) == "not_yet"
    with pytest.raises(CommentPeriodClosed, match="opens on 2026-03-02"):
        comment(session, early, "Too early", now=EARLY_NEXT_MORNING_UTC)


def test_the_rate_limit_counts_fixed_windows_and_forgets_old_ones(
    session: Session, cast: Any
) -> None:
    publication = publication_row(session, cast, opens=date(2026, 2, 1), closes=CLOSES)
    start = datetime(2026, 2, 10, 9, 0, tzinfo=UTC)
    comment(session, publication, "one", now=start)
    comment(session, publication, "two", now=start + timedelta(minutes=10))
    with pytest.raises(CommentRateExceeded) as refused:
        comment(session, publication, "three", now=start + timedelta(minutes=20))
    assert refused.value.retry_after == 40 * 60
    comment(session, publication, "other address", client_address="192.0.2.2", now=start)
    # The next window starts afresh, and the ended windows are deleted as comments come in.
    comment(session, publication, "four", now=start + timedelta(hours=1))
    rows = session.execute(select(PublicCommentRate.window_start, PublicCommentRate.count)).all()
    assert [(row[0].astimezone(UTC), row[1]) for row in rows] == [(start + timedelta(hours=1), 1)]
    bodies = session.scalars(select(PublicComment.body).order_by(PublicComment.id)).all()
    assert bodies == ["one", "two", "other address", "four"]


def test_a_thread_pairs_each_comment_with_its_response() -> None:
    first, themed = CommentResponse(id=7, body="One."), CommentResponse(id=9, body="Themed.")
    comments = tuple(
        PublicComment(id=number, response_id=answer)
        for number, answer in ((1, 9), (2, None), (3, 7), (4, 9))
    )
    thread = PublicThread(comments, (first, themed))
    assert [thread.response_to(c) for c in comments] == [themed, None, first, themed]
    assert [c.id for c in thread.comments_answered_by(themed)] == [1, 4]
    assert [c.id for c in thread.comments_answered_by(first)] == [3]
    assert thread.comments_answered_by(CommentResponse(id=8)) == ()
    # A comment whose response is not in the thread has none shown.
    assert thread.response_to(PublicComment(id=5, response_id=8)) is None


def test_moderation_rules(session: Session, cast: Any) -> None:
    publication = publication_row(session, cast, opens=date(2026, 2, 1), closes=CLOSES)
    assessment = session.get(Assessment, publication.assessment_id)
    a, b, c, d = (
        comment(session, publication, text, client_address=text)
        for text in ("first", "second", "third", "fourth")
    )
    officer, other = cast.officer, cast.other_officer
    with pytest.raises(NotAllowed):
        approve_public_comment(session, assessment, other, a.id)
    with pytest.raises(NotAllowed):
        approve_public_comment(session, assessment, cast.reviewer, a.id)
    approve_public_comment(session, assessment, officer, a.id)
    mark_duplicate_comment(session, assessment, officer, b.id, a.id)
    with pytest.raises(InvalidInput, match="duplicate: choose the comment it repeats"):
        mark_duplicate_comment(session, assessment, officer, c.id, b.id)
    with pytest.raises(InvalidInput, match="reason"):
        reject_public_comment(session, assessment, officer, c.id, "x" * 1001)
    reject_public_comment(session, assessment, officer, c.id, "Off topic")
    with pytest.raises(InvalidInput, match="approved comments"):
        respond_to_public_comments(session, assessment, officer, comment_ids=[c.id], body="No")
    response = respond_to_public_comments(
        session, assessment, officer, comment_ids=[a.id], body="Thank you."
    )
    assert session.get(PublicComment, a.id).response_id == response.id

    record = public_comment_record(session, assessment)
    assert (record.opens_on, record.closes_on) == ("2026-02-01", "2026-03-01")
    assert (record.received, record.approved, record.rejected) == (4, 1, 1)
    assert (record.duplicates, record.pending) == (1, 1)
    assert [view.body for view in record.comments] == ["first"]
    assert [r.comments for r in record.responses] == [(a.id,)]
    assert d.state == "pending"
    assert session.scalar(select(func.count()).select_from(PublicComment)) == 4
