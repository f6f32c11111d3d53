"""Revision comparison: what changed between two revisions (answers with word diffs, notes,
evidence, findings, criterion levels, the overall level). A pure function of two answer sets and
their evaluations; pages and reports render its Comparison."""

from pia.engine.compare.compare import compare_revisions
from pia.engine.compare.result import (
    ADDED,
    CHANGED,
    DELETED,
    EQUAL,
    INSERTED,
    REMOVED,
    ComparedRevision,
    Comparison,
    EvidenceChange,
    EvidenceItem,
    FindingChange,
    LevelChange,
    TextChange,
    WordPiece,
)
from pia.engine.compare.words import word_diff

__all__ = [
    "ADDED",
    "CHANGED",
    "DELETED",
    "EQUAL",
    "INSERTED",
    "REMOVED",
    "ComparedRevision",
    "Comparison",
    "EvidenceChange",
    "EvidenceItem",
    "FindingChange",
    "LevelChange",
    "TextChange",
    "WordPiece",
    "compare_revisions",
    "word_diff",
]
