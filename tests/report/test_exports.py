"""JSON and CSV exports and the report document shared by the PDF and the HTML page."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest
from report_bank import RICH_ANSWERS, RICH_META, RICH_NOTES

from pia.engine import evaluate, evaluation_to_json, fingerprint
from pia.engine.bank.model import Bank
from pia.engine.evaluation.result import Trigger
from pia.report import (
    EvidenceRef,
    ReportMeta,
    build_report,
    render_assessment_json,
    render_findings_csv,
)
from pia.report.exports import FINDING_COLUMNS
from pia.report.meta import coerce_meta


def test_json_export_is_deterministic_and_complete(bank: Bank, rich_evaluation) -> None:
    text = render_assessment_json(bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, RICH_META)
    reordered = dict(reversed(list(RICH_ANSWERS.items())))
    assert text == render_assessment_json(bank, rich_evaluation, reordered, RICH_NOTES, RICH_META)
    data = json.loads(text)
    assert data["evaluation"] == json.loads(evaluation_to_json(rich_evaluation))
    assert data["answers"] == RICH_ANSWERS
    assert data["fingerprint"] == fingerprint(bank.id, bank.version, RICH_ANSWERS, RICH_NOTES)
    assert data["meta"]["revision"] == 3 and data["meta"]["status"] == "draft"


def test_json_export_redacts_sensitive_answers(bank: Bank) -> None:
    answers = {**RICH_ANSWERS, "mode": "live", "watchlist": "SECRET names"}
    evaluation = evaluate(bank, answers, ["wa"])
    evidence = [EvidenceRef("watchlist", "SECRET.xlsx", "a" * 64, 3)]
    text = render_assessment_json(
        bank,
        evaluation,
        answers,
        {"watchlist": "SECRET note"},
        {},
        evidence,
        redact_sensitive=True,
    )
    assert "SECRET" not in text
    data = json.loads(text)
    assert data["answers"]["watchlist"] == "[redacted]"
    assert data["evidence"][0]["filename"] == "[redacted]"
    assert data["redacted"] is True


def test_csv_has_one_row_per_finding_most_serious_first(bank: Bank) -> None:
    answers = {**RICH_ANSWERS, "mode": "live", "watchlist": "x"}
    evaluation = evaluate(bank, answers, ["wa"])
    text = render_findings_csv(bank, evaluation)
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the byte order mark
    rows = list(csv.DictReader(io.StringIO(text.encode("utf-8").decode("utf-8-sig"))))
    assert [row["rule"] for row in rows] == [finding.rule for finding in evaluation.findings]
    assert rows[0]["residual_level"] == "Very high"
    assert rows[0]["criterion_name"] == "Freedom of expression and assembly"
    threshold = next(row for row in rows if row["rule"] == "low_threshold")
    finding = next(item for item in evaluation.findings if item.rule == "low_threshold")
    assert [item.id for item in finding.mitigations] == ["human_review"]
    assert threshold["mitigations"] == finding.mitigations[0].text  # the text, not the id
    assert "human_review" not in threshold["mitigations"]
    assert threshold["triggers"] == "What similarity threshold will be used? = 80%"
    assert (threshold["inherent_level"], threshold["residual_level"]) == ("Very high", "High")
    assert list(rows[0]) == list(FINDING_COLUMNS)


def test_csv_cells_never_start_a_spreadsheet_formula(bank: Bank, rich_evaluation) -> None:
    finding = rich_evaluation.findings[0]
    hostile = Trigger("product_name", "question", "Product?", "=x", '=HYPERLINK("http://e")')
    evaluation = dataclasses.replace(
        rich_evaluation,
        findings=(dataclasses.replace(finding, title="@SUM(A1)", triggers=(hostile,)),),
    )
    text = render_findings_csv(bank, evaluation)
    row = next(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert row["title"] == "'@SUM(A1)"
    assert row["triggers"].startswith("Product? = =HYPERLINK")  # not at the start of a cell
    assert text.endswith("\r\n")


@pytest.mark.parametrize(
    ("status", "draft"),
    [
        ("draft", True),
        ("", True),
        ("changes_requested", True),
        ("submitted", False),
        ("approved", False),
        ("Submitted", False),
    ],
)
def test_anything_not_submitted_or_approved_is_a_draft(status: str, draft: bool) -> None:
    assert coerce_meta({"title": "T", "status": status}).is_draft is draft


def test_meta_from_an_answers_file_mapping() -> None:
    meta = coerce_meta({"title": None, "revision": "4", "vendor": 12, "colour": "blue"})
    assert meta == ReportMeta(title="Untitled assessment", revision=4, vendor="12")
    assert coerce_meta({"title": "T", "revision": "four"}).revision is None


def test_report_document_orders_sections_and_findings(bank: Bank) -> None:
    answers = {**RICH_ANSWERS, "mode": "live", "watchlist": "x"}
    evaluation = evaluate(bank, answers, ["wa"])
    document = build_report(bank, evaluation, answers, {}, {"title": "T", "status": "submitted"})
    assert [section.id for section in document.sections] == [
        "cover",
        "summary",
        "heatmap",
        "findings",
        "coverage",
        "answers",
        "methodology",
    ]
    assert not document.is_draft and document.outcome == "Prohibited"
    findings = next(section for section in document.sections if section.id == "findings")
    titles = [block.title for block in findings.blocks if hasattr(block, "residual_level")]
    # grouped by criterion, the most serious criterion first; within one, the engine's order
    ranked = sorted(
        (item for item in evaluation.criteria if item.findings),
        key=lambda item: -bank.level_rank(item.level),
    )
    assert titles == [
        finding.title
        for item in ranked
        for finding in evaluation.findings
        if finding.criterion == item.id
    ]
    heat = next(block for block in document.sections[2].blocks if hasattr(block, "inherent"))
    assert sum(map(sum, heat.inherent)) == sum(map(sum, heat.residual)) == len(titles)
