"""The sign-in limit's memory: failed sign-ins per (email as typed, client address), kept in the
database so that every app process (gunicorn worker, machine) counts the same failures.

The email is keyed as typed (lower-cased) whether or not an account has it, so the limit itself
says nothing about which accounts exist. Rows older than the window are deleted as new failures
come in, so the table holds at most one window's failures.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pia.store.models import SigninFailure
from pia.store.transaction import committing


def failure_key(email: str, address: str) -> str:
    return hashlib.sha256(f"{email.strip().lower()}\0{address}".encode()).hexdigest()


def signin_wait(
    session: Session,
    email: str,
    address: str,
    *,
    max_failures: int,
    window: timedelta,
    now: datetime,
) -> timedelta:
    """How long until this email may try again from this address (zero: now)."""
    recent = session.scalars(
        select(SigninFailure.at)
        .where(SigninFailure.key == failure_key(email, address), SigninFailure.at > now - window)
        .order_by(SigninFailure.at.desc())
        .limit(max_failures)
    ).all()
    if len(recent) < max_failures:
        return timedelta(0)
    # Allowed again once fewer than max_failures remain in the window.
    return max(timedelta(0), recent[-1] + window - now)


def record_signin_failure(
    session: Session, email: str, address: str, *, window: timedelta, now: datetime
) -> None:
    with committing(session):
        session.add(SigninFailure(key=failure_key(email, address), at=now))
        session.execute(delete(SigninFailure).where(SigninFailure.at <= now - window))


def clear_signin_failures(session: Session, email: str, address: str) -> None:
    """After a successful sign-in: earlier failures no longer count against the account."""
    with committing(session):
        session.execute(
            delete(SigninFailure).where(SigninFailure.key == failure_key(email, address))
        )
