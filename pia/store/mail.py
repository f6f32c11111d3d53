"""Sending the outbox: claim due messages, deliver them over SMTP, retry with backoff.

PIA_SMTP_URL configures the server:

    smtp://host:25                      plain (a relay on the local network)
    smtp://user:pass@host:587?starttls=1  STARTTLS, then log in
    smtps://user:pass@host:465          TLS from the start
    ...?from=pia@agency.gov&timeout=10  sender address (default pia@localhost), seconds to wait

User names and passwords are URL-encoded (a "@" in a user name is "%40").

Claiming: a sender takes up to `limit` due messages and marks them with its own token and a lease
(`claimed_until`). On PostgreSQL the candidates are selected FOR UPDATE SKIP LOCKED, so two
senders never take the same message; on SQLite the claim is one UPDATE, which SQLite's single
writer makes atomic. A sender that dies mid-batch leaves its claims to expire and be retried.
Each failure counts an attempt and doubles the wait before the next (30 s, 1 min, 2 min, ...,
at most an hour); after MAX_ATTEMPTS the message is marked failed and kept for inspection.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import ssl
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from pia.store.errors import StoreError
from pia.store.models import OutboxMessage, utcnow

log = logging.getLogger(__name__)

BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)
MAX_ATTEMPTS = 12
LEASE = timedelta(minutes=5)
BATCH = 50
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


class MailConfigError(StoreError):
    """PIA_SMTP_URL cannot be used."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # "none", "starttls" or "ssl"
    username: str | None
    password: str | None
    sender: str
    timeout: float = 10.0


def parse_smtp_url(url: str) -> SmtpSettings:
    """Settings from an smtp:// or smtps:// URL; MailConfigError says what is wrong."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps"):
        raise MailConfigError(
            f"PIA_SMTP_URL must start with smtp:// or smtps://, not {parts.scheme or url!r}"
        )
    if not parts.hostname:
        raise MailConfigError("PIA_SMTP_URL names no mail server (smtp://host:port)")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    starttls = query.get("starttls", "").lower() in TRUE_WORDS
    security = "ssl" if parts.scheme == "smtps" else "starttls" if starttls else "none"
    try:
        port = parts.port or {"ssl": 465, "starttls": 587, "none": 25}[security]
        timeout = float(query.get("timeout", "10"))
    except ValueError as error:
        raise MailConfigError(f"PIA_SMTP_URL: {error}") from None
    return SmtpSettings(
        host=parts.hostname,
        port=port,
        security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        sender=query.get("from", "pia@localhost"),
        timeout=timeout,
    )


@dataclass(frozen=True)
class ClaimedMessage:
    id: int
    token: str
    recipient: str
    subject: str
    body: str
    attempts: int
    created_at: datetime


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    retrying: int = 0  # failed this time, will be tried again
    failed: int = 0  # failed for the last time


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: 30 s doubling, at most an hour."""
    return min(BASE_DELAY * (2 ** max(0, attempts - 1)), MAX_DELAY)


def _due(now: datetime) -> object:
    return and_(
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    )


def claim_due(session: Session, *, now: datetime, limit: int = BATCH) -> list[ClaimedMessage]:
    """Claim up to `limit` due messages for this sender (commits the claim)."""
    token = secrets.token_hex(16)
    claim = {"claim_token": token, "claimed_until": now + LEASE}
    if session.get_bind().dialect.name == "postgresql":
        ids = list(
            session.scalars(
                select(OutboxMessage.id)
                .where(_due(now))
                .order_by(OutboxMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if ids:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids))
                .values(**claim)
                .execution_options(synchronize_session=False)
            )
    else:
        candidates = (
            select(OutboxMessage.id)
            .where(_due(now))
            .order_by(OutboxMessage.id)
            .limit(limit)
            .scalar_subquery()
        )
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(candidates), _due(now))
            .values(**claim)
            .execution_options(synchronize_session=False)
        )
    session.commit()
    rows = session.execute(
        select(
            OutboxMessage.id,
            OutboxMessage.recipient,
            OutboxMessage.subject,
            OutboxMessage.body,
            OutboxMessage.attempts,
            OutboxMessage.created_at,
        )
        .where(OutboxMessage.claim_token == token)
        .order_by(OutboxMessage.id)
    ).all()
    return [ClaimedMessage(row.id, token, *row[1:]) for row in rows]


