"""`pia serve` starts a mail sender in each gunicorn worker (its post_worker_init hook): a
submission reaches the agency's reviewer through a real SMTP server without anyone running
`pia mail send`."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from mail_server import MailServer, free_port

from pia.cli.serve import gunicorn_options, start_mail_sender


@pytest.fixture
def mail_server(monkeypatch):
    server = MailServer(free_port()).start()
    monkeypatch.setenv("PIA_SMTP_URL", server.url)
    monkeypatch.setenv("PIA_MAIL_INTERVAL", "1")
    yield server
    server.stop()


def test_each_worker_sends_the_outbox(app, mail_server, people, submitted) -> None:
    assert gunicorn_options("127.0.0.1", 8000, 2, 4)["post_worker_init"] is start_mail_sender
    sender = start_mail_sender(SimpleNamespace(wsgi=app))  # what gunicorn hands the hook
    assert sender is not None
    try:
        deadline = time.monotonic() + 15
        while not mail_server.inbox.messages and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        sender.stop()
    assert mail_server.inbox.recipients == [[people["reviewer_a"].email]]
    assert "submitted for review" in mail_server.inbox.messages[0]["Subject"]


def test_without_smtp_url_no_sender_starts(app, monkeypatch) -> None:
    monkeypatch.delenv("PIA_SMTP_URL", raising=False)
    assert start_mail_sender(SimpleNamespace(wsgi=app)) is None
