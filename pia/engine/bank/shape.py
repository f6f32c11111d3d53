"""Reading typed values out of positioned YAML while collecting every problem.

`Shape` is handed one file's parsed YAML piece by piece. Each accessor returns a usable value (or a
neutral default) and records a Problem when the YAML does not fit, so one pass reports everything
that is wrong instead of stopping at the first mistake.
"""

from __future__ import annotations

import datetime
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pia.engine.bank.model import Citation, Location
from pia.engine.bank.problems import Code, Problem, did_you_mean
from pia.engine.bank.yamlpos import PosList, PosMap


@dataclass(frozen=True)
class Slot:
    """An expression as written in the bank, before it is compiled."""

    source: str
    location: Location
    quoted: bool  # written in quotes, so columns inside it start one further right


ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*\Z")
MAX_ID_LENGTH = 64


def kind_of(value: Any) -> str:
    """How a YAML value reads to a bank author."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "a date"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _quote_hint(value: Any) -> str:
    """YAML turns unquoted yes/no/on/off, numbers and dates into non-text; say how to keep text."""
    if isinstance(value, bool | int | float | datetime.date) and value is not None:
        return "put it in quotes to make it text"
    return ""


class Shape:
    """Collects the problems of one file while its values are read."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def add(self, code: Code, location: Location, message: str, hint: str = "") -> None:
        self.problems.append(Problem(code, location, message, hint))

    # -- containers ---------------------------------------------------------------------------

    def mapping(self, value: Any, location: Location, what: str) -> PosMap | None:
        if isinstance(value, PosMap):
            return value
        self.add(Code.WRONG_TYPE, location, f"{what} must be a mapping, not {kind_of(value)}")
        return None

    def keys(
        self, mapping: PosMap, what: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> None:
        """Unknown keys (with a suggestion) and missing required keys."""
        required = tuple(required)
        known = (*required, *optional)
        for key in mapping:
            if key not in known:
                self.add(
                    Code.UNKNOWN_KEY,
                    mapping.key_loc(key),
                    f"{what} has no key {key!r}",
                    did_you_mean(str(key), known) or "known keys: " + ", ".join(known),
                )
        for key in required:
            if key not in mapping:
                self.add(Code.MISSING_KEY, mapping.loc, f"{what} needs the key {key!r}")

    def entries(self, mapping: PosMap, key: str, what: str) -> Iterator[tuple[Any, Location]]:
        """The items of a list value with their locations; a wrong type yields nothing."""
        if key not in mapping or mapping[key] is None:
            return
        value = mapping[key]
        if not isinstance(value, PosList):
            self.add(
                Code.WRONG_TYPE,
                mapping.value_loc(key),
                f"{what} {key!r} must be a list, not {kind_of(value)}",
            )
            return
        for index, item in enumerate(value):
            yield item, value.item_loc(index)

    # -- scalars --------------------------------------------------------------------------------

    def text(self, mapping: PosMap, key: str, what: str, default: str = "") -> str:
        value = mapping.get(key)
        if value is None:
            return default
        if isinstance(value, str):
            return value.strip()
        self.add(
            Code.WRONG_TYPE,
            mapping.value_loc(key),
            f"{what} {key!r} must be text, not {kind_of(value)}",
            _quote_hint(value),
        )
        return default

    def text_item(self, value: Any, location: Location, what: str) -> str | None:
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.add(
            Code.WRONG_TYPE,
            location,
            f"{what} must be non-empty text, not {kind_of(value)}",
            _quote_hint(value),
        )
        return None

    def ident(self, mapping: PosMap, key: str, what: str) -> str:
        """An id following the bank's id pattern; "" when missing or wrong."""
        value = mapping.get(key)
        if value is None:
            return ""
        return self.ident_value(value, mapping.value_loc(key), what) or ""

    def ident_value(self, value: Any, location: Location, what: str) -> str | None:
        if not isinstance(value, str):
            self.add(
                Code.WRONG_TYPE,
                location,
                f"{what} must be an id (text), not {kind_of(value)}",
                _quote_hint(value),
            )
            return None
        if not ID_PATTERN.match(value) or len(value) > MAX_ID_LENGTH:
            suggestion = re.sub(r"[^a-z0-9_]+", "_", value.strip().lower()).strip("_")
            self.add(
                Code.BAD_VALUE,
                location,
                f"{what} {value!r} is not a valid id: lower-case letters, digits and _, "
                f"starting with a letter, at most {MAX_ID_LENGTH} characters",
                f"e.g. {suggestion!r}" if suggestion and ID_PATTERN.match(suggestion) else "",
            )
            return None
        # Interned, as Python interns the names in expressions: the many lookups by id at
        # evaluation (env, answers, memo keys) then match by identity, without comparing text.
        return sys.intern(value)

    def slot(self, mapping: PosMap, key: str, what: str) -> Slot | None:
        """An expression: text in the YAML, compiled later once every name is known."""
        value = mapping.get(key)
        if value is None:
            return None
        if isinstance(value, str) and value.strip():
            return Slot(value, mapping.value_loc(key), mapping.style(key) in ("'", '"'))
        self.add(
            Code.WRONG_TYPE,
            mapping.value_loc(key),
            f"{what} {key!r} must be an expression written as text, not {kind_of(value)}",
            "e.g. answered(some_question) or some_question == 'value'",
        )
        return None

    def flag(self, mapping: PosMap, key: str, what: str, default: bool = False) -> bool:
        value = mapping.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        self.add(
            Code.WRONG_TYPE,
            mapping.value_loc(key),
            f"{what} {key!r} must be true or false, not {kind_of(value)}",
        )
        return default

    def integer(
        self, mapping: PosMap, key: str, what: str, low: int, high: int, default: int | None = None
    ) -> int | None:
        value = mapping.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(
                Code.WRONG_TYPE,
                mapping.value_loc(key),
                f"{what} {key!r} must be a whole number from {low} to {high}, not {kind_of(value)}",
            )
            return default
        if not low <= value <= high:
            self.add(
                Code.BAD_VALUE,
                mapping.value_loc(key),
                f"{what} {key!r} is {value}; it must be from {low} to {high}",
            )
            return default
        return value

    def number(self, mapping: PosMap, key: str, what: str) -> float | None:
        value = mapping.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            self.add(
                Code.WRONG_TYPE,
                mapping.value_loc(key),
                f"{what} {key!r} must be a number, not {kind_of(value)}",
            )
            return None
        return value

    def text_list(self, mapping: PosMap, key: str, what: str) -> tuple[str, ...]:
        found = []
        for item, location in self.entries(mapping, key, what):
            text = self.text_item(item, location, f"each of {what} {key!r}")
            if text is not None:
                found.append(text)
        return tuple(found)

    def citations(self, mapping: PosMap, key: str, what: str) -> tuple[Citation, ...]:
        """A list of citations: bare strings, or mappings with source (required), note and url."""
        found = []
        for item, location in self.entries(mapping, key, what):
            if isinstance(item, str):
                if item.strip():
                    found.append(Citation(item.strip()))
                else:
                    self.add(Code.BAD_VALUE, location, "a citation must not be empty")
                continue
            cite = self.mapping(item, location, f"a citation in {what}")
            if cite is None:
                continue
            self.keys(cite, "a citation", ("source",), ("note", "url"))
            source = self.text(cite, "source", "a citation")
            if source:
                found.append(
                    Citation(
                        source, self.text(cite, "note", "a citation"), self.text(cite, "url", "")
                    )
                )
        return tuple(found)
