"""Redaction against the shipped bank: no sensitive answer reaches a redacted output.

The small report bank has no rule that reads a sensitive question; the shipped bank has several
(watchlist size, access control, encryption, ...). For each such rule an answer set in which it
fires is found from the example assessments, marked with secret strings (text answers, notes,
evidence names), and rendered redacted to every output that honours redaction: the report
document (what the HTML page renders), the PDF (text, raw bytes, embedded data), the JSON export
and the findings CSV. A rule that reads a sensitive question and cannot be made to fire fails too:
the test must keep covering every such rule as the bank grows.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_pdf_reading import all_text, flat, reader

from pia.engine import Bank, check_answers, evaluate, load_bank, read_answers_file
from pia.engine.bank import model
from pia.engine.evaluation.result import Evaluation, Finding
from pia.report import (
    EvidenceRef,
    build_report,
    render_assessment_json,
    render_assessment_pdf,
    render_findings_csv,
)

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
REDACTED = "[redacted]"
REAL_BANK = load_bank(QUESTIONS)
SENSITIVE = frozenset(q.id for q in REAL_BANK.questions.values() if q.sensitive)


def names_read(bank: Bank, names: frozenset[str]) -> frozenset[str]:
    """Question ids an expression reads, directly or through computed values."""
    read: set[str] = set()
    for name in names:
        if name in bank.computed:
            read |= names_read(bank, bank.computed[name].expr.names)
        else:
            read.add(name)
    return frozenset(read)


SENSITIVE_RULES = sorted(
    rule.id
    for rule in REAL_BANK.rules.values()
    if names_read(REAL_BANK, rule.when.names) & SENSITIVE
)


def candidates(question: model.Question) -> list[Any]:
    """Values worth trying for a question, to make a rule that reads it fire."""
    if question.type == model.CHOICE:
        return [choice.value for choice in question.choices]
    if question.type == model.MULTI:
        return [[choice.value] for choice in question.choices]
    if question.type == model.YESNO:
        return [True, False]
    if question.type == model.NUMBER:
        numbers = [0, 1, 5, 10, 50, 100, 500, 2500, 10_000, 250_000]
        low = question.min if question.min is not None else float("-inf")
        high = question.max if question.max is not None else float("inf")
        return [n for n in numbers if low <= n <= high] + [
            bound for bound in (question.min, question.max) if bound is not None
        ]
    return [f"SECRET-TEXT-{question.id}"]


def firing_answers(bank: Bank, rule_id: str) -> tuple[dict[str, Any], tuple[str, ...]] | None:
    """An example's answers, changed on the rule's sensitive questions, in which the rule fires."""
    rule = bank.rules[rule_id]
    targets = sorted(names_read(bank, rule.when.names) & SENSITIVE)
    options = [candidates(bank.questions[qid]) for qid in targets]
    for path in sorted((QUESTIONS / "examples").glob("*.yaml")):
        document = read_answers_file(path)
        for values in itertools.product(*options):
            answers = {**document.answers, **dict(zip(targets, values, strict=True))}
            stored, issues = check_answers(bank, answers)
            if issues:
                continue
            if rule_id in {f.rule for f in evaluate(bank, stored, document.profiles).findings}:
                return stored, tuple(document.profiles)
    return None


def marked(bank: Bank, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers with a secret string in every sensitive text question."""
    texts = {
        q.id: f"SECRET-TEXT-{q.id}"
        for q in bank.questions.values()
        if q.sensitive and q.type in (model.TEXT, model.LONGTEXT)
    }
    return {**answers, **texts}


