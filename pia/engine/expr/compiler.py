"""The bank's expression language: parse, check and compile conditions and formulas, once.

An expression is a small subset of Python expression syntax (docs/question-bank.md, "Expressions").
`compile_expression` parses it with `ast.parse(mode="eval")`, checks it node by node against a
whitelist and the bank's names, choices and types (check.py), and on success compiles it into
nested plain closures (build.py) that never raise at run time (runtime.py). Nothing here hands
text to Python's own evaluator.

Types: `types` maps every question and computed-value id to its ValueType. With `want="bool"`
(conditions) an expression whose type is known and not true/false, e.g. `threshold` or
`algorithm_name`, is a type-mismatch: only `True` fires a condition, so such a condition could never
hold. With `want="number"` (computed values) one whose type is known and not a number is a
type-mismatch. An expression of unknown type (a name typed "any") is never reported.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from pia.engine.bank.model import Expression, Location
from pia.engine.bank.problems import Code, Problem
from pia.engine.expr.build import build
from pia.engine.expr.check import Checker
from pia.engine.expr.grammar import FUNCTIONS, MAX_DEPTH
from pia.engine.expr.positions import SourceMap
from pia.engine.expr.value_types import ANY, ANY_TYPE, BOOL, NUMBER, ValueType

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_SOURCE_LENGTH",
    "CompiledExpression",
    "ValueType",
    "compile_expression",
    "compile_typed",
    "infer_type",
]

# Longer sources are refused before parsing: no bank needs them, and the parser's memory and
# recursion use grows with them.
MAX_SOURCE_LENGTH = 10_000
_SPLIT_HINT = "split it into computed values"

_WANTED = {
    BOOL: ("a condition must be true or false", "e.g. answered(x), x == 'value' or x > 0"),
    NUMBER: ("a computed value must be a number", "use arithmetic, len(), min(), max() or count()"),
}


@dataclass(frozen=True)
class CompiledExpression:
    """What compile_typed returns: the Expression (None when there are problems) and its type."""

    expression: Expression | None
    type: ValueType
    problems: tuple[Problem, ...]


def compile_expression(
    source: str,
    location: Location,
    types: Mapping[str, ValueType],
    *,
    want: str | None = None,
    quoted: bool = False,
    indent: int = 0,
) -> tuple[Expression | None, list[Problem]]:
    """Parse, check and compile. On problems returns (None, problems) listing ALL problems found.

    `location` is where the expression's YAML scalar starts; `quoted` says the scalar was written in
    quotes, which moves first-line columns one to the right. For a block scalar (`|`, `>`) pass the
    location of its first character and, as `indent`, the columns YAML removed from each line.
    `want` is "bool", "number" or None.
    """
    compiled = compile_typed(source, location, types, want=want, quoted=quoted, indent=indent)
    return compiled.expression, list(compiled.problems)


def infer_type(
    source: str, types: Mapping[str, ValueType], location: Location | None = None
) -> ValueType:
    """The ValueType of an expression (e.g. of a computed value); "any" if it does not check."""
    where = location or Location("<expression>", 1, 1)
    compiled = compile_typed(source, where, types)
    return compiled.type if compiled.expression is not None else ANY_TYPE


def compile_typed(
    source: str,
    location: Location,
    types: Mapping[str, ValueType],
    *,
    want: str | None = None,
    quoted: bool = False,
    indent: int = 0,
) -> CompiledExpression:
    """compile_expression, also giving the expression's type (for computed values)."""
    if want not in (None, BOOL, NUMBER):
        raise ValueError(f"want must be None, {BOOL!r} or {NUMBER!r}, not {want!r}")
    stripped = source.lstrip(" \t")
    source_map = SourceMap(stripped, location, quoted, len(source) - len(stripped), indent=indent)
    parsed = _parse(stripped, source_map)
    if isinstance(parsed, Problem):
        return _failed(parsed)
    tree, source_map = parsed
    checker = Checker(source_map, types)
    try:
        value_type = checker.check(tree.body)
    except (RecursionError, MemoryError):
        return _failed(_too_complex(source_map))
    problems = checker.problems
    if want is not None and not problems and value_type.kind not in (want, ANY):
        message, hint = _WANTED[want]
        message = f"{message}, not {value_type.describe()}"
        if want == BOOL and value_type.label:
            hint = f"to test whether it is answered, write answered({value_type.label})"
        problems.append(Problem(Code.TYPE_MISMATCH, source_map.node(tree.body), message, hint))
    if problems:
        return _failed(*problems)
    try:
        run = build(tree.body)
    except (RecursionError, MemoryError):  # only when called with the stack nearly full already
        return _failed(_too_complex(source_map))
    expression = Expression(source, frozenset(checker.names), run, location)
    return CompiledExpression(expression, value_type, ())


