"""`action_plan` and `what_if`: what adopting safeguards and actions would do to the risk.

Every figure comes from a fresh `evaluate` of the answers as they would be after the change, so the
plan can never disagree with the report the changed answers would give. An item is one distinct
answer change: a safeguard that several rules share (the same condition) is one item lowering
several findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pia.engine.bank.adoption import AnswerChange, answers_meeting
from pia.engine.bank.model import MULTI, Bank
from pia.engine.evaluation.display import display_answer
from pia.engine.evaluation.evaluate import evaluate
from pia.engine.evaluation.result import PROHIBITED, Evaluation, Finding
from pia.engine.planning.outcome import Baseline, baseline, outcome_of
from pia.errors import PiaError

SAFEGUARD = "safeguard"  # a mitigation of a finding, not yet in place
ACTION = "action"  # a rule's recommended action whose answers the bank declares


class PlanError(PiaError):
    """A what-if names an item the plan lacks, or items that answer one question differently."""


@dataclass(frozen=True)
class AnswerStep:
    question: str
    text: str  # the question as asked
    value: Any  # the answer adopting the item gives, as stored
    display: str  # that answer for people


@dataclass(frozen=True)
class FindingShift:
    rule: str
    title: str
    criterion: str
    before: str | None  # residual level now; None when it does not fire now
    after: str | None  # residual level after the change; None when it no longer fires
    # Residual (severity, likelihood) now and after: a safeguard may lower a finding's rating
    # without moving it to another level.
    before_rating: tuple[int, int] | None = None
    after_rating: tuple[int, int] | None = None


@dataclass(frozen=True)
class PlanItem:
    id: str  # "safeguard:<rule>.<mitigation>" or "action:<rule>.<n>", stable for a bank version
    kind: str  # SAFEGUARD or ACTION
    text: str
    rules: tuple[str, ...]  # the rules whose mitigation or action this is
    answers: tuple[AnswerStep, ...]
    lowers: tuple[FindingShift, ...]  # findings whose residual level falls or that stop firing
    raises: tuple[FindingShift, ...]  # findings that appear or get worse (rare; shown honestly)
    overall: str  # the overall level the change reaches
    worst_residual: str
    criteria: tuple[tuple[str, str | None], ...]  # criterion id -> level after


@dataclass(frozen=True)
class Advice:
    """A recommended action the bank gives no answers for: shown, with no computed effect."""

    text: str
    rules: tuple[str, ...]


@dataclass(frozen=True)
class ActionPlan:
    overall: str  # now
    worst_residual: str  # now
    items: tuple[PlanItem, ...]  # best first
    advice: tuple[Advice, ...]


@dataclass(frozen=True)
class WhatIf:
    items: tuple[str, ...]
    answers: tuple[AnswerStep, ...]
    evaluation: Evaluation
    lowers: tuple[FindingShift, ...]
    raises: tuple[FindingShift, ...]


@dataclass(frozen=True)
class _Candidate:
    id: str
    kind: str
    text: str
    rules: tuple[str, ...]
    change: AnswerChange


def action_plan(bank: Bank, answers: Mapping[str, Any], profiles: Iterable[str] = ()) -> ActionPlan:
    """Every safeguard not yet in place and every declared action for the findings that fire now,
    each evaluated on its own, best first (lowest overall level reached, then most lowered)."""
    base = baseline(bank, answers, tuple(profiles))
    now = outcome_of(base, {})
    candidates, advice = _candidates(bank, now.findings, answers)
    items = [_item(bank, base, now.findings, c) for c in candidates]
    items.sort(key=lambda item: _rank(bank, item))
    return ActionPlan(
        overall=now.overall.level,
        worst_residual=now.overall.worst_residual,
        items=tuple(items),
        advice=tuple(advice),
    )


def what_if(
    bank: Bank,
    answers: Mapping[str, Any],
    profiles: Iterable[str],
    item_ids: Sequence[str],
) -> WhatIf:
    """The evaluation with the chosen items adopted together; raises PlanError."""
    profiles = tuple(profiles)
    now = evaluate(bank, answers, profiles)
    candidates, _advice = _candidates(bank, now.findings, answers)
    by_id = {c.id: c for c in candidates}
    chosen = tuple(dict.fromkeys(item_ids))
    merged: dict[str, Any] = {}
    for item_id in chosen:
        candidate = by_id.get(item_id)
        if candidate is None:
            raise PlanError(f"the action plan has no item {item_id!r} for these answers")
        for question, value in candidate.change:
            merged[question] = _merge(bank, question, merged.get(question), value, item_id)
    change = tuple(sorted(merged.items()))
    after = evaluate(bank, {**answers, **merged}, profiles)
    lowers, raises = _shifts(bank, now.findings, after.findings)
    return WhatIf(chosen, _steps(bank, change), after, lowers, raises)


def _merge(bank: Bank, question: str, earlier: Any, value: Any, item_id: str) -> Any:
    if earlier is None or earlier == value:
        return value
    if bank.questions[question].type == MULTI and isinstance(earlier, list):
        wanted = {*earlier, *value}
        return [c.value for c in bank.questions[question].choices if c.value in wanted]
    raise PlanError(
        f"{item_id!r} answers {question!r} differently from another chosen item; choose one of them"
    )


def _candidates(
    bank: Bank, findings: Sequence[Finding], answers: Mapping[str, Any]
) -> tuple[list[_Candidate], list[Advice]]:
    """One candidate per distinct answer change, in the order the findings rank now."""
    found: dict[tuple[str, str], _Candidate] = {}
    advice: dict[str, list[str]] = {}
    for finding in findings:
        rule = bank.rules[finding.rule]
        applied = {m.id for m in finding.mitigations}
        for mitigation in rule.mitigations:
            if mitigation.id in applied:
                continue
            change = mitigation.answers or answers_meeting(
                bank.questions, mitigation.when.source, answers
            )
            if change:
                key = f"{rule.id}.{mitigation.id}"
                _add(found, SAFEGUARD, key, mitigation.text, rule.id, tuple(change))
        for number, text in enumerate(rule.actions, start=1):
            declared = rule.action_answers[number - 1] if rule.action_answers else ()
            if declared:
                _add(found, ACTION, f"{rule.id}.{number}", text, rule.id, declared)
            else:
                advice.setdefault(text, []).append(rule.id)
    return list(found.values()), [Advice(t, tuple(r)) for t, r in advice.items()]


def _add(
    found: dict[tuple[str, str], _Candidate],
    kind: str,
    key: str,
    text: str,
    rule: str,
    change: AnswerChange,
) -> None:
    same = (kind, repr(change))  # answers may hold lists, so the key is their canonical text
    existing = found.get(same)
    if existing is None:
        found[same] = _Candidate(f"{kind}:{key}", kind, text, (rule,), change)
    elif rule not in existing.rules:
        found[same] = _Candidate(existing.id, kind, existing.text, (*existing.rules, rule), change)


def _item(bank: Bank, base: Baseline, now: Sequence[Finding], candidate: _Candidate) -> PlanItem:
    after = outcome_of(base, dict(candidate.change))
    lowers, raises = _shifts(bank, now, after.findings)
    return PlanItem(
        id=candidate.id,
        kind=candidate.kind,
        text=candidate.text,
        rules=candidate.rules,
        answers=_steps(bank, candidate.change),
        lowers=lowers,
        raises=raises,
        overall=after.overall.level,
        worst_residual=after.overall.worst_residual,
        criteria=tuple((c.id, c.level) for c in after.criteria),
    )


def _steps(bank: Bank, change: AnswerChange) -> tuple[AnswerStep, ...]:
    steps = []
    for question_id, value in change:
        question = bank.questions[question_id]
        steps.append(AnswerStep(question_id, question.text, value, display_answer(question, value)))
    return tuple(steps)


def _shifts(
    bank: Bank, now: Sequence[Finding], after: Sequence[Finding]
) -> tuple[tuple[FindingShift, ...], tuple[FindingShift, ...]]:
    before = {f.rule: f for f in now}
    later = {f.rule: f for f in after}
    rank = {level: index for index, level in enumerate(bank.levels, start=1)}

    def weight(finding: Finding | None) -> tuple[int, int, int]:
        """How serious a finding is, for comparing it before and after (None: not firing)."""
        if finding is None:
            return (0, 0, 0)
        rating = finding.residual
        return (rank[rating.level], rating.severity * rating.likelihood, rating.severity)

    lowers, raises = [], []
    for rule, finding in before.items():
        new = later.get(rule)
        if new is finding:  # untouched by the change: the very same value
            continue
        if weight(new) < weight(finding):
            lowers.append(_shift(finding, new))
        elif weight(new) > weight(finding):
            raises.append(_shift(finding, new))
    for rule, finding in later.items():
        if rule not in before:
            raises.append(_shift(None, finding))
    return tuple(lowers), tuple(raises)


def _shift(now: Finding | None, after: Finding | None) -> FindingShift:
    finding = now or after
    assert finding is not None
    return FindingShift(
        finding.rule,
        finding.title,
        finding.criterion,
        None if now is None else now.residual.level,
        None if after is None else after.residual.level,
        None if now is None else (now.residual.severity, now.residual.likelihood),
        None if after is None else (after.residual.severity, after.residual.likelihood),
    )


def _score(rating: tuple[int, int] | None) -> int:
    return 0 if rating is None else rating[0] * rating[1]


def _rank(bank: Bank, item: PlanItem) -> tuple[Any, ...]:
    overall = len(bank.levels) + 1 if item.overall == PROHIBITED else bank.level_rank(item.overall)
    shifts = (*item.lowers, *item.raises)
    drop = sum(bank.level_rank(s.before) - bank.level_rank(s.after) for s in shifts)
    eased = sum(_score(s.before_rating) - _score(s.after_rating) for s in shifts)
    return (
        overall,
        bank.level_rank(item.worst_residual),
        -drop,
        -eased,
        len(item.answers),
        item.kind != SAFEGUARD,
        item.id,
    )