def build_email(settings: SmtpSettings, message: ClaimedMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    email["X-Pia-Outbox-Id"] = str(message.id)  # the same on every attempt of one message
    email.set_content(message.body)
    return email


class SmtpConnection:
    """One SMTP session for a batch, opened on first use."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def send(self, email: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._open()
        self._smtp.send_message(email)

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        if s.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                s.host, s.port, timeout=s.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            if s.security == "starttls":
                smtp.starttls(context=context)
            if s.username:
                smtp.login(s.username, s.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


def _record(session: Session, message: ClaimedMessage, now: datetime, error: str) -> str:
    """Mark the message sent (error "") or count a failed attempt; "sent", "retrying", "failed"."""
    ours = and_(OutboxMessage.id == message.id, OutboxMessage.claim_token == message.token)
    released = {"claim_token": None, "claimed_until": None}
    if not error:
        values = {"sent_at": now, "last_error": "", **released}
        outcome = "sent"
    else:
        attempts = message.attempts + 1
        values = {"attempts": attempts, "last_error": error[:500], **released}
        if attempts >= MAX_ATTEMPTS:
            values["failed_at"] = now
            outcome = "failed"
        else:
            values["next_attempt_at"] = now + backoff(attempts)
            outcome = "retrying"
    session.execute(
        update(OutboxMessage)
        .where(ours)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return outcome


def send_due(
    session: Session,
    settings: SmtpSettings,
    *,
    now: datetime | None = None,
    limit: int = BATCH,
    clock: Callable[[], datetime] = utcnow,
) -> SendReport:
    """Claim the due messages and send them (batch after batch until none is due)."""
    start = now or clock()
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    while True:
        claimed = claim_due(session, now=start, limit=limit)
        if not claimed:
            return SendReport(**counts)
        _send_batch(session, settings, claimed, now or clock, counts)


def _send_batch(
    session: Session,
    settings: SmtpSettings,
    claimed: Sequence[ClaimedMessage],
    when: datetime | Callable[[], datetime],
    counts: dict[str, int],
) -> None:
    connection = SmtpConnection(settings)
    server_down = ""
    try:
        for message in claimed:
            error = server_down
            if not error:
                try:
                    connection.send(build_email(settings, message))
                except (smtplib.SMTPException, OSError) as failure:
                    error = f"{failure.__class__.__name__}: {failure}".strip()
                    connection.close()
                    if not isinstance(failure, smtplib.SMTPRecipientsRefused):
                        server_down = error  # do not wait for a dead server once per message
            at = when if isinstance(when, datetime) else when()
            counts[_record(session, message, at, error)] += 1
            if error:
                log.warning("mail to %s not sent: %s", message.recipient, error)
    finally:
        connection.close()


@dataclass(frozen=True)
class BackgroundSender:
    thread: threading.Thread
    stopping: threading.Event

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        self.thread.join(timeout)


def start_background_sender(
    factory: sessionmaker[Session],
    settings: SmtpSettings,
    *,
    interval: float = 30.0,
    on_tick: Callable[[Session], None] | None = None,
) -> BackgroundSender:
    """A daemon thread that sends due mail every `interval` seconds until stopped.

    `on_tick` runs first on each round (e.g. the due-date check). Errors are logged, never
    raised: the thread must outlive a database or mail server that is briefly away.
    """
    stopping = threading.Event()

    def run() -> None:
        while not stopping.is_set():
            try:
                with factory() as session:
                    if on_tick is not None:
                        on_tick(session)
                    send_due(session, settings)
            except Exception:  # logged; the next round tries again
                log.exception("sending mail failed; trying again in %s s", interval)
            stopping.wait(interval)

    thread = threading.Thread(target=run, name="pia-mail-sender", daemon=True)
    thread.start()
    return BackgroundSender(thread, stopping)
