"""The report's Action plan section: the engine's plan, item by item, in the PDF's text."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_pdf_reading import all_text, flat, outline_titles

from pia.engine import action_plan, evaluate, load_bank, read_answers_file
from pia.engine.bank.model import Bank
from pia.report import build_report, render_assessment_pdf

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
SHERIFF = QUESTIONS / "examples" / "sheriff_face_search_pilot.yaml"


@pytest.fixture(scope="module")
def real_bank() -> Bank:
    return load_bank(QUESTIONS)


def test_the_pdf_lists_every_plan_item_best_first_with_its_level(real_bank: Bank) -> None:
    document = read_answers_file(SHERIFF)
    evaluation = evaluate(real_bank, document.answers, document.profiles)
    plan = action_plan(real_bank, document.answers, document.profiles)
    assert len(plan.items) > 5
    pdf = render_assessment_pdf(
        real_bank, evaluation, document.answers, document.notes, document.assessment
    )
    assert "Action plan" in outline_titles(pdf)
    text = flat(all_text(pdf))
    start = text.index(flat("Action plan") + flat("Safeguards not yet in place"))
    positions = [text.index(flat(item.text), start) for item in plan.items]
    assert positions == sorted(positions), "items appear best first"
    first = plan.items[0]
    assert flat(f"{first.lowers[0].title}: {first.lowers[0].before} to") in text
    for advice in plan.advice:
        assert flat(advice.text) in text


def test_the_section_says_so_when_nothing_would_change_a_finding(real_bank: Bank) -> None:
    evaluation = evaluate(real_bank, {}, ())
    document = build_report(real_bank, evaluation, {}, {}, {"title": "Empty"})
    (section,) = [s for s in document.sections if s.id == "plan"]
    texts = [getattr(block, "text", "") for block in section.blocks]
    assert any("No safeguard or declared action" in text for text in texts)
