"""User text that looks like ReportLab markup prints literally wherever the PDF lists it.

The shared report bank has no rule that reads a text question, so a finding's "Triggered by these
answers" list never carries user text there. This bank adds one: a multi-line watchlist answer
with tags and ampersands then reaches a bullet list, the place where unescaped text would crash
the render or turn into markup.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from report_bank import write_bank
from report_pdf_reading import all_text, flat

from pia.engine import evaluate, load_bank
from pia.engine.bank.model import Bank
from pia.report import render_assessment_pdf

TEXT_RULE = """
  - id: named_watchlist
    title: Watchlist described in free text
    criterion: c_speech
    explanation: A free-text watchlist has no defined entry criteria.
    when: answered(watchlist)
    severity: 2
    likelihood: 2
    citations: ["Bridges v South Wales Police [2020] EWCA Civ 1058"]
"""
HOSTILE = "Gang <b>list</b> & friends\n<font size=40>Big</font> & <i>co</i> <br/> </para>"


@pytest.fixture(scope="module")
def text_rule_bank(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    folder = write_bank(tmp_path_factory.mktemp("text_rule_bank"))
    rules = Path(folder, "rules", "rules.yaml")
    rules.write_text(rules.read_text(encoding="utf-8") + TEXT_RULE, encoding="utf-8")
    return load_bank(folder)


def test_markup_in_a_triggering_answer_prints_literally(text_rule_bank: Bank) -> None:
    answers = {"product_name": "FaceFind", "mode": "live", "watchlist": HOSTILE}
    evaluation = evaluate(text_rule_bank, answers, [])
    finding = next(f for f in evaluation.findings if f.rule == "named_watchlist")
    assert [t.id for t in finding.triggers] == ["watchlist"]

    pdf = render_assessment_pdf(text_rule_bank, evaluation, answers, {}, {"title": "Markup"})

    text = flat(all_text(pdf))
    start = text.index(flat("Triggered by these answers"))
    triggers = text[start:]
    for line in HOSTILE.splitlines():
        assert flat(line) in triggers, line
