"""Caching the public pages without ever serving stale content.

Every validator comes from the database: a publication's page from one statement
(pia.store.public_listing.publication_head) giving its fingerprint (its stored content never
changes once published) and the items withdrawn from it since (pia.store.withdrawal: the page,
PDF and JSON are served without them), its comment period and the agency's date (the period opens
and closes with the agency's calendar), the assessment's newest publication and its approved
comments and responses (with the newest moderation reconsidered or response corrected, which undo
what the counts assume); the PDF and JSON from the fingerprint and the withdrawals (files.py);
the list, feed and index from the count, highest id and latest time of the publications and the
quarter hour (every time zone's date turns at a quarter hour of UTC). The page, PDF and JSON
also name the question bank's id and version, which render the report and decide what is
withheld, so an upgrade to a new bank serves them afresh. Several `pia serve` processes running
the same bank therefore agree on every ETag.

The rendered report of a publication is cached in this process keyed by the fingerprint of the
data served (a withdrawal gives it another), signed PDFs by the stored fingerprint and the
withdrawals: immutable content, so a hit can never be stale; the caches are bounded (least
recently used out: pia.store.bounded_cache, which the store's .ics feeds use too).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

from flask import Response, request

from pia.store.bounded_cache import BoundedCache

CACHE_CONTROL = "public, no-cache"  # may be stored, but revalidated on every use


# Rendered report HTML by the fingerprint of the data served; signed PDFs by (the stored
# fingerprint followed by the withdrawals' tag, the signing certificate's fingerprint);
# whole pages by what names the page followed by its ETag: ("publication", publication id, ETag)
# or ("list", stage filter, agency filter, ETag). An ETag names every database value its page
# was built from; the page's name, not its URL, so unread query arguments make no new entries.
REPORT_FRAGMENTS: BoundedCache[str, str] = BoundedCache(256)
SIGNED_PDFS: BoundedCache[tuple[str, str], bytes] = BoundedCache(32)
PAGES: BoundedCache[tuple[Any, ...], str] = BoundedCache(512)


def clear_caches() -> None:
    """Empty the in-process caches (benchmarks measure uncached renders with this)."""
    REPORT_FRAGMENTS.clear()
    SIGNED_PDFS.clear()
    PAGES.clear()


def today_utc() -> date:
    return datetime.now(UTC).date()


def quarter_hour() -> str:
    """The current quarter hour of UTC: every time zone's offset is a whole number of quarter
    hours, so no agency's date changes within one (the list shows each agency's periods by it)."""
    now = datetime.now(UTC)
    return f"{now:%Y-%m-%dT%H}:{now.minute // 15}"


def make_etag(*parts: Any) -> str:
    text = "|".join(str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def not_modified(
    etag: str, last_modified: datetime | None, *, immutable: bool = False
) -> Response | None:
    """A 304 when the client's copy is current: by If-None-Match; by If-Modified-Since only for
    `immutable` content (a publication's PDF, JSON, evidence), because a page or list can change
    without a newer time (a comment approved, a publication removed with its assessment)."""
    if request.if_none_match:
        if request.if_none_match.contains(etag):
            return _with_validators(Response(status=304), etag, last_modified)
        return None
    if not immutable:
        return None
    since = request.if_modified_since
    fresh = last_modified is not None and since is not None
    if fresh and _utc(last_modified).replace(microsecond=0) <= since:  # type: ignore[union-attr]
        return _with_validators(Response(status=304), etag, last_modified)
    return None


def cacheable(response: Response, etag: str, last_modified: datetime | None) -> Response:
    return _with_validators(response, etag, last_modified)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _with_validators(response: Response, etag: str, last_modified: datetime | None) -> Response:
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = _utc(last_modified)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response
