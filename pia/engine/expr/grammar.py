"""What the expression language allows, and how its refusals are worded.

The whitelist in data: the functions, the operators with their symbols, the constructs refused with
the words a message uses for them, and which list items count as literals.
"""

from __future__ import annotations

import ast

FUNCTIONS = ("answered", "len", "min", "max", "count", "abs")
FUNCTIONS_HINT = "the functions are " + ", ".join(f"{name}()" for name in FUNCTIONS)
# Deeper trees are refused: no bank needs them, and recursion over them could exhaust the stack.
MAX_DEPTH = 100

ARITHMETIC_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
COMPARISON_SYMBOLS = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
}
FORBIDDEN_OPERATORS = {
    ast.FloorDiv: ("//", "the // operator"),
    ast.Mod: ("%", "the % operator"),
    ast.Pow: ("**", "the ** operator"),
    ast.MatMult: ("@", "the @ operator"),
    ast.LShift: ("<<", "the << operator"),
    ast.RShift: (">>", "the >> operator"),
    ast.BitOr: ("|", "the | operator"),
    ast.BitXor: ("^", "the ^ operator"),
    ast.BitAnd: ("&", "the & operator"),
    ast.Is: ("is", "the `is` operator"),
    ast.IsNot: ("is", "the `is not` operator"),
}
FORBIDDEN_NODES = {
    ast.Attribute: ("attribute access", ""),
    ast.Subscript: ("a subscript (indexing or slicing)", "use min(), max() or len()"),
    ast.Lambda: ("a lambda", ""),
    ast.ListComp: ("a list comprehension", ""),
    ast.SetComp: ("a set comprehension", ""),
    ast.DictComp: ("a dict comprehension", ""),
    ast.GeneratorExp: ("a generator expression", ""),
    ast.JoinedStr: ("an f-string", "write plain text in quotes"),
    ast.FormattedValue: ("an f-string", "write plain text in quotes"),
    ast.NamedExpr: ("an assignment expression (:=)", "use == to compare"),
    ast.IfExp: ("an if-expression", "use and/or, or split the condition"),
    ast.Set: ("a set", "use a list ['a', 'b']"),
    ast.Dict: ("a dict", ""),
    ast.Tuple: ("a tuple", "use a list ['a', 'b']"),
    ast.Starred: ("* unpacking", ""),
    ast.Await: ("await", ""),
    ast.Yield: ("yield", ""),
    ast.YieldFrom: ("yield", ""),
    ast.Slice: ("a slice", ""),
}
# YAML and other languages spell these differently; expressions use Python's spelling.
SPELLED_CONSTANTS = {
    "true": "write True, with a capital T",
    "yes": "write True",
    "false": "write False, with a capital F",
    "no": "write False",
    "none": "to test for a missing answer, use answered(x) or not answered(x)",
    "null": "to test for a missing answer, use answered(x) or not answered(x)",
}
NONE_HINT = "an unanswered value compares with nothing: use answered(x) or not answered(x)"


def literal_item(node: ast.AST) -> tuple[bool, object]:
    """(True, value) for what a list may hold (a constant or negated number), else (False, None)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, type(None))):
        return True, node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) in (int, float)
    ):
        return True, -node.operand.value
    return False, None
