"""Notifications go through the outbox to a real SMTP server (aiosmtpd, in this process):
delivered to the right people, retried while the server is down, never sent for a rolled-back
change, and sent once even when two senders work at the same time."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

import pytest
from mail_server import MailServer, free_port
from sqlalchemy import select

from pia.cli import main
from pia.store import (
    DueItem,
    NotificationKind,
    create_assessment,
    enqueue_notification,
    make_session_factory,
    queue_due_reminders,
    save_answers,
    submit,
)
from pia.store.mail import (
    MailConfigError,
    SmtpSettings,
    backoff,
    parse_smtp_url,
    send_due,
    start_background_sender,
)
from pia.store.models import OutboxMessage, utcnow
from pia.store.transaction import committing


@pytest.fixture
def mail_server(monkeypatch):
    server = MailServer(free_port()).start()
    monkeypatch.setenv("PIA_SMTP_URL", server.url)
    yield server
    server.stop()


def _submitted(session, bank, cast):
    assessment = create_assessment(session, bank, cast.officer, title="Downtown cameras")
    values = {"product_name": "FaceFind", "mode": "search"}
    save_answers(session, bank, assessment, cast.officer, values=values, expected_version=0)
    submit(session, bank, assessment, cast.officer, 1)
    return assessment


def _outbox(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://mail.example.gov",
            SmtpSettings("mail.example.gov", 25, "none", None, None, "pia@localhost"),
        ),
        (
            "smtp://pia%40agency.gov:s%3Acret@mail.example.gov:2525?starttls=yes&from=pia@a.gov",
            SmtpSettings(
                "mail.example.gov", 2525, "starttls", "pia@agency.gov", "s:cret", "pia@a.gov"
            ),
        ),
        (
            "smtp://m.example.gov?starttls=1",
            SmtpSettings("m.example.gov", 587, "starttls", None, None, "pia@localhost"),
        ),
        (
            "smtps://u:p@m.example.gov?timeout=3",
            SmtpSettings("m.example.gov", 465, "ssl", "u", "p", "pia@localhost", 3.0),
        ),
    ],
)
def test_smtp_urls(url: str, expected: SmtpSettings) -> None:
    assert parse_smtp_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.example.gov", "must start with smtp:// or smtps://"),
        ("smtp://", "names no mail server"),
        ("smtp://m.example.gov:99999", "PIA_SMTP_URL: Port out of range"),
    ],
)
def test_bad_smtp_urls_say_what_is_wrong(url: str, message: str) -> None:
    with pytest.raises(MailConfigError, match=message):
        parse_smtp_url(url)


def test_backoff_doubles_up_to_an_hour() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(30) == timedelta(hours=1)


def test_a_submission_is_mailed_to_the_reviewers_of_the_agency(
    session, bank, cast, mail_server, monkeypatch
) -> None:
    monkeypatch.setenv("PIA_BASE_URL", "https://pia.example.gov/")
    assessment = _submitted(session, bank, cast)
    queued = _outbox(session)
    assert [(m.kind, m.recipient) for m in queued] == [("submitted", cast.reviewer.email)]
    report = send_due(session, parse_smtp_url(mail_server.url))
    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    [message] = mail_server.inbox.messages
    assert mail_server.inbox.recipients == [[cast.reviewer.email]]
    assert message["Subject"] == "[pia] Downtown cameras: submitted for review"
    assert message["From"] == "pia@test.example"
    body = message.get_payload(decode=True).decode().replace("\r\n", "\n")
    assert "Agency: Own Agency\nRevision: 1\nBy: officer <officer@own.example>" in body
    assert f"https://pia.example.gov/assessments/{assessment.id}/revisions/1" in body
    assert "FaceFind" not in body  # no answers in mail
    assert _outbox(session)[0].sent_at is not None
    assert send_due(session, parse_smtp_url(mail_server.url)).sent == 0  # sent once


def test_with_notifications_off_nothing_is_queued(session, bank, cast, monkeypatch) -> None:
    monkeypatch.delenv("PIA_SMTP_URL", raising=False)
    _submitted(session, bank, cast)
    assert _outbox(session) == []


def test_officers_hear_of_decisions_but_not_of_their_own_acts(
    session, bank, cast, mail_server
) -> None:
    assessment = _submitted(session, bank, cast)
    with committing(session):
        decided = enqueue_notification(
            session, NotificationKind.DECIDED, assessment, actor=cast.reviewer, revision=1
        )
        own = enqueue_notification(
            session, NotificationKind.CHANGES_REQUESTED, assessment, actor=cast.officer
        )
    assert [m.recipient for m in decided] == [cast.officer.email]  # not the other agency's
    assert own == []


def test_a_server_down_for_the_first_attempts_still_gets_the_message(
    session, bank, cast, monkeypatch
) -> None:
    server = MailServer(free_port())  # not started yet: connections are refused
    monkeypatch.setenv("PIA_SMTP_URL", server.url)
    settings = parse_smtp_url(server.url)
    _submitted(session, bank, cast)
    start = utcnow()
    first = send_due(session, settings, now=start)
    assert (first.sent, first.retrying) == (0, 1)
    [waiting] = _outbox(session)
    assert waiting.attempts == 1 and waiting.next_attempt_at == start + timedelta(seconds=30)
    assert "ConnectionRefusedError" in waiting.last_error
    assert send_due(session, settings, now=start + timedelta(seconds=20)).retrying == 0  # waits
    second = send_due(session, settings, now=start + timedelta(seconds=31))
    assert second.retrying == 1 and _outbox(session)[0].attempts == 2
    server.start()
    try:
        assert send_due(session, settings, now=start + timedelta(seconds=60)).sent == 0
        third = send_due(session, settings, now=start + timedelta(seconds=92))
        assert third.sent == 1
        assert len(server.inbox.messages) == 1
        assert _outbox(session)[0].sent_at is not None and _outbox(session)[0].last_error == ""
    finally:
        server.stop()


def test_a_rolled_back_change_sends_nothing(session, bank, cast, mail_server) -> None:
    from pia.store.audit import add_event

    assessment = create_assessment(session, bank, cast.officer, title="Never submitted")
    with pytest.raises(RuntimeError), committing(session):
        add_event(session, "assessment.submitted", actor=cast.officer, assessment=assessment)
        enqueue_notification(session, NotificationKind.SUBMITTED, assessment, actor=cast.officer)
        raise RuntimeError("the change failed after queueing its mail")
    assert _outbox(session) == []
    assert send_due(session, parse_smtp_url(mail_server.url)).sent == 0
    assert mail_server.inbox.messages == []


def test_two_senders_at_once_send_each_message_once(engine, bank, cast, mail_server) -> None:
    factory = make_session_factory(engine)
    with factory() as setup:
        assessment = create_assessment(setup, bank, cast.officer, title="Busy")
        with committing(setup):
            for _ in range(20):
                enqueue_notification(setup, NotificationKind.COMMENTED, assessment)
        expected = sorted(str(m.id) for m in _outbox(setup))
    assert len(expected) == 20
    settings = parse_smtp_url(mail_server.url)
    errors: list[BaseException] = []
    sent: list[int] = []
    start = threading.Barrier(2)

    def work() -> None:
        try:
            with factory() as session:
                start.wait()
                sent.append(send_due(session, settings, limit=3).sent)
        except BaseException as error:  # reported in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(sent) == 20
    assert sorted(mail_server.inbox.outbox_ids()) == expected  # each once


def test_due_date_reminders_are_queued_once_by_concurrent_checks(
    engine, bank, cast, mail_server
) -> None:
    factory = make_session_factory(engine)
    with factory() as setup:
        assessment_id = create_assessment(setup, bank, cast.officer, title="Conditions").id
    due = date.today() + timedelta(days=7)

    def source(_session, today):
        assert today == date.today()
        return [DueItem("condition:1", assessment_id, due, "Condition: publish the audit log")]

    counts: list[int] = []
    start = threading.Barrier(3)

    def check() -> None:
        with factory() as session:
            start.wait()
            counts.append(queue_due_reminders(session, date.today(), [source]))

    threads = [threading.Thread(target=check) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 0, 1]
    with factory() as session:
        [queued] = _outbox(session)
        assert queued.kind == "due_soon" and queued.recipient == cast.officer.email
        assert f"Due: {due.isoformat()}" in queued.body
        assert queue_due_reminders(session, date.today(), [source]) == 0


def test_the_background_sender_delivers_without_being_asked(engine, bank, cast, mail_server):
    factory = make_session_factory(engine)
    with factory() as session:
        _submitted(session, bank, cast)
    sender = start_background_sender(factory, parse_smtp_url(mail_server.url), interval=0.05)
    try:
        deadline = time.monotonic() + 10
        while not mail_server.inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        sender.stop()
    assert len(mail_server.inbox.messages) == 1 and not sender.thread.is_alive()


def test_pia_mail_send_for_cron(session, bank, cast, mail_server, db_url, monkeypatch, capsys):
    monkeypatch.setenv("PIA_DATABASE_URL", db_url)
    _submitted(session, bank, cast)
    assert main(["mail", "send"]) == 0
    assert capsys.readouterr().out == (
        "reminders queued: 0; sent: 1; to retry: 0; given up: 0; waiting now: 0\n"
    )
    assert len(mail_server.inbox.messages) == 1
    monkeypatch.delenv("PIA_SMTP_URL")
    assert main(["mail", "send"]) == 1
    assert "notifications are off: set PIA_SMTP_URL" in capsys.readouterr().err
