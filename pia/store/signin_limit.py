"""The sign-in limit's memory: attempts per key in a fixed window, kept in the database so that
every app process (gunicorn worker, machine) counts the same attempts.

Checking and recording are one statement: `INSERT ... ON CONFLICT (key) DO UPDATE SET attempts =
attempts + 1 ... RETURNING attempts, window_start` (PostgreSQL and SQLite alike). Each attempt takes
its place in the count before its password is checked, so a burst of parallel attempts cannot get
more password checks than the limit allows; a successful sign-in gives its place back.

Two kinds of key (pia.web.shared.security decides which apply):
- per email and client address: the everyday limit;
- per email alone, across addresses: stops an attacker spreading guesses over many addresses.

The email is keyed as typed (lower-cased) whether or not an account has it, so the limit itself
says nothing about which accounts exist. Windows that have ended are deleted as attempts come in.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pia.store.models import SigninAttempts, UtcDateTime


def address_key(email: str, address: str) -> str:
    return hashlib.sha256(f"{email.strip().lower()}\0{address}".encode()).hexdigest()


def account_key(email: str) -> str:
    return hashlib.sha256(f"account\0{email.strip().lower()}".encode()).hexdigest()


def take_attempt(
    session: Session, key: str, *, max_attempts: int, window: timedelta, now: datetime
) -> timedelta:
    """Counts one attempt against `key` (commits); -> how long until an attempt is allowed, zero
    when this one is. A refused attempt still counts, so hammering does not shorten the wait."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    ended = SigninAttempts.window_start <= now - window
    now_value = literal(now, UtcDateTime())
    statement = (
        insert(SigninAttempts)
        .values(key=key, window_start=now, attempts=1)
        .on_conflict_do_update(
            index_elements=[SigninAttempts.key],
            set_={
                "attempts": case((ended, 1), else_=SigninAttempts.attempts + 1),
                "window_start": case((ended, now_value), else_=SigninAttempts.window_start),
            },
        )
        .returning(SigninAttempts.attempts, SigninAttempts.window_start)
    )
    try:
        attempts, window_start = session.execute(statement).one()
        session.execute(delete(SigninAttempts).where(SigninAttempts.window_start <= now - window))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    if attempts <= max_attempts:
        return timedelta(0)
    if window_start.tzinfo is None:  # RETURNING through a literal column on SQLite
        window_start = window_start.replace(tzinfo=now.tzinfo)
    return max(timedelta(seconds=1), window_start + window - now)


def give_back_attempt(session: Session, key: str) -> None:
    """An attempt that turned out not to be a failure (a successful sign-in) stops counting."""
    try:
        session.execute(
            update(SigninAttempts)
            .where(SigninAttempts.key == key, SigninAttempts.attempts > 0)
            .values(attempts=SigninAttempts.attempts - 1)
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise


def clear_attempts(session: Session, key: str) -> None:
    """After a successful sign-in: earlier failures from this address no longer count."""
    try:
        session.execute(delete(SigninAttempts).where(SigninAttempts.key == key))
        session.commit()
    except BaseException:
        session.rollback()
        raise
