"""Any value anywhere in a bank file may be wrong: the checker reports problems, never raises."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inline_bank import BASE_FILES

from pia.engine import check_bank

PARSED = {name: yaml.safe_load(textwrap.dedent(text)) for name, text in BASE_FILES.items()}

junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 10)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["mode", "c1", "Low", "live", "threshold < 99", "answered(", "x.y", "[]"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "text", "type", "when", "x"]), children, max_size=3
        )
    ),
    max_leaves=6,
)


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a parsed file a value sits, as a path of keys and indexes."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


def replaced(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: replaced(value[head], rest, new)}
    copy = list(value)
    copy[head] = replaced(copy[head], rest, new)
    return copy


@st.composite
def damaged_banks(draw: st.DrawFn) -> dict[str, str]:
    files = dict(PARSED)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(files)))
        path = draw(st.sampled_from(paths(files[name])))
        files[name] = replaced(files[name], path, draw(junk))
    return {name: yaml.safe_dump(value, sort_keys=False) for name, value in files.items()}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=damaged_banks())
def test_a_damaged_bank_gives_problems_not_exceptions(tmp_path_factory, files) -> None:
    folder: Path = tmp_path_factory.mktemp("bank")
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    bank, problems = check_bank(folder)
    assert (bank is None) == bool(problems)
    for problem in problems:
        assert problem.location.line >= 1 and problem.location.column >= 1
        assert problem.message
