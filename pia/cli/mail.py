"""`pia mail send`: queue due-date reminders and send the outbox once (for cron).

    */5 * * * *  pia mail send

Several copies may run at once (cron on two machines, beside `pia serve`'s own sender): claims
and reminder keys make every message go out once. Prints what it did; exits 1 when PIA_SMTP_URL
is unset or unusable, so a misconfigured cron job shows in its mail. SQLAlchemy and the store are
imported when the command runs, so registering it costs other commands nothing.
"""

from __future__ import annotations

import argparse
from datetime import date

from pia.errors import PiaError


def register(subparsers: argparse._SubParsersAction) -> None:
    mail = subparsers.add_parser("mail", help="send notification email")
    commands = mail.add_subparsers(dest="mail_command", required=True, metavar="COMMAND")
    send = commands.add_parser(
        "send",
        help="queue due-date reminders and send the waiting messages once",
        description="Queue reminders of approaching due dates, then send every message due "
        "in the outbox through PIA_SMTP_URL. Safe to run from cron on several machines.",
    )
    send.set_defaults(handler=run_send)


def run_send(_args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from pia.store.config import database_url, smtp_url
    from pia.store.db import describe_error, make_engine, make_session_factory
    from pia.store.mail import parse_smtp_url, send_due
    from pia.store.notifications import outbox_counts, queue_due_reminders

    url = smtp_url()
    if not url:
        raise PiaError("notifications are off: set PIA_SMTP_URL (e.g. smtp://mail.example.gov)")
    settings = parse_smtp_url(url)
    engine = make_engine(database_url())
    try:
        with make_session_factory(engine)() as session:
            reminders = queue_due_reminders(session, date.today())
            report = send_due(session, settings)
            left = outbox_counts(session)
    except SQLAlchemyError as error:
        raise PiaError(
            f"database error: {describe_error(error)} (has `pia db upgrade` been run?)"
        ) from None
    finally:
        engine.dispose()
    print(
        f"reminders queued: {reminders}; sent: {report.sent}; to retry: {report.retrying}; "
        f"given up: {report.failed}; waiting now: {left['waiting']}"
    )
    return 0
