"""The review's verbs tell the right people by email, through the outbox and a real SMTP server
(aiosmtpd, in this process): a comment, a request for changes and a decision reach the officers in
the same transaction as the change; a refused verb queues nothing; a condition's due date and the
review date are reminded of once, before they pass, even when several processes check at once."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from mail_server import MailServer, free_port
from sqlalchemy import select

from pia.cli import main
from pia.store import (
    REMIND_DAYS,
    ConditionInput,
    InvalidInput,
    add_comment,
    add_condition,
    create_assessment,
    make_session_factory,
    queue_due_reminders,
    record_decision,
    reply,
    request_changes,
    resubmit,
    save_answers,
    submit,
    take_up,
)
from pia.store.mail import parse_smtp_url, send_due
from pia.store.models import OutboxMessage
from pia.store.review_models import Condition

TODAY = date.today()


@pytest.fixture
def mail_server(monkeypatch):
    server = MailServer(free_port()).start()
    monkeypatch.setenv("PIA_SMTP_URL", server.url)
    monkeypatch.setenv("PIA_BASE_URL", "https://pia.example.gov")
    yield server
    server.stop()


def _in_review(session, bank, cast):
    assessment = create_assessment(session, bank, cast.officer, title="Transit cameras")
    values = {"product_name": "FaceFind", "mode": "search", "threshold": 80}
    save_answers(session, bank, assessment, cast.officer, values=values, expected_version=0)
    submit(session, bank, assessment, cast.officer, 1)
    take_up(session, assessment, cast.reviewer, revision=1)
    return assessment


def _outbox(session, kind: str | None = None) -> list[OutboxMessage]:
    session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(session.scalars(query))


def _delivered(session, server: MailServer) -> list[tuple[str, list[str], str]]:
    """Send what is due; (subject, recipients, body) of each message the server received."""
    send_due(session, parse_smtp_url(server.url))
    return [
        (m["Subject"], rcpt, m.get_payload(decode=True).decode().replace("\r\n", "\n"))
        for m, rcpt in zip(server.inbox.messages, server.inbox.recipients, strict=True)
    ]


def test_a_comment_reaches_the_officers_and_their_reply_does_not_mail_them(
    session, bank, cast, mail_server
) -> None:
    assessment = _in_review(session, bank, cast)
    before = len(_outbox(session))
    thread = add_comment(
        session,
        assessment,
        cast.reviewer,
        revision=1,
        kind="question",
        target="threshold",
        body="Why is the threshold so low? (secret reasoning)",
    )
    reply(session, assessment, cast.officer, thread.id, body="It is the vendor's default.")
    queued = _outbox(session)[before:]
    assert [(m.kind, m.recipient) for m in queued] == [("commented", cast.officer.email)]
    reply(session, assessment, cast.reviewer, thread.id, body="Please raise it.")
    assert [m.kind for m in _outbox(session)[before:]] == ["commented", "commented"]
    delivered = _delivered(session, mail_server)
    commented = [d for d in delivered if "new comment" in d[0]]
    assert len(commented) == 2
    subject, recipients, body = commented[0]
    assert subject == "[pia] Transit cameras: new comment from the review board"
    assert recipients == [cast.officer.email]  # not the other agency's officer
    assert "By: reviewer <reviewer@own.example>" in body
    assert f"https://pia.example.gov/assessments/{assessment.id}/revisions/1" in body
    assert "secret reasoning" not in body and "vendor's default" not in body


def test_changes_requested_and_the_decision_are_mailed_with_the_change(
    session, bank, cast, mail_server
) -> None:
    assessment = _in_review(session, bank, cast)
    request_changes(session, assessment, cast.reviewer, revision=1, message="Raise the threshold.")
    assert [m.recipient for m in _outbox(session, "changes_requested")] == [cast.officer.email]
    # The message opened a thread, but the officer hears of it once, as the request.
    assert _outbox(session, "commented") == []
    save_answers(
        session,
        bank,
        assessment,
        cast.officer,
        values={"threshold": 99},
        expected_version=assessment.lock_version,
    )
    resubmit(session, bank, assessment, cast.officer, assessment.lock_version)
    due = TODAY + timedelta(days=60)
    record_decision(
        session,
        assessment,
        cast.reviewer,
        revision=2,
        outcome="approved_with_conditions",
        rationale="Acceptable with an audit (not for mail).",
        meeting_on=TODAY,
        votes_for=4,
        review_due_on=TODAY + timedelta(days=700),
        conditions=[ConditionInput("Publish the audit log", "Records unit", due)],
    )
    [decided] = _outbox(session, "decided")
    assert decided.recipient == cast.officer.email
    delivered = {d[0]: d for d in _delivered(session, mail_server)}
    subject = "[pia] Transit cameras: decision recorded"
    body = delivered[subject][2]
    assert "Revision: 2\n" in body
    assert "Decision: Approved with conditions\nConditions: 1 (see them in pia)" in body
    assert f"Review date: {(TODAY + timedelta(days=700)).isoformat()}" in body
    assert "not for mail" not in body and "Publish the audit log" not in body
    assert "[pia] Transit cameras: changes requested by the review board" in delivered


def test_a_refused_decision_queues_no_mail(session, bank, cast, mail_server) -> None:
    assessment = _in_review(session, bank, cast)
    before = len(_outbox(session))
    with pytest.raises(InvalidInput, match="due date of condition 1"):
        record_decision(
            session,
            assessment,
            cast.reviewer,
            revision=1,
            outcome="approved_with_conditions",
            rationale="Fine.",
            meeting_on=TODAY,
            conditions=[ConditionInput("Audit", "Records", TODAY - timedelta(days=1))],
        )
    assert len(_outbox(session)) == before
    subjects = [d[0] for d in _delivered(session, mail_server)]
    assert subjects == ["[pia] Transit cameras: submitted for review"]


def test_a_condition_added_after_the_decision_is_mailed_to_the_officers(
    session, bank, cast, mail_server
) -> None:
    assessment = _decided_with_condition(session, bank, cast, TODAY + timedelta(days=30))
    due = TODAY + timedelta(days=45)
    add_condition(
        session, assessment, cast.reviewer, ConditionInput("Train operators (internal)", "HR", due)
    )
    [queued] = _outbox(session, "condition_added")
    assert queued.recipient == cast.officer.email
    delivered = {d[0]: d[2] for d in _delivered(session, mail_server)}
    body = delivered["[pia] Transit cameras: condition added to the board's decision"]
    assert f"Revision: 1\nBy: reviewer <reviewer@own.example>\nOwner: HR\nDue: {due}" in body
    assert "Train operators" not in body


def _decided_with_condition(session, bank, cast, due: date):
    assessment = _in_review(session, bank, cast)
    record_decision(
        session,
        assessment,
        cast.reviewer,
        revision=1,
        outcome="approved_with_conditions",
        rationale="Acceptable.",
        meeting_on=TODAY,
        review_due_on=TODAY + timedelta(days=500),
        conditions=[ConditionInput("Publish the audit log", "Records unit", due)],
    )
    return assessment


def test_a_condition_due_soon_is_reminded_of_once_by_concurrent_checks(
    engine, bank, cast, mail_server
) -> None:
    factory = make_session_factory(engine)
    due = TODAY + timedelta(days=10)
    with factory() as setup:
        _decided_with_condition(setup, bank, cast, due)
        # Far from its due date: nothing yet (the review date is further still).
        assert queue_due_reminders(setup, due - timedelta(days=REMIND_DAYS + 1)) == 0
    counts: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def check() -> None:
        try:
            with factory() as session:
                start.wait()
                counts.append(queue_due_reminders(session, TODAY))
        except BaseException as error:  # reported in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=check) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(counts) == [0, 0, 1]
    with factory() as session:
        [reminder] = _outbox(session, "due_soon")
        assert reminder.recipient == cast.officer.email
        assert f"Due: {due.isoformat()}" in reminder.body
        assert "owner: Records unit" in reminder.body
        assert "Publish the audit log" not in reminder.body
        assert queue_due_reminders(session, TODAY + timedelta(days=1)) == 0  # once
        delivered = _delivered(session, mail_server)
        assert [d[0] for d in delivered if "due date" in d[0]] == [
            "[pia] Transit cameras: due date approaching"
        ]


def test_a_met_or_past_condition_is_not_reminded_of_and_a_moved_date_is(
    session, bank, cast, mail_server
) -> None:
    due = TODAY + timedelta(days=3)
    assessment = _decided_with_condition(session, bank, cast, due)
    assert queue_due_reminders(session, due + timedelta(days=1)) == 0  # already past
    condition = session.scalars(select(Condition)).one()
    condition.state = "met"
    session.commit()
    assert queue_due_reminders(session, TODAY) == 0
    condition.state, condition.due_on = "open", due + timedelta(days=5)
    session.commit()
    assert queue_due_reminders(session, TODAY) == 1  # a new due date is a new reminder
    assert queue_due_reminders(session, TODAY) == 0
    assert assessment.review_due_on is not None


def test_the_review_date_is_reminded_of_before_it_comes(session, bank, cast, mail_server) -> None:
    assessment = _decided_with_condition(session, bank, cast, TODAY + timedelta(days=100))
    review_on = assessment.review_due_on
    assert queue_due_reminders(session, review_on - timedelta(days=REMIND_DAYS + 1)) == 0
    assert queue_due_reminders(session, review_on - timedelta(days=REMIND_DAYS)) == 1
    [reminder] = _outbox(session, "due_soon")
    assert "reviewed again" in reminder.body and f"Due: {review_on.isoformat()}" in reminder.body


def test_pia_mail_send_reminds_of_a_condition(
    session, bank, cast, mail_server, db_url, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("PIA_DATABASE_URL", db_url)
    _decided_with_condition(session, bank, cast, TODAY + timedelta(days=7))
    assert main(["mail", "send"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("reminders queued: 1; sent: 3;")  # submitted, decided, due soon
    subjects = [m["Subject"] for m in mail_server.inbox.messages]
    assert "[pia] Transit cameras: due date approaching" in subjects
    assert main(["mail", "send"]) == 0
    assert capsys.readouterr().out.startswith("reminders queued: 0; sent: 0;")
