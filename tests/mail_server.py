"""A real SMTP server in the test process (aiosmtpd), collecting what it receives."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler: keeps every message delivered, parsed."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.recipients: list[list[str]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content))
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def outbox_ids(self) -> list[str]:
        with self._lock:
            return [m["X-Pia-Outbox-Id"] for m in self.messages]


class MailServer:
    """Start and stop an SMTP server on a fixed local port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?from=pia@test.example"

    def start(self) -> MailServer:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
