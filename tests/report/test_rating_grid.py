"""Both ratings in the heat-map section itself: a grid of criteria by level with the engine's
and the board's level marked (and a legend), in the PDF (read back with pypdf) and the Word export
(python-docx); the criterion chart in Word carries the board's rating too; a condition's
action-plan item shows in the review record of both."""

from __future__ import annotations

import dataclasses
import io

import docx
import pytest
from report_bank import RICH_ANSWERS, RICH_META, RICH_NOTES
from report_pdf_reading import flat, page_texts
from test_review_record import EVIDENCE, RECORD

from pia.engine import Bank
from pia.report import blocks as b
from pia.report import build_report, render_assessment_docx, render_assessment_pdf
from pia.report.review_record import BoardRatingView, ConditionView

# The board agrees with the engine on one criterion and rates another higher than the engine.
REVIEWED = dataclasses.replace(
    RECORD,
    ratings=(
        BoardRatingView("c_equal", "High", "As the engine says."),
        BoardRatingView("c_speech", "Very high", "Protest footage may be searched."),
    ),
    conditions=(
        *RECORD.conditions,
        ConditionView(
            3,
            "Raise the threshold before go-live.",
            "Deputy chief",
            "2027-02-01",
            "met",
            met_note="Raised.",
            met_filename="threshold-memo.pdf",
            plan_item="Set the threshold to at least 99% and lock it.",
            plan_item_id=12,
            plan_item_done=True,
        ),
    ),
)
META = {**RICH_META, "status": "submitted", "revision": 2}


def _grid(bank: Bank, evaluation) -> b.RatingGrid:
    document = build_report(bank, evaluation, RICH_ANSWERS, RICH_NOTES, META, review=REVIEWED)
    heat = next(section for section in document.sections if section.id == "heatmap")
    [grid] = [block for block in heat.blocks if isinstance(block, b.RatingGrid)]
    return grid


def test_the_grid_marks_each_criterion_once_for_the_engine_and_for_the_board(
    bank: Bank, rich_evaluation
) -> None:
    grid = _grid(bank, rich_evaluation)
    assert grid.columns == ("No finding", *bank.levels)
    marks = {bar.label: [m for m, _ in grid.marks(bar)] for bar in grid.bars}
    engine = {c.name: c.level for c in rich_evaluation.criteria}
    equal, speech = "Equal protection and accuracy", "Freedom of expression and assembly"
    assert engine[equal] == "High" and engine[speech] is None
    high = grid.columns.index("High")
    assert marks[equal][high] == "Engine and Board"  # they agree: one cell, both marks
    assert marks[speech][0] == "Engine"  # the engine found nothing on it
    assert marks[speech][grid.columns.index("Very high")] == "Board"
    for bar in grid.bars:
        row = marks[bar.label]
        assert sum("Engine" in mark for mark in row) == 1
        assert sum("Board" in mark for mark in row) == (1 if bar.board_level else 0)
    coloured = dict(zip(grid.columns, grid.marks(grid.bars[0]), strict=True))
    assert coloured["High"][1] == "High" and coloured["Low"] == ("", None)


@pytest.fixture(scope="module")
def pdf_pages(bank: Bank, rich_evaluation) -> list[str]:
    pdf = render_assessment_pdf(
        bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, META, EVIDENCE, review=REVIEWED
    )
    return page_texts(pdf)


def test_the_pdf_heat_map_section_shows_both_ratings_with_a_legend(pdf_pages) -> None:
    [page] = [text for text in pdf_pages if "by criterion" in text and "Engine marks" in text]
    grid = flat(page[page.index("The engine's rating and the board's") :])
    assert grid.startswith("Theengine'sratingandtheboard's,bycriterion")
    assert "CriterionNofindingLowModerateHighVeryhigh" in grid
    assert (
        "EqualprotectionandaccuracyEngineandBoard"
        "FreedomofexpressionandassemblyEngineBoard"
        "VendoraccountabilityEngine"
    ) in grid
    assert "Boardmarksthelevelthe" in grid
    assert "ArowwithnoBoardmarkisacriteriontheboarddidnotrate." in grid


def test_the_pdf_review_record_names_a_conditions_plan_item_and_file(pdf_pages) -> None:
    text = flat("\n".join(pdf_pages))
    assert "Action-planitem" in text
    assert "Setthethresholdtoatleast99%andlockit.(done)" in text
    assert "Met,awaitingverification:Raised.(file:threshold-memo.pdf)" in text


def _tables(bank: Bank, evaluation) -> list[list[list[str]]]:
    data = render_assessment_docx(
        bank, evaluation, RICH_ANSWERS, RICH_NOTES, META, EVIDENCE, review=REVIEWED
    )
    word = docx.Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in word.tables]


def test_the_word_export_has_the_grid_the_chart_with_both_and_the_plan_item(
    bank: Bank, rich_evaluation
) -> None:
    tables = _tables(bank, rich_evaluation)
    [grid] = [t for t in tables if t[0] == ["Criterion", "No finding", *bank.levels]]
    rows = {row[0]: row[1:] for row in grid[1:]}
    assert rows["Equal protection and accuracy"] == ["", "", "", "Engine and Board", ""]
    assert rows["Freedom of expression and assembly"] == ["Engine", "", "", "", "Board"]
    chart_head = ["Criterion", "Engine's rating (residual)", "Board's rating", "Findings"]
    [chart] = [t for t in tables if t[0] == chart_head]
    chart_rows = {row[0]: row[1:3] for row in chart[1:]}
    assert chart_rows["Freedom of expression and assembly"] == ["No findings", "Very high"]
    assert chart_rows["Vendor accountability"] == ["No findings", "Not rated"]
    [conditions] = [t for t in tables if t[0][:1] == ["Condition"]]
    assert conditions[0][4] == "Action-plan item"
    assert conditions[-1][4] == "Set the threshold to at least 99% and lock it. (done)"
    assert conditions[1][4] == "—"


def test_the_plan_item_survives_embedding_and_the_report_still_verifies(
    bank: Bank, rich_evaluation, bank_dir, tmp_path, capsys, signing_key
) -> None:
    from report_pdf_reading import attachment

    from pia.cli import main
    from pia.report.review_record import record_from_dict
    from pia.report.signing import sign_pdf

    pdf = render_assessment_pdf(
        bank, rich_evaluation, RICH_ANSWERS, RICH_NOTES, META, EVIDENCE, review=REVIEWED
    )
    assert record_from_dict(attachment(pdf, "assessment.json")["review"]) == REVIEWED
    path = tmp_path / "report.pdf"
    path.write_bytes(sign_pdf(pdf, signing_key))
    assert main(["verify", str(path), "--bank", str(bank_dir)]) == 0, capsys.readouterr().err
