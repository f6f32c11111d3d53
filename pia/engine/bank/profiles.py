"""profiles/*.yaml: one jurisdiction profile per file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pia.engine.bank.accountability import read_calendar, read_meeting_requirement
from pia.engine.bank.model import Element, Location, Obligation, Profile, Prohibition
from pia.engine.bank.problems import Code, did_you_mean
from pia.engine.bank.rules import Compiler
from pia.engine.bank.shape import Shape
from pia.engine.bank.yamlpos import PosMap


def read_profile(
    data: Any,
    shape: Shape,
    questions: Mapping[str, object],
    rules: Mapping[str, object],
    levels: tuple[str, ...],
    compile_slot: Compiler,
) -> tuple[Profile, Location] | None:
    top = shape.mapping(data, Location(shape.file, 1, 1), shape.file)
    if top is None:
        return None
    shape.keys(top, shape.file, ("profile",))
    if "profile" not in top:
        return None
    head = shape.mapping(top["profile"], top.value_loc("profile"), "profile")
    if head is None:
        return None
    shape.keys(
        head,
        "profile",
        ("id", "name"),
        (
            "description",
            "citations",
            "elements",
            "prohibitions",
            "obligations",
            "sources",
            "community_meetings",
            "calendar",
        ),
    )
    profile_id = shape.ident(head, "id", "profile id")
    what = f"profile {profile_id!r}" if profile_id else "the profile"
    elements = _elements(head, shape, questions, what, compile_slot)
    prohibitions = []
    for item, location in shape.entries(head, "prohibitions", what):
        entry = shape.mapping(item, location, "a prohibition")
        if entry is None:
            continue
        shape.keys(entry, "a prohibition", ("rule", "provision"), ("note", "unless"))
        rule_id = shape.ident(entry, "rule", "a prohibition")
        if rule_id and rule_id not in rules:
            shape.add(
                Code.UNKNOWN_RULE,
                entry.value_loc("rule"),
                f"{what} prohibits under an unknown rule {rule_id!r}",
                did_you_mean(rule_id, rules),
            )
            rule_id = ""
        unless_slot = shape.slot(entry, "unless", "a prohibition")
        unless = compile_slot(unless_slot, "bool") if unless_slot else None
        provision = shape.text(entry, "provision", "a prohibition")
        if rule_id and (unless_slot is None or unless is not None):
            prohibitions.append(
                Prohibition(rule_id, provision, shape.text(entry, "note", "a prohibition"), unless)
            )
    obligations = []
    obligation_ids: set[str] = set()
    for item, location in shape.entries(head, "obligations", what):
        entry = shape.mapping(item, location, "an obligation")
        if entry is None:
            continue
        shape.keys(entry, "an obligation", ("id", "text", "cite", "min_level"), ("when",))
        obligation_id = shape.ident(entry, "id", "obligation id")
        if obligation_id in obligation_ids:
            shape.add(
                Code.DUPLICATE_ID,
                entry.value_loc("id"),
                f"{what} has two obligations {obligation_id!r}",
            )
        obligation_ids.add(obligation_id)
        min_level = shape.text(entry, "min_level", "an obligation")
        if min_level and min_level not in levels:
            shape.add(
                Code.UNKNOWN_LEVEL,
                entry.value_loc("min_level"),
                f"an obligation's min_level {min_level!r} is not a level of the bank",
                did_you_mean(min_level, levels) or "levels: " + ", ".join(levels),
            )
            min_level = ""
        when_slot = shape.slot(entry, "when", "an obligation")
        when = compile_slot(when_slot, "bool") if when_slot else None
        if obligation_id and min_level and (when_slot is None or when is not None):
            obligations.append(
                Obligation(
                    id=obligation_id,
                    text=shape.text(entry, "text", "an obligation"),
                    cite=shape.text(entry, "cite", "an obligation"),
                    min_level=min_level,
                    when=when,
                )
            )
    community_meetings = read_meeting_requirement(head, shape, what)
    calendar = read_calendar(head, shape, what)
    if not profile_id:
        return None
    profile = Profile(
        id=profile_id,
        name=shape.text(head, "name", what),
        description=shape.text(head, "description", what),
        citations=shape.citations(head, "citations", what),
        elements=elements,
        prohibitions=tuple(prohibitions),
        obligations=tuple(obligations),
        sources=shape.text_list(head, "sources", what),
        community_meetings=community_meetings,
        calendar=calendar,
    )
    return profile, head.value_loc("id")


def _elements(
    head: PosMap, shape: Shape, questions: Mapping[str, object], what: str, compile_slot: Compiler
) -> tuple[Element, ...]:
    elements = []
    element_ids: set[str] = set()
    for item, location in shape.entries(head, "elements", what):
        entry = shape.mapping(item, location, "an element")
        if entry is None:
            continue
        shape.keys(entry, "an element", ("id", "cite", "text", "questions"), ("core", "when"))
        element_id = shape.ident(entry, "id", "element id")
        if element_id in element_ids:
            shape.add(
                Code.DUPLICATE_ID, entry.value_loc("id"), f"{what} has two elements {element_id!r}"
            )
        element_ids.add(element_id)
        covering = []
        for question, question_loc in shape.entries(entry, "questions", "an element"):
            question_id = shape.ident_value(question, question_loc, "a question id")
            if question_id is None:
                continue
            if question_id not in questions:
                shape.add(
                    Code.UNKNOWN_QUESTION,
                    question_loc,
                    f"element {element_id!r} of {what} names an unknown question {question_id!r}",
                    did_you_mean(question_id, questions),
                )
                continue
            covering.append(question_id)
        listed = entry.get("questions")
        if "questions" in entry and (listed is None or listed == []):
            shape.add(
                Code.UNCOVERED_ELEMENT,
                entry.value_loc("questions"),
                f"element {element_id!r} of {what} is covered by no question",
                "name the questions whose answers show the element is met",
            )
        core = []
        for question, question_loc in shape.entries(entry, "core", "an element"):
            question_id = shape.ident_value(question, question_loc, "a question id")
            if question_id is None:
                continue
            if question_id not in covering:
                shape.add(
                    Code.BAD_VALUE,
                    question_loc,
                    f"core question {question_id!r} of element {element_id!r}"
                    " is not among its questions",
                    did_you_mean(question_id, covering) or "list it under questions too",
                )
                continue
            core.append(question_id)
        when_slot = shape.slot(entry, "when", "an element")
        when = compile_slot(when_slot, "bool") if when_slot else None
        if element_id and (when_slot is None or when is not None):
            elements.append(
                Element(
                    id=element_id,
                    cite=shape.text(entry, "cite", "an element"),
                    text=shape.text(entry, "text", "an element"),
                    questions=tuple(covering),
                    core=tuple(core),
                    when=when,
                )
            )
    return tuple(elements)
