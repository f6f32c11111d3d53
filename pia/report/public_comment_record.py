"""Public comment and response, as plain data the final report renders and embeds.

The store builds it (pia.store.comment_record) from the comments, the agency's responses and the
community meetings; the report only reads it. `record_to_dict` / `record_from_dict` round-trip it
through the JSON a publication and a PDF carry, so a frozen public revision renders the same again.
Everything here is plain text: renderers escape it for their format.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PublicCommentView:
    number: int  # the comment's id: responses name comments by it
    name: str  # "" when the commenter gave none
    received_on: str  # YYYY-MM-DD
    body: str


@dataclass(frozen=True)
class ResponseView:
    theme: str  # "" for the answer to a single comment
    body: str
    comments: tuple[int, ...]  # the numbers of the comments it answers
    written_on: str  # YYYY-MM-DD
    # YYYY-MM-DD of the agency's latest correction of the text; "" when never corrected (and in
    # records frozen before corrections were recorded here).
    corrected_on: str = ""


@dataclass(frozen=True)
class MeetingView:
    held_on: str  # YYYY-MM-DD
    place: str
    attendance: int | None
    summary: str
    materials: str = ""  # the materials file's name, or the note on them; "" when none


@dataclass(frozen=True)
class PublicCommentRecord:
    opens_on: str  # YYYY-MM-DD; "" when the assessment was never open for comment
    closes_on: str
    received: int
    approved: int
    rejected: int
    duplicates: int = 0
    pending: int = 0
    comments: tuple[PublicCommentView, ...] = ()  # the approved ones, oldest first
    responses: tuple[ResponseView, ...] = ()
    meetings: tuple[MeetingView, ...] = ()
    meetings_required: int = 0  # the most any chosen profile asks for (0: none asks)

    @property
    def themes(self) -> tuple[str, ...]:
        """The responses' themes, each once, in the order first used."""
        return tuple(dict.fromkeys(r.theme for r in self.responses if r.theme))


def record_to_dict(record: PublicCommentRecord) -> dict[str, Any]:
    data = dataclasses.asdict(record)
    for response in data["responses"]:
        response["comments"] = list(response["comments"])
    return data


def record_from_dict(data: Mapping[str, Any] | None) -> PublicCommentRecord | None:
    """The record a publication or PDF carries (None when it carries none)."""
    if not data:
        return None
    return PublicCommentRecord(
        opens_on=str(data.get("opens_on", "")),
        closes_on=str(data.get("closes_on", "")),
        received=int(data.get("received", 0)),
        approved=int(data.get("approved", 0)),
        rejected=int(data.get("rejected", 0)),
        duplicates=int(data.get("duplicates", 0)),
        pending=int(data.get("pending", 0)),
        comments=tuple(PublicCommentView(**item) for item in data.get("comments", ())),
        responses=tuple(
            ResponseView(**{**item, "comments": tuple(item.get("comments", ()))})
            for item in data.get("responses", ())
        ),
        meetings=tuple(MeetingView(**item) for item in data.get("meetings", ())),
        meetings_required=int(data.get("meetings_required", 0)),
    )
