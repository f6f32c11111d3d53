"""Building the Bank from its parsed files: read, compile, cross-check, order.

Order of work: bank.yaml and criteria.yaml; sections (question ids and types); computed value
ids; then, with every name and type known, the expressions: computed formulas in dependency order
(so each one's type is known before another formula uses it), show_if conditions, rules, profiles.
Last, the dependency graph of conditions and computed values: cycles are problems, and its order is
the order evaluation decides visibility in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pia.engine.bank import model
from pia.engine.bank.adopt import DeclaredAnswer, check_adoptions
from pia.engine.bank.calibration import read_calibration
from pia.engine.bank.graph import dependency_order
from pia.engine.bank.meta import EMPTY_META, read_criteria, read_meta
from pia.engine.bank.model import (
    Bank,
    Computed,
    Expression,
    Location,
    Profile,
    Question,
    Rule,
    Section,
)
from pia.engine.bank.problems import Code, Problem, did_you_mean
from pia.engine.bank.profiles import read_profile
from pia.engine.bank.questions import QuestionDraft, SectionDraft, read_section
from pia.engine.bank.rules import ComputedDraft, read_computed, read_rules
from pia.engine.bank.shape import Shape, Slot
from pia.engine.expr.compiler import compile_typed
from pia.engine.expr.value_types import ANY, ANY_TYPE, NUMBER, ValueType


@dataclass(frozen=True)
class BankFile:
    """One file of the bank: its path relative to the bank folder and its parsed YAML."""

    name: str
    data: Any
    readable: bool  # False when the file could not be read or parsed (already a problem)


def question_type(fields: Mapping[str, Any]) -> ValueType:
    """The ValueType a question's answer has in expressions."""
    kind = fields["type"]
    label = fields["id"]
    if kind == model.CHOICE:
        return ValueType("text", frozenset(c.value for c in fields["choices"]), label)
    if kind == model.MULTI:
        return ValueType("list", frozenset(c.value for c in fields["choices"]), label, "text")
    if kind == model.YESNO:
        return ValueType("bool", label=label)
    if kind == model.NUMBER:
        return ValueType(NUMBER, label=label)
    if kind == model.GROUP_NUMBERS:
        return ValueType("groups", label=label)
    return ValueType("text", label=label)


def assemble(files: list[BankFile], digest: str, problems: list[Problem]) -> Bank | None:
    """The Bank, or None when the files are too broken to build one. Problems go to `problems`."""
    data = {f.name: f.data for f in files if f.readable}
    if "bank.yaml" in data:
        meta = read_meta(data["bank.yaml"], Shape("bank.yaml", problems))
    else:  # unreadable, and already reported: the rest is still checked
        meta = EMPTY_META
    criteria_found = (
        read_criteria(data["criteria.yaml"], Shape("criteria.yaml", problems))
        if "criteria.yaml" in data
        else {}
    )
    criteria = {key: value[0] for key, value in criteria_found.items()}

    drafts = _read_sections(files, data, criteria, problems)
    listed = dict(meta.sections)
    for section in drafts.values():
        if section.id not in listed and "bank.yaml" in data:
            problems.append(
                Problem(
                    Code.UNLISTED_SECTION,
                    section.location,
                    f"section {section.id!r} ({section.file}) is not listed in bank.yaml",
                    "add it to 'sections' in bank.yaml, in the order it is asked",
                )
            )
    for section_id, location in meta.sections:
        if section_id not in drafts:
            problems.append(
                Problem(
                    Code.UNKNOWN_SECTION,
                    location,
                    f"bank.yaml lists section {section_id!r}, but no sections/*.yaml defines it",
                    did_you_mean(section_id, drafts),
                )
            )
    ordered = [drafts[s] for s, _ in meta.sections if s in drafts]
    ordered += [d for d in drafts.values() if d.id not in listed]
    question_drafts = {q.fields["id"]: q for section in ordered for q in section.questions}
    question_locs = {qid: q.location for qid, q in question_drafts.items()}

    computed_drafts: list[ComputedDraft] = []
    if "computed.yaml" in data:
        computed_drafts = read_computed(
            data["computed.yaml"], Shape("computed.yaml", problems), question_locs
        )
    types: dict[str, ValueType] = {q: question_type(d.fields) for q, d in question_drafts.items()}
    types.update({c.id: ANY_TYPE for c in computed_drafts})
    computed_exprs = _compile_computed(computed_drafts, types, problems)

    def compile_slot(slot: Slot, want: str | None) -> Expression | None:
        compiled = compile_typed(slot.source, slot.location, types, want=want, quoted=slot.quoted)
        problems.extend(compiled.problems)
        return compiled.expression

    questions, sections = _build_questions(ordered, question_drafts, compile_slot)

    rules: dict[str, Rule] = {}
    rule_locs: dict[str, Location] = {}
    declared: list[DeclaredAnswer] = []
    for f in files:
        if f.name.startswith("rules/") and f.readable:
            shape = Shape(f.name, problems)
            found = read_rules(f.data, shape, criteria, rule_locs, compile_slot, declared)
            rules.update((rule.id, rule) for rule in found)
    check_adoptions(questions, declared, rules, problems)

    profiles: dict[str, Profile] = {}
    profile_locs: dict[str, Location] = {}
    for f in files:
        if not (f.name.startswith("profiles/") and f.readable):
            continue
        shape = Shape(f.name, problems)
        result = read_profile(f.data, shape, question_drafts, rule_locs, meta.levels, compile_slot)
        if result is None:
            continue
        profile, where = result
        if profile.id in profile_locs:
            shape.add(
                Code.DUPLICATE_ID,
                where,
                f"profile {profile.id!r} is defined twice",
                f"first at {profile_locs[profile.id]}",
            )
            continue
        profile_locs[profile.id] = where
        profiles[profile.id] = profile

    _check_rule_profiles(rules, profiles, problems)
    computed = {
        c.id: Computed(c.id, c.label, computed_exprs[c.id], c.help, c.unit)
        for c in computed_drafts
        if c.id in computed_exprs
    }
    visibility_order, computed_order = _order(questions, question_drafts, computed, problems)
    calibration = (
        read_calibration(data["calibration.yaml"], Shape("calibration.yaml", problems), meta.levels)
        if "calibration.yaml" in data
        else model.Calibration()
    )
    if not meta.id:
        return None
    return Bank(
        id=meta.id,
        version=meta.version,
        title=meta.title,
        description=meta.description,
        levels=meta.levels,
        severity_scale=meta.severity_scale,
        likelihood_scale=meta.likelihood_scale,
        matrix=meta.matrix,
        sections=sections,
        questions=questions,
        criteria=criteria,
        computed={c: computed[c] for c in computed_order},
        rules=rules,
        profiles=profiles,
        digest=digest,
        visibility_order=visibility_order,
        calibration=calibration,
    )


