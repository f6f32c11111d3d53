"""Fixtures of the report tests: the small bank of report_bank.py, loaded and evaluated."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_bank import RICH_ANSWERS, write_bank

from pia.engine import evaluate, load_bank
from pia.engine.bank.model import Bank
from pia.engine.evaluation.result import Evaluation
from pia.report.signing import SigningKey, installation_signing_key


@pytest.fixture(scope="session")
def bank_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_bank(tmp_path_factory.mktemp("bank"))


@pytest.fixture(scope="session")
def bank(bank_dir: Path) -> Bank:
    return load_bank(bank_dir)


@pytest.fixture(scope="session")
def rich_evaluation(bank: Bank) -> Evaluation:
    return evaluate(bank, RICH_ANSWERS, ["wa"])


@pytest.fixture(scope="session")
def signing_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An instance folder whose installation certificate exists (the one `pia verify` trusts
    when PIA_INSTANCE points here)."""
    folder = tmp_path_factory.mktemp("instance")
    installation_signing_key(folder / "signing", "Example County Sheriff")
    return folder


@pytest.fixture(scope="session")
def signing_key(signing_instance: Path) -> SigningKey:
    return installation_signing_key(signing_instance / "signing", "unused: already created")


@pytest.fixture(scope="session")
def foreign_key(tmp_path_factory: pytest.TempPathFactory) -> SigningKey:
    """Another installation's key: a report it signs must not pass as this installation's."""
    return installation_signing_key(tmp_path_factory.mktemp("elsewhere"), "Forged County")


@pytest.fixture(autouse=True)
def _installation(signing_instance: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every report test runs as the installation of `signing_instance`, with no organisation
    certificate configured from the surrounding environment."""
    monkeypatch.setenv("PIA_INSTANCE", str(signing_instance))
    for name in ("PIA_SIGNING_CERT", "PIA_SIGNING_KEY", "PIA_SIGNING_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
