"""Every state change leaves an audit event; callers outside the store can add their own."""

from __future__ import annotations

from sqlalchemy import select

from pia.store import (
    AuditEvent,
    add_evidence,
    create_assessment,
    events_for,
    recent_events,
    record_event,
    save_answers,
)


def test_an_assessments_trail_names_who_did_what(session, bank, cast) -> None:
    assessment = create_assessment(session, bank, cast.officer, title="Pilot")
    save_answers(
        session, bank, assessment, cast.officer, values={"mode": "live"}, expected_version=0
    )
    add_evidence(
        session,
        assessment,
        cast.officer,
        question_id="mode",
        filename="note.txt",
        data=b"Deployment plan",
        max_bytes=1024,
    )
    trail = events_for(session, assessment)
    assert [e.action for e in trail] == ["evidence.added", "answers.saved", "assessment.created"]
    assert {e.actor_id for e in trail} == {cast.officer.id}
    assert {e.agency_id for e in trail} == {cast.own.id}
    assert trail[1].detail["answers_changed"] == ["mode"]
    assert trail[0].detail["filename"] == "note.txt"


def test_record_event_commits_an_event_of_the_callers_own(session, cast) -> None:
    record_event(session, "signin.rate_limited", detail={"email": "x@example.org"})
    session.rollback()  # committed already: a rollback does not lose it
    stored = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "signin.rate_limited")
    ).one()
    assert stored.detail == {"email": "x@example.org"} and stored.actor_id is None
    assert recent_events(session, limit=1)[0].id == stored.id
    created = [e.detail["email"] for e in recent_events(session) if e.action == "user.created"]
    assert sorted(created) == sorted(
        u.email for u in (cast.officer, cast.other_officer, cast.reviewer, cast.admin)
    )
