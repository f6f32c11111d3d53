"""Turning a safeguard's condition into the answers that would make it hold (for the loader's
check and for pia.engine.planning).

A mitigation is written as a condition on answers (`human_review == 'two_examiners'`). Adopting the
safeguard means answering so that the condition holds; for the shapes conditions take in the bank
(comparisons of a question with a constant, `in` a list, `and`, `or`, a bare yes/no question) that
answer follows from the expression itself. Anything else (a computed value, arithmetic) cannot be
decided from the text: the bank then declares the answers (`answers:` on the mitigation or action).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

from pia.engine.bank.model import CHOICE, MULTI, NUMBER, YESNO, Question

# question id -> the answer adopting the item gives it
AnswerChange = tuple[tuple[str, Any], ...]


def answers_meeting(
    questions: Mapping[str, Question], source: str, answers: Mapping[str, Any]
) -> AnswerChange | None:
    """The answer changes that make the condition `source` hold, or None when undeterminable.

    Changes are relative to `answers` only for multiple-choice questions (a value is added to what
    is already chosen); every other change is a plain new answer.
    """
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:
        return None
    found = _derive(questions, tree, answers)
    return None if found is None else tuple(sorted(found.items()))


def _derive(
    questions: Mapping[str, Question], node: ast.AST, answers: Mapping[str, Any]
) -> dict[str, Any] | None:
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And):
            merged: dict[str, Any] = {}
            for part in node.values:
                found = _derive(questions, part, answers)
                if found is None or any(merged.get(k, v) != v for k, v in found.items()):
                    return None
                merged.update(found)
            return merged
        for part in node.values:  # `or`: the first alternative that can be answered
            found = _derive(questions, part, answers)
            if found is not None:
                return found
        return None
    if isinstance(node, ast.Name):
        return _set(questions, node.id, True)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        if isinstance(node.operand, ast.Name):
            return _set(questions, node.operand.id, False)
        return None
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        return _compare(questions, node.left, node.ops[0], node.comparators[0], answers)
    return None


def _compare(
    questions: Mapping[str, Question],
    left: ast.AST,
    op: ast.cmpop,
    right: ast.AST,
    answers: Mapping[str, Any],
) -> dict[str, Any] | None:
    if isinstance(op, ast.In) and isinstance(right, ast.Name) and isinstance(left, ast.Constant):
        question = questions.get(right.id)
        if question is None or question.type != MULTI:
            return None
        current = answers.get(right.id)
        chosen = [v for v in current if isinstance(v, str)] if isinstance(current, list) else []
        exclusive = {c.value for c in question.choices if c.exclusive}
        chosen = [v for v in chosen if v not in exclusive and v != left.value]
        order = [c.value for c in question.choices]
        wanted = {*chosen, left.value}
        return _set(questions, right.id, [v for v in order if v in wanted])
    if not isinstance(left, ast.Name):
        return None
    name = left.id
    if isinstance(op, ast.In) and isinstance(right, ast.List | ast.Tuple | ast.Set):
        values = [e.value for e in right.elts if isinstance(e, ast.Constant)]
        return _set(questions, name, values[0]) if values else None
    if not isinstance(right, ast.Constant):
        return None
    value = right.value
    question = questions.get(name)
    if question is None:
        return None
    if isinstance(op, ast.Eq | ast.GtE | ast.LtE):
        return _set(questions, name, value)
    if isinstance(op, ast.NotEq):
        if question.type == YESNO and isinstance(value, bool):
            return _set(questions, name, not value)
        if question.type == CHOICE:
            others = [c.value for c in question.choices if c.value != value]
            return _set(questions, name, others[0]) if others else None
        return None
    if question.type == NUMBER and isinstance(value, int) and not isinstance(value, bool):
        if isinstance(op, ast.Gt):
            return _set(questions, name, value + 1)
        if isinstance(op, ast.Lt):
            return _set(questions, name, value - 1)
    return None


def _set(questions: Mapping[str, Question], name: str, value: Any) -> dict[str, Any] | None:
    """Only questions can be answered; a computed value has no answer to change."""
    if name not in questions:
        return None
    return {name: value}
