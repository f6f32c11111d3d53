"""The bank this installation runs with, for store work done outside a web request (reminder
mail, report sections): loaded from PIA_BANK once per process, as the web app loads its own once
at start (bank files do not change while pia runs)."""

from __future__ import annotations

import functools

from pia.engine.bank.model import Bank
from pia.store.config import bank_dir


@functools.cache
def _bank_at(folder: str) -> Bank:
    from pia.engine import load_bank

    return load_bank(folder)


def configured_bank() -> Bank:
    """The bank in PIA_BANK (or ./questions, as the web app reads it; from elsewhere, as a cron
    job may run, the shipped bank); BankError when it does not check."""
    from pia.engine import resolve_bank_dir

    folder = bank_dir()
    if not (folder / "bank.yaml").is_file():
        folder = resolve_bank_dir(None)
    return _bank_at(str(folder.resolve()))
