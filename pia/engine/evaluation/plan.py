"""What `evaluate` precomputes once per bank, so each evaluation only runs closures.

A Plan holds: the validators per question, the order of steps (deciding a question's visibility or
computing a value, each after what it depends on), and per rule its inherent rating, its
mitigations as ready-made values and the names its condition reads in the order they are written.
Plans are cached by bank identity; a Bank never changes once loaded.

Evaluation values are frozen dataclasses, which are slow to create; the Plan keeps the ones that
depend only on the bank (ratings, applied mitigations) and memoises triggers, which depend on the
bank and one answer value.
"""

from __future__ import annotations

import re
import sys
import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pia.engine.bank.graph import dependency_order
from pia.engine.bank.model import SEVERITY, Bank, Computed, Question, Rule
from pia.engine.evaluation.answers import Validator, validators
from pia.engine.evaluation.display import display_answer, display_computed
from pia.engine.evaluation.result import AppliedMitigation, Rating, Trigger

MAX_MEMO = 20_000  # remembered triggers per bank; beyond it the memo starts afresh
_HASHABLE = (str, int, float, bool, type(None))

Run = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    is_question: bool
    run: Run | None  # show_if (None: always shown) or the computed formula


@dataclass(frozen=True, slots=True)
class MitigationPlan:
    run: Run
    lowers_severity: bool
    by: int
    applied: AppliedMitigation


@dataclass(frozen=True, slots=True)
class RulePlan:
    rule: Rule
    rank: int  # position in the bank, the last tie-breaker when sorting findings
    inherent: Rating
    mitigations: tuple[MitigationPlan, ...]
    trigger_names: tuple[str, ...]  # names the condition reads (then what computed values read)
    # What every evaluation reads of every rule, kept here so that it reads one object per rule.
    when: Run
    profiles: tuple[str, ...]
    severity: int
    likelihood: int


@dataclass(frozen=True)
class Plan:
    validators: Mapping[str, Validator]
    steps: tuple[Step, ...]
    names: tuple[str, ...]  # every question and computed id: the keys of the environment
    rules: tuple[RulePlan, ...]
    ratings: tuple[tuple[Rating, ...], ...]  # ratings[severity - 1][likelihood - 1]
    level_rank: Mapping[str | None, int]  # None -> 0, lowest level -> 1, ...
    questions: Mapping[str, Question]  # the bank's (the Plan must not keep the Bank alive)
    computed: Mapping[str, Computed]
    memo: dict[tuple[str, type, Any], Trigger] = field(default_factory=dict, compare=False)
    # Findings by (rule rank, mitigations applied, keys of the trigger values); see evaluate.py.
    finding_memo: dict[tuple[Any, ...], Any] = field(default_factory=dict, compare=False)
    # Coverage values by (element identity, any covering question visible, answered ids).
    coverage_memo: dict[tuple[int, bool, tuple[str, ...], bool], Any] = field(
        default_factory=dict, compare=False
    )
    # Per section: (section, ((question id, required), ...)), for progress.
    section_questions: tuple[tuple[Any, tuple[tuple[str, bool], ...]], ...] = ()
    required: frozenset[str] = frozenset()  # the required questions' ids

    def trigger(self, name: str, value: Any, value_key: tuple[Any, Any] | None) -> Trigger:
        """The Trigger for a name and its value (`value_key` is key_of(value), or HIDDEN for a
        question hidden by a condition), remembered when the value can be a dict key."""
        if value_key is None:
            return self._make_trigger(name, value, hidden=False)
        key = (name, *value_key)
        memo = self.memo
        found = memo.get(key)
        if found is None:
            if len(memo) >= MAX_MEMO:
                memo.clear()
            found = memo[key] = self._make_trigger(name, value, value_key is HIDDEN)
        return found

    def _make_trigger(self, name: str, value: Any, hidden: bool) -> Trigger:
        question = self.questions.get(name)
        if question is not None:
            display = NOT_ASKED if hidden else display_answer(question, value)
            return Trigger(name, "question", question.text, value, display)
        computed = self.computed[name]
        return Trigger(name, "computed", computed.label, value, display_computed(computed, value))


HIDDEN = ("hidden", None)  # the key of a question hidden by a condition (its value is None)
NOT_ASKED = "not asked (hidden by a condition)"


def key_of(value: Any) -> tuple[type, Any] | None:
    """A dict key standing for an answer value (type included, so 1, 1.0 and True differ)."""
    kind = type(value)
    if kind in _HASHABLE:
        return (kind, value)
    if kind is list and all(type(item) in _HASHABLE for item in value):
        return (kind, tuple(value))  # a multi answer: a list of text
    if kind is dict and all(type(item) in _HASHABLE for item in value.values()):
        return (kind, tuple(value.items()))  # a group_numbers answer: text -> number
    return None


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


_WORD = re.compile(r"\w+")


def names_in_order(source: str, names: frozenset[str]) -> tuple[str, ...]:
    """`names` ordered by where each first appears in `source` (as a whole word); any not found
    come last, by name.

    One pass over the words of the source: a pattern per name would compile more regular
    expressions than re's cache holds on a large bank, and cost more than the rest of the plan.
    """
    found = dict.fromkeys(sys.intern(word) for word in _WORD.findall(source) if word in names)
    return (*found, *sorted(names.difference(found)))


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
    for computed_id, item in computed.items():  # dependency order: earlier ones are resolved
        found: list[str] = []
        for name in names_in_order(item.expr.source, item.expr.names):
            found.extend(reads.get(name, (name,)) if name in computed else (name,))
        reads[computed_id] = tuple(dict.fromkeys(n for n in found if n in questions))
    ratings = tuple(
        tuple(Rating(s, lk, bank.level_for(s, lk)) for lk in range(1, 5)) for s in range(1, 5)
    )
    rules = []
    for rank_in_bank, rule in enumerate(bank.rules.values()):
        names = list(names_in_order(rule.when.source, rule.when.names))
        for name in list(names):  # a computed value brings the questions it is computed from
            if name in computed:
                names.extend(reads[name])
        mitigations = tuple(
            MitigationPlan(
                m.when.run,
                m.lowers == SEVERITY,
                m.by,
                AppliedMitigation(m.id, m.text, m.lowers, m.by, m.why),
            )
            for m in rule.mitigations
        )
        rules.append(
            RulePlan(
                rule,
                rank_in_bank,
                ratings[rule.severity - 1][rule.likelihood - 1],
                mitigations,
                tuple(dict.fromkeys(names)),
                rule.when.run,
                rule.profiles,
                rule.severity,
                rule.likelihood,
            )
        )
    level_rank: dict[str | None, int] = {None: 0}
    level_rank.update({level: index + 1 for index, level in enumerate(bank.levels)})
    return Plan(
        validators=validators(bank),
        steps=tuple(steps),
        names=tuple(rank),
        rules=tuple(rules),
        ratings=ratings,
        level_rank=level_rank,
        questions=questions,
        computed=computed,
        section_questions=tuple(
            (section, tuple((q, questions[q].required) for q in section.questions))
            for section in bank.sections
        ),
        required=frozenset(q for q, question in questions.items() if question.required),
    )
