"""The appendix "Changes since revision N": a revision comparison (pia.engine's Comparison) as
report blocks, and the previous revision as data embedded in the PDF so `pia verify` can render
the appendix again.

The previous revision comes in as a ComparedRevision (answers, notes, its stored evaluation and
evidence); `comparison_for` compares it with the revision being reported. Word diffs print in
the plain-text convention [-removed-] {+added+}, readable in the PDF and on the page alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pia.engine import (
    Bank,
    ComparedRevision,
    Comparison,
    EvidenceItem,
    TextChange,
    compare_revisions,
)
from pia.report.answers import plain_data, redact_answers, redact_notes
from pia.report.blocks import Bullets, Cell, Heading, Section, Table, Text
from pia.report.meta import EvidenceRef

SECTION_ID = "changes"
_KIND_WORDS = {"added": "Added", "removed": "Removed", "changed": "Changed"}


def comparison_for(
    bank: Bank,
    previous: ComparedRevision,
    *,
    number: int,
    answers: Mapping[str, Any],
    notes: Mapping[str, str],
    evaluation: Any,
    evidence: Sequence[EvidenceRef],
    redact_sensitive: bool = False,
) -> Comparison:
    """What changed from `previous` to the revision being reported (numbered `number`)."""
    old_answers, old_notes = dict(previous.answers), dict(previous.notes)
    answers, notes = dict(answers), dict(notes)
    if redact_sensitive:
        old_answers, answers = redact_answers(bank, old_answers), redact_answers(bank, answers)
        old_notes, notes = redact_notes(bank, old_notes), redact_notes(bank, notes)
    old = ComparedRevision(
        previous.number, old_answers, old_notes, previous.evaluation, previous.evidence
    )
    current = ComparedRevision(
        number,
        answers,
        notes,
        evaluation,
        tuple(EvidenceItem(ref.filename, ref.sha256, ref.question) for ref in evidence),
    )
    return compare_revisions(bank, old, current)


def previous_data(previous: ComparedRevision) -> dict[str, Any]:
    """The previous revision as JSON-ready data, for the PDF's embedded assessment data."""
    evaluation = previous.evaluation
    if not isinstance(evaluation, Mapping):
        from pia.engine import evaluation_to_dict

        evaluation = evaluation_to_dict(evaluation)
    return {
        "number": previous.number,
        "answers": plain_data(dict(previous.answers)),
        "notes": dict(sorted(previous.notes.items())),
        "evaluation": plain_data(dict(evaluation)),
        "evidence": [
            {"name": item.name, "sha256": item.sha256, "question": item.question}
            for item in previous.evidence
        ],
    }


def previous_from_data(data: Mapping[str, Any]) -> ComparedRevision:
    """The inverse of `previous_data` (raises KeyError, TypeError or ValueError when malformed)."""
    return ComparedRevision(
        number=int(data["number"]),
        answers=dict(data["answers"]),
        notes={str(k): str(v) for k, v in dict(data["notes"]).items()},
        evaluation=dict(data["evaluation"]),
        evidence=tuple(
            EvidenceItem(str(e["name"]), str(e["sha256"]), str(e.get("question", "")))
            for e in data["evidence"]
        ),
    )


def _level(level: str | None) -> Cell:
    return Cell(level or "none", level)


def _diff_text(change: TextChange) -> str:
    if not change.words:
        return ""
    parts = []
    for piece in change.words:
        if piece.kind == "inserted":
            parts.append("{+" + piece.text.strip() + "+} ")
        elif piece.kind == "deleted":
            parts.append("[-" + piece.text.strip() + "-] ")
        else:
            parts.append(piece.text)
    return "".join(parts).strip()


def _text_blocks(title: str, anchor: str, changes: Sequence[TextChange]) -> list[Any]:
    if not changes:
        return []
    rows = []
    for change in changes:
        after = _diff_text(change) or change.new or "(none)"
        rows.append(
            (
                Cell(change.label),
                Cell(_KIND_WORDS.get(change.kind, change.kind)),
                Cell((change.old or "(none)") if not change.words else "(see the changes)"),
                Cell(after),
            )
        )
    return [
        Heading(title, level=3, anchor=anchor),
        Table(
            ("Question", "Change", "Before", "After"),
            tuple(rows),
            widths=(3, 1.2, 3, 4),
            caption=title,
        ),
    ]


def changes_section(comparison: Comparison) -> Section:
    """The appendix: overall and criterion levels, findings, answers, notes and evidence."""
    title = f"Appendix C: Changes since revision {comparison.old}"
    blocks: list[Any] = [
        Text(
            f"What differs between revision {comparison.old} and revision {comparison.new}. "
            "In long texts, [-words-] were removed and {+words+} added."
        )
    ]
    if comparison.unchanged:
        blocks.append(Text("Nothing changed between the two revisions."))
        return Section(SECTION_ID, title, tuple(blocks))
    levels = ([comparison.overall] if comparison.overall else []) + list(comparison.criteria)
    if levels:
        blocks.append(Heading("Risk levels", level=3, anchor="changes-levels"))
        blocks.append(
            Table(
                ("Level", "Before", "After"),
                tuple((Cell(c.name), _level(c.old), _level(c.new)) for c in levels),
                widths=(4, 2, 2),
                caption="Risk levels that changed",
            )
        )
    if comparison.findings:
        blocks.append(Heading("Findings", level=3, anchor="changes-findings"))
        blocks.append(
            Table(
                ("Finding", "Change", "Before", "After"),
                tuple(
                    (
                        Cell(f.title),
                        Cell(_KIND_WORDS.get(f.kind, f.kind)),
                        _level(f.old_level),
                        _level(f.new_level),
                    )
                    for f in comparison.findings
                ),
                widths=(5, 1.5, 1.5, 1.5),
                caption="Findings added, removed or changed in level",
            )
        )
    blocks += _text_blocks("Answers", "changes-answers", comparison.answers)
    blocks += _text_blocks("Notes", "changes-notes", comparison.notes)
    if comparison.evidence:
        blocks.append(Heading("Evidence", level=3, anchor="changes-evidence"))
        blocks.append(
            Bullets(
                tuple(
                    f"{_KIND_WORDS.get(e.kind, e.kind)}: {e.item.name} "
                    f"(SHA-256 {e.item.sha256[:16]}…)"
                    for e in comparison.evidence
                )
            )
        )
    return Section(SECTION_ID, title, tuple(blocks))
