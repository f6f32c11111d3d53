"""The Atom feed of publications (built with feedgen, which escapes and structures it) and the
open-data JSON index: both list only what the public list shows, from the publications' rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from feedgen.feed import FeedGenerator
from flask import url_for
from sqlalchemy.orm import Session

from pia.store.public_listing import PublicListing, public_listing, recent_publications
from pia.store.public_models import STAGE_FINAL

FEED_ENTRIES = 50
INDEX_FORMAT = "pia-public-index"
INDEX_FORMAT_VERSION = 1


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _stage_words(item: PublicListing) -> str:
    if item.stage == STAGE_FINAL:
        return "final report"
    period = ""
    if item.comment_opens_on and item.comment_closes_on:
        period = (
            f": comments from {item.comment_opens_on.isoformat()} to "
            f"{item.comment_closes_on.isoformat()}"
        )
    return "published for public comment" + period


def atom_feed(session: Session, base_url: str) -> bytes:
    """The newest publications as Atom 1.0 (UTF-8 bytes)."""
    items = recent_publications(session, FEED_ENTRIES)
    generator = FeedGenerator()
    generator.id(f"{base_url}/public/feed.atom")
    generator.title("Published privacy and civil-liberties impact assessments")
    generator.subtitle("Assessments published for public comment and final reports")
    generator.link(href=url_for("public.feed", _external=True), rel="self")
    generator.link(href=url_for("public.index", _external=True), rel="alternate")
    generator.language("en")
    newest = max(
        (_utc(item.published_at) for item in items), default=datetime(2000, 1, 1, tzinfo=UTC)
    )
    generator.updated(newest)
    for item in reversed(items):  # feedgen puts the last added first
        link = url_for(
            "public.publication_page", publication_id=item.publication_id, _external=True
        )
        entry = generator.add_entry()
        entry.id(link)
        entry.title(f"{item.title} ({item.agency}): {_stage_words(item)}")
        entry.link(href=link, rel="alternate")
        entry.published(_utc(item.published_at))
        entry.updated(_utc(item.published_at))
        entry.author({"name": item.agency})
        entry.summary(
            f"{item.agency} published revision {item.revision} of the assessment "
            f'"{item.title}" ({_stage_words(item)}). Overall residual risk: '
            f"{item.overall_level or 'not rated'}."
        )
    return generator.atom_str(pretty=True)


def open_data_index(session: Session, base_url: str) -> dict[str, Any]:
    """Every published assessment's latest publication, with links to its public data."""
    rows = []
    for item in public_listing(session):
        page = url_for(
            "public.publication_page", publication_id=item.publication_id, _external=True
        )
        rows.append(
            {
                "publication": item.publication_id,
                "assessment": item.assessment_id,
                "agency": item.agency,
                "title": item.title,
                "overall_level": item.overall_level,
                "stage": item.stage,
                "open_for_comment": item.open_for_comment(),  # by the agency's date
                "comment_opens_on": item.comment_opens_on.isoformat()
                if item.comment_opens_on
                else None,
                "comment_closes_on": item.comment_closes_on.isoformat()
                if item.comment_closes_on
                else None,
                "revision": item.revision,
                "published_at": _utc(item.published_at).isoformat(timespec="seconds"),
                "fingerprint": item.fingerprint,
                "page": page,
                "report_pdf": url_for(
                    "public.publication_pdf", publication_id=item.publication_id, _external=True
                ),
                "report_json": url_for(
                    "public.publication_json", publication_id=item.publication_id, _external=True
                ),
            }
        )
    return {
        "format": INDEX_FORMAT,
        "format_version": INDEX_FORMAT_VERSION,
        "publications": rows,
    }
