"""Fixtures of the report tests: the small bank of report_bank.py, loaded and evaluated."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_bank import RICH_ANSWERS, write_bank

from pia.engine import evaluate, load_bank
from pia.engine.bank.model import Bank
from pia.engine.evaluation.result import Evaluation


@pytest.fixture(scope="session")
def bank_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_bank(tmp_path_factory.mktemp("bank"))


@pytest.fixture(scope="session")
def bank(bank_dir: Path) -> Bank:
    return load_bank(bank_dir)


@pytest.fixture(scope="session")
def rich_evaluation(bank: Bank) -> Evaluation:
    return evaluate(bank, RICH_ANSWERS, ["wa"])
