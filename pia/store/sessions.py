"""Ending sessions: every session cookie carries the user's session version from sign-in, and
every request compares it with the stored one (pia.web.shared.access). Raising the stored version
therefore ends every session of the account at once, in every app process, with no list of
sessions to keep: signing out, a password change, deactivation and "sign out everywhere".
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from pia.store import audit
from pia.store.models import User

SESSIONS_ENDED = "user.sessions_ended"


def bump_session_version(session: Session, user: User) -> int:
    """Raise the user's session version in the caller's unit of work; -> the new version.

    One UPDATE ... SET session_version = session_version + 1, so two revocations at once both
    count and neither can hand back a version an older cookie carries.
    """
    session.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    version = session.scalar(select(User.session_version).where(User.id == user.id))
    set_committed_value(user, "session_version", version)
    return int(version or 0)


def end_all_sessions(session: Session, user: User, *, actor: User | None, reason: str) -> int:
    """Ends every session of `user` (commits); -> the new session version."""
    try:
        version = bump_session_version(session, user)
        audit.add_event(
            session,
            SESSIONS_ENDED,
            actor=actor,
            agency_id=user.agency_id,
            detail={"user_id": user.id, "email": user.email, "reason": reason},
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return version


def session_is_current(user: User, version: object) -> bool:
    """True when a cookie issued at `version` is still good for `user`."""
    return (
        isinstance(version, int)
        and not isinstance(version, bool)
        and (version == user.session_version)
    )
