"""`pia audit verify`: check the audit trail's hash chain.

Prints "audit trail intact: ..." and exits 0, or names the first edited, deleted or reordered
event and exits 1. The database is PIA_DATABASE_URL, as for every command. SQLAlchemy and the
store are imported when the command runs, so registering it costs other commands nothing.
"""

from __future__ import annotations

import argparse

from pia.errors import PiaError


def register(subparsers: argparse._SubParsersAction) -> None:
    audit = subparsers.add_parser("audit", help="check the audit trail")
    commands = audit.add_subparsers(dest="audit_command", required=True, metavar="COMMAND")
    verify = commands.add_parser(
        "verify",
        help="check that no audit event was edited, deleted or reordered",
        description="Walk the audit trail's hash chain and report the first event that was "
        "edited, deleted or reordered (exit status 1), or that it is intact (exit status 0).",
    )
    verify.set_defaults(handler=run_verify)


def run_verify(_args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from pia.store.audit_chain import verify_chain
    from pia.store.config import database_url
    from pia.store.db import describe_error, make_engine, make_read_session_factory

    engine = make_engine(database_url())
    try:
        with make_read_session_factory(engine)() as session:
            report = verify_chain(session)
    except SQLAlchemyError as error:
        raise PiaError(
            f"database error: {describe_error(error)} (has `pia db upgrade` been run?)"
        ) from None
    finally:
        engine.dispose()
    print(report)
    return 0 if report.intact else 1
