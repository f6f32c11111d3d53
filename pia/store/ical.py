"""An agency's compliance calendar as an iCalendar (RFC 5545) feed, built with `icalendar`.

Every date is an all-day event (DTSTART and DTEND as DATE values, DTEND the next day as RFC 5545
counts it). Its UID is made from the entry's stable key and this installation's host, so a
calendar app that polls the feed again updates an event whose date moved instead of adding a
second one. DTSTAMP and LAST-MODIFIED are when what set the date last changed (the decision, the
publication, the condition), in UTC: RFC 5545 has DTSTAMP mean exactly that in a feed without a
METHOD, and it keeps the feed's bytes the same until something changes, so HTTP caching works.
Events say nothing of answers or notes: titles, dates, citations and links only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event, vDuration, vText

from pia.store.bounded_cache import BoundedCache
from pia.store.calendar import CalendarEntry
from pia.store.config import base_url

PRODID = "-//pia//compliance calendar//EN"
# Part of every feed's digest (its ETag): raised whenever the same dates give other bytes, so that
# calendar apps holding a feed of the earlier form fetch it again.
FEED_FORMAT = 2
REFRESH = timedelta(hours=6)
CACHED_FEEDS = 64


def uid_domain() -> str:
    """The host of PIA_BASE_URL, or a fixed name when it is unset."""
    host = urlsplit(base_url()).hostname if base_url() else ""
    return host or "pia.invalid"


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def feed_bytes(agency_name: str, entries: Iterable[CalendarEntry]) -> bytes:
    """The .ics document of `entries` for the agency named `agency_name`."""
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    name = f"{agency_name}: compliance dates (pia)"
    # TEXT and DURATION values: the library would write these names' values as they come (an
    # agency's comma unescaped, the time to live as "6:00:00", which no calendar app reads).
    feed.add("name", vText(name))  # RFC 7986
    feed.add("x-wr-calname", vText(name))
    feed.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", vDuration(REFRESH))
    domain = uid_domain()
    root = base_url()
    for entry in entries:
        event = Event()
        event.add("uid", f"pia-{entry.key}@{domain}")
        stamp = _utc(entry.changed_at)
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("dtstart", entry.due)
        event.add("dtend", entry.due + timedelta(days=1))
        event.add("summary", f"{entry.title} – {entry.assessment_title}")
        lines = [entry.detail] if entry.detail else []
        if entry.cite:
            lines.append(f"Source: {entry.cite}")
        link = f"{root}/assessments/{entry.assessment_id}" if root else ""
        if link:
            lines.append(link)
            event.add("url", link)
        if lines:
            event.add("description", "\n".join(lines))
        event.add("categories", [entry.kind_label])
        event.add("transp", "TRANSPARENT")  # a deadline, not a busy time
        feed.add_component(event)
    return feed.to_ical()


def feed_digest(agency_name: str, entries: Sequence[CalendarEntry]) -> str:
    """A fingerprint of everything the feed is built from (the feed's ETag): computing the dates
    is cheap, building the .ics is not, so an unchanged feed is answered without building it."""
    digest = hashlib.sha256()
    digest.update(f"{PRODID}\0{FEED_FORMAT}\0{agency_name}\0{base_url()}\0".encode())
    for entry in entries:
        digest.update(repr(entry).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


# Built feeds by the digest of what they are built from (feed_digest).
_BUILT: BoundedCache[str, bytes] = BoundedCache(CACHED_FEEDS)


def cached_feed(agency_name: str, entries: Sequence[CalendarEntry], digest: str) -> bytes:
    """The .ics bytes of `entries`, whose feed_digest is `digest` (the caller has it already, for
    the ETag). They are kept per process by that digest, which every request computes afresh from
    the database: a cached feed is never stale."""
    data = _BUILT.get(digest)
    if data is None:
        data = feed_bytes(agency_name, entries)
        _BUILT.put(digest, data)
    return data
