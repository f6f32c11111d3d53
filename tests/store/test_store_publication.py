"""Redactions and publication in the store, on SQLite and PostgreSQL: who may do what, refusals
that change nothing, and frozen public data whose fingerprint survives the database."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pia.engine import Bank
from pia.report.public import public_fingerprint
from pia.store import (
    AuditEvent,
    InvalidInput,
    create_assessment,
    record_decision,
    save_answers,
    submit,
    take_up,
)
from pia.store.errors import NotAllowed, WrongStatus
from pia.store.public_listing import public_listing
from pia.store.public_models import Publication, Redaction
from pia.store.publication import (
    NotPublishable,
    allow_publication,
    latest_publication,
    publish_final,
    publish_for_comment,
)
from pia.store.redaction import approve_redaction, request_redaction, withdraw_redaction

SECRET = "Secret product 7e1"
ANSWERS = {"product_name": SECRET, "mode": "search", "threshold": 80}
TODAY = date.today()


def approved(session: Session, bank: Bank, cast: Any, outcome: str = "approved") -> Any:
    assessment = create_assessment(session, bank, cast.officer, title="Pilot", profiles=["wa"])
    save_answers(
        session,
        bank,
        assessment,
        cast.officer,
        values=ANSWERS,
        notes={"mode": "A note to publish"},
        expected_version=0,
    )
    submit(session, bank, assessment, cast.officer, 1)
    take_up(session, assessment, cast.reviewer, revision=1)
    record_decision(
        session,
        assessment,
        cast.reviewer,
        revision=1,
        outcome=outcome,
        rationale="Proportionate.",
        meeting_on=TODAY,
    )
    return assessment


def counts(session: Session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(Redaction)) or 0,
        session.scalar(select(func.count()).select_from(Publication)) or 0,
        session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
    )


def test_a_redaction_outside_the_list_or_of_nothing_is_refused(session, bank, cast) -> None:
    a = approved(session, bank, cast)
    before = counts(session)
    for kind, target, reason, field in (
        ("answer", "product_name", "embarrassment", "reason"),
        ("answer", "no_such_question", "security", "target"),
        ("paragraph", "product_name", "security", "kind"),
        ("evidence", "12345", "security", "target"),
    ):
        with pytest.raises(InvalidInput) as refused:
            request_redaction(
                session, bank, a, cast.officer, kind=kind, target=target, reason=reason
            )
        assert refused.value.field == field
    with pytest.raises(InvalidInput, match="explanation"):
        request_redaction(
            session,
            bank,
            a,
            cast.officer,
            kind="answer",
            target="mode",
            reason="security",
            explanation="x" * 2001,
        )
    assert counts(session) == before


def test_only_officers_redact_and_only_reviewers_approve(session, bank, cast) -> None:
    a = approved(session, bank, cast)
    with pytest.raises(NotAllowed):
        request_redaction(
            session, bank, a, cast.reviewer, kind="answer", target="mode", reason="security"
        )
    with pytest.raises(NotAllowed):  # another agency's officer does not see it
        request_redaction(
            session, bank, a, cast.other_officer, kind="answer", target="mode", reason="security"
        )
    redaction = request_redaction(
        session, bank, a, cast.officer, kind="answer", target="product_name", reason="security"
    )
    with pytest.raises(NotAllowed):
        approve_redaction(session, a, cast.officer, redaction.id)
    approve_redaction(session, a, cast.reviewer, redaction.id)
    assert redaction.approved_by_id == cast.reviewer.id
    # Asking again (another reason) needs a new approval.
    again = request_redaction(
        session,
        bank,
        a,
        cast.officer,
        kind="answer",
        target="product_name",
        reason="commercial_confidence",
    )
    assert again.id == redaction.id and again.approved_at is None
    actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-3:] == ["redaction.requested", "redaction.approved", "redaction.requested"]
    withdraw_redaction(session, a, cast.officer, redaction.id)
    assert session.scalar(select(func.count()).select_from(Redaction)) == 0


def test_publishing_waits_for_the_board_and_for_approved_redactions(session, bank, cast) -> None:
    a = approved(session, bank, cast)
    period = {"opens_on": TODAY, "closes_on": TODAY + timedelta(days=30)}
    redaction = request_redaction(
        session, bank, a, cast.officer, kind="answer", target="product_name", reason="security"
    )
    before = counts(session)
    with pytest.raises(NotPublishable, match="has not allowed publication of revision 1"):
        publish_for_comment(session, bank, a, cast.officer, **period)
    with pytest.raises(NotAllowed):
        allow_publication(session, a, cast.officer, revision=1)
    assert counts(session) == before
    allow_publication(session, a, cast.reviewer, revision=1)
    before = counts(session)
    with pytest.raises(NotPublishable, match="1 redaction\\(s\\) await a reviewer's approval"):
        publish_for_comment(session, bank, a, cast.officer, **period)
    for opens, closes, message in (
        (TODAY - timedelta(days=1), TODAY + timedelta(days=5), "cannot open in the past"),
        (TODAY + timedelta(days=5), TODAY + timedelta(days=5), "must close after"),
        (None, TODAY, "enter the date the comment period opens"),
    ):
        with pytest.raises(InvalidInput, match=message):
            publish_for_comment(session, bank, a, cast.officer, opens_on=opens, closes_on=closes)
    with pytest.raises(NotPublishable, match="for public comment first"):
        publish_final(session, bank, a, cast.officer)
    assert counts(session) == before
    approve_redaction(session, a, cast.reviewer, redaction.id)
    published = publish_for_comment(session, bank, a, cast.officer, **period)
    assert published.stage == "comment" and published.comment_closes_on == period["closes_on"]
    with pytest.raises(NotPublishable, match="the comment period closes on"):
        publish_final(session, bank, a, cast.officer, today=period["closes_on"])
    final = publish_final(
        session, bank, a, cast.officer, today=period["closes_on"] + timedelta(days=1)
    )
    assert final.stage == "final"
    assert latest_publication(session, a.id).id == final.id
    [listed] = public_listing(session)
    assert (listed.publication_id, listed.stage, listed.title) == (final.id, "final", "Pilot")


def test_frozen_public_data_withholds_and_keeps_its_fingerprint(session, bank, cast) -> None:
    a = approved(session, bank, cast)
    redaction = request_redaction(
        session, bank, a, cast.officer, kind="answer", target="product_name", reason="security"
    )
    approve_redaction(session, a, cast.reviewer, redaction.id)
    allow_publication(session, a, cast.reviewer, revision=1)
    published = publish_for_comment(
        session, bank, a, cast.officer, opens_on=TODAY, closes_on=TODAY + timedelta(days=9)
    )
    publication_id = published.id
    session.expire_all()
    stored = session.get(Publication, publication_id)
    data = stored.public_data
    assert public_fingerprint(data) == stored.fingerprint  # after the database's round trip
    assert SECRET not in repr(data)
    assert data["answers"]["product_name"] == "[withheld: security]"
    assert data["notes"]["mode"] == "A note to publish"
    assert data["withheld"] == [
        {"kind": "answer", "question": "product_name", "reason": "security"}
    ]
    assert data["review"]["decision"]["outcome"] == "approved" and data["review"]["threads"] == []
    from pia.store import get_revision

    assert data["publication"]["revision_fingerprint"] == get_revision(session, a, 1).fingerprint


def test_a_rejected_assessment_cannot_be_allowed(session, bank, cast) -> None:
    a = approved(session, bank, cast, outcome="rejected")
    with pytest.raises(WrongStatus, match="rejected"):
        allow_publication(session, a, cast.reviewer, revision=1)
    with pytest.raises(WrongStatus):
        publish_for_comment(
            session, bank, a, cast.officer, opens_on=TODAY, closes_on=TODAY + timedelta(days=1)
        )


def test_publishing_counts_days_where_the_agency_is(session, bank, cast) -> None:
    from datetime import UTC, datetime

    from pia.store.public_listing import date_in_zone

    # A zone whose date differs from UTC's now: a day ahead in the afternoon, behind in the morning.
    zone = "Pacific/Kiritimati" if datetime.now(UTC).hour >= 10 else "Etc/GMT+12"
    cast.own.time_zone = zone
    session.commit()
    agency_day = date_in_zone(zone)
    assert agency_day != datetime.now(UTC).date()
    a = approved(session, bank, cast)
    allow_publication(session, a, cast.reviewer, revision=1)
    # Opening on the agency's today is not "in the past", whatever UTC's date is.
    published = publish_for_comment(
        session, bank, a, cast.officer, opens_on=agency_day, closes_on=agency_day + timedelta(1)
    )
    published.comment_opens_on = published.comment_closes_on = agency_day
    session.commit()
    with pytest.raises(NotPublishable, match="the comment period closes on"):
        publish_final(session, bank, a, cast.officer)  # still open on the agency's today
    published.comment_opens_on = published.comment_closes_on = agency_day - timedelta(1)
    session.commit()
    assert publish_final(session, bank, a, cast.officer).stage == "final"
