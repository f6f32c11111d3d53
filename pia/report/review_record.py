"""The oversight board's record of one revision, as plain data the report renders and embeds.

The board's record sits beside the engine's Evaluation, never inside it: its own level per
criterion (with a reason), the decision, vote and conditions, and the comment threads. The store
builds it; the report only reads it (no database here). `record_to_dict` / `record_from_dict`
round-trip it through the JSON a PDF embeds, so `pia verify` renders the same bytes again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CommentView:
    author: str
    at: str  # ISO 8601, UTC
    body: str
    revision: int


@dataclass(frozen=True)
class ThreadView:
    id: int
    kind: str  # assessment, question or finding
    target: str  # question or rule id; "" for the whole assessment
    revision: int  # the revision it was opened against
    open: bool
    comments: tuple[CommentView, ...]  # the opening comment first, then replies in order
    resolved_at: str = ""


@dataclass(frozen=True)
class BoardRatingView:
    criterion: str  # criterion id
    level: str
    reason: str
    rated_by: str = ""
    rated_at: str = ""


@dataclass(frozen=True)
class ConditionView:
    id: int
    text: str
    owner: str
    due_on: str  # YYYY-MM-DD
    state: str  # open, met, verified
    finding_rule: str = ""
    met_note: str = ""
    met_at: str = ""
    verified_at: str = ""
    met_filename: str = ""  # the file the officer attached when marking it met, if any
    plan_item: str = ""  # the adopted action-plan item that carries it out: its text
    plan_item_id: int | None = None  # that item's row (for links in the app)
    plan_item_done: bool = False


@dataclass(frozen=True)
class DecisionView:
    outcome: str  # approved, approved_with_conditions, rejected
    rationale: str
    meeting_on: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    names_for: str = ""
    names_against: str = ""
    names_abstain: str = ""
    review_due_on: str = ""
    decided_by: str = ""
    decided_at: str = ""


@dataclass(frozen=True)
class ReviewRecord:
    revision: int
    status: str
    decision: DecisionView | None = None
    conditions: tuple[ConditionView, ...] = ()
    ratings: tuple[BoardRatingView, ...] = ()
    threads: tuple[ThreadView, ...] = ()

    @property
    def ratings_by_criterion(self) -> dict[str, BoardRatingView]:
        return {rating.criterion: rating for rating in self.ratings}

    @property
    def open_threads(self) -> int:
        return sum(1 for thread in self.threads if thread.open)

    @property
    def is_empty(self) -> bool:
        return not (self.decision or self.conditions or self.ratings or self.threads)


OUTCOME_LABELS = {
    "approved": "Approved",
    "approved_with_conditions": "Approved with conditions",
    "rejected": "Rejected",
}
CONDITION_STATE_LABELS = {
    "open": "Open",
    "met": "Met, awaiting verification",
    "verified": "Verified",
}


def record_to_dict(record: ReviewRecord) -> dict[str, Any]:
    return dataclasses.asdict(record)


def record_from_dict(data: Mapping[str, Any] | None) -> ReviewRecord | None:
    """The record embedded in a report (None when the report carries none)."""
    if not data:
        return None
    decision = data.get("decision")
    return ReviewRecord(
        revision=int(data["revision"]),
        status=str(data["status"]),
        decision=DecisionView(**decision) if decision else None,
        conditions=tuple(ConditionView(**item) for item in data.get("conditions", ())),
        ratings=tuple(BoardRatingView(**item) for item in data.get("ratings", ())),
        threads=tuple(
            ThreadView(
                **{
                    **thread,
                    "comments": tuple(CommentView(**c) for c in thread.get("comments", ())),
                }
            )
            for thread in data.get("threads", ())
        ),
    )
