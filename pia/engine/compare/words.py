"""Word diffs of long texts, with the standard library's difflib."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from pia.engine.compare.result import DELETED, EQUAL, INSERTED, WordPiece

# Words with the white space after them, so joining the pieces gives the texts back.
_TOKEN = re.compile(r"\S+\s*|\s+")


def word_diff(old: str, new: str) -> tuple[WordPiece, ...]:
    """The pieces that turn `old` into `new`: equal runs, deleted and inserted words.

    Joining the EQUAL and INSERTED pieces gives `new`; EQUAL and DELETED give `old` up to the
    white space between words.
    """
    before = _TOKEN.findall(old)
    after = _TOKEN.findall(new)
    # Compare words without their trailing space, so a moved line break is not a change.
    matcher = SequenceMatcher(
        None, [t.rstrip() for t in before], [t.rstrip() for t in after], autojunk=False
    )
    pieces: list[WordPiece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(pieces, EQUAL, "".join(after[j1:j2]))
            continue
        if tag in ("delete", "replace"):
            _append(pieces, DELETED, "".join(before[i1:i2]))
        if tag in ("insert", "replace"):
            _append(pieces, INSERTED, "".join(after[j1:j2]))
    return tuple(pieces)


def _append(pieces: list[WordPiece], kind: str, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].kind == kind:
        pieces[-1] = WordPiece(kind, pieces[-1].text + text)
    else:
        pieces.append(WordPiece(kind, text))
