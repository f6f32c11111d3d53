"""What marks a report as a public edition: the published, redacted copy of a decided revision.

The public edition renders from its frozen public data alone (pia.report.public), so its cover
shows the publication's own fingerprint and says where content was withheld. Content withdrawn
after publication makes an amended edition: its cover also names the fingerprint as published.
"""

from __future__ import annotations

from dataclasses import dataclass

WITHHELD_PREFIX = "[withheld: "


def withheld(reason_label: str, withdrawn_on: str = "") -> str:
    """The text the public sees in place of withheld content; `withdrawn_on` (YYYY-MM-DD, the
    agency's date) for content withdrawn from a publication already made."""
    if withdrawn_on:
        return f"[withheld after publication on {withdrawn_on}: {reason_label}]"
    return f"{WITHHELD_PREFIX}{reason_label}]"


@dataclass(frozen=True)
class PublicEdition:
    stage_label: str  # e.g. "Published for public comment"
    published_at: str  # ISO 8601, UTC
    comment_period: str  # "2026-12-01 to 2026-12-31", or "" for none
    fingerprint: str  # SHA-256 of the public data
    revision: int
    revision_fingerprint: str  # the fingerprint of the revision it was made from
    withheld_count: int
    # For an amended edition (content withdrawn after publication): the public fingerprint as
    # published, and how many items were withdrawn since; "" and 0 for the edition as published.
    original_fingerprint: str = ""
    withdrawn_count: int = 0
