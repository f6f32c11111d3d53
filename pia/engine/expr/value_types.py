"""What kind of value an expression or a name holds, as far as the checker can tell at load time."""

from __future__ import annotations

from dataclasses import dataclass

TEXT = "text"
NUMBER = "number"
BOOL = "bool"
LIST = "list"  # a multi answer or a list literal; `item` says of what
GROUPS = "groups"  # a group_numbers answer: group value -> number
ANY = "any"  # unknown: the checker assumes nothing and reports nothing
NONE = "none"  # the literal None, which compares with nothing
KINDS = (TEXT, NUMBER, BOOL, LIST, GROUPS, ANY, NONE)

_DESCRIPTIONS = {
    TEXT: "text",
    NUMBER: "a number",
    BOOL: "true/false",
    LIST: "a list",
    GROUPS: "a set of group numbers",
    ANY: "a value",
    NONE: "None",
}


@dataclass(frozen=True)
class ValueType:
    """The type of a name or an expression, for load-time checks.

    `choices` lists the values a choice (kind "text") or multi (kind "list") question offers, so a
    misspelt choice in a condition is caught. `label` names what the value is (e.g. the question id)
    in messages. `item` is the kind of a list's items ("text" for a multi answer).
    """

    kind: str
    choices: frozenset[str] | None = None
    label: str = ""
    item: str = TEXT

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown value kind {self.kind!r}; expected one of {KINDS}")

    def describe(self) -> str:
        """E.g. "threshold (a number)" or "a number", for messages."""
        what = _DESCRIPTIONS[self.kind]
        if self.kind == LIST and self.item not in (ANY, TEXT):
            what = f"a list of {self.item}s"
        return f"{self.label} ({what})" if self.label else what


ANY_TYPE = ValueType(ANY)
NUMBER_TYPE = ValueType(NUMBER)
BOOL_TYPE = ValueType(BOOL)


def is_a(value_type: ValueType, *kinds: str) -> bool:
    """True when the type is one of `kinds`, or unknown (so nothing is reported)."""
    return value_type.kind == ANY or value_type.kind in kinds
