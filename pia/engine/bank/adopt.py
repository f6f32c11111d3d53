"""The answers a safeguard or action brings about, as the bank declares them (`answers:`).

Read with the rule; checked once every question is known (question ids exist, values are answers
those questions accept), and a mitigation without a declaration must have a condition that the
planning engine can turn into answers by itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pia.engine.bank.adoption import answers_meeting
from pia.engine.bank.model import (
    CHOICE,
    DATE,
    GROUP_NUMBERS,
    MULTI,
    NUMBER,
    YESNO,
    Location,
    Question,
    Rule,
)
from pia.engine.bank.problems import Code, Problem, did_you_mean
from pia.engine.bank.shape import Shape
from pia.engine.bank.yamlpos import PosMap


@dataclass(frozen=True)
class DeclaredAnswer:
    question: str
    value: Any
    question_at: Location
    value_at: Location


def read_answers(
    shape: Shape, mapping: PosMap, what: str, found: list[DeclaredAnswer]
) -> tuple[tuple[str, Any], ...]:
    """The `answers:` of `mapping` (question id -> answer); each entry also goes to `found`."""
    if "answers" not in mapping:
        return ()
    declared = shape.mapping(mapping["answers"], mapping.value_loc("answers"), f"{what} answers")
    if declared is None:
        return ()
    if not declared:
        shape.add(Code.BAD_VALUE, mapping.value_loc("answers"), f"{what} answers must name one")
    pairs = []
    for key, value in declared.items():
        question = str(key)
        pairs.append((question, _plain(value)))
        found.append(
            DeclaredAnswer(question, _plain(value), declared.key_loc(key), declared.value_loc(key))
        )
    return tuple(pairs)


def _plain(value: Any) -> Any:
    """YAML dates become text (answers store dates as YYYY-MM-DD); lists and maps plain."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()
    return value


def check_adoptions(
    questions: Mapping[str, Question],
    declared: list[DeclaredAnswer],
    rules: Mapping[str, Rule],
    problems: list[Problem],
) -> None:
    for item in declared:
        question = questions.get(item.question)
        if question is None:
            problems.append(
                Problem(
                    Code.UNKNOWN_QUESTION,
                    item.question_at,
                    f"answers name an unknown question {item.question!r}",
                    did_you_mean(item.question, questions),
                )
            )
            continue
        takes = _refusal(question, item.value)
        if takes:
            problems.append(
                Problem(
                    Code.BAD_VALUE,
                    item.value_at,
                    f"{item.value!r} is not an answer to {item.question!r}",
                    f"it takes {takes}",
                )
            )
    for rule in rules.values():
        for mitigation in rule.mitigations:
            if mitigation.answers:
                continue
            if answers_meeting(questions, mitigation.when.source, {}) is None:
                problems.append(
                    Problem(
                        Code.NO_ADOPTION,
                        mitigation.when.location or rule.location or Location("?", 1, 1),
                        f"the answers that put mitigation {mitigation.id!r} of rule {rule.id!r}"
                        " in place cannot be read from its condition",
                        "declare them with 'answers:' (question id: answer)",
                    )
                )


def _refusal(question: Question, value: Any) -> str:
    """What the question takes, when `value` is not an answer to it; "" when it is."""
    choices = [c.value for c in question.choices]
    kind = question.type
    if kind == CHOICE:
        return "" if value in choices else "one of " + ", ".join(map(repr, choices))
    if kind == MULTI:
        fits = isinstance(value, list) and value and all(v in choices for v in value)
        return "" if fits else "a list of any of " + ", ".join(map(repr, choices))
    if kind == YESNO:
        return "" if isinstance(value, bool) else "true or false"
    if kind == NUMBER:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        low = question.min if question.min is not None else float("-inf")
        high = question.max if question.max is not None else float("inf")
        return "" if number and low <= value <= high else f"a number from {low} to {high}"
    if kind == GROUP_NUMBERS:
        groups = {g.value for g in question.groups}
        fits = isinstance(value, dict) and value and set(value) <= groups
        return "" if fits else "a mapping of its groups to numbers"
    if kind == DATE:
        return "" if isinstance(value, str) and len(value) == 10 else "a date written YYYY-MM-DD"
    return "" if isinstance(value, str) and value.strip() else "text"
