"""Turning positions inside an expression into file:line:column locations.

An expression is a YAML scalar; `Location` is where the scalar starts. Python's `ast` counts lines
from 1 and columns from 0 in UTF-8 bytes, so a node on the scalar's first line sits at
`location.column + characters-before-it` (+1 when the scalar is quoted, for the opening quote) and a
node on a later line at `location.line + lineno - 1`, column `indent + characters-before-it + 1`,
where `indent` is what YAML removed from the start of each line of a block scalar (`|` or `>`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cached_property

from pia.engine.bank.model import Location


@dataclass(frozen=True)
class SourceMap:
    source: str  # the text handed to ast.parse (leading blanks already removed)
    location: Location
    quoted: bool = False
    first_line_shift: int = 0  # blanks removed from the start of the first line
    # Lines put before the source to parse it (see expressions._parse); ast counts them, we don't.
    lines_before: int = 0
    indent: int = 0  # columns YAML removed from the start of each later line (block scalars)

    @cached_property
    def lines(self) -> list[str]:
        return self.source.split("\n")

    def at(self, lineno: int, char_offset: int) -> Location:
        """The location of 0-based character `char_offset` on 1-based line `lineno`."""
        lineno = max(lineno, 1)
        if lineno == 1:
            column = self.location.column + self.first_line_shift + char_offset
            column += 1 if self.quoted else 0
            return Location(self.location.file, self.location.line, column)
        line = self.location.line + lineno - 1
        return Location(self.location.file, line, self.indent + char_offset + 1)

    def node(self, node: ast.AST) -> Location:
        """Where an ast node starts."""
        lineno = getattr(node, "lineno", 1) - self.lines_before
        byte_offset = getattr(node, "col_offset", 0)
        return self.at(lineno, self._chars(lineno, byte_offset))

    def node_end(self, node: ast.AST) -> tuple[int, int]:
        """(lineno, char offset) just past the node."""
        lineno = getattr(node, "end_lineno", None) or getattr(node, "lineno", 1)
        lineno -= self.lines_before
        byte_offset = getattr(node, "end_col_offset", None) or 0
        return lineno, self._chars(lineno, byte_offset)

    def token_between(self, left: ast.AST, right: ast.AST, token: str) -> Location:
        """Where `token` (an operator) first appears between two nodes; the left node otherwise.

        ast records no position for operators, but a message pointing at `**` beats one pointing at
        the operand before it.
        """
        lines = self.lines
        start_line, start_char = self.node_end(left)
        end_line = getattr(right, "lineno", start_line) - self.lines_before
        end_char = self._chars(end_line, getattr(right, "col_offset", 0))
        for lineno in range(start_line, end_line + 1):
            if lineno - 1 >= len(lines):
                break
            text = lines[lineno - 1]
            begin = start_char if lineno == start_line else 0
            finish = end_char if lineno == end_line else len(text)
            found = text.find(token, begin, max(begin, finish))
            if found >= 0:
                return self.at(lineno, found)
        return self.node(left)

    def start(self) -> Location:
        """Where the scalar's text starts (inside its quotes)."""
        return self.at(1, -self.first_line_shift)

    def syntax_error(self, error: SyntaxError) -> Location:
        """Where Python's parser says the syntax goes wrong (its offset is 1-based characters)."""
        lines = self.lines
        lineno = min(max(error.lineno or 1, 1), len(lines))
        offset = error.offset or 0
        char_offset = offset - 1 if offset > 0 else len(lines[lineno - 1])
        return self.at(lineno, char_offset)

    def _chars(self, lineno: int, byte_offset: int) -> int:
        lines = self.lines
        if not 1 <= lineno <= len(lines):
            return byte_offset
        prefix = lines[lineno - 1].encode("utf-8")[:byte_offset]
        return len(prefix.decode("utf-8", errors="ignore"))
