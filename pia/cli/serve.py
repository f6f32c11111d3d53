"""`pia serve`: the web app under gunicorn (a production WSGI server), used as a library.

    pia serve [--host 127.0.0.1] [--port 8000] [--workers 2] [--threads 4]

Configuration comes from the environment like the app's (PIA_DATABASE_URL, PIA_SECRET_KEY,
PIA_BANK, PIA_INSTANCE, PIA_MAX_UPLOAD_MB, PIA_INSECURE_COOKIES). The app is built once in this
process first so a bad bank or database URL is reported plainly and nothing starts; each worker
then builds its own (database connections must not cross a fork).

With PIA_SMTP_URL set, each worker also runs a background thread that queues due-date reminders
and sends the outbox every PIA_MAIL_INTERVAL seconds (default 30). Several workers and machines
may do so at once: claims are locked, so each message goes out once.
"""

from __future__ import annotations

import argparse
import os
from datetime import date
from typing import TYPE_CHECKING, Any

from pia.errors import PiaError

if TYPE_CHECKING:
    from pia.store.mail import BackgroundSender

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _port(text: str) -> int:
    value = _positive(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the web app with gunicorn",
        description="Serve the web app with gunicorn. Run `pia db upgrade` first.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (%(default)s)")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help="port (%(default)s)")
    parser.add_argument(
        "--workers", type=_positive, default=2, help="worker processes (%(default)s)"
    )
    parser.add_argument(
        "--threads", type=_positive, default=4, help="threads per worker (%(default)s)"
    )
    parser.set_defaults(handler=serve)


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        # gthread keeps connections alive between requests; sync workers close each one.
        "worker_class": "gthread" if threads > 1 else "sync",
        "keepalive": 5,
        "timeout": 60,
        "graceful_timeout": 10,
        "errorlog": "-",
        "loglevel": "info",
        "post_worker_init": start_mail_sender,
    }


def mail_interval() -> float:
    """PIA_MAIL_INTERVAL in seconds (default 30, at least 1)."""
    text = os.environ.get("PIA_MAIL_INTERVAL", "").strip()
    try:
        return max(1.0, float(text)) if text else 30.0
    except ValueError:
        raise PiaError(f"PIA_MAIL_INTERVAL must be a number of seconds, not {text!r}") from None


def start_mail_sender(worker: Any) -> BackgroundSender | None:
    """gunicorn's post_worker_init hook: this worker's mail sender thread (when mail is on)."""
    from pia.store.config import smtp_url

    url = smtp_url()
    if not url:
        return None
    from pia.store.mail import parse_smtp_url, start_background_sender
    from pia.store.notifications import queue_due_reminders
    from pia.web.shared.db import session_factory

    return start_background_sender(
        session_factory(worker.wsgi),
        parse_smtp_url(url),
        interval=mail_interval(),
        on_tick=lambda session: queue_due_reminders(session, date.today()),
    )


def build_server(options: dict[str, Any]) -> Any:
    from gunicorn.app.base import BaseApplication

    class PiaServer(BaseApplication):
        def __init__(self) -> None:
            self.options = options
            super().__init__()

        def load_config(self) -> None:
            for key, value in self.options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from pia.web import create_app

            return create_app()

    return PiaServer()


def check_app() -> None:
    """Builds the app once, so configuration, bank and schema problems stop us before forking.

    An unreachable database does not stop the server (it may come up later; /healthz says
    "degraded" meanwhile), but a reachable one that is not migrated does.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from pia.engine import BankError
    from pia.store.db import current_revision, head_revision
    from pia.web import create_app

    try:
        app = create_app()
    except BankError as error:
        lines = "\n".join(f"  {problem}" for problem in error.problems)
        raise PiaError(f"{error}\n{lines}") from None
    from pia.store.config import smtp_url
    from pia.store.mail import parse_smtp_url

    if smtp_url():
        parse_smtp_url(smtp_url())  # a bad URL stops us here, not in every worker
        mail_interval()
    engine = app.extensions["pia.engine"]
    try:
        at = current_revision(engine)
    except SQLAlchemyError as error:
        print(f"pia: warning: the database is not reachable yet ({error.__class__.__name__})")
        return
    finally:
        engine.dispose()
    if at != head_revision():
        raise PiaError(
            "the database is not migrated to this version of pia: run `pia db upgrade` first"
        )


def serve(args: argparse.Namespace) -> int:
    check_app()
    options = gunicorn_options(args.host, args.port, args.workers, args.threads)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"pia: serving on http://{host}:{args.port}/ (press Ctrl+C to stop)", flush=True)
    from pia.web.shared.config import insecure_cookies

    if not insecure_cookies():
        print(
            "pia: session cookies are Secure (for TLS in front). To sign in over plain http "
            "on this machine with browsers other than Chromium, set PIA_INSECURE_COOKIES=1.",
            flush=True,
        )
    build_server(options).run()
    return 0
