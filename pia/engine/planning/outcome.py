"""The levels that changed answers reach, without a whole new evaluation.

An action plan asks the same question dozens of times: "and if these two answers were different?".
Only the rules that read a name whose value (or visibility) the change touches can fire differently,
so their findings are rebuilt and every other finding is taken from the current evaluation; the
criteria levels, prohibitions and overall level then follow exactly as `evaluate` derives them.
The property test in tests/engine/planning compares every result with a fresh `evaluate`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pia.engine.bank.model import Bank
from pia.engine.evaluation.answers import check_answers
from pia.engine.evaluation.evaluate import (
    chosen_profiles,
    environment,
    foreign_sources,
    rule_finding,
    run_step,
)
from pia.engine.evaluation.plan import Plan, Step, plan_for
from pia.engine.evaluation.result import CriterionResult, Finding, Overall
from pia.engine.evaluation.summary import criteria_results, overall, prohibitions


@dataclass(frozen=True)
class Outcome:
    findings: tuple[Finding, ...]  # most serious residual first, as in an Evaluation
    criteria: tuple[CriterionResult, ...]
    overall: Overall


@dataclass(frozen=True)
class Baseline:
    """The current answers, checked, with their environment and findings, ready to vary."""

    bank: Bank
    profiles: tuple[str, ...]
    plan: Plan
    values: Mapping[str, Any]
    env: Mapping[str, Any]
    shown: frozenset[str]
    ranked: tuple[tuple[tuple[int, ...], Finding] | None, ...]  # per rule plan, in bank order
    reads: tuple[frozenset[str], ...]  # per rule plan: every name its finding depends on
    step_reads: tuple[frozenset[str], ...]  # per plan step: what its condition or formula reads
    readers: Mapping[str, tuple[int, ...]]  # name -> the rules (by index) whose finding reads it
    foreign: tuple[str, ...] = ()  # citation sources of profiles not chosen


def baseline(bank: Bank, answers: Mapping[str, Any], profiles: tuple[str, ...]) -> Baseline:
    plan = plan_for(bank)
    profiles = chosen_profiles(bank, profiles)
    values, _invalid = check_answers(bank, answers, plan.validators)
    env, shown = environment(plan, values)
    foreign = foreign_sources(bank, profiles)
    ranked = tuple(
        rule_finding(plan, rule_plan, env, shown, profiles, foreign) for rule_plan in plan.rules
    )
    reads = tuple(
        frozenset(
            rule_plan.rule.when.names.union(
                rule_plan.trigger_names, *(m.when.names for m in rule_plan.rule.mitigations)
            )
        )
        for rule_plan in plan.rules
    )
    step_reads = tuple(_step_reads(bank, step) for step in plan.steps)
    return Baseline(
        bank,
        profiles,
        plan,
        values,
        env,
        frozenset(shown),
        ranked,
        reads,
        step_reads,
        _readers(reads),
        foreign,
    )


def _step_reads(bank: Bank, step: Step) -> frozenset[str]:
    if step.is_question:
        show_if = bank.questions[step.name].show_if
        return frozenset() if show_if is None else show_if.names
    return bank.computed[step.name].expr.names


def _vary(
    base: Baseline, values: Mapping[str, Any], answered: set[str]
) -> tuple[dict[str, Any], set[str], set[str]]:
    """The environment for `values`, rerunning only the steps that read something that changed
    (`answered`: the questions whose answers differ); also the names whose value or visibility
    differs from the baseline's."""
    env, shown = dict(base.env), set(base.shown)
    changed: set[str] = set()
    for step, reads in zip(base.plan.steps, base.step_reads, strict=True):
        name = step.name
        if name not in answered and reads.isdisjoint(changed):
            continue
        before, was_shown = env[name], name in shown
        run_step(step, env, shown, values)
        now = env[name]
        if now != before or type(now) is not type(before) or (name in shown) != was_shown:
            changed.add(name)
    return env, shown, changed


def outcome_of(base: Baseline, change: Mapping[str, Any]) -> Outcome:
    """The findings, criteria levels and overall level with `change` applied to the answers."""
    plan = base.plan
    values = dict(base.values)
    for question, raw in change.items():
        value, problem = plan.validators[question](raw)
        if problem is None and value is not None:
            values[question] = value
        else:  # as in evaluate: an invalid answer counts as unanswered
            values.pop(question, None)
    env, shown, changed = _vary(base, values, set(change))
    current = list(base.ranked)
    readers = base.readers
    for index in sorted({i for name in changed for i in readers.get(name, ())}):
        current[index] = rule_finding(
            plan, plan.rules[index], env, shown, base.profiles, base.foreign
        )
    ranked = [found for found in current if found is not None]
    ranked.sort(key=lambda pair: pair[0])
    findings = tuple(finding for _rank, finding in ranked)
    criteria = criteria_results(base.bank, findings)
    fired = {finding.rule for finding in findings}
    hits = prohibitions(base.bank, base.profiles, fired, env)
    return Outcome(findings, tuple(criteria), overall(base.bank, criteria, hits))


def _readers(reads: tuple[frozenset[str], ...]) -> dict[str, tuple[int, ...]]:
    """Name -> the rules (by index) whose finding reads it: a change touches only those."""
    found: dict[str, list[int]] = {}
    for index, names in enumerate(reads):
        for name in names:
            found.setdefault(name, []).append(index)
    return {name: tuple(indexes) for name, indexes in found.items()}