def _read_sections(
    files: list[BankFile],
    data: Mapping[str, Any],
    criteria: Mapping[str, object],
    problems: list[Problem],
) -> dict[str, SectionDraft]:
    """Section drafts by id, with section and question ids unique across the bank."""
    drafts: dict[str, SectionDraft] = {}
    question_locs: dict[str, Location] = {}
    mirrors: dict[str, Location] = {}  # detail -> the question that mirrors it
    for f in files:
        if not (f.name.startswith("sections/") and f.readable):
            continue
        shape = Shape(f.name, problems)
        section = read_section(data[f.name], shape, criteria)
        if section is None:
            continue
        if section.id in drafts:
            shape.add(
                Code.DUPLICATE_ID,
                section.location,
                f"section {section.id!r} is defined twice",
                f"first in {drafts[section.id].file}",
            )
            continue
        unique = []
        for question in section.questions:
            question_id = question.fields["id"]
            if question_id in question_locs:
                shape.add(
                    Code.DUPLICATE_ID,
                    question.location,
                    f"question {question_id!r} is defined twice",
                    f"first at {question_locs[question_id]}",
                )
                continue
            question_locs[question_id] = question.location
            detail = question.fields.get("mirrors_detail")
            if detail and detail in mirrors:
                shape.add(
                    Code.DUPLICATE_ID,
                    question.location,
                    f"question {question_id!r} mirrors the detail {detail!r}, as another does",
                    f"first at {mirrors[detail]}; a detail is asked again at most once",
                )
                question.fields["mirrors_detail"] = ""
            elif detail:
                mirrors[detail] = question.location
            unique.append(question)
        section.questions = unique
        drafts[section.id] = section
    return drafts


