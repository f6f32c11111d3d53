"""docs/review.md prints the permission table exactly as pia.store.policy.PERMISSIONS holds it."""

from __future__ import annotations

from pathlib import Path

from pia.store.policy import permission_table_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "review.md"
START = "<!-- permission table:"
END = "<!-- end of permission table -->"


def test_the_documented_table_is_the_policy_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text.split(START, 1)[1].split("\n", 1)[1].split(END, 1)[0]
    assert block == permission_table_markdown(), (
        "docs/review.md differs from pia.store.policy.PERMISSIONS: regenerate its table with "
        "pia.store.policy.permission_table_markdown()"
    )
