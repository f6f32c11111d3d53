"""The answers fingerprint: canonical, order-independent, and sensitive to every change."""

from __future__ import annotations

import datetime
import hashlib

import pytest

from pia.engine import fingerprint
from pia.errors import PiaError

ANSWERS = {"mode": "live", "threshold": 80, "fmr": {"women": 0.3, "men": 0.1}, "vendor": "Åcme"}


def test_it_is_the_sha256_of_canonical_json() -> None:
    expected_text = '{"answers":{"mode":"live"},"bank":"b","notes":{"mode":"Straße"},"version":"1"}'
    expected = hashlib.sha256(expected_text.encode("utf-8")).hexdigest()
    assert fingerprint("b", "1", {"mode": "live"}, {"mode": "Straße"}) == expected


def test_order_does_not_matter() -> None:
    reordered = dict(reversed(list(ANSWERS.items())))
    assert fingerprint("b", "1", ANSWERS, {}) == fingerprint("b", "1", reordered, {})


@pytest.mark.parametrize(
    "change",
    [
        lambda a, n: ("b", "2", a, n),
        lambda a, n: ("c", "1", a, n),
        lambda a, n: ("b", "1", {**a, "threshold": 81}, n),
        lambda a, n: ("b", "1", {**a, "threshold": 80.0}, n),
        lambda a, n: ("b", "1", {**a, "extra": None}, n),
        lambda a, n: ("b", "1", a, {"mode": "a note"}),
    ],
)
def test_any_change_changes_it(change) -> None:
    assert fingerprint(*change(ANSWERS, {})) != fingerprint("b", "1", ANSWERS, {})


def test_dates_read_as_iso_text() -> None:
    as_date = fingerprint("b", "1", {"d": datetime.date(2025, 1, 2)}, {})
    assert as_date == fingerprint("b", "1", {"d": "2025-01-02"}, {})


def test_values_that_cannot_be_written_are_refused() -> None:
    with pytest.raises(PiaError):
        fingerprint("b", "1", {"x": float("nan")}, {})
    with pytest.raises(PiaError):
        fingerprint("b", "1", {"x": object()}, {})
