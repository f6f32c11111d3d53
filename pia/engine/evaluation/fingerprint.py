"""The SHA-256 fingerprint of a set of answers: what revisions and PDF verification compare.

It covers the bank id and version, the answers and the notes, written as canonical JSON (sorted
keys, no whitespace, non-ASCII kept as UTF-8), so the same content always gives the same hex digest
whatever order it was stored in, and any change to a value, note or bank version changes it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from pia.errors import PiaError


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()  # answers store dates as "YYYY-MM-DD"; say the same here
    raise PiaError(f"cannot fingerprint a value of type {type(value).__name__}")


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, non-ASCII kept: the text the fingerprint is taken of."""
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_plain,
    )


def fingerprint(
    bank_id: str, bank_version: str, answers: Mapping[str, Any], notes: Mapping[str, str]
) -> str:
    """SHA-256 hex digest of {"bank", "version", "answers", "notes"} as canonical JSON."""
    document = {
        "bank": bank_id,
        "version": bank_version,
        "answers": dict(answers),
        "notes": dict(notes),
    }
    try:
        text = canonical_json(document)
    except ValueError as error:  # NaN or infinity
        raise PiaError(f"cannot fingerprint the answers: {error}") from None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
