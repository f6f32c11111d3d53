"""Reading answer files (YAML or JSON), as described in docs/question-bank.md, "Answer files".

A file is either a plain mapping of question ids to answers, or a document with `answers:` and
optional `assessment`, `profiles`, `expected`, `why` and `notes`. Each answer is the value itself or
`{value, note}`. Anything else (not a mapping, binary data, a huge or deeply nested file) is refused
with an AnswersFileError whose message says what is wrong; nothing here raises anything else for bad
input. Values are not checked against the bank here: that is answers.check_answers's job.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pia.engine.bank.problems import did_you_mean
from pia.engine.bank.yamlpos import YamlError, decode, parse_json, parse_yaml, read_bytes
from pia.errors import PiaError

MAX_ANSWERS_BYTES = 5 * 1024 * 1024
MAX_NOTE = 20_000
DOCUMENT_KEYS = ("answers", "assessment", "profiles", "expected", "why", "notes")
ANSWER_KEYS = frozenset({"value", "note"})


class AnswersFileError(PiaError):
    """An answers file that cannot be used; the message says why and where."""


@dataclass(frozen=True)
class AnswersDocument:
    answers: dict[str, Any]  # question id -> raw value, as written (checked later)
    notes: dict[str, str] = field(default_factory=dict)  # question id -> note
    profiles: tuple[str, ...] = ()
    assessment: dict[str, Any] = field(default_factory=dict)  # title, agency, vendor, ...
    expected: dict[str, Any] | None = None  # what the bank's tests assert for examples/
    why: str = ""


def read_answers_file(path: str | os.PathLike[str]) -> AnswersDocument:
    """Reads a YAML or JSON answers file; raises AnswersFileError for anything unusable."""
    file = Path(path)
    name = str(path)
    try:
        text = decode(read_bytes(file, name, MAX_ANSWERS_BYTES), name)
        if file.suffix.lower() == ".json":
            data = parse_json(text, name)
        else:
            data = plain(parse_yaml(text, name))
    except YamlError as error:
        problem = error.problem
        hint = f" ({problem.hint})" if problem.hint else ""
        raise AnswersFileError(f"{problem.location}: {problem.message}{hint}") from None
    return answers_document(data, name)


def answers_document(data: Any, name: str = "answers") -> AnswersDocument:
    """An AnswersDocument from already parsed data (e.g. a JSON upload)."""
    if not isinstance(data, dict):
        raise AnswersFileError(
            f"{name}: an answers file must be a mapping of question ids to answers "
            f"(or a document with 'answers:'), not {_kind(data)}"
        )
    if "answers" in data:
        for key in data:
            if key not in DOCUMENT_KEYS:
                hint = did_you_mean(str(key), DOCUMENT_KEYS)
                raise AnswersFileError(
                    f"{name}: unknown key {str(key)[:80]!r} beside 'answers'"
                    + (f" ({hint})" if hint else f"; known keys: {', '.join(DOCUMENT_KEYS)}")
                )
        document = data
        raw_answers = _mapping(data["answers"], "answers", name)
    else:
        document = {}
        raw_answers = data
    answers: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for key, raw in raw_answers.items():
        question = str(key)
        if isinstance(raw, dict) and raw and raw.keys() <= ANSWER_KEYS and "value" in raw:
            answers[question] = raw["value"]
            note = raw.get("note")
            if note is not None:
                notes[question] = _note(note, question, name)
        else:
            answers[question] = raw
    for key, note in _mapping(document.get("notes"), "notes", name).items():
        notes[str(key)] = _note(note, str(key), name)
    return AnswersDocument(
        answers=answers,
        notes=notes,
        profiles=_profiles(document.get("profiles"), name),
        assessment=_mapping(document.get("assessment"), "assessment", name),
        expected=_mapping(document.get("expected"), "expected", name) or None,
        why=_text(document.get("why"), "why", name),
    )


def _kind(value: Any) -> str:
    if value is None:
        return "an empty file"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def _note(value: Any, question: str, name: str) -> str:
    if not isinstance(value, str):
        raise AnswersFileError(f"{name}: the note on {question[:80]!r} must be text")
    if len(value) > MAX_NOTE:
        raise AnswersFileError(
            f"{name}: the note on {question[:80]!r} is longer than {MAX_NOTE:,} characters"
        )
    return value


def _text(value: Any, key: str, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise AnswersFileError(f"{name}: {key!r} must be text")
    return value


def _mapping(value: Any, key: str, name: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise AnswersFileError(f"{name}: {key!r} must be a mapping, not {_kind(value)}")
    return value


def _profiles(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise AnswersFileError(f"{name}: 'profiles' must be a list of profile ids")
    return tuple(dict.fromkeys(value))


def plain(value: Any) -> Any:
    """Positioned YAML values turned into plain dicts and lists (iteratively: no deep recursion)."""
    if not isinstance(value, (dict, list)):
        return value
    root: Any = {} if isinstance(value, dict) else []
    stack = [(value, root)]
    while stack:
        source, target = stack.pop()
        items = source.items() if isinstance(source, dict) else enumerate(source)
        for key, item in items:
            if isinstance(item, (dict, list)):
                copy: Any = {} if isinstance(item, dict) else []
                stack.append((item, copy))
                item = copy
            if isinstance(target, dict):
                target[key] = item
            else:
                target.append(item)
    return root
