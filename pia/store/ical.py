"""An agency's compliance calendar as an iCalendar (RFC 5545) feed.

Every date is an all-day event (DTSTART and DTEND as DATE values, DTEND the next day as RFC 5545
counts it). Its UID is made from the entry's stable key and this installation's host, so a
calendar app that polls the feed again updates an event whose date moved instead of adding a
second one. DTSTAMP and LAST-MODIFIED are when what set the date last changed (the decision, the
publication, the condition), in UTC: RFC 5545 has DTSTAMP mean exactly that in a feed without a
METHOD, and it keeps the feed's bytes the same until something changes, so HTTP caching works.
Events say nothing of answers or notes: titles, dates, citations and links only.

The feed is a fixed set of properties, so its lines are written here directly: TEXT values
escaped (RFC 5545 3.3.11) and long lines folded (3.1) as the `icalendar` library writes them, the
same bytes. Built through the library's objects, a large agency's feed (thousands of dates) took
seconds, nearly all of it in the library's generic value types and its folding of every line one
character at a time; the tests read the feed back with `icalendar` and `vobject`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from pia.store.bounded_cache import BoundedCache
from pia.store.calendar import CalendarEntry
from pia.store.config import base_url

PRODID = "-//pia//compliance calendar//EN"
# Part of every feed's digest (its ETag): raised whenever the same dates give other bytes, so that
# calendar apps holding a feed of the earlier form fetch it again.
FEED_FORMAT = 2
REFRESH = "PT6H"  # how often calendar apps should poll, as an RFC 5545 DURATION
CACHED_FEEDS = 64
# The longest a physical line may be before it is folded (RFC 5545 allows 75 octets; a folded
# line's continuation starts with a space, so 74 keeps every line within it, as icalendar does).
LINE_OCTETS = 74
# A line is not folded right after an escape character: TEXT's backslash, or the caret of
# RFC 6868 parameter values (some calendar apps mishandle an escape split across lines).
ESCAPES = b"\\^"


def uid_domain() -> str:
    """The host of PIA_BASE_URL, or a fixed name when it is unset."""
    host = urlsplit(base_url()).hostname if base_url() else ""
    return host or "pia.invalid"


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def _text(value: str) -> str:
    """A TEXT value escaped: backslash, semicolon and comma, and every line break as \\n."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _line(content: str) -> bytes:
    """One content line, folded into physical lines of at most LINE_OCTETS octets (plus the
    continuation's leading space), never inside a character's UTF-8 octets nor right after an
    escape character."""
    data = content.encode("utf-8")
    if len(data) <= LINE_OCTETS:
        return data
    pieces = []
    start = 0
    while len(data) - start > LINE_OCTETS:
        cut = start + LINE_OCTETS
        while data[cut] & 0xC0 == 0x80:  # a continuation octet: back to the character's start
            cut -= 1
        if data[cut - 1] in ESCAPES and cut - 1 > start:
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def feed_bytes(agency_name: str, entries: Iterable[CalendarEntry]) -> bytes:
    """The .ics document of `entries` for the agency named `agency_name`."""
    name = _text(f"{agency_name}: compliance dates (pia)")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"NAME:{name}",  # RFC 7986
        f"X-WR-CALNAME:{name}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
        f"X-PUBLISHED-TTL:{REFRESH}",
    ]
    out = [_line(line) for line in lines]
    domain = uid_domain()
    root = base_url()
    for entry in entries:
        stamp = f"{_utc(entry.changed_at):%Y%m%dT%H%M%SZ}"
        summary = _text(f"{entry.title} – {entry.assessment_title}")
        notes = [entry.detail] if entry.detail else []
        if entry.cite:
            notes.append(f"Source: {entry.cite}")
        link = f"{root}/assessments/{entry.assessment_id}" if root else ""
        if link:
            notes.append(link)
        description = _text("\n".join(notes))
        # In the order icalendar writes them: its canonical ones, then the rest by name.
        event = [
            "BEGIN:VEVENT",
            f"SUMMARY:{summary}",
            f"DTSTART;VALUE=DATE:{entry.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{entry.due + timedelta(days=1):%Y%m%d}",
            f"DTSTAMP:{stamp}",
            f"UID:{_text(f'pia-{entry.key}@{domain}')}",
            f"CATEGORIES:{_text(entry.kind_label)}",
        ]
        if description:
            event.append(f"DESCRIPTION:{description}")
        event += [f"LAST-MODIFIED:{stamp}", "TRANSP:TRANSPARENT"]  # a deadline, not busy time
        if link:
            event.append(f"URL:{link}")
        event.append("END:VEVENT")
        out += [_line(line) for line in event]
    out += [b"END:VCALENDAR", b""]
    return b"\r\n".join(out)


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
