"""YAML reading that remembers where every key and value was written.

The bank checker reports problems as file:line:column, so plain `yaml.safe_load` (which forgets
positions) is not enough. This module drives PyYAML's safe parser event by event and builds plain
Python values: mappings become `PosMap` (a dict that also knows each key's and value's position),
sequences become `PosList`. Scalars are resolved exactly as `yaml.safe_load` would resolve them.

Building from events instead of composing nodes keeps the stack explicit, so a file nested ten
thousand levels deep is refused with a message instead of exhausting the C stack, and alias
expansion is counted so a "billion laughs" file is refused too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from pia.engine.bank.model import Location
from pia.engine.bank.problems import Code, Problem

try:  # libyaml's parser is several times faster; the pure-Python one gives the same events
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_DEPTH = 40  # nesting of mappings and lists; the bank needs about six
MAX_NODES = 1_000_000  # values after alias expansion
_COLLECTION_TAGS = (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


# Positions are kept as plain (line, column) pairs, 1-based, and turned into Locations only when
# asked for: a bank has thousands of values and only a few ever appear in a message.
Position = tuple[int, int]
# A mapping entry: key line, key column, value line, value column, value's scalar style
# ('"', "'", '|', '>' or None for plain scalars and collections).
Spot = tuple[int, int, int, int, str | None]


class PosMap(dict):
    """A dict read from YAML that knows where it starts (`loc`) and where each entry was."""

    file: str
    start: Position
    spots: dict[Any, Spot]

    @property
    def loc(self) -> Location:
        return Location(self.file, *self.start)

    def key_loc(self, key: Any) -> Location:
        spot = self.spots.get(key)
        return Location(self.file, spot[0], spot[1]) if spot else self.loc

    def value_loc(self, key: Any) -> Location:
        spot = self.spots.get(key)
        return Location(self.file, spot[2], spot[3]) if spot else self.loc

    def style(self, key: Any) -> str | None:
        spot = self.spots.get(key)
        return spot[4] if spot else None


class PosList(list):
    """A list read from YAML that knows where it starts (`loc`) and where each item was."""

    file: str
    start: Position
    positions: list[Position]

    @property
    def loc(self) -> Location:
        return Location(self.file, *self.start)

    def item_loc(self, index: int) -> Location:
        if index < len(self.positions):
            return Location(self.file, *self.positions[index])
        return self.loc


class YamlError(Exception):
    """Raised inside this module; turned into a Problem by `read_yaml`."""

    def __init__(self, code: Code, location: Location, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.problem = Problem(code, location, message, hint)


def read_bytes(path: Path, file: str, max_bytes: int) -> bytes:
    """The file's bytes, refusing files that are too large or cannot be read."""
    start = Location(file, 1, 1)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise YamlError(
                Code.READ_ERROR,
                start,
                f"the file is {size:,} bytes; the limit is {max_bytes:,}",
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        raise YamlError(Code.READ_ERROR, start, f"cannot read the file: {reason}") from None
    if len(data) > max_bytes:
        raise YamlError(Code.READ_ERROR, start, f"the file is larger than {max_bytes:,} bytes")
    return data


def decode(data: bytes, file: str) -> str:
    """UTF-8 text (a leading byte-order mark is dropped); binary data is refused."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise YamlError(
            Code.READ_ERROR,
            Location(file, line, column),
            "the file is not UTF-8 text",
            "save it as UTF-8; binary files cannot be read",
        ) from None


def read_text(path: Path, file: str, max_bytes: int) -> str:
    """The file's text, refusing files that are too large, unreadable or not UTF-8."""
    return decode(read_bytes(path, file, max_bytes), file)


def read_yaml(path: Path, file: str, max_bytes: int) -> tuple[Any, list[Problem]]:
    """Reads one YAML file. Returns (value, []) or (None, [problem]). Never raises for bad input."""
    try:
        return parse_yaml(read_text(path, file, max_bytes), file), []
    except YamlError as error:
        return None, [error.problem]


def parse_yaml(text: str, file: str) -> Any:
    """Builds positioned values from YAML text; raises YamlError on any problem."""
    loader = _Loader(text)
    try:
        return _Builder(loader, file, text).document()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = _loc(file, mark) if mark else Location(file, 1, 1)
        message = " ".join(part for part in (error.context, error.problem) if part)
        raise YamlError(Code.YAML_SYNTAX, where, message or "not valid YAML") from None
    except yaml.reader.ReaderError as error:
        before = text[: error.position]
        where = Location(file, before.count("\n") + 1, error.position - before.rfind("\n"))
        code = error.character if isinstance(error.character, int) else ord(error.character)
        message = f"character U+{code:04X} is not allowed: {error.reason}"
        raise YamlError(Code.YAML_SYNTAX, where, message, "is this a binary file?") from None
    except yaml.YAMLError as error:
        raise YamlError(Code.YAML_SYNTAX, Location(file, 1, 1), str(error)) from None
    finally:
        loader.dispose()


def parse_json(text: str, file: str) -> Any:
    """Plain values from JSON text, refusing duplicate keys and deep nesting; raises YamlError."""

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise YamlError(Code.DUPLICATE_KEY, Location(file, 1, 1), f"duplicate key {key!r}")
            result[key] = value
        return result

    try:
        value = json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as error:
        raise YamlError(
            Code.YAML_SYNTAX, Location(file, error.lineno, error.colno), error.msg
        ) from None
    except RecursionError:
        raise YamlError(
            Code.YAML_SYNTAX, Location(file, 1, 1), f"nested more than {MAX_DEPTH} levels deep"
        ) from None
    if nesting_depth(value) > MAX_DEPTH:
        raise YamlError(
            Code.YAML_SYNTAX, Location(file, 1, 1), f"nested more than {MAX_DEPTH} levels deep"
        )
    return value


def nesting_depth(value: Any) -> int:
    """How deeply lists and mappings nest (0 for a scalar), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterator[Any] = iter(item.values())
        elif isinstance(item, list):
            children = iter(item)
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            return depth
        stack.extend((child, depth) for child in children)
    return deepest


def _loc(file: str, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


_STR_TAG = "tag:yaml.org,2002:str"
# The tag each plain scalar resolves to, remembered: keys like `id` and `text` recur thousands of
# times. Resolution depends only on the text for plain scalars.
_TAGS: dict[str, str] = {}


class _Builder:
    def __init__(self, loader: Any, file: str, text: str) -> None:
        self.loader = loader
        self.file = file
        self.text = text
        self._lines: list[str] | None = None
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor -> (value, expanded size)
        self.nodes = 0

    def document(self) -> Any:
        loader = self.loader
        loader.get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            return None
        loader.get_event()  # DocumentStart
        value = self._value()
        loader.get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            raise YamlError(
                Code.YAML_SYNTAX,
                _loc(self.file, event.start_mark),
                "a second YAML document in one file",
                "remove the '---' separator; each file holds one document",
            )
        return value

    def _too_many(self, mark: Any) -> YamlError:
        return YamlError(
            Code.YAML_SYNTAX,
            _loc(self.file, mark),
            f"more than {MAX_NODES:,} values (after expanding aliases)",
        )

    def _block_start(self, indicator_line: int) -> Position:
        """Where a block scalar's text starts: the line after the `|` or `>`, at the indentation
        of its text (so a message about an expression points into the expression; leading blank
        lines stay in the value as line breaks, so lines keep counting from here)."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        lines = self._lines
        for index in range(indicator_line + 1, len(lines)):
            content = lines[index]
            if content.strip():
                return (indicator_line + 2, len(content) - len(content.lstrip(" ")) + 1)
        return (indicator_line + 1, 1)

    def _scalar(self, event: Any) -> Any:
        """The scalar's value, resolved as yaml.safe_load would (quoted text stays text)."""
        loader = self.loader
        tag = event.tag
        if tag is None or tag == "!":
            if event.style and event.implicit[1]:
                return event.value  # quoted or block scalar: text
            tag = _TAGS.get(event.value) if event.implicit[0] else None
            if tag is None:
                tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                if event.implicit[0] and len(_TAGS) < 100_000:
                    _TAGS[event.value] = tag
        if tag == _STR_TAG:
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        constructor = loader.yaml_constructors.get(tag) or loader.yaml_constructors[None]
        return constructor(loader, node)

    def _value(self) -> Any:
        """Builds one value (scalar or collection) from the event stream, iteratively."""
        file = self.file
        get_event = self.loader.get_event
        scalar = self._scalar
        tags = _TAGS
        scalar_event, mapping_start = yaml.ScalarEvent, yaml.MappingStartEvent
        sequence_start, alias_event = yaml.SequenceStartEvent, yaml.AliasEvent
        # Each frame: [container, pending key (mappings), start size, anchor]
        stack: list[list[Any]] = []
        nodes = self.nodes
        while True:
            event = get_event()
            start = event.start_mark
            style: str | None = None
            kind = type(event)
            if kind is scalar_event:
                nodes += 1
                style = event.style or None
                # Fast paths for the common cases: quoted text, and plain text seen before.
                if event.tag is None and (
                    (style in ("'", '"') and event.implicit[1])
                    or (style is None and tags.get(event.value) == _STR_TAG)
                ):
                    value: Any = event.value
                else:
                    value = scalar(event)
                position = (start.line + 1, start.column + 1)
                if style == "|" or style == ">":
                    position = self._block_start(start.line)
                if event.anchor:
                    self.anchors[event.anchor] = (value, 1)
            elif kind is mapping_start or kind is sequence_start:
                nodes += 1
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(
                        Code.YAML_SYNTAX,
                        _loc(file, start),
                        f"nested more than {MAX_DEPTH} levels deep",
                    )
                if event.tag not in _COLLECTION_TAGS:
                    raise YamlError(
                        Code.YAML_SYNTAX,
                        _loc(file, start),
                        f"the tag {event.tag!r} is not allowed here",
                        "remove it: only plain mappings and lists are read",
                    )
                if kind is mapping_start:
                    container: Any = PosMap()
                    container.spots = {}
                else:
                    container = PosList()
                    container.positions = []
                container.file = file
                container.start = (start.line + 1, start.column + 1)
                stack.append([container, _NO_KEY, nodes, event.anchor])
                continue
            elif kind is alias_event:
                if event.anchor not in self.anchors:
                    raise YamlError(
                        Code.YAML_SYNTAX,
                        _loc(file, start),
                        f"alias *{event.anchor} refers to no finished anchor",
                    )
                value, size = self.anchors[event.anchor]
                nodes += size
                position = (start.line + 1, start.column + 1)
            else:  # MappingEnd or SequenceEnd
                container, _key, size_before, anchor = stack.pop()
                value = container
                position = container.start
                if anchor:
                    self.anchors[anchor] = (value, nodes - size_before + 1)
            if nodes > MAX_NODES:
                raise self._too_many(start)
            if not stack:
                self.nodes = nodes
                return value
            frame = stack[-1]
            parent = frame[0]
            if type(parent) is PosList:
                parent.append(value)
                parent.positions.append(position)
            elif frame[1] is _NO_KEY:
                if isinstance(value, (PosMap, PosList)):
                    raise YamlError(
                        Code.YAML_SYNTAX,
                        Location(file, *position),
                        "a mapping key must be a plain value",
                    )
                if value in parent.spots:
                    raise YamlError(
                        Code.DUPLICATE_KEY,
                        Location(file, *position),
                        f"duplicate key {value!r} in one mapping",
                        f"the first is at line {parent.spots[value][0]}",
                    )
                frame[1] = (value, position)
            else:
                key, key_position = frame[1]
                parent[key] = value
                parent.spots[key] = (*key_position, *position, style)
                frame[1] = _NO_KEY


class _NoKey:
    """Marks a mapping frame that waits for a key rather than a value."""


_NO_KEY = _NoKey()
