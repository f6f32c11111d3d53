"""compare_revisions: what changed between two revisions of an assessment. Pure: no I/O.

Answers and notes are compared question by question in bank order (questions the bank no longer
knows come last, by id); long texts get a word diff. Evidence is compared by name and SHA-256.
Findings are matched by rule: added, removed, or changed in residual level. Criterion levels and
the overall level are listed when they differ. Each evaluation is read as its revision stored it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pia.engine.compare.result import (
    ADDED,
    CHANGED,
    REMOVED,
    ComparedRevision,
    Comparison,
    EvidenceChange,
    FindingChange,
    LevelChange,
    TextChange,
)
from pia.engine.compare.words import word_diff

if TYPE_CHECKING:
    from pia.engine.bank.model import Bank

# Question types whose answers are prose (a word diff helps); others are shown whole.
_PROSE = frozenset({"longtext"})


def compare_revisions(bank: Bank, old: ComparedRevision, new: ComparedRevision) -> Comparison:
    """What changed from `old` to `new` (usually an earlier and a later revision)."""
    old_eval, new_eval = _Outcome(old.evaluation), _Outcome(new.evaluation)
    overall = None
    if old_eval.overall != new_eval.overall:
        overall = LevelChange("overall", "Overall", old_eval.overall, new_eval.overall)
    return Comparison(
        old=old.number,
        new=new.number,
        answers=_text_changes(bank, old.answers, new.answers, prose_only=False),
        notes=_text_changes(bank, old.notes, new.notes, prose_only=True),
        evidence=_evidence_changes(old, new),
        findings=_finding_changes(old_eval, new_eval),
        criteria=_criterion_changes(old_eval, new_eval),
        overall=overall,
        bank_versions=(old_eval.bank_version, new_eval.bank_version),
    )


def _ordered(bank: Bank, ids: Iterable[str]) -> list[str]:
    wanted = set(ids)
    known = [q for q in bank.questions if q in wanted]
    return known + sorted(wanted.difference(bank.questions))


def _text_changes(
    bank: Bank, old: Mapping[str, Any], new: Mapping[str, Any], *, prose_only: bool
) -> tuple[TextChange, ...]:
    sections = {section.id: section.title for section in bank.sections}
    changes = []
    for question_id in _ordered(bank, {*old, *new}):
        before, after = old.get(question_id), new.get(question_id)
        if _same(before, after):
            continue
        question = bank.questions.get(question_id)
        kind = ADDED if _empty(before) else REMOVED if _empty(after) else CHANGED
        old_text, new_text = _display(question, before), _display(question, after)
        prose = prose_only or (question is not None and question.type in _PROSE)
        words = word_diff(old_text, new_text) if prose and kind == CHANGED else ()
        changes.append(
            TextChange(
                question=question_id,
                label=question.text if question is not None else question_id,
                section=sections.get(question.section, "") if question is not None else "",
                kind=kind,
                old=old_text,
                new=new_text,
                words=words,
            )
        )
    return tuple(changes)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _same(before: Any, after: Any) -> bool:
    if _empty(before) and _empty(after):
        return True
    if isinstance(before, bool) or isinstance(after, bool):
        return type(before) is type(after) and before == after
    return before == after


def _number(value: Any, unit: str) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "x", "×") else f"{text} {unit}"


def _display(question: Any, value: Any) -> str:
    """The answer as people read it, in full: labels for choices, units for numbers."""
    if _empty(value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if question is None:
        return value if isinstance(value, str) else repr(value)
    if isinstance(value, list):
        return ", ".join(question.choice_label(str(item)) for item in value)
    if isinstance(value, dict):
        labels = {group.value: group.label for group in question.groups}
        return ", ".join(
            f"{labels.get(group, group)}: {_number(number, question.unit)}"
            for group, number in value.items()
        )
    if isinstance(value, (int, float)):
        return _number(value, question.unit)
    if question.choices:
        return question.choice_label(str(value))
    return str(value)


def _evidence_changes(old: ComparedRevision, new: ComparedRevision) -> tuple[EvidenceChange, ...]:
    before = {(item.name, item.sha256): item for item in old.evidence}
    after = {(item.name, item.sha256): item for item in new.evidence}
    removed = [EvidenceChange(REMOVED, before[key]) for key in sorted(before.keys() - after)]
    added = [EvidenceChange(ADDED, after[key]) for key in sorted(after.keys() - before)]
    return tuple(removed + added)


class _Outcome:
    """What the comparison reads of an Evaluation, or of its JSON form."""

    def __init__(self, evaluation: Any) -> None:
        if isinstance(evaluation, Mapping):
            self.bank_version = str(evaluation.get("bank_version", ""))
            self.overall = (evaluation.get("overall") or {}).get("level")
            self.findings = {
                f["rule"]: (f["title"], f["criterion"], f["residual"]["level"])
                for f in evaluation.get("findings", ())
            }
            self.criteria = {
                c["id"]: (c["name"], c["level"]) for c in evaluation.get("criteria", ())
            }
        else:
            self.bank_version = evaluation.bank_version
            self.overall = evaluation.overall.level
            self.findings = {
                f.rule: (f.title, f.criterion, f.residual.level) for f in evaluation.findings
            }
            self.criteria = {c.id: (c.name, c.level) for c in evaluation.criteria}


def _finding_changes(old: _Outcome, new: _Outcome) -> tuple[FindingChange, ...]:
    changes = []
    # New findings' order first (most serious first), then those that went away.
    for rule, (title, criterion, level) in new.findings.items():
        if rule not in old.findings:
            changes.append(FindingChange(rule, title, criterion, ADDED, None, level))
        elif old.findings[rule][2] != level:
            before = old.findings[rule][2]
            changes.append(FindingChange(rule, title, criterion, CHANGED, before, level))
    for rule, (title, criterion, level) in old.findings.items():
        if rule not in new.findings:
            changes.append(FindingChange(rule, title, criterion, REMOVED, level, None))
    return tuple(changes)


def _criterion_changes(old: _Outcome, new: _Outcome) -> tuple[LevelChange, ...]:
    changes = []
    for criterion, (name, level) in new.criteria.items():
        before = old.criteria.get(criterion, (name, None))[1]
        if before != level:
            changes.append(LevelChange(criterion, name, before, level))
    for criterion, (name, level) in old.criteria.items():
        if criterion not in new.criteria and level is not None:
            changes.append(LevelChange(criterion, name, level, None))
    return tuple(changes)
