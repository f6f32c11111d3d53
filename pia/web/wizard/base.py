"""A section page's base: per question, digests of the answer and the note the page shows.

The page carries it in a hidden field (`base`). On save, an answer or note whose submitted digest
equals its base was not touched by the person, whatever is stored now; one that differs is their
change, and the store accepts it only if what is stored still matches the base
(pia.store.merging). So a save never undoes a colleague's change to a question the person did not
touch, and only questions changed on both sides conflict.

Encoded as a JSON object: question id -> [answer digest, note digest].
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from pia.engine.bank.model import Question
from pia.store.merging import digest

Base = dict[str, tuple[str, str]]


def stored_base(
    questions: Iterable[Question], answers: Mapping[str, Any], notes: Mapping[str, Any]
) -> Base:
    """The base of a page showing the stored answers and notes."""
    return {q.id: (digest(answers.get(q.id)), digest(notes.get(q.id))) for q in questions}


def encode_base(base: Mapping[str, tuple[str, str]]) -> str:
    return json.dumps({q: list(pair) for q, pair in base.items()}, separators=(",", ":"))


def decode_base(text: str | None, question_ids: Iterable[str]) -> Base | None:
    """The base a page sent; None when it sent none. ValueError when it is not one this section's
    page could have sent."""
    if not text:
        return None
    allowed = set(question_ids)
    try:
        raw = json.loads(text)
    except ValueError:
        raise ValueError("the page's record of what it showed is not readable") from None
    if not isinstance(raw, dict):
        raise ValueError("the page's record of what it showed is not readable")
    base: Base = {}
    for question_id, pair in raw.items():
        if question_id not in allowed:
            raise ValueError(f"the page's record names a question it did not show ({question_id})")
        if not (
            isinstance(pair, list)
            and len(pair) == 2
            and all(isinstance(part, str) and len(part) <= 64 for part in pair)
        ):
            raise ValueError("the page's record of what it showed is not readable")
        base[question_id] = (pair[0], pair[1])
    return base
