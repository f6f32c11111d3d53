"""computed.yaml and rules/*.yaml.

Computed values are read in two steps: `read_computed` takes their ids (so expressions anywhere can
name them) and keeps their formulas as Slots; the loader compiles the formulas once every name is
known. Rules are read after that, with a compiler at hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pia.engine.bank.adopt import DeclaredAnswer, read_answers
from pia.engine.bank.model import LIKELIHOOD, SEVERITY, Expression, Location, Mitigation, Rule
from pia.engine.bank.problems import Code, did_you_mean
from pia.engine.bank.shape import Shape, Slot
from pia.engine.bank.yamlpos import PosMap

# Compiles a Slot for a purpose ("bool" for conditions, None for formulas); None when it fails.
Compiler = Callable[[Slot, str | None], Expression | None]


@dataclass
class ComputedDraft:
    id: str
    label: str
    help: str
    unit: str
    expr: Slot | None
    location: Location


def read_computed(data: Any, shape: Shape, taken: Mapping[str, Location]) -> list[ComputedDraft]:
    """Computed values; `taken` holds question ids, since both share the expression namespace."""
    drafts: list[ComputedDraft] = []
    top = shape.mapping(data, Location(shape.file, 1, 1), "computed.yaml")
    if top is None:
        return drafts
    shape.keys(top, "computed.yaml", ("computed",))
    seen: dict[str, Location] = {}
    for item, location in shape.entries(top, "computed", "computed.yaml"):
        entry = shape.mapping(item, location, "a computed value")
        if entry is None:
            continue
        shape.keys(entry, "a computed value", ("id", "label", "expr"), ("help", "unit"))
        computed_id = shape.ident(entry, "id", "computed value id")
        expr = shape.slot(entry, "expr", "a computed value")
        if not computed_id:
            continue
        where = entry.value_loc("id")
        first = seen.get(computed_id) or taken.get(computed_id)
        if first is not None:
            shape.add(
                Code.DUPLICATE_ID,
                where,
                f"{computed_id!r} is already a question or computed value id",
                f"first at {first}",
            )
            continue
        seen[computed_id] = where
        drafts.append(
            ComputedDraft(
                id=computed_id,
                label=shape.text(entry, "label", "a computed value"),
                help=shape.text(entry, "help", "a computed value"),
                unit=shape.text(entry, "unit", "a computed value"),
                expr=expr,
                location=where,
            )
        )
    return drafts


RULE_REQUIRED = (
    "id",
    "title",
    "criterion",
    "explanation",
    "when",
    "severity",
    "likelihood",
    "citations",
)
RULE_OPTIONAL = ("justification", "mitigations", "actions", "profiles")
MITIGATION_REQUIRED = ("id", "text", "when", "lowers")
MITIGATION_OPTIONAL = ("by", "why", "answers")


def read_rules(
    data: Any,
    shape: Shape,
    criteria: Mapping[str, object],
    seen: dict[str, Location],
    compile_slot: Compiler,
    declared: list[DeclaredAnswer],
) -> list[Rule]:
    rules: list[Rule] = []
    top = shape.mapping(data, Location(shape.file, 1, 1), shape.file)
    if top is None:
        return rules
    shape.keys(top, shape.file, ("rules",))
    for item, location in shape.entries(top, "rules", shape.file):
        entry = shape.mapping(item, location, "a rule")
        if entry is not None:
            rule = _read_rule(entry, shape, criteria, seen, compile_slot, declared)
            if rule is not None:
                rules.append(rule)
    return rules


def _read_rule(
    entry: Any,
    shape: Shape,
    criteria: Mapping[str, object],
    seen: dict[str, Location],
    compile_slot: Compiler,
    declared: list[DeclaredAnswer],
) -> Rule | None:
    shape.keys(entry, "a rule", RULE_REQUIRED, RULE_OPTIONAL)
    rule_id = shape.ident(entry, "id", "rule id")
    what = f"rule {rule_id!r}" if rule_id else "a rule"
    if rule_id in seen:
        shape.add(
            Code.DUPLICATE_ID,
            entry.value_loc("id"),
            f"rule {rule_id!r} is defined twice",
            f"first at {seen[rule_id]}",
        )
        rule_id = ""
    elif rule_id:
        seen[rule_id] = entry.value_loc("id")
    criterion = shape.ident(entry, "criterion", what)
    if criterion and criterion not in criteria:
        shape.add(
            Code.UNKNOWN_CRITERION,
            entry.value_loc("criterion"),
            f"{what} names an unknown criterion {criterion!r}",
            did_you_mean(criterion, criteria),
        )
        criterion = ""
    when_slot = shape.slot(entry, "when", what)
    when = compile_slot(when_slot, "bool") if when_slot else None
    severity = shape.integer(entry, "severity", what, 1, 4)
    likelihood = shape.integer(entry, "likelihood", what, 1, 4)
    citations = shape.citations(entry, "citations", what)
    if "citations" in entry and not citations and entry["citations"] in (None, []):
        shape.add(Code.BAD_VALUE, entry.value_loc("citations"), f"{what} needs a citation")
    mitigations = []
    mitigation_ids: set[str] = set()
    for item, location in shape.entries(entry, "mitigations", what):
        mapping = shape.mapping(item, location, "a mitigation")
        if mapping is None:
            continue
        shape.keys(mapping, "a mitigation", MITIGATION_REQUIRED, MITIGATION_OPTIONAL)
        mitigation_id = shape.ident(mapping, "id", "mitigation id")
        if mitigation_id in mitigation_ids:
            shape.add(
                Code.DUPLICATE_ID,
                mapping.value_loc("id"),
                f"{what} has two mitigations {mitigation_id!r}",
            )
        mitigation_ids.add(mitigation_id)
        lowers = shape.text(mapping, "lowers", "a mitigation")
        if lowers and lowers not in (SEVERITY, LIKELIHOOD):
            shape.add(
                Code.BAD_VALUE,
                mapping.value_loc("lowers"),
                f"a mitigation lowers {SEVERITY!r} or {LIKELIHOOD!r}, not {lowers!r}",
                did_you_mean(lowers, (SEVERITY, LIKELIHOOD)),
            )
            lowers = ""
        by = shape.integer(mapping, "by", "a mitigation", 1, 3, default=1)
        mitigation_slot = shape.slot(mapping, "when", "a mitigation")
        mitigation_when = compile_slot(mitigation_slot, "bool") if mitigation_slot else None
        if mitigation_id and lowers and mitigation_when is not None:
            mitigations.append(
                Mitigation(
                    id=mitigation_id,
                    text=shape.text(mapping, "text", "a mitigation"),
                    when=mitigation_when,
                    lowers=lowers,
                    by=by or 1,
                    why=shape.text(mapping, "why", "a mitigation"),
                    answers=read_answers(shape, mapping, f"mitigation {mitigation_id!r}", declared),
                )
            )
    actions, action_answers = _read_actions(entry, shape, what, declared)
    if not (rule_id and criterion and when and severity and likelihood and citations):
        return None
    return Rule(
        id=rule_id,
        title=shape.text(entry, "title", what),
        criterion=criterion,
        explanation=shape.text(entry, "explanation", what),
        when=when,
        severity=severity,
        likelihood=likelihood,
        justification=shape.text(entry, "justification", what),
        mitigations=tuple(mitigations),
        actions=actions,
        citations=citations,
        location=entry.value_loc("id"),
        action_answers=action_answers,
        profiles=_profile_ids(entry, shape, what),
    )


def _read_actions(
    entry: Any, shape: Shape, what: str, declared: list[DeclaredAnswer]
) -> tuple[tuple[str, ...], tuple[tuple[tuple[str, Any], ...], ...]]:
    """Each action is its text, or a mapping of `text` and the `answers` carrying it out gives."""
    texts: list[str] = []
    answers: list[tuple[tuple[str, Any], ...]] = []
    for item, location in shape.entries(entry, "actions", what):
        if isinstance(item, PosMap):
            shape.keys(item, "an action", ("text", "answers"))
            text = shape.text(item, "text", "an action")
            given = read_answers(shape, item, "an action", declared)
        else:
            text = shape.text_item(item, location, f"each of {what} 'actions'") or ""
            given = ()
        if text:
            texts.append(text)
            answers.append(given)
    return tuple(texts), tuple(answers)


def _profile_ids(entry: Any, shape: Shape, what: str) -> tuple[str, ...]:
    """The profile ids a jurisdiction-specific rule names (checked against the profiles later)."""
    found = []
    for item, location in shape.entries(entry, "profiles", what):
        profile_id = shape.ident_value(item, location, "a profile id")
        if profile_id:
            found.append(profile_id)
    return tuple(found)
