"""Reports of the real bank's example assessments (questions/examples), read back with pypdf."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_pdf_reading import all_text, attachment, flat, outline_titles

from pia.cli import main
from pia.engine import evaluate, evaluation_to_json, load_bank, read_answers_file
from pia.engine.bank.model import Bank
from pia.report import render_assessment_pdf

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
EXAMPLES = sorted((QUESTIONS / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def real_bank() -> Bank:
    return load_bank(QUESTIONS)


def test_there_are_examples() -> None:
    assert EXAMPLES, "questions/examples holds no answer files"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_example_report_holds_every_finding_and_coverage_row(real_bank: Bank, path: Path) -> None:
    document = read_answers_file(path)
    evaluation = evaluate(real_bank, document.answers, document.profiles)
    pdf = render_assessment_pdf(
        real_bank, evaluation, document.answers, document.notes, document.assessment
    )
    text = flat(all_text(pdf))
    for finding in evaluation.findings:
        assert flat(finding.title) in text, finding.rule
    for coverage in evaluation.coverage:
        assert flat(coverage.name) in text
        for element in coverage.elements:
            assert flat(element.cite) in text
            assert flat(element.text) in text
    for obligation in evaluation.obligations:
        assert flat(obligation.text) in text
    for hit in evaluation.prohibitions:
        assert flat(hit.provision) in text
    for qid, note in document.notes.items():
        if evaluation.is_visible(qid):
            assert flat(note) in text
    if document.assessment.get("title"):
        assert outline_titles(pdf)[0] == " ".join(document.assessment["title"].split())
    assert attachment(pdf, "evaluation.json") == json.loads(evaluation_to_json(evaluation))


def test_assess_writes_a_pdf_that_verifies(tmp_path: Path, capsys) -> None:
    richest = max(
        EXAMPLES,
        key=lambda path: len(
            evaluate(
                load_bank(QUESTIONS),
                read_answers_file(path).answers,
                read_answers_file(path).profiles,
            ).findings
        ),
    )
    output = tmp_path / "report.pdf"
    assert (
        main(
            ["assess", str(richest), "--bank", str(QUESTIONS), "--format", "pdf", "-o", str(output)]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["verify", str(output), "--bank", str(QUESTIONS)]) == 0
    assert "exactly the document pia produces" in capsys.readouterr().out
    damaged = bytearray(output.read_bytes())
    damaged[len(damaged) // 2] ^= 0x01
    output.write_bytes(bytes(damaged))
    assert main(["verify", str(output), "--bank", str(QUESTIONS)]) != 0
