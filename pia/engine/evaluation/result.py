"""The Evaluation: everything every surface (web pages, PDF, JSON, CSV) renders.

`evaluate(bank, answers, profiles)` returns one of these; nothing downstream recomputes risk. The
JSON form (`evaluation_to_dict`) is documented in docs/evaluation.md, versioned by SCHEMA_VERSION.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pia.engine.bank.model import Citation

SCHEMA_VERSION = "2"
PROHIBITED = "Prohibited"
NOT_RATED = "Not yet rated"  # the overall level while no visible question is answered

# Statuses of a statutory element's coverage.
COVERED_ANSWERED = "addressed"  # every visible core question is answered
COVERED_PARTIAL = "partial"  # some covering questions answered, a visible core question is not
COVERED_MISSING = "missing"  # covering questions are visible but none is answered
COVERED_NOT_APPLICABLE = "not_applicable"  # no covering question is visible, or `when` is false


@dataclass(frozen=True, slots=True)
class Rating:
    severity: int
    likelihood: int
    level: str


@dataclass(frozen=True, slots=True)
class Trigger:
    """An answer (or computed value) that the rule's condition read when it fired."""

    id: str
    kind: str  # "question" or "computed"
    label: str  # the question text or computed value's label
    value: Any  # the answer as stored (choice values, not labels)
    display: str  # the answer for people: choice labels, units, "yes"/"no"


@dataclass(frozen=True, slots=True)
class AppliedMitigation:
    id: str
    text: str
    lowers: str  # "severity" or "likelihood"
    by: int
    why: str


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    title: str
    criterion: str
    explanation: str
    justification: str
    inherent: Rating
    residual: Rating
    mitigations: tuple[AppliedMitigation, ...]
    triggers: tuple[Trigger, ...]
    actions: tuple[str, ...]
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class CriterionResult:
    id: str
    name: str
    level: str | None  # worst residual level among its findings; None without findings
    findings: int


@dataclass(frozen=True)
class ProhibitionHit:
    profile: str
    rule: str
    provision: str
    note: str


@dataclass(frozen=True)
class Overall:
    level: str  # one of bank.levels, PROHIBITED, or NOT_RATED while nothing is answered
    prohibited: bool
    worst_residual: str  # the worst criterion level, also when prohibited (lowest level if none)
    basis: str  # one sentence saying how the level was reached
    rated: bool = True  # False while no visible question is answered


@dataclass(frozen=True)
class ObligationHit:
    profile: str
    id: str
    text: str
    cite: str
    min_level: str


@dataclass(frozen=True, slots=True)
class ElementCoverage:
    id: str
    cite: str
    text: str
    questions: tuple[str, ...]  # every covering question
    answered: tuple[str, ...]  # covering questions visible and answered
    status: str  # COVERED_ANSWERED, COVERED_PARTIAL, COVERED_MISSING or COVERED_NOT_APPLICABLE
    core: tuple[str, ...] = ()  # the questions that must all be answered (all questions if empty)


@dataclass(frozen=True)
class ProfileCoverage:
    profile: str
    name: str
    elements: tuple[ElementCoverage, ...]
    answered: int  # elements with status "addressed"
    total: int  # elements that apply (not "not_applicable")


@dataclass(frozen=True)
class SectionProgress:
    id: str
    title: str
    visible: int
    answered: int
    required: int  # visible required questions
    required_answered: int
    percent: int  # answered of visible, 0-100 (100 when nothing is visible)
    complete: bool  # every visible required question answered


@dataclass(frozen=True)
class Progress:
    visible: int
    answered: int
    required: int
    required_answered: int
    percent: int  # answered of visible, 0-100


@dataclass(frozen=True)
class AnswerIssue:
    question: str
    code: str  # e.g. "unknown-choice", "wrong-type", "out-of-bounds", "unknown-question"
    message: str


@dataclass(frozen=True)
class Evaluation:
    bank_id: str
    bank_version: str
    profiles: tuple[str, ...]
    visible: tuple[str, ...]  # visible question ids, in bank order
    answered: tuple[str, ...]  # visible questions with a valid answer
    missing: tuple[str, ...]  # visible required questions without a valid answer
    hidden_answers: tuple[str, ...]  # answered but hidden by a condition: kept, not counted
    invalid: tuple[AnswerIssue, ...]  # answers that failed validation (treated as unanswered)
    progress: Progress
    sections: tuple[SectionProgress, ...]
    computed: Mapping[str, Any]  # computed value id -> value (None when not computable)
    findings: tuple[Finding, ...]  # most serious residual first
    criteria: tuple[CriterionResult, ...]  # in bank order
    overall: Overall
    prohibitions: tuple[ProhibitionHit, ...]
    obligations: tuple[ObligationHit, ...]
    coverage: tuple[ProfileCoverage, ...]
    schema_version: str = field(default=SCHEMA_VERSION)

    def is_visible(self, question_id: str) -> bool:
        return question_id in self.visible


def evaluation_to_dict(evaluation: Evaluation) -> dict[str, Any]:
    """The documented JSON form: plain dicts, lists, strings, numbers, booleans and None."""
    data = dataclasses.asdict(evaluation)
    data["computed"] = dict(evaluation.computed)
    ordered = {"schema_version": data.pop("schema_version")}
    ordered.update(data)
    return ordered


def evaluation_to_json(evaluation: Evaluation, *, indent: int | None = 2) -> str:
    """Deterministic JSON text: the same Evaluation always gives the same bytes."""
    return json.dumps(evaluation_to_dict(evaluation), indent=indent, ensure_ascii=False)