def _compile_computed(
    drafts: list[ComputedDraft], types: dict[str, ValueType], problems: list[Problem]
) -> dict[str, Expression]:
    """Formulas compiled in dependency order, each one's type recorded for those that follow."""
    names: dict[str, list[str]] = {}
    for draft in drafts:
        if draft.expr is not None:
            first = compile_typed(draft.expr.source, draft.expr.location, types)
            found = first.expression.names if first.expression else frozenset()
            names[draft.id] = sorted(found)
        else:
            names[draft.id] = []
    order, _cycles = dependency_order([d.id for d in drafts], names)  # reported in _order
    by_id = {d.id: d for d in drafts}
    compiled: dict[str, Expression] = {}
    for computed_id in order:
        draft = by_id[computed_id]
        if draft.expr is None:
            continue
        result = compile_typed(
            draft.expr.source, draft.expr.location, types, quoted=draft.expr.quoted
        )
        problems.extend(result.problems)
        if result.expression is None:
            continue
        compiled[computed_id] = result.expression
        inferred = result.type
        types[computed_id] = (
            ValueType(NUMBER, label=computed_id)
            if inferred.kind == ANY
            else ValueType(inferred.kind, inferred.choices, computed_id, inferred.item)
        )
    return compiled


def _combine(section: Expression, question: Expression) -> Expression:
    """The section's condition ANDed into a question's: shown only when both are true."""
    run_section, run_question = section.run, question.run

    def run(env: Mapping[str, Any]) -> bool:
        return run_section(env) is True and run_question(env) is True

    return Expression(
        f"({section.source}) and ({question.source})",
        section.names | question.names,
        run,
        question.location,
    )


def _build_questions(
    ordered: list[SectionDraft], drafts: Mapping[str, QuestionDraft], compile_slot: Any
) -> tuple[dict[str, Question], tuple[Section, ...]]:
    questions: dict[str, Question] = {}
    sections = []
    for section in ordered:
        section_if = compile_slot(section.show_if, "bool") if section.show_if else None
        for draft in section.questions:
            show_if = compile_slot(draft.show_if, "bool") if draft.show_if else None
            if section_if is not None:
                show_if = section_if if show_if is None else _combine(section_if, show_if)
            questions[draft.fields["id"]] = Question(show_if=show_if, **draft.fields)
        ids = tuple(q.fields["id"] for q in section.questions)
        sections.append(Section(section.id, section.title, section.description, ids))
    assert len(questions) == len(drafts)
    return questions, tuple(sections)


def _order(
    questions: Mapping[str, Question],
    question_drafts: Mapping[str, QuestionDraft],
    computed: Mapping[str, Computed],
    problems: list[Problem],
) -> tuple[tuple[str, ...], list[str]]:
    """(visibility order, computed order); every cycle becomes a problem."""
    rank = {name: index for index, name in enumerate([*questions, *computed])}
    depends_on: dict[str, list[str]] = {}
    for question in questions.values():
        names = question.show_if.names if question.show_if else ()
        depends_on[question.id] = sorted((n for n in names if n in rank), key=rank.__getitem__)
    for item in computed.values():
        names = item.expr.names
        depends_on[item.id] = sorted((n for n in names if n in rank), key=rank.__getitem__)
    order, cycles = dependency_order(list(rank), depends_on)
    for cycle in cycles:
        start = cycle[0]
        # The condition or formula that closes the cycle: a question's show_if (its own, or its
        # section's when it has none) or a computed value's formula.
        expression = questions[start].show_if if start in questions else computed[start].expr
        where = (expression.location if expression else None) or question_drafts[start].location
        kind = "computed value" if start in computed else "show_if of question"
        problems.append(
            Problem(
                Code.CYCLE,
                where,
                f"the {kind} {start!r} depends on itself: " + " -> ".join(cycle),
                "a condition or formula may only use questions and values decided before it",
            )
        )
    visibility = tuple(name for name in order if name in questions)
    return visibility, [name for name in order if name in computed]


def _check_rule_profiles(
    rules: Mapping[str, Rule], profiles: Mapping[str, Profile], problems: list[Problem]
) -> None:
    """A rule's profiles must exist; a rule for every jurisdiction needs a citation of its own.

    Findings drop the citations that belong to a profile not chosen (Profile.sources), so a rule
    that applies everywhere must keep at least one citation that belongs to no profile.
    """
    for rule in rules.values():
        where = rule.location or Location("rules", 1, 1)
        for profile_id in rule.profiles:
            if profile_id not in profiles:
                problems.append(
                    Problem(
                        Code.UNKNOWN_PROFILE,
                        where,
                        f"rule {rule.id!r} names an unknown profile {profile_id!r}",
                        did_you_mean(profile_id, profiles),
                    )
                )
        if rule.profiles:
            continue
        if all(any(p.owns(c) for p in profiles.values()) for c in rule.citations):
            problems.append(
                Problem(
                    Code.BAD_VALUE,
                    where,
                    f"rule {rule.id!r} applies under every profile but cites only"
                    " jurisdiction-specific sources",
                    "add a citation that belongs to no profile, or name the rule's profiles",
                )
            )
