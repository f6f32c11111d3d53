"""Positioned YAML: values as safe_load reads them, with 1-based positions for keys and values."""

from __future__ import annotations

import datetime

import pytest
import yaml

from pia.engine.bank.model import Location
from pia.engine.bank.yamlpos import (
    PosList,
    PosMap,
    YamlError,
    nesting_depth,
    parse_json,
    parse_yaml,
)

TEXT = """\
id: bank   # a comment
version: "1.0"
when: >
  folded text
items:
  - plain
  - {value: 'quoted', n: 3, f: 2.5, on: yes, d: 2024-05-01, none: null}
shared: &shared [1, 2]
again: *shared
"""


def test_values_match_safe_load() -> None:
    assert parse_yaml(TEXT, "f.yaml") == yaml.safe_load(TEXT)
    value = parse_yaml(TEXT, "f.yaml")
    assert value["items"][1]["d"] == datetime.date(2024, 5, 1)
    assert value["items"][1][True] is True  # YAML 1.1: `on` and `yes` are booleans


def test_positions_of_keys_values_and_items() -> None:
    value = parse_yaml(TEXT, "f.yaml")
    assert isinstance(value, PosMap) and isinstance(value["items"], PosList)
    assert value.loc == Location("f.yaml", 1, 1)
    assert value.key_loc("version") == Location("f.yaml", 2, 1)
    assert value.value_loc("version") == Location("f.yaml", 2, 10)
    assert value.style("version") == '"'
    assert value.style("id") is None
    assert value.style("when") == ">"
    items = value["items"]
    assert items.item_loc(0) == Location("f.yaml", 6, 5)
    assert items.item_loc(1) == Location("f.yaml", 7, 5)
    assert items[1].value_loc("value") == Location("f.yaml", 7, 13)
    assert items[1].style("value") == "'"
    assert value.value_loc("again") == Location("f.yaml", 9, 8)  # the alias, not the anchor
    assert value.key_loc("missing") == value.loc


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("a: 1\nb: 2\na: 3\n", "f.yaml:3:1", "duplicate key 'a'"),
        ("a: [1\n", "f.yaml:2:1", "expected"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2:1", "second YAML document"),
        ("a: *nothing\n", "f.yaml:1:4", "no finished anchor"),
        ("a: &x [*x]\n", "f.yaml:1:8", "no finished anchor"),
        ("? [1, 2]\n: x\n", "f.yaml:1:3", "plain value"),
        ("a: !!python/name:os.system x\n", "f.yaml:1:4", "python/name"),
        ("a: !!set {x}\n", "f.yaml:1:4", "not allowed"),
        ("a:\n" + "  " + "[" * 41 + "]" * 41 + "\n", "f.yaml:2:", "nested more than 40"),
        ("a: b\x07\n", "f.yaml:1:5", "U+0007"),
    ],
)
def test_problems_name_the_place(text, where, words) -> None:
    with pytest.raises(YamlError) as caught:
        parse_yaml(text, "f.yaml")
    problem = caught.value.problem
    assert str(problem.location).startswith(where), problem
    assert words in problem.message + problem.hint


def test_empty_and_comment_only_files_are_none() -> None:
    assert parse_yaml("", "f.yaml") is None
    assert parse_yaml("# nothing\n", "f.yaml") is None


def test_json_refuses_duplicates_and_depth() -> None:
    assert parse_json('{"a": [1, {"b": null}]}', "f.json") == {"a": [1, {"b": None}]}
    with pytest.raises(YamlError, match="duplicate key 'a'"):
        parse_json('{"a": 1, "a": 2}', "f.json")
    with pytest.raises(YamlError, match="nested"):
        parse_json("[" * 41 + "]" * 41, "f.json")
    assert nesting_depth([[[]]]) == 3 and nesting_depth("x") == 0


def test_a_block_scalar_is_placed_where_its_text_starts() -> None:
    value = parse_yaml("a: 1\nwhen: >\n    mode == 'x'\n    and y\nb: |\n\n  text\n", "f.yaml")
    assert value["when"] == "mode == 'x' and y\n"
    assert value.value_loc("when") == Location("f.yaml", 3, 5)
    assert value.style("when") == ">"
    assert value["b"] == "\ntext\n"  # the blank line stays, so lines count from line 6
    assert value.value_loc("b") == Location("f.yaml", 6, 3)


def test_the_pure_python_parser_gives_the_same_values_and_positions(monkeypatch) -> None:
    from pia.engine.bank import yamlpos

    fast = parse_yaml(TEXT, "f.yaml")
    monkeypatch.setattr(yamlpos, "_Loader", yaml.SafeLoader)
    slow = parse_yaml(TEXT, "f.yaml")
    assert slow == fast
    assert slow.spots == fast.spots
    assert slow["items"].positions == fast["items"].positions
    with pytest.raises(YamlError, match="nested more than 40"):
        parse_yaml("a: " + "[" * 500 + "]" * 500, "f.yaml")
