"""What `evaluate` precomputes once per bank, so each evaluation only runs closures.

A Plan holds: the validators per question, the order of steps (deciding a question's visibility or
computing a value, each after what it depends on), and per rule the names its condition reads in
the order they are written. Plans are cached by bank identity; a Bank never changes once loaded.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pia.engine.answers import Validator, validators
from pia.engine.load_graph import dependency_order
from pia.engine.model import Bank

Run = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Step:
    name: str
    is_question: bool
    run: Run | None  # show_if (None: always shown) or the computed formula


@dataclass(frozen=True)
class RulePlan:
    trigger_names: tuple[str, ...]  # names the condition reads, in the order written


@dataclass(frozen=True)
class Plan:
    validators: Mapping[str, Validator]
    steps: tuple[Step, ...]
    names: tuple[str, ...]  # every question and computed id: the keys of the environment
    rule_triggers: Mapping[str, tuple[str, ...]]
    computed_reads: Mapping[str, tuple[str, ...]]  # questions a computed value reads, transitively
    rule_rank: Mapping[str, int]
    criterion_rank: Mapping[str, int]


_plans: dict[int, Plan] = {}
_lock = threading.Lock()


def plan_for(bank: Bank) -> Plan:
    """The bank's Plan, built on first use and dropped when the bank is garbage-collected."""
    key = id(bank)
    plan = _plans.get(key)
    if plan is None:
        plan = _build(bank)
        with _lock:
            if key not in _plans:
                _plans[key] = plan
                weakref.finalize(bank, _plans.pop, key, None)
    return plan


def names_in_order(source: str, names: frozenset[str]) -> tuple[str, ...]:
    """`names` ordered by where each first appears in `source` (as a whole word)."""

    def first(name: str) -> tuple[int, str]:
        match = re.search(rf"\b{re.escape(name)}\b", source)
        return (match.start() if match else len(source), name)

    return tuple(sorted(names, key=first))


def _build(bank: Bank) -> Plan:
    questions, computed = bank.questions, bank.computed
    rank = {name: index for index, name in enumerate([*questions, *computed])}
    depends_on: dict[str, list[str]] = {}
    for question_id in bank.visibility_order:
        show_if = questions[question_id].show_if
        found = show_if.names if show_if else ()
        depends_on[question_id] = sorted((n for n in found if n in rank), key=rank.__getitem__)
    for computed_id, item in computed.items():
        depends_on[computed_id] = sorted(
            (n for n in item.expr.names if n in rank), key=rank.__getitem__
        )
    order, _cycles = dependency_order([*bank.visibility_order, *computed], depends_on)
    steps = []
    for name in order:
        if name in questions:
            show_if = questions[name].show_if
            steps.append(Step(name, True, show_if.run if show_if else None))
        else:
            steps.append(Step(name, False, computed[name].expr.run))
    reads: dict[str, tuple[str, ...]] = {}
    for computed_id in computed:  # dependency order: earlier values are already resolved
        found: list[str] = []
        for name in names_in_order(
            computed[computed_id].expr.source, computed[computed_id].expr.names
        ):
            found.extend(reads.get(name, (name,)) if name in computed else (name,))
        reads[computed_id] = tuple(dict.fromkeys(n for n in found if n in questions))
    return Plan(
        validators=validators(bank),
        steps=tuple(steps),
        names=tuple(rank),
        rule_triggers={
            rule_id: names_in_order(rule.when.source, rule.when.names)
            for rule_id, rule in bank.rules.items()
        },
        computed_reads=reads,
        rule_rank={rule_id: index for index, rule_id in enumerate(bank.rules)},
        criterion_rank={criterion: index for index, criterion in enumerate(bank.criteria)},
    )
