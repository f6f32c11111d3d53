"""EU AI Act Art 5(1)(g) is cited with its carve-out, and the prohibition gives way to it.

Art 5(1)(g) prohibits "the placing on the market, the putting into service for this specific
purpose, or the use of biometric categorisation systems that categorise individually natural
persons based on their biometric data to deduce or infer their race, political opinions, trade
union membership, religious or philosophical beliefs, sex life or sexual orientation; this
prohibition does not cover any labelling or filtering of lawfully acquired biometric datasets, such
as images, based on biometric data or categorizing of biometric data in the area of law
enforcement". The bank applies the carve-out where a law enforcement agency uses inferred
attributes only to filter or narrow searches of image sources counsel has confirmed were lawfully
collected; the risk of inferring race stays a finding either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from bank_scenarios import evaluate_answers

from pia.engine import AnswersDocument, Bank
from pia.engine.bank.model import Citation

EU = ("eu_ai_act_gdpr",)
ART_5_1_G = "EU AI Act Art 5(1)(g)"
CATEGORISATION = (
    "biometric categorisation systems that categorise individually natural persons based on their "
    "biometric data to deduce or infer their race, political opinions, trade union membership, "
    "religious or philosophical beliefs, sex life or sexual orientation"
)
CARVE_OUT = (
    "does not cover any labelling or filtering of lawfully acquired biometric datasets, such as "
    "images, based on biometric data or categorizing of biometric data in the area of law "
    "enforcement"
)


def _citations(bank: Bank) -> Iterator[tuple[str, Citation]]:
    for rule in bank.rules.values():
        yield from ((f"rule {rule.id}", c) for c in rule.citations)
    for question in bank.questions.values():
        yield from ((f"question {question.id}", c) for c in question.citations)


def test_every_citation_of_art_5_1_g_states_the_prohibition_and_its_carve_out(
    real_bank: Bank,
) -> None:
    cited = [(where, c) for where, c in _citations(real_bank) if c.source == ART_5_1_G]
    wheres = {where for where, _ in cited}
    assert {"rule sensitive_categorisation", "question inference_features"} <= wheres
    for where, citation in cited:
        assert CATEGORISATION in citation.note, where
        assert CARVE_OUT in citation.note, where


def test_the_prohibition_note_states_the_carve_out(real_bank: Bank) -> None:
    (prohibition,) = [
        p
        for p in real_bank.profiles["eu_ai_act_gdpr"].prohibitions
        if p.rule == "sensitive_categorisation"
    ]
    note = " ".join(prohibition.note.split())
    assert CATEGORISATION in note
    assert f"the prohibition {CARVE_OUT}" in note


def _inferring_race(examples: dict[str, AnswersDocument], **changes: Any) -> dict[str, Any]:
    return {
        **examples["sheriff_face_search_pilot"].answers,
        "inference_features": ["ethnicity"],
        "inference_validation": "vendor_study",
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "prohibited"),
    [
        ({"inference_use": "filter_searches", "sources_lawfulness_reviewed": True}, False),
        ({"inference_use": "filter_searches", "sources_lawfulness_reviewed": False}, True),
        ({"inference_use": "trigger_action", "sources_lawfulness_reviewed": True}, True),
        ({"sources_lawfulness_reviewed": True}, True),
    ],
)
def test_the_police_filtering_lawfully_acquired_images_fall_in_the_carve_out(
    real_bank: Bank,
    examples: dict[str, AnswersDocument],
    changes: dict[str, Any],
    prohibited: bool,
) -> None:
    answers = _inferring_race(examples, **changes)
    assert answers["agency_type"] == "law_enforcement"
    evaluation = evaluate_answers(real_bank, answers, EU)
    assert "sensitive_categorisation" in {f.rule for f in evaluation.findings}
    assert (ART_5_1_G in {hit.provision for hit in evaluation.prohibitions}) is prohibited


def test_outside_law_enforcement_the_same_filtering_stays_prohibited(
    real_bank: Bank, examples: dict[str, AnswersDocument]
) -> None:
    answers = _inferring_race(
        examples,
        inference_use="filter_searches",
        sources_lawfulness_reviewed=True,
        agency_type="transport",
    )
    police_only = {"national_law_rbi", "fria_completed", "authorities_notified", "result_use"}
    answers = {k: v for k, v in answers.items() if k not in police_only}
    evaluation = evaluate_answers(real_bank, answers, EU)
    assert "sensitive_categorisation" in {f.rule for f in evaluation.findings}
    assert ART_5_1_G in {hit.provision for hit in evaluation.prohibitions}
