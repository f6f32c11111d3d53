"""The public edition against the shipped bank: public data withholds what it must (sensitive
questions and requested redactions, wherever the evaluation would quote them), the report
renders from the public data alone, byte for byte the same, and `verify_pdf` checks it against
its public fingerprint."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from report_pdf_reading import all_text

from pia.engine import evaluate, load_bank, read_answers_file
from pia.engine.evaluation.result import evaluation_to_dict
from pia.report.answers import plain_data
from pia.report.public import (
    PublicationFacts,
    Withholding,
    build_public_data,
    public_fingerprint,
    render_public_pdf,
)
from pia.report.public_evaluation import evaluation_from_dict
from pia.report.verify import verify_pdf

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
REAL_BANK = load_bank(QUESTIONS)
EXAMPLES = sorted((QUESTIONS / "examples").glob("*.yaml"))
SENSITIVE = frozenset(q.id for q in REAL_BANK.questions.values() if q.sensitive)
FACTS = PublicationFacts(
    stage="comment",
    published_at="2026-11-30T10:00:00+00:00",
    assessment=7,
    agency="Example County",
    revision=2,
    revision_fingerprint="ab" * 32,
    comment_opens_on="2026-12-01",
    comment_closes_on="2026-12-31",
)
SECRET = "Secret 41f9"


def public_data_of(path: Path, withholding: Withholding | None = None, bank=REAL_BANK):
    example = read_answers_file(path)
    evaluation = evaluate(bank, example.answers, tuple(example.profiles or ()))
    notes = {evaluation.visible[0]: f"{SECRET} note", evaluation.visible[1]: "A public note"}
    evidence = [
        {
            "evidence_id": 11,
            "question": evaluation.visible[0],
            "filename": f"{SECRET}.pdf",
            "sha256": "cd" * 32,
            "size": 10,
        },
        {
            "evidence_id": 12,
            "question": evaluation.visible[1],
            "filename": "public.pdf",
            "sha256": "ef" * 32,
            "size": 20,
        },
    ]
    data = build_public_data(
        bank,
        evaluation,
        example.answers,
        notes,
        example.assessment or {"title": path.stem},
        evidence,
        FACTS,
        withholding or Withholding(),
    )
    return example, evaluation, data


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_evaluation_round_trips_and_sensitive_answers_are_withheld(path: Path) -> None:
    _, evaluation, data = public_data_of(path)
    assert evaluation_from_dict(plain_data(evaluation_to_dict(evaluation))) == evaluation
    for qid in SENSITIVE & set(data["answers"]):
        assert data["answers"][qid] == "[withheld: personal data]"
    for finding in data["evaluation"]["findings"]:
        for trigger in finding["triggers"]:
            if trigger["kind"] == "question" and trigger["id"] in SENSITIVE:
                assert trigger["display"] == trigger["value"] == "[withheld: personal data]"
    assert public_fingerprint(data) == public_fingerprint(plain_data(data))


def test_requested_redactions_withhold_answers_notes_and_files() -> None:
    path = QUESTIONS / "examples" / "sheriff_face_search_pilot.yaml"
    _, evaluation, plain = public_data_of(path)
    first = evaluation.visible[0]
    withholding = Withholding(
        answers={first: "security"},
        notes={first: "ongoing investigation"},
        evidence={11: "commercial confidence"},
    )
    _, _, data = public_data_of(path, withholding)
    assert SECRET in repr(plain) and SECRET not in repr(data)
    assert data["answers"][first] == "[withheld: security]"
    assert data["notes"][first] == "[withheld: ongoing investigation]"
    assert data["evidence"][0] == {
        "question": first,
        "filename": "[withheld: commercial confidence]",
        "sha256": "",
        "size": 0,
    }
    assert data["evidence"][1]["filename"] == "public.pdf"
    kinds = {(item["kind"], item["question"]) for item in data["withheld"]}
    assert {("answer", first), ("note", first), ("evidence", first)} <= kinds
    pdf = render_public_pdf(REAL_BANK, data)
    assert SECRET.encode() not in pdf and SECRET not in all_text(pdf)
    assert "[withheld: security]" in all_text(pdf)


def test_a_bank_may_name_the_reason_a_sensitive_question_is_withheld(tmp_path: Path) -> None:
    folder = shutil.copytree(QUESTIONS, tmp_path / "questions")
    system = folder / "sections" / "system.yaml"
    text = system.read_text(encoding="utf-8")
    marked = "  - id: hosting_details\n"
    start = text.index(marked)
    at = text.index("    sensitive: true\n", start) + len("    sensitive: true\n")
    system.write_text(text[:at] + "    sensitive_reason: security\n" + text[at:], encoding="utf-8")
    bank = load_bank(folder)
    assert bank.questions["hosting_details"].sensitive_reason == "security"
    path = QUESTIONS / "examples" / "sheriff_face_search_pilot.yaml"
    _, _, data = public_data_of(path, bank=bank)
    assert data["answers"]["hosting_details"] == "[withheld: security]"


def test_the_public_pdf_renders_again_from_its_own_data(tmp_path: Path) -> None:
    path = QUESTIONS / "examples" / "uk_police_live_watchlist.yaml"
    _, _, data = public_data_of(path)
    pdf = render_public_pdf(REAL_BANK, data)
    assert render_public_pdf(REAL_BANK, plain_data(data)) == pdf
    text = all_text(pdf)
    assert "Published for public comment" in text and public_fingerprint(data)[:16] in text
    result = verify_pdf(pdf, QUESTIONS)
    assert result.public and result.fingerprint == public_fingerprint(data)
    passed = {check.name: check.passed for check in result.checks}
    assert passed["public fingerprint"] and passed["evaluation"] and passed["rendering"]
    assert not passed["signature"]  # not signed here: the web signs what it serves
    altered = pdf.replace(b'"agency": "Example County"', b'"agency": "Example Countz"')
    assert altered != pdf
    assert not {c.name: c.passed for c in verify_pdf(altered, QUESTIONS).checks}[
        "public fingerprint"
    ]
