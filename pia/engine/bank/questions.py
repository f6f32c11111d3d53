"""sections/*.yaml: a section and its questions, read into drafts.

Drafts hold everything but compiled expressions: `show_if` can name any question or computed value
in the bank, so it is compiled only after every file has been read (see loader.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pia.engine.bank.model import (
    CHOICE,
    GROUP_NUMBERS,
    MIRRORED_DETAILS,
    MULTI,
    NUMBER,
    QUESTION_TYPES,
    TEXT,
    Choice,
    Location,
)
from pia.engine.bank.problems import Code, did_you_mean
from pia.engine.bank.shape import Shape, Slot
from pia.engine.bank.yamlpos import PosMap

QUESTION_KEYS = (
    "help",
    "required",
    "show_if",
    "criteria",
    "descriptive",
    "sensitive",
    "sensitive_reason",
    "choices",
    "groups",
    "unit",
    "min",
    "max",
    "citations",
    "mirrors_detail",
)
NUMERIC_TYPES = (NUMBER, GROUP_NUMBERS)


@dataclass
class QuestionDraft:
    fields: dict[str, Any]  # keyword arguments for model.Question, except show_if
    show_if: Slot | None
    location: Location


@dataclass
class SectionDraft:
    id: str
    title: str
    description: str
    show_if: Slot | None
    location: Location
    file: str
    questions: list[QuestionDraft] = field(default_factory=list)


def read_section(data: Any, shape: Shape, criteria: Mapping[str, object]) -> SectionDraft | None:
    top = shape.mapping(data, Location(shape.file, 1, 1), shape.file)
    if top is None:
        return None
    shape.keys(top, shape.file, ("section", "questions"))
    if "section" not in top:
        return None
    head = shape.mapping(top["section"], top.value_loc("section"), "section")
    if head is None:
        return None
    shape.keys(head, "section", ("id", "title"), ("description", "show_if"))
    section_id = shape.ident(head, "id", "section id")
    if not section_id:
        return None
    section = SectionDraft(
        id=section_id,
        title=shape.text(head, "title", "section"),
        description=shape.text(head, "description", "section"),
        show_if=shape.slot(head, "show_if", "section"),
        location=head.value_loc("id"),
        file=shape.file,
    )
    for item, location in shape.entries(top, "questions", shape.file):
        entry = shape.mapping(item, location, "a question")
        if entry is not None:
            draft = _read_question(entry, section_id, shape, criteria)
            if draft is not None:
                section.questions.append(draft)
    return section


def _read_question(
    entry: PosMap, section_id: str, shape: Shape, criteria: Mapping[str, object]
) -> QuestionDraft | None:
    shape.keys(entry, "a question", ("id", "text", "type"), QUESTION_KEYS)
    question_id = shape.ident(entry, "id", "question id")
    what = f"question {question_id!r}" if question_id else "a question"
    kind = shape.text(entry, "type", what)
    if kind and kind not in QUESTION_TYPES:
        shape.add(
            Code.BAD_VALUE,
            entry.value_loc("type"),
            f"{what} has an unknown type {kind!r}",
            did_you_mean(kind, QUESTION_TYPES) or "types: " + ", ".join(QUESTION_TYPES),
        )
        kind = ""
    descriptive = shape.flag(entry, "descriptive", what)
    criterion_ids = []
    for item, location in shape.entries(entry, "criteria", what):
        criterion_id = shape.ident_value(item, location, "a criterion id")
        if criterion_id is None:
            continue
        if criterion_id not in criteria:
            shape.add(
                Code.UNKNOWN_CRITERION,
                location,
                f"{what} names an unknown criterion {criterion_id!r}",
                did_you_mean(criterion_id, criteria),
            )
            continue
        criterion_ids.append(criterion_id)
    if not descriptive and "criteria" in entry and entry["criteria"] in (None, []):
        shape.add(
            Code.BAD_VALUE,
            entry.value_loc("criteria"),
            f"{what} lists no criteria",
            "name the criteria its answer informs, or mark it 'descriptive: true'",
        )
    if not descriptive and "criteria" not in entry:
        shape.add(
            Code.MISSING_KEY,
            entry.loc,
            f"{what} needs the key 'criteria'",
            "or mark it 'descriptive: true' if it informs no criterion",
        )
    fields: dict[str, Any] = {
        "id": question_id,
        "section": section_id,
        "text": shape.text(entry, "text", what),
        "type": kind,
        "help": shape.text(entry, "help", what),
        "required": shape.flag(entry, "required", what),
        "criteria": tuple(criterion_ids),
        "descriptive": descriptive,
        "sensitive": shape.flag(entry, "sensitive", what),
        "sensitive_reason": shape.text(entry, "sensitive_reason", what),
        "citations": shape.citations(entry, "citations", what),
        "location": entry.value_loc("id"),
    }
    fields["choices"] = _options(entry, "choices", kind in (CHOICE, MULTI), kind, what, shape)
    fields["groups"] = _options(entry, "groups", kind == GROUP_NUMBERS, kind, what, shape)
    for key in ("unit", "min", "max"):
        if key in entry and kind and kind not in NUMERIC_TYPES:
            shape.add(
                Code.BAD_VALUE,
                entry.key_loc(key),
                f"{what} is of type {kind!r}; only number and group_numbers questions have {key!r}",
            )
    fields["unit"] = shape.text(entry, "unit", what)
    fields["mirrors_detail"] = _mirrored_detail(entry, kind, what, shape)
    fields["min"] = shape.number(entry, "min", what)
    fields["max"] = shape.number(entry, "max", what)
    if fields["min"] is not None and fields["max"] is not None and fields["min"] > fields["max"]:
        shape.add(Code.BAD_VALUE, entry.value_loc("max"), f"{what} has max below min")
    if not question_id:
        return None
    # A question with a bad type still claims its id, so duplicates are reported too.
    fields["type"] = kind or TEXT
    return QuestionDraft(fields, shape.slot(entry, "show_if", what), entry.value_loc("id"))


def _mirrored_detail(entry: PosMap, kind: str, what: str, shape: Shape) -> str:
    """`mirrors_detail`: the assessment detail a text question asks again, or ""."""
    detail = shape.text(entry, "mirrors_detail", what)
    if not detail:
        return ""
    if detail not in MIRRORED_DETAILS:
        shape.add(
            Code.BAD_VALUE,
            entry.value_loc("mirrors_detail"),
            f"{what} mirrors an unknown detail {detail!r}",
            did_you_mean(detail, MIRRORED_DETAILS) or "details: " + ", ".join(MIRRORED_DETAILS),
        )
        return ""
    if kind and kind != TEXT:
        shape.add(
            Code.BAD_VALUE,
            entry.key_loc("mirrors_detail"),
            f"{what} is of type {kind!r}; only a text question can mirror a detail",
        )
        return ""
    return detail


def _options(
    entry: PosMap, key: str, wanted: bool, kind: str, what: str, shape: Shape
) -> tuple[Choice, ...]:
    """`choices` or `groups`: a list of {value, label, help?, exclusive?} with unique text
    values (`exclusive` only on a multiple-choice question's choices)."""
    if key not in entry:
        if wanted:
            shape.add(Code.MISSING_KEY, entry.loc, f"{what} of type {kind!r} needs {key!r}")
        return ()
    if not wanted:
        if kind:
            shape.add(
                Code.BAD_VALUE,
                entry.key_loc(key),
                f"{what} is of type {kind!r}, which has no {key!r}",
            )
        return ()
    options: list[Choice] = []
    seen: set[str] = set()
    for item, location in shape.entries(entry, key, what):
        option = shape.mapping(item, location, f"each of {key}")
        if option is None:
            continue
        shape.keys(option, f"each of {key}", ("value", "label"), ("help", "exclusive"))
        exclusive = shape.flag(option, "exclusive", f"each of {key}")
        if exclusive and not (kind == MULTI and key == "choices"):
            shape.add(
                Code.BAD_VALUE,
                option.key_loc("exclusive"),
                f"{what}: only an option of a multiple-choice question can be exclusive "
                "(chosen on its own)",
            )
            exclusive = False
        value = option.get("value")
        if not isinstance(value, str) or not value:
            if "value" in option:
                shape.text_item(value, option.value_loc("value"), f"a value in {key}")
            continue
        if value in seen:
            shape.add(
                Code.DUPLICATE_ID,
                option.value_loc("value"),
                f"{what} offers the value {value!r} twice",
            )
            continue
        seen.add(value)
        label = shape.text(option, "label", key) or value
        options.append(Choice(value, label, shape.text(option, "help", key), exclusive))
    if entry[key] is None or entry[key] == []:
        shape.add(Code.BAD_VALUE, entry.value_loc(key), f"{what} lists no {key}")
    return tuple(options)
