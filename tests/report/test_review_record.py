"""The board's review record in every report format; `pia verify` still holds with it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from report_bank import RICH_ANSWERS, RICH_META, RICH_NOTES
from report_pdf_reading import all_text, attachment, flat

from pia.cli import main
from pia.engine import Bank
from pia.report import (
    EvidenceRef,
    build_report,
    render_assessment_json,
    render_assessment_pdf,
    render_findings_csv,
)
from pia.report.review_record import (
    BoardRatingView,
    CommentView,
    ConditionView,
    DecisionView,
    ReviewRecord,
    ThreadView,
    record_from_dict,
    record_to_dict,
)

EVIDENCE = (EvidenceRef("threshold", "letter.pdf", "ab" * 32, 10),)
RECORD = ReviewRecord(
    revision=2,
    status="approved_with_conditions",
    decision=DecisionView(
        outcome="approved_with_conditions",
        rationale="Proportionate once the threshold is raised.",
        meeting_on="2026-11-20",
        votes_for=5,
        votes_against=1,
        votes_abstain=1,
        names_against="Member Okafor",
        review_due_on="2028-11-20",
        decided_by="Reviewer Ruiz",
        decided_at="2026-11-20T18:00:00+00:00",
    ),
    conditions=(
        ConditionView(1, "Publish a yearly audit.", "Records office", "2027-03-01", "open"),
        ConditionView(
            2, "Train operators.", "Training unit", "2027-01-15", "met", "low_threshold", "Done"
        ),
    ),
    ratings=(BoardRatingView("c_speech", "Very high", "Protest footage may be searched."),),
    threads=(
        ThreadView(
            7,
            "question",
            "threshold",
            1,
            False,
            (
                CommentView("Reviewer Ruiz", "2026-11-10T10:00:00+00:00", "Why 80%?", 1),
                CommentView("Officer Ade", "2026-11-11T10:00:00+00:00", "Raised to 99%.", 1),
            ),
            "2026-11-19T10:00:00+00:00",
        ),
        ThreadView(
            8,
            "assessment",
            "",
            2,
            True,
            (CommentView("Reviewer Ruiz", "2026-11-19T10:00:00+00:00", "Add the audit.", 2),),
        ),
    ),
)


@pytest.fixture(scope="module")
def reviewed_pdf(bank: Bank, rich_evaluation) -> bytes:
    meta = {**RICH_META, "status": "submitted", "revision": 2}
    return render_assessment_pdf(
        bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, meta, EVIDENCE, review=RECORD
    )


def test_the_record_round_trips_through_json() -> None:
    assert record_from_dict(json.loads(json.dumps(record_to_dict(RECORD)))) == RECORD


def test_the_pdf_carries_the_decision_vote_conditions_ratings_and_threads(
    reviewed_pdf: bytes,
) -> None:
    text = flat(all_text(reviewed_pdf))
    for expected in (
        "Oversightreviewrecord",
        "Approvedwithconditions(2026-11-20)",
        "5for,1against,1abstaining",
        "MemberOkafor",
        "Proportionateoncethethresholdisraised.",
        "Publishayearlyaudit.",
        "Met,awaitingverification:Done",
        "Engine'srating",
        "Board'srating",
        "Protestfootagemaybesearched.",
        "2thread(s):1open,1resolved.",
        "1reply):ReviewerRuiz:Why80%?",
    ):
        assert expected in text, expected
    embedded = attachment(reviewed_pdf, "assessment.json")["review"]
    assert record_from_dict(embedded) == RECORD


def test_both_ratings_stand_side_by_side_and_the_engines_is_unchanged(
    bank: Bank, rich_evaluation
) -> None:
    document = build_report(
        bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, RICH_META, review=RECORD
    )
    heat = next(section for section in document.sections if section.id == "heatmap")
    chart = heat.blocks[-1]
    assert chart.board
    speech = next(bar for bar in chart.bars if bar.board_level)
    engine_level = next(c.level for c in rich_evaluation.criteria if c.id == "c_speech")
    assert (speech.level, speech.board_level) == (engine_level, "Very high")
    plain = build_report(bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, RICH_META)
    assert "review" not in [section.id for section in plain.sections]


def test_a_reviewed_report_still_verifies(
    reviewed_pdf, tmp_path: Path, bank_dir, capsys, signing_key
):
    from pia.report.signing import sign_pdf

    path = tmp_path / "report.pdf"
    path.write_bytes(sign_pdf(reviewed_pdf, signing_key))  # pia verify accepts signed reports only
    assert main(["verify", str(path), "--bank", str(bank_dir)]) == 0, capsys.readouterr().err


def test_json_and_csv_carry_the_record(bank: Bank, rich_evaluation) -> None:
    data = json.loads(
        render_assessment_json(
            bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, RICH_META, review=RECORD
        )
    )
    assert data["review"]["decision"]["votes_for"] == 5
    assert data["review"]["conditions"][1]["state"] == "met"
    rows = list(
        csv.DictReader(io.StringIO(render_findings_csv(bank, rich_evaluation, review=RECORD)))
    )
    assert rows and all(row["board_decision"] == "Approved with conditions" for row in rows)
    speech = [row for row in rows if row["criterion"] == "c_speech"]
    assert all(row["board_level"] == "Very high" for row in speech)


def test_the_word_export_carries_the_record_like_the_pdf(bank: Bank, rich_evaluation) -> None:
    import docx

    from pia.report import render_assessment_docx

    data = render_assessment_docx(
        bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, RICH_META, review=RECORD
    )
    word = docx.Document(io.BytesIO(data))
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert "Oversight review record" in headings
