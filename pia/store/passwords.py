"""Changing passwords: by the account's owner (current password required) and through a
single-use, expiring reset link an administrator issues. Both end every other session of the
account (set_password raises its session version).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pia.store import audit
from pia.store.accounts import PASSWORD_MAX, check_password, hasher, set_password
from pia.store.errors import InvalidInput
from pia.store.models import PasswordReset, User, utcnow
from pia.store.policy import Action, require
from pia.store.transaction import committing

RESET_LIFETIME = timedelta(hours=24)
RESET_ISSUED = "user.password_reset_issued"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def change_own_password(session: Session, user: User, current: str, new: str) -> None:
    """The owner's change: the current password must be right. Other sessions end (commits)."""
    try:
        verified = hasher().verify(user.password_hash, current[:PASSWORD_MAX])
    except (VerificationError, InvalidHashError):
        verified = False
    if not verified:
        raise InvalidInput("the current password is not right", field="current_password")
    if new == current:
        raise InvalidInput("choose a password different from the current one", field="password")
    set_password(session, user, new, actor=user)


def issue_reset(
    session: Session, user: User, actor: User, *, lifetime: timedelta = RESET_LIFETIME
) -> str:
    """A new reset link's secret for `user` (shown once; only its hash is kept). Earlier unused
    links for the account stop working. Commits."""
    require(actor, Action.ADMIN)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with committing(session):
        session.execute(
            update(PasswordReset)
            .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
            .values(used_at=now)
        )
        session.add(
            PasswordReset(
                user_id=user.id,
                token_hash=_token_hash(token),
                created_by_id=actor.id,
                created_at=now,
                expires_at=now + lifetime,
            )
        )
        audit.add_event(
            session,
            RESET_ISSUED,
            actor=actor,
            agency_id=user.agency_id,
            detail={
                "user_id": user.id,
                "email": user.email,
                "hours": lifetime / timedelta(hours=1),
            },
        )
    return token


def reset_user(session: Session, token: str, now: datetime | None = None) -> User | None:
    """The active account a reset link is still good for, or None (unknown, used or expired)."""
    now = now or utcnow()
    if not token or len(token) > 200:
        return None
    reset = session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == _token_hash(token))
    )
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        return None
    user = session.get(User, reset.user_id)
    return user if user is not None and user.active else None


def use_reset(session: Session, token: str, password: str) -> User:
    """Sets the password through a reset link and uses the link up, in one unit of work.

    Raises InvalidInput when the link is unknown, used or expired (two uses at once: one wins,
    the guarded UPDATE sees to that) or the password is not acceptable.
    """
    check_password(password)
    user = reset_user(session, token)
    if user is None:
        raise InvalidInput("this reset link has been used or has expired", field="token")
    now = utcnow()
    claimed = session.execute(
        update(PasswordReset)
        .where(
            PasswordReset.token_hash == _token_hash(token),
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > now,
        )
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise InvalidInput("this reset link has been used or has expired", field="token")
    set_password(session, user, password, actor=user)  # commits the claim with the new password
    return user
