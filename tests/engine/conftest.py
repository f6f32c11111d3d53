"""A tiny bank written from inline YAML into tmp_path, for the engine's tests.

`write_bank({"rules/x.yaml": "..."})` writes BASE_FILES with the given files added or replaced (None
removes one) into a new folder and returns it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from inline_bank import BASE_FILES

from pia.engine import Bank, load_bank

WriteBank = Callable[..., Path]


@pytest.fixture
def write_bank(tmp_path: Path) -> WriteBank:
    counter = iter(range(1000))

    def write(files: dict[str, str | None] | None = None) -> Path:
        folder = tmp_path / f"bank{next(counter)}"
        wanted: dict[str, str | None] = {**BASE_FILES, **(files or {})}
        for name, text in wanted.items():
            if text is None:
                continue
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return folder

    return write


@pytest.fixture
def bank(write_bank: WriteBank) -> Bank:
    return load_bank(write_bank())