def _parse(source: str, source_map: SourceMap) -> tuple[ast.Expression, SourceMap] | Problem:
    """The syntax tree and the map of its positions, or the problem that stops parsing."""
    if not source.strip():
        return Problem(Code.EXPR_SYNTAX, source_map.start(), "the expression is empty")
    if len(source) > MAX_SOURCE_LENGTH:
        message = f"the expression has {len(source):,} characters; at most {MAX_SOURCE_LENGTH:,}"
        return Problem(Code.EXPR_FORBIDDEN, source_map.start(), message, _SPLIT_HINT)
    try:
        return _parse_lines(source, source_map)
    except SyntaxError as error:
        message = error.msg or "invalid syntax"
        hint = _syntax_hint(source)
        if error.lineno is None:  # e.g. null bytes: no position to point at
            return Problem(Code.EXPR_SYNTAX, source_map.start(), message, hint)
        return Problem(Code.EXPR_SYNTAX, source_map.syntax_error(error), message, hint)
    except ValueError as error:  # null bytes, on some Python versions
        return Problem(Code.EXPR_SYNTAX, source_map.start(), str(error))
    except (RecursionError, MemoryError):
        return _too_complex(source_map)


def _parse_lines(source: str, source_map: SourceMap) -> tuple[ast.Expression, SourceMap]:
    """ast.parse, accepting an expression written over several lines (a YAML block scalar).

    Python continues an expression onto the next line only inside brackets, so a multi-line source
    that does not parse as it is gets parsed again inside parentheses on lines of their own; the
    positions stay right because the opening one sits a whole line before the source.
    """
    try:
        return ast.parse(source, mode="eval"), source_map
    except SyntaxError as error:
        if "\n" not in source:
            raise
        try:
            tree = ast.parse("(\n" + source + "\n)", mode="eval")
        except SyntaxError as wrapped_error:
            # Report where the source itself goes wrong; at the closing parenthesis means the
            # source ended too early, so point just past its last character.
            lineno, last = (wrapped_error.lineno or 0) - 1, source.count("\n") + 1
            if lineno == last + 1:
                lineno, wrapped_error.offset = last, 0
            if 1 <= lineno <= last:
                wrapped_error.lineno = lineno
                raise wrapped_error from None
            raise error from None
        return tree, replace(source_map, lines_before=1)


# Operators from other languages that bank authors may reach for.
_FOREIGN_OPERATORS = (
    ("&&", "write `and` instead of &&"),
    ("||", "write `or` instead of ||"),
    ("===", "write == instead of ==="),
    ("!==", "write != instead of !=="),
    ("<>", "write != instead of <>"),
)


def _syntax_hint(source: str) -> str:
    outside_quotes = re.sub(r"'[^']*'|\"[^\"]*\"", "''", source)
    for token, hint in _FOREIGN_OPERATORS:
        if token in outside_quotes:
            return hint
    if "!" in outside_quotes.replace("!=", ""):
        return "write `not` instead of !"
    return ""


def _too_complex(source_map: SourceMap) -> Problem:
    message = f"the expression is nested too deeply (at most {MAX_DEPTH} levels)"
    return Problem(Code.EXPR_FORBIDDEN, source_map.start(), message, _SPLIT_HINT)


def _failed(*problems: Problem | None) -> CompiledExpression:
    found = sorted(
        (p for p in problems if p is not None),
        key=lambda p: (p.location.line, p.location.column),
    )
    return CompiledExpression(None, ANY_TYPE, tuple(found))
