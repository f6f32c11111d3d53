"""An answers file with a value the bank does not offer is reported with the question id and the
allowed values, by the engine and by `pia assess`; nothing is assessed."""

from __future__ import annotations

from pathlib import Path

import pytest
from bank_paths import BANK_DIR, EXAMPLES_DIR

from pia.cli import main
from pia.engine import AnswersDocument, Bank, check_answers


@pytest.mark.parametrize(
    ("question_id", "value", "code", "allowed"),
    [
        ("agency_type", "police", "unknown-choice", "'law_enforcement'"),
        ("modes", ["search", "teleport"], "unknown-choice", "'video_search'"),
        ("live_legal_basis", "hunch", "unknown-choice", "'court_order_missing'"),
        ("threshold", 150, "out-of-bounds", "from 0 to 100"),
        ("fmr_by_group", {"martians": 0.1}, "unknown-group", "'indigenous'"),
        ("tracking", "sometimes", "wrong-type", "true or false"),
    ],
)
def test_engine_names_question_and_allowed_values(
    real_bank: Bank,
    examples: dict[str, AnswersDocument],
    question_id: str,
    value: object,
    code: str,
    allowed: str,
) -> None:
    answers = {**examples["live_recognition_public_events"].answers, question_id: value}
    _, issues = check_answers(real_bank, answers)
    assert [(issue.question, issue.code) for issue in issues] == [(question_id, code)]
    assert allowed in issues[0].message


def test_pia_assess_reports_a_value_the_bank_does_not_offer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (EXAMPLES_DIR / "sheriff_face_search_pilot.yaml").read_text(encoding="utf-8")
    broken = text.replace("  result_use: lead_only\n", "  result_use: gut_feeling\n")
    assert broken != text
    answers = tmp_path / "broken.yaml"
    answers.write_text(broken, encoding="utf-8")

    code = main(["assess", str(answers), "--bank", str(BANK_DIR)])

    err = capsys.readouterr().err
    assert code == 1
    assert "result_use" in err and "gut_feeling" in err
    assert "'lead_only'" in err and "'probable_cause'" in err
    assert "Traceback" not in err
