"""Each agency's secret calendar feed address, for calendar apps that cannot sign in.

The address holds a random token (32 bytes, URL-safe); only its SHA-256 is stored, so the address
is shown once, when an officer makes it, and a copy of the database does not reveal it. Making a
new address retires the old one (audited). Anyone holding the address reads the agency's dates and
assessment titles, nothing else.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.store import audit
from pia.store.errors import NotAllowed
from pia.store.models import OFFICER, Agency, User, utcnow
from pia.store.public_models import CalendarFeed
from pia.store.transaction import committing

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def may_manage_feed(actor: User | None, agency_id: int) -> bool:
    """Only the agency's own active officers make its feed address."""
    return (
        actor is not None
        and actor.active
        and actor.role == OFFICER
        and actor.agency_id == agency_id
    )


def feed_of(session: Session, agency_id: int) -> CalendarFeed | None:
    return session.get(CalendarFeed, agency_id)


def reset_feed(session: Session, actor: User, agency_id: int) -> str:
    """A new token for the agency's feed (the old one stops working); returns the token."""
    if not may_manage_feed(actor, agency_id):
        raise NotAllowed("not allowed: only the agency's officers make its calendar feed address")
    token = secrets.token_urlsafe(32)
    with committing(session):
        feed = session.get(CalendarFeed, agency_id, with_for_update=True)
        replaced = feed is not None
        if feed is None:
            feed = CalendarFeed(agency_id=agency_id)
            session.add(feed)
        feed.token_sha256 = _digest(token)
        feed.created_by_id = actor.id
        feed.created_at = utcnow()
        audit.add_event(
            session,
            audit.CALENDAR_FEED_RESET,
            actor=actor,
            agency_id=agency_id,
            detail={"replaced": replaced},
        )
    return token


def agency_for_token(session: Session, token: str) -> Agency | None:
    """The agency whose feed the token opens, or None (a wrong or retired token)."""
    if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
        return None
    query = select(Agency).join(CalendarFeed, CalendarFeed.agency_id == Agency.id)
    return session.scalars(query.where(CalendarFeed.token_sha256 == _digest(token))).first()
