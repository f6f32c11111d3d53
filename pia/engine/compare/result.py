"""What a revision comparison holds: frozen values, ready for a page or a report to render."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

# A word diff's pieces.
EQUAL = "equal"
INSERTED = "inserted"
DELETED = "deleted"


@dataclass(frozen=True)
class EvidenceItem:
    """A file attached to a revision, as the comparison sees it: name and SHA-256."""

    name: str
    sha256: str
    question: str = ""


@dataclass(frozen=True)
class ComparedRevision:
    """One side of a comparison: a revision's answers, notes, evidence and evaluation.

    `evaluation` is an Evaluation or its JSON form (evaluation_to_dict), as stored with a
    revision: a revision evaluated against an older bank keeps its own result.
    """

    number: int
    answers: Mapping[str, Any]
    notes: Mapping[str, str]
    evaluation: Any
    evidence: Sequence[EvidenceItem] = ()


@dataclass(frozen=True)
class WordPiece:
    kind: str  # EQUAL, INSERTED or DELETED
    text: str


@dataclass(frozen=True)
class TextChange:
    """An answer or a note that differs: before and after, as people read them."""

    question: str
    label: str  # the question's text (its id when the bank does not know it)
    section: str  # the section's title ("" when unknown)
    kind: str  # ADDED, REMOVED or CHANGED
    old: str
    new: str
    words: tuple[WordPiece, ...] = ()  # a word diff, for long texts changed


@dataclass(frozen=True)
class EvidenceChange:
    kind: str  # ADDED or REMOVED
    item: EvidenceItem


@dataclass(frozen=True)
class FindingChange:
    rule: str
    title: str
    criterion: str
    kind: str  # ADDED, REMOVED or CHANGED (in residual level)
    old_level: str | None
    new_level: str | None


@dataclass(frozen=True)
class LevelChange:
    """A criterion's level (id, name) or the overall level (id "overall") that changed."""

    id: str
    name: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Comparison:
    old: int  # revision numbers
    new: int
    answers: tuple[TextChange, ...] = ()
    notes: tuple[TextChange, ...] = ()
    evidence: tuple[EvidenceChange, ...] = ()
    findings: tuple[FindingChange, ...] = ()
    criteria: tuple[LevelChange, ...] = ()
    overall: LevelChange | None = None
    bank_versions: tuple[str, str] = field(default=("", ""))

    @property
    def unchanged(self) -> bool:
        return not (
            self.answers
            or self.notes
            or self.evidence
            or self.findings
            or self.criteria
            or self.overall
        )
