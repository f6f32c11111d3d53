"""Database and account commands: `pia db upgrade`, `pia create-agency`, `pia set-time-zone`,
`pia create-user`, `pia set-password`, `pia demo`.

The database is PIA_DATABASE_URL (default SQLite in the instance folder PIA_INSTANCE, ./instance);
the bank is PIA_BANK (default ./questions). Passwords are prompted for on a terminal (twice) and
read from the first line of standard input otherwise, so scripts can pipe them in.

SQLAlchemy and the store are imported inside the commands, so that registering these commands
costs every other `pia` command nothing.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from pia.errors import PiaError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class _Roles(Sequence[str]):
    """The account roles (pia.store.models.ROLES) as argparse choices, read from the store only
    when `create-user` is parsed or its help shown (the usage line names it ROLE, as argparse
    would otherwise list the choices while building the parser)."""

    def _roles(self) -> tuple[str, ...]:
        from pia.store.models import ROLES

        return ROLES

    def __getitem__(self, index: Any) -> Any:
        return self._roles()[index]

    def __len__(self) -> int:
        return len(self._roles())


def register(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="manage the database")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    up = db_commands.add_parser("upgrade", help="create or migrate the tables (safe to repeat)")
    up.set_defaults(handler=run_upgrade)

    agency = subparsers.add_parser("create-agency", help="add an agency")
    agency.add_argument("name", help="the agency's name, e.g. 'Example County Sheriff'")
    agency.add_argument(
        "--time-zone",
        metavar="ZONE",
        help="the IANA time zone its times are shown in, e.g. Europe/Berlin (default UTC)",
    )
    agency.set_defaults(handler=run_create_agency)

    zone = subparsers.add_parser(
        "set-time-zone", help="set the time zone an agency's times are shown in"
    )
    zone.add_argument("agency", help="the agency, by name")
    zone.add_argument("zone", help="an IANA time zone name, e.g. Europe/Berlin or America/Chicago")
    zone.set_defaults(handler=run_set_time_zone)

    user = subparsers.add_parser(
        "create-user",
        help="add an account (password prompted, or read from standard input)",
        description="Add an account. The password is prompted for on a terminal, otherwise the "
        "first line of standard input is used.",
    )
    user.add_argument("--email", required=True)
    user.add_argument("--name", required=True)
    user.add_argument(
        "--role", required=True, choices=_Roles(), metavar="ROLE", help="one of %(choices)s"
    )
    user.add_argument("--agency", help="the officer's agency (by name)")
    user.add_argument("--remit", help="the reviewer's agencies, by name, separated by commas")
    user.set_defaults(handler=run_create_user)

    password = subparsers.add_parser("set-password", help="set an account's password")
    password.add_argument("--email", required=True)
    password.set_defaults(handler=run_set_password)

    demo = subparsers.add_parser(
        "demo",
        help="seed demo agencies, accounts and assessments (idempotent; prints the sign-ins)",
    )
    demo.add_argument(
        "--reset-passwords",
        action="store_true",
        help="give the existing demo accounts new passwords (and print them)",
    )
    demo.set_defaults(handler=run_demo)


def _shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    from pia.store.db import normalise_url

    try:
        return make_url(normalise_url(url)).render_as_string(hide_password=True)
    except Exception:  # any unparseable URL is reported by make_engine; just show something
        return "(the configured database)"


@contextmanager
def _session() -> Iterator[Session]:
    """A session on the configured database; database failures become one readable line."""
    from sqlalchemy.exc import SQLAlchemyError

    from pia.store.config import database_url
    from pia.store.db import describe_error, make_engine, make_session_factory

    engine = make_engine(database_url())
    try:
        with make_session_factory(engine)() as session:
            yield session
    except SQLAlchemyError as error:
        raise PiaError(
            f"database error: {describe_error(error)} (has `pia db upgrade` been run?)"
        ) from None
    finally:
        engine.dispose()


def run_upgrade(_args: argparse.Namespace) -> int:
    from pia.store.config import database_url
    from pia.store.db import upgrade

    url = database_url()
    revision = upgrade(url)
    print(f"database {_shown_url(url)} is at revision {revision} (latest)")
    return 0


def run_create_agency(args: argparse.Namespace) -> int:
    from pia.store import accounts

    with _session() as session:
        agency = accounts.create_agency(session, args.name)
        if args.time_zone:
            accounts.set_agency_time_zone(session, agency, args.time_zone)
        print(f"created agency {agency.name!r} (id {agency.id}, time zone {agency.time_zone})")
    return 0


def run_set_time_zone(args: argparse.Namespace) -> int:
    from pia.store import accounts

    with _session() as session:
        agency = accounts.get_agency_by_name(session, args.agency)
        if agency is None:
            raise PiaError(_no_agency(session, args.agency))
        accounts.set_agency_time_zone(session, agency, args.zone)
        print(f"agency {agency.name!r} shows times in {agency.time_zone}")
    return 0


def read_password(prompt: str = "Password: ") -> str:
    """Prompt twice on a terminal; otherwise take the first line of standard input."""
    if sys.stdin.isatty():
        try:
            first = getpass.getpass(prompt)
            if getpass.getpass("Repeat the password: ") != first:
                raise PiaError("the passwords do not match")
        except EOFError:
            raise PiaError("no password given") from None
        return first
    line = sys.stdin.readline()
    password = line.removesuffix("\n").removesuffix("\r")
    if not password:
        raise PiaError("no password given: type it at the prompt or pipe it on standard input")
    return password


def run_create_user(args: argparse.Namespace) -> int:
    from pia.store import accounts

    with _session() as session:
        agency = None
        if args.agency:
            agency = accounts.get_agency_by_name(session, args.agency)
            if agency is None:
                raise PiaError(_no_agency(session, args.agency))
        remit = []
        for name in (args.remit or "").split(","):
            if name.strip():
                found = accounts.get_agency_by_name(session, name)
                if found is None:
                    raise PiaError(_no_agency(session, name.strip()))
                remit.append(found)
        accounts.check_role_fields(args.role, agency, remit)  # before asking for a password
        password = read_password()
        user = accounts.create_user(
            session,
            email=args.email,
            name=args.name,
            role=args.role,
            password=password,
            agency=agency,
            remit=remit,
        )
        where = ""
        if user.agency is not None:
            where = f" in {user.agency.name}"
        elif user.remit:
            where = f" with remit {', '.join(a.name for a in user.remit)}"
        print(f"created {user.role} {user.email}{where}")
    return 0


def _no_agency(session: Session, name: str) -> str:
    from pia.store import accounts

    known = [agency.name for agency in accounts.list_agencies(session)]
    listing = f"; known agencies: {', '.join(known)}" if known else ""
    return f"no agency named {name!r} (create it with: pia create-agency NAME){listing}"


def run_set_password(args: argparse.Namespace) -> int:
    from pia.store import accounts

    with _session() as session:
        user = accounts.get_user_by_email(session, args.email)
        if user is None:
            raise PiaError(f"no account for {accounts.normalise_email(args.email)}")
        accounts.set_password(session, user, read_password("New password: "))
        print(f"password set for {user.email}")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from pia.engine import load_bank
    from pia.store.config import bank_dir, database_url
    from pia.store.db import upgrade
    from pia.store.demo import describe, seed_demo

    folder = bank_dir()
    bank = load_bank(folder)
    url = database_url()
    upgrade(url)
    with _session() as session:
        result = seed_demo(session, bank, folder / "examples", reset_passwords=args.reset_passwords)
    print(f"database: {_shown_url(url)}")
    for line in describe(result):
        print(line)
    return 0
