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
    """The bank in PIA_BANK (or ./questions); BankError when it does not check."""
    return _bank_at(str(bank_dir().resolve()))
