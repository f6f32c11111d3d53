"""Fixtures for the tests of the shipped question bank (questions/) and its methodology document.

`real_bank` is the bank in questions/, loaded once per test session. `examples` are the example
assessments in questions/examples/, read as AnswersDocuments and keyed by file stem.
"""

from __future__ import annotations

import pytest
from bank_paths import BANK_DIR, EXAMPLE_FILES

from pia.engine import AnswersDocument, Bank, load_bank, read_answers_file


@pytest.fixture(scope="session")
def real_bank() -> Bank:
    return load_bank(BANK_DIR)


@pytest.fixture(scope="session")
def examples() -> dict[str, AnswersDocument]:
    return {path.stem: read_answers_file(path) for path in EXAMPLE_FILES}
