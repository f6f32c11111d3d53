"""A synthetic question bank for the engine benchmarks, shaped like the real one at any size.

`generate_bank(folder, scale)` writes 100 * scale questions (choice, yes/no, number, multi and
group questions) in 10 * scale sections, 80 * scale rules with mitigations, one computed value and
a profile whose statutory elements, prohibition and obligation grow with it.
`complete_answers(bank)` answers every question.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pia.engine import Bank
from pia.engine.bank.model import CHOICE, GROUP_NUMBERS, MULTI, NUMBER, YESNO

# An answer (YAML) that makes each kind's mitigation clause true, and one that answers each kind.
ADOPTING = {CHOICE: "b", YESNO: "false", NUMBER: "50", MULTI: "[c]"}
ANSWERING = {
    CHOICE: "a",
    YESNO: "true",
    NUMBER: "1",
    MULTI: "[a]",
    GROUP_NUMBERS: "{women: 1, men: 1}",
}


def generate_bank(folder: Path, scale: int = 1) -> None:
    """A bank shaped like the real one: choice, yes/no, number, multi and group questions."""
    questions, rules = 100 * scale, 80 * scale
    kinds = (CHOICE, YESNO, NUMBER, MULTI, YESNO, NUMBER, CHOICE, GROUP_NUMBERS, YESNO, CHOICE)
    (folder / "sections").mkdir(parents=True)
    (folder / "rules").mkdir()
    (folder / "profiles").mkdir()
    sections = [f"s{n}" for n in range(10 * scale)]
    (folder / "bank.yaml").write_text(
        "id: generated\nversion: '1'\ntitle: Generated\n"
        "levels: [Low, Moderate, High, Very high]\nrisk_matrix:\n"
        "  - [Low, Low, Low, Moderate]\n  - [Low, Moderate, Moderate, High]\n"
        "  - [Moderate, High, High, Very high]\n  - [Moderate, High, Very high, Very high]\n"
        f"sections: [{', '.join(sections)}]\n"
    )
    criteria = "".join(
        f"  - id: c{n}\n    name: Criterion {n}\n    description: About {n}.\n" for n in range(12)
    )
    (folder / "criteria.yaml").write_text("criteria:\n" + criteria)
    (folder / "computed.yaml").write_text(
        "computed:\n  - id: disparity\n    label: Disparity\n    expr: max(q7) / min(q7)\n"
    )
    kind_of = {}
    for s, section in enumerate(sections):
        lines = [f"section:\n  id: {section}\n  title: Section {s}\n"]
        if s >= len(sections) // 2:
            lines.append("  show_if: q0 != 'a'\n")
        lines.append("questions:\n")
        for n in range(s * 10, (s + 1) * 10):
            kind = kinds[n % len(kinds)]
            kind_of[n] = kind
            lines.append(
                f"  - id: q{n}\n    text: Question {n}?\n    type: {kind}\n"
                f"    required: true\n    criteria: [c{n % 12}]\n"
            )
            if kind in (CHOICE, MULTI):
                lines.append(
                    "    choices:\n"
                    + "".join(f"      - {{value: {v}, label: {v.upper()}}}\n" for v in "abc")
                )
            if kind == NUMBER:
                lines.append("    min: 0\n    max: 100\n")
            if kind == GROUP_NUMBERS:
                lines.append(
                    "    groups:\n      - {value: women, label: Women}\n"
                    "      - {value: men, label: Men}\n"
                )
            if n % 10 == 4 and n > 10:
                lines.append(f"    show_if: q{n - 3} == True\n")
        (folder / "sections" / f"{section}.yaml").write_text("".join(lines))
    conditions = {
        CHOICE: "q{n} == 'b'",
        YESNO: "q{n} == False",
        NUMBER: "q{n} < 99",
        MULTI: "'c' in q{n}",
        GROUP_NUMBERS: "disparity > 2",
    }
    rule_lines = ["rules:\n"]
    for r in range(rules):
        n = (r * 7) % questions
        other = (n + 1) % questions
        when = conditions[kind_of[n]].format(n=n)
        if kind_of[other] == YESNO:
            when = f"{when} and q{other} != True"
        near = (n + 2) % questions
        later = (n + 3) % questions
        mitigation = f"{conditions[kind_of[near]].format(n=near)} or answered(q{later})"
        # What adopting the safeguard answers: the first clause, or (for the computed disparity,
        # which no single answer sets) an answer to the question the second clause asks about.
        adopted = (
            f"q{later}: {ANSWERING[kind_of[later]]}"
            if kind_of[near] == GROUP_NUMBERS
            else f"q{near}: {ADOPTING[kind_of[near]]}"
        )
        rule_lines.append(
            f"  - id: r{r}\n    title: Rule {r}\n    criterion: c{r % 12}\n    explanation: E.\n"
            f'    when: "{when}"\n    severity: {1 + r % 4}\n    likelihood: {1 + (r // 4) % 4}\n'
            "    citations: [Source]\n"
            "    mitigations:\n      - id: m\n        text: M\n"
            f'        when: "{mitigation}"\n'
            "        lowers: likelihood\n"
            f"        answers: {{{adopted}}}\n"
        )
    (folder / "rules" / "rules.yaml").write_text("".join(rule_lines))
    elements = "".join(
        f"    - id: e{n}\n      cite: S {n}\n      text: Element {n}\n"
        f"      questions: [q{n}, q{n + 1}]\n"
        for n in range(0, 40 * scale, 2)
    )
    prohibitions = "".join(
        f"    - rule: r{1 + 80 * n}\n      provision: S {n}\n      unless: q1 == True\n"
        for n in range(scale)
    )
    (folder / "profiles" / "p.yaml").write_text(
        "profile:\n  id: p\n  name: Profile\n  elements:\n"
        + elements
        + "  prohibitions:\n"
        + prohibitions
        + "  obligations:\n    - id: o\n      text: O\n      cite: S\n      min_level: High\n"
    )


def complete_answers(bank: Bank) -> dict[str, Any]:
    """An answer for every question: the first-but-one choice, 'no', 50, and so on."""
    answers: dict[str, Any] = {}
    for question in bank.questions.values():
        kind = question.type
        if kind == CHOICE:
            answers[question.id] = question.choices[min(1, len(question.choices) - 1)].value
        elif kind == MULTI:
            # Every choice but the exclusive ones ("None of these"), which are refused with others.
            answers[question.id] = [c.value for c in question.choices if not c.exclusive]
        elif kind == YESNO:
            answers[question.id] = False
        elif kind == NUMBER:
            low = question.min if question.min is not None else 0
            high = question.max if question.max is not None else low + 100
            answers[question.id] = (low + high) / 2
        elif kind == GROUP_NUMBERS:
            answers[question.id] = {g.value: 0.1 * (i + 1) for i, g in enumerate(question.groups)}
        elif kind == "date":
            answers[question.id] = "2025-01-31"
        else:
            answers[question.id] = "An answer in a few words."
    return answers
