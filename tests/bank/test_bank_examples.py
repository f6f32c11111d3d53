"""Each example assessment gets the outcome it states, for the reasons it states."""

from __future__ import annotations

import pytest
from bank_paths import EXAMPLE_FILES

from pia.engine import PROHIBITED, AnswersDocument, Bank, check_answers, evaluate
from pia.engine.evaluation.result import COVERED_MISSING, COVERED_PARTIAL

STEMS = [path.stem for path in EXAMPLE_FILES]
METADATA = ("title", "agency", "technology", "vendor", "product", "product_version")


@pytest.mark.parametrize("stem", STEMS)
def test_example_is_complete_and_valid(
    real_bank: Bank, examples: dict[str, AnswersDocument], stem: str
) -> None:
    document = examples[stem]
    assert all(document.assessment.get(key) for key in METADATA), stem
    assert document.profiles and all(p in real_bank.profiles for p in document.profiles)
    assert document.expected and document.why.strip()
    assert document.notes, "some answers should carry notes"
    values, issues = check_answers(real_bank, document.answers)
    assert issues == ()
    evaluation = evaluate(real_bank, values, document.profiles)
    assert evaluation.missing == (), "every visible required question is answered"
    assert evaluation.hidden_answers == (), "no answer to a question its conditions hide"


@pytest.mark.parametrize("stem", STEMS)
def test_example_gets_its_expected_outcome(
    real_bank: Bank, examples: dict[str, AnswersDocument], stem: str
) -> None:
    document = examples[stem]
    expected = document.expected or {}
    values, _ = check_answers(real_bank, document.answers)
    evaluation = evaluate(real_bank, values, document.profiles)

    assert evaluation.overall.level == expected["overall"]
    assert evaluation.overall.prohibited == (expected["overall"] == PROHIBITED)
    if "worst_residual" in expected:
        assert evaluation.overall.worst_residual == expected["worst_residual"]
    levels = {criterion.id: criterion.level for criterion in evaluation.criteria}
    for criterion_id, level in expected.get("criteria", {}).items():
        assert levels[criterion_id] == level, criterion_id
    fired = {finding.rule for finding in evaluation.findings}
    assert set(expected.get("findings", ())) <= fired
    prohibited_by = {hit.rule for hit in evaluation.prohibitions}
    assert prohibited_by == set(expected.get("prohibitions", ()))


@pytest.mark.parametrize("stem", STEMS)
def test_example_answers_every_statutory_element_that_applies(
    real_bank: Bank, examples: dict[str, AnswersDocument], stem: str
) -> None:
    document = examples[stem]
    values, _ = check_answers(real_bank, document.answers)
    evaluation = evaluate(real_bank, values, document.profiles)
    unanswered = [
        f"{profile.profile}.{element.id}"
        for profile in evaluation.coverage
        for element in profile.elements
        if element.status in (COVERED_MISSING, COVERED_PARTIAL)
    ]
    assert unanswered == []


def test_examples_contrast(real_bank: Bank, examples: dict[str, AnswersDocument]) -> None:
    """The examples span the scale: at least one prohibited, one Very high or High, one at most
    Moderate."""
    outcomes = set()
    for document in examples.values():
        values, _ = check_answers(real_bank, document.answers)
        outcomes.add(evaluate(real_bank, values, document.profiles).overall.level)
    assert PROHIBITED in outcomes
    assert outcomes & {"Very high", "High"}
    assert outcomes & {"Low", "Moderate"}


def test_every_profile_is_used_by_an_example(
    real_bank: Bank, examples: dict[str, AnswersDocument]
) -> None:
    used = {profile for document in examples.values() for profile in document.profiles}
    assert used == set(real_bank.profiles)
    assert {
        "wa_rcw_43_386",
        "eu_ai_act_gdpr",
        "uk_dpa_bridges",
        "ccops_local",
        "us_egov_208",
    } <= used
