"""EU AI Act Art 5(1)(e) is cited where the gallery is built by scraping, and only there.

Art 5(1)(e) prohibits "the placing on the market, the putting into service for this specific
purpose, or the use of AI systems that create or expand facial recognition databases through the
untargeted scraping of facial images from the internet or CCTV footage". A gallery of licence or
passport photos is a mass gallery but not a scraped one, so the rule about mass galleries does not
cite the provision; the rule about a vendor database of images scraped from the internet does.
"""

from __future__ import annotations

from typing import Any

from bank_scenarios import evaluate_answers

from pia.engine import AnswersDocument, Bank, Evaluation

EU = ("eu_ai_act_gdpr",)
ART_5_1_E = "EU AI Act Art 5(1)(e)"
SCRAPING = (
    "the use of AI systems that create or expand facial recognition databases through the "
    "untargeted scraping of facial images from the internet or CCTV footage"
)


def _citing(evaluation: Evaluation) -> set[str]:
    return {f.rule for f in evaluation.findings if any(c.source == ART_5_1_E for c in f.citations)}


def test_a_licence_photo_gallery_is_not_told_of_the_scraping_prohibition(
    real_bank: Bank, examples: dict[str, AnswersDocument]
) -> None:
    answers: dict[str, Any] = {
        **examples["sheriff_face_search_pilot"].answers,
        "gallery_sources": ["booking_photos", "licence_photos"],
        "licence_photo_access": "request_per_case",
    }
    evaluation = evaluate_answers(real_bank, answers, EU)
    fired = {f.rule for f in evaluation.findings}
    assert "untargeted_mass_gallery" in fired
    assert "scraped_image_database" not in fired
    assert _citing(evaluation) == set()
    assert ART_5_1_E not in {hit.provision for hit in evaluation.prohibitions}


def test_a_scraped_gallery_is_told_of_the_scraping_prohibition_as_it_reads(
    real_bank: Bank, examples: dict[str, AnswersDocument]
) -> None:
    answers = dict(examples["federal_scraped_database_trial"].answers)
    evaluation = evaluate_answers(real_bank, answers, EU)
    assert "untargeted_mass_gallery" in {f.rule for f in evaluation.findings}
    assert _citing(evaluation) == {"scraped_image_database"}
    (finding,) = [f for f in evaluation.findings if f.rule == "scraped_image_database"]
    (note,) = [c.note for c in finding.citations if c.source == ART_5_1_E]
    assert SCRAPING in note
    assert ART_5_1_E in {hit.provision for hit in evaluation.prohibitions}


def test_only_rules_that_need_a_scraped_gallery_cite_the_provision(real_bank: Bank) -> None:
    citing = [
        rule
        for rule in real_bank.rules.values()
        if any(c.source == ART_5_1_E for c in rule.citations)
    ]
    assert "scraped_image_database" in {rule.id for rule in citing}
    for rule in citing:
        assert "'vendor_scraped' in gallery_sources" in rule.when.source, rule.id
        assert " or " not in rule.when.source, rule.id