def strings(value: Any) -> Iterator[str]:
    """Every string inside a report document's nested dataclasses and tuples."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value):
        for item in dataclasses.fields(value):
            yield from strings(getattr(value, item.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)


def sensitive_triggers(bank: Bank, finding: Finding) -> list[tuple[str, str]]:
    return [
        (trigger.label, trigger.display)
        for trigger in finding.triggers
        if (trigger.kind == "question" and trigger.id in SENSITIVE)
        or (
            trigger.kind == "computed"
            and names_read(bank, bank.computed[trigger.id].expr.names) & SENSITIVE
        )
    ]


def test_the_shipped_bank_has_rules_that_read_sensitive_questions() -> None:
    assert SENSITIVE and SENSITIVE_RULES


@pytest.fixture(scope="module", params=SENSITIVE_RULES)
def scenario(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any], Evaluation]:
    rule_id = request.param
    found = firing_answers(REAL_BANK, rule_id)
    assert found, f"{rule_id} reads a sensitive question but fires in no example variant"
    answers, profiles = found
    answers = marked(REAL_BANK, answers)
    evaluation = evaluate(REAL_BANK, answers, profiles)
    assert rule_id in {f.rule for f in evaluation.findings}
    return rule_id, answers, evaluation


NOTES = {qid: f"SECRET-NOTE-{qid}" for qid in SENSITIVE}
EVIDENCE = tuple(EvidenceRef(qid, f"SECRET-FILE-{qid}.pdf", "e" * 64, 10) for qid in SENSITIVE)
META = {"title": "Published assessment", "status": "submitted"}


def secrets_in(text: str) -> list[str]:
    return [marker for marker in ("SECRET-TEXT-", "SECRET-NOTE-", "SECRET-FILE-") if marker in text]


def fired_triggers(
    scenario: tuple[str, dict[str, Any], Evaluation],
) -> list[tuple[str, str]]:
    rule_id, _answers, evaluation = scenario
    finding = next(f for f in evaluation.findings if f.rule == rule_id)
    triggers = sensitive_triggers(REAL_BANK, finding)
    assert triggers, f"{rule_id} fired without showing the sensitive answer it read"
    return triggers


def test_report_document_redacts(scenario) -> None:
    _rule, answers, evaluation = scenario
    document = build_report(
        REAL_BANK, evaluation, answers, NOTES, META, EVIDENCE, redact_sensitive=True
    )
    assert secrets_in("\n".join(strings(document))) == []
    shown = {
        pair
        for section in document.sections
        for block in section.blocks
        for pair in getattr(block, "triggers", ())
    }
    for label, display in fired_triggers(scenario):
        assert (label, REDACTED) in shown
        if display != REDACTED:
            assert (label, display) not in shown


def test_pdf_redacts_text_bytes_and_embedded_data(scenario) -> None:
    _rule, answers, evaluation = scenario
    pdf = render_assessment_pdf(
        REAL_BANK, evaluation, answers, NOTES, META, EVIDENCE, redact_sensitive=True
    )
    text = all_text(pdf)
    embedded = "".join(
        data.decode("utf-8") for files in reader(pdf).attachments.values() for data in files
    )
    assert secrets_in(text) == []
    assert secrets_in(embedded) == []
    assert b"SECRET-" not in pdf
    for label, display in fired_triggers(scenario):
        assert flat(f"{label}: {REDACTED}") in flat(text)
        assert flat(f"{label}: {display}") not in flat(text)


def test_json_export_redacts(scenario) -> None:
    _rule, answers, evaluation = scenario
    exported = render_assessment_json(
        REAL_BANK, evaluation, answers, NOTES, META, EVIDENCE, redact_sensitive=True
    )
    assert secrets_in(exported) == []
    data = json.loads(exported)
    for qid in SENSITIVE & set(data["answers"]):
        assert data["answers"][qid] == REDACTED
    for finding in data["evaluation"]["findings"]:
        for trigger in finding["triggers"]:
            if trigger["kind"] == "question" and trigger["id"] in SENSITIVE:
                assert trigger["value"] == trigger["display"] == REDACTED


def test_findings_csv_redacts(scenario) -> None:
    _rule, _answers, evaluation = scenario
    exported = render_findings_csv(REAL_BANK, evaluation, redact_sensitive=True)
    assert secrets_in(exported) == []
    triggers = " ; ".join(row["triggers"] for row in csv.DictReader(io.StringIO(exported)))
    for label, display in fired_triggers(scenario):
        assert f"{label} = {REDACTED}" in triggers
        assert f"{label} = {display}" not in triggers
