"""Bank expressions in plain words, for the methodology document (`pia bank doc`).

`in_words(source, bank)` turns `'live' in modes and live_legal_basis == 'none'` into
*How will the system be used?* (`modes`) includes "Live or near-real-time matching of video" and
*On what legal basis ...?* (`live_legal_basis`) is "No case-specific legal authorisation".
Question ids become their texts, choice values their labels, True/False "yes"/"no" and numbers get
their units. Expressions were checked when the bank loaded; anything this renderer does not know
falls back to the source text, so the document can never be wrong by omission, only less plain.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from pia.engine.bank.model import Bank, Question

COMPARISONS = {
    ast.Eq: "is",
    ast.NotEq: "is not",
    ast.Lt: "is less than",
    ast.LtE: "is at most",
    ast.Gt: "is more than",
    ast.GtE: "is at least",
}
ARITHMETIC = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "÷"}


def in_words(source: str, bank: Bank) -> str:
    """The expression in plain words; its source text when it cannot be parsed."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError:
        return f"`{source}`"
    return _Renderer(bank).render(tree.body)


def name_in_words(name: str, bank: Bank) -> str:
    """A question or computed value as *its text* (`its id`)."""
    question = bank.questions.get(name)
    if question is not None:
        return f"*{_escape(question.text)}* (`{name}`)"
    computed = bank.computed.get(name)
    if computed is not None:
        return f"*{_escape(computed.label)}* (`{name}`)"
    return f"`{name}`"


def one_line(text: str) -> str:
    """Text with its line breaks and runs of spaces collapsed."""
    return " ".join(text.split())


def table_cell(text: str) -> str:
    """Text for a Markdown table cell."""
    return one_line(text).replace("|", "\\|")


def _escape(text: str) -> str:
    """Text safe inside Markdown emphasis and tables."""
    return " ".join(text.split()).replace("*", "\\*").replace("|", "\\|").replace("_", "\\_")


