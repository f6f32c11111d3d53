"""The catalogue of problems the bank loader and checker report.

Every problem has a code from `Code`, a location (file:line:column) and a message; most carry a hint
("did you mean ..."). Tests assert codes and positions, not pasted message text.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from pia.engine.bank.model import Location
from pia.errors import PiaError


class Code(StrEnum):
    # Files and YAML
    NO_BANK = "no-bank"  # the folder has no bank.yaml
    MISSING_FILE = "missing-file"  # a file every bank needs (criteria.yaml) is not there
    YAML_SYNTAX = "yaml-syntax"  # the file is not well-formed YAML
    READ_ERROR = "read-error"  # the file cannot be read (encoding, permissions, size)
    # Shape
    UNKNOWN_KEY = "unknown-key"
    MISSING_KEY = "missing-key"
    WRONG_TYPE = "wrong-type"  # a key holds the wrong kind of YAML value
    BAD_VALUE = "bad-value"  # a value outside what the key allows (e.g. severity 5, bad id)
    DUPLICATE_ID = "duplicate-id"
    DUPLICATE_KEY = "duplicate-key"  # one mapping names the same key twice
    # References
    UNKNOWN_QUESTION = "unknown-question"
    UNKNOWN_CRITERION = "unknown-criterion"
    UNKNOWN_RULE = "unknown-rule"
    UNKNOWN_SECTION = "unknown-section"
    UNKNOWN_LEVEL = "unknown-level"
    UNKNOWN_PROFILE = "unknown-profile"
    # Expressions
    EXPR_SYNTAX = "expr-syntax"  # not a Python expression at all
    EXPR_FORBIDDEN = "expr-forbidden"  # a construct outside the whitelist
    UNKNOWN_NAME = "unknown-name"  # a name that is no question or computed value
    UNKNOWN_FUNCTION = "unknown-function"
    UNKNOWN_CHOICE = "unknown-choice"  # a text compared with a choice question it does not offer
    TYPE_MISMATCH = "type-mismatch"
    CYCLE = "cycle"  # show_if conditions or computed values depend on themselves
    # Bank-wide checks
    UNCOVERED_ELEMENT = "uncovered-element"  # a profile element names no question
    UNLISTED_SECTION = "unlisted-section"  # a sections/*.yaml file not named in bank.yaml
    MATRIX_NOT_MONOTONIC = "matrix-not-monotonic"


@dataclass(frozen=True)
class Problem:
    code: Code
    location: Location
    message: str
    hint: str = ""

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.location}: {self.code.value} {self.message}{hint}"


class BankError(PiaError):
    """The bank does not check. `problems` holds every problem found, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        first = f": {self.problems[0]}" if self.problems else ""
        super().__init__(f"the question bank has {count} problem(s){first}")


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A hint naming the closest known names, or "" when nothing is close."""
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    if not close:
        return ""
    return "did you mean " + " or ".join(repr(c) for c in close) + "?"
