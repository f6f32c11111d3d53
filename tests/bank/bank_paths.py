"""Where the shipped question bank and its examples live (imported by the tests beside it)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BANK_DIR = REPO / "questions"
EXAMPLES_DIR = BANK_DIR / "examples"
EXAMPLE_FILES = sorted(EXAMPLES_DIR.glob("*.yaml"))