class _Renderer:
    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.handlers: dict[type, Callable[[ast.AST], str]] = {
            ast.BoolOp: self._bool_op,
            ast.UnaryOp: self._unary_op,
            ast.Compare: self._compare,
            ast.Call: self._call,
            ast.BinOp: self._bin_op,
            ast.Name: self._name,
            ast.Constant: lambda node: self._constant(node, None),
            ast.List: lambda node: self._list(node, None),
        }

    def render(self, node: ast.AST) -> str:
        handler = self.handlers.get(type(node))
        if handler is None:
            return f"`{ast.unparse(node)}`"
        return handler(node)

    # Names and literals -----------------------------------------------------------------------

    def _question(self, node: ast.AST) -> Question | None:
        return self.bank.questions.get(node.id) if isinstance(node, ast.Name) else None

    def _unit(self, node: ast.AST) -> str:
        if not isinstance(node, ast.Name):
            return ""
        question = self.bank.questions.get(node.id)
        if question is not None:
            return question.unit
        computed = self.bank.computed.get(node.id)
        return computed.unit if computed is not None else ""

    def _name(self, node: ast.AST) -> str:
        assert isinstance(node, ast.Name)
        return name_in_words(node.id, self.bank)

    def _constant(self, node: ast.AST, about: ast.AST | None) -> str:
        """A literal; `about` is the name it is compared with, for choice labels and units."""
        assert isinstance(node, ast.Constant)
        value = node.value
        if value is True:
            return "yes"
        if value is False:
            return "no"
        if value is None:
            return "nothing"
        if isinstance(value, str):
            question = self._question(about) if about is not None else None
            label = question.choice_label(value) if question is not None else value
            return f"“{_escape(label)}”"
        unit = self._unit(about) if about is not None else ""
        if not unit:
            return f"{value:g}" if isinstance(value, float) else str(value)
        joiner = "" if unit in ("%", "x") else " "
        return f"{value:g}{joiner}{unit}" if isinstance(value, float) else f"{value}{joiner}{unit}"

    def _list(self, node: ast.AST, about: ast.AST | None) -> str:
        assert isinstance(node, ast.List)
        items = [self._operand(item, about) for item in node.elts]
        if not items:
            return "nothing"
        if len(items) == 1:
            return items[0]
        return ", ".join(items[:-1]) + " or " + items[-1]

    def _operand(self, node: ast.AST, about: ast.AST | None) -> str:
        if isinstance(node, ast.Constant):
            return self._constant(node, about)
        if isinstance(node, ast.List):
            return self._list(node, about)
        return self.render(node)

    # Operators --------------------------------------------------------------------------------

    def _bool_op(self, node: ast.AST) -> str:
        assert isinstance(node, ast.BoolOp)
        grouped = self._membership_group(node)
        if grouped is not None:
            return grouped
        word = " and " if isinstance(node.op, ast.And) else " or "
        parts = []
        for value in node.values:
            text = self.render(value)
            parts.append(f"({text})" if isinstance(value, ast.BoolOp) else text)
        return word.join(parts)

    def _membership_group(self, node: ast.BoolOp) -> str | None:
        """`'a' in x or 'b' in x` as "x includes any of a or b" (and `not in` joined by `and`
        as "includes none of"); None when the operands are not all such tests of one name."""
        wanted = ast.In if isinstance(node.op, ast.Or) else ast.NotIn
        values: list[ast.Constant] = []
        target: ast.Name | None = None
        for value in node.values:
            if not (
                isinstance(value, ast.Compare)
                and len(value.ops) == 1
                and isinstance(value.ops[0], wanted)
                and isinstance(value.left, ast.Constant)
                and isinstance(value.comparators[0], ast.Name)
            ):
                return None
            name = value.comparators[0]
            if target is not None and name.id != target.id:
                return None
            target = name
            values.append(value.left)
        if target is None or len(values) < 2:
            return None
        verb = "includes any of" if wanted is ast.In else "includes none of"
        listed = self._list(ast.List(elts=list(values)), target)
        return f"{self.render(target)} {verb} {listed}"

    def _unary_op(self, node: ast.AST) -> str:
        assert isinstance(node, ast.UnaryOp)
        operand = self.render(node.operand)
        if isinstance(node.op, ast.Not):
            return f"not ({operand})"
        if isinstance(node.op, ast.USub):
            return f"−{operand}"
        return f"`{ast.unparse(node)}`"

    def _bin_op(self, node: ast.AST) -> str:
        assert isinstance(node, ast.BinOp)
        symbol = ARITHMETIC.get(type(node.op))
        if symbol is None:
            return f"`{ast.unparse(node)}`"
        left, right = self._operand(node.left, None), self._operand(node.right, None)
        return f"({left} {symbol} {right})"

    def _compare(self, node: ast.AST) -> str:
        assert isinstance(node, ast.Compare)
        parts = []
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            parts.append(self._comparison(left, op, right))
            left = right
        return " and ".join(parts)

    def _comparison(self, left: ast.AST, op: ast.cmpop, right: ast.AST) -> str:
        if isinstance(op, ast.In | ast.NotIn):
            negated = isinstance(op, ast.NotIn)
            if isinstance(right, ast.List):
                verb = "is not one of" if negated else "is one of"
                if len(right.elts) == 1:
                    verb = "is not" if negated else "is"
                return f"{self.render(left)} {verb} {self._list(right, left)}"
            verb = "does not include" if negated else "includes"
            return f"{self.render(right)} {verb} {self._operand(left, right)}"
        words = COMPARISONS.get(type(op), f"`{ast.unparse(op)}`")
        # Name the question first even when the source puts the literal first.
        if isinstance(left, ast.Constant) and not isinstance(right, ast.Constant):
            left, right = right, left
            words = _flip(op, words)
        return f"{self.render(left)} {words} {self._operand(right, left)}"

    def _call(self, node: ast.AST) -> str:
        assert isinstance(node, ast.Call)
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        args = [self.render(arg) for arg in node.args]
        if name == "answered" and len(args) == 1:
            return f"{args[0]} is answered"
        if name == "count":
            return "the number of these that hold (" + "; ".join(args) + ")"
        if name == "len" and len(args) == 1:
            return f"the number of items in {args[0]}"
        if name in ("min", "max"):
            word = "lowest" if name == "min" else "highest"
            return f"the {word} of " + (args[0] if len(args) == 1 else ", ".join(args))
        if name == "abs" and len(args) == 1:
            return f"the size of {args[0]}"
        return f"`{ast.unparse(node)}`"


def _flip(op: ast.cmpop, words: str) -> str:
    flipped = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE}
    other = flipped.get(type(op))
    return COMPARISONS[other] if other is not None else words
