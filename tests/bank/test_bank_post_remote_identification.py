"""EU AI Act Art 26(10) applies where the text puts it: post-remote biometric identification by the
police, whether the material searched is a still image or recorded video.

Art 3(41) defines a remote biometric identification system as one for identifying natural persons,
without their active involvement, typically at a distance, by comparing their biometric data with a
reference database; Art 3(43) makes every such system other than a real-time one a post-remote
system. A 1:N search of a still image and a search of recorded video both fit; real-time matching
and 1:1 verification do not. In an investigation for the targeted search of a person suspected or
convicted, the first subparagraph of Art 26(10) requires a request for authorisation, except for the
initial identification of a potential suspect; the third, fifth and sixth subparagraphs apply to
every use.
"""

from __future__ import annotations

from typing import Any

import pytest
from bank_scenarios import evaluate_answers

from pia.engine import AnswersDocument, Bank, Evaluation

EU = ("eu_ai_act_gdpr",)
RULE = "post_identification_unauthorised"
SCOPE = "retrospective_search_scope"
POST_REMOTE_MODES = (["search"], ["video_search"], ["search", "video_search"])


@pytest.fixture
def police_search(examples: dict[str, AnswersDocument]) -> dict[str, Any]:
    """Police searches approved by a senior officer, with no limit on their use stated."""
    base = {**examples["federal_scraped_database_trial"].answers, "use_approver": "senior_officer"}
    assert base["agency_type"] == "law_enforcement"
    return {k: v for k, v in base.items() if k != SCOPE}


def _rules(evaluation: Evaluation) -> set[str]:
    return {finding.rule for finding in evaluation.findings}


def _obligations(evaluation: Evaluation) -> set[str]:
    return {obligation.id for obligation in evaluation.obligations}


@pytest.mark.parametrize("modes", POST_REMOTE_MODES)
def test_still_image_and_video_searches_are_both_post_remote_identification(
    real_bank: Bank, police_search: dict[str, Any], modes: list[str]
) -> None:
    evaluation = evaluate_answers(real_bank, {**police_search, "modes": modes}, EU)
    assert SCOPE in evaluation.visible
    assert RULE in _rules(evaluation)
    assert {"authorisation_post_rbi", "post_rbi_use_limits"} <= _obligations(evaluation)


@pytest.mark.parametrize("modes", POST_REMOTE_MODES)
def test_the_initial_identification_of_a_suspect_needs_no_authorisation(
    real_bank: Bank, police_search: dict[str, Any], modes: list[str]
) -> None:
    """The finding and the authorisation duty stay where searches may go beyond the exempt use
    and go where the use policy keeps them to it; the duties every use carries stay."""
    answers = {**police_search, "modes": modes}
    for scope in ("targeted_search", "not_limited"):
        evaluation = evaluate_answers(real_bank, {**answers, SCOPE: scope}, EU)
        assert RULE in _rules(evaluation), scope
        assert "authorisation_post_rbi" in _obligations(evaluation), scope
    exempt = evaluate_answers(real_bank, {**answers, SCOPE: "initial_identification_only"}, EU)
    assert RULE not in _rules(exempt)
    assert "authorisation_post_rbi" not in _obligations(exempt)
    assert "post_rbi_use_limits" in _obligations(exempt)


@pytest.mark.parametrize(
    "change", [{"modes": ["live"]}, {"modes": ["verification"]}, {"agency_type": "transport"}]
)
def test_real_time_matching_verification_and_other_agencies_are_outside_art_26_10(
    real_bank: Bank, police_search: dict[str, Any], change: dict[str, Any]
) -> None:
    evaluation = evaluate_answers(real_bank, {**police_search, **change}, EU)
    assert SCOPE not in evaluation.visible
    assert RULE not in _rules(evaluation)
    assert not {"authorisation_post_rbi", "post_rbi_use_limits"} & _obligations(evaluation)


def _art_26_10_notes(evaluation: Evaluation, rule: str) -> list[str]:
    (finding,) = [f for f in evaluation.findings if f.rule == rule]
    return [c.note for c in finding.citations if c.source.startswith("EU AI Act Art 26(10)")]


def test_a_search_without_a_documented_case_cites_only_what_art_26_10_asks_of_every_use(
    real_bank: Bank, police_search: dict[str, Any]
) -> None:
    """With searches kept to the exempt use and a judge approving them, a search without a
    documented case still breaches what Art 26(10) asks of every use (a link to an offence, a
    record in the police file), but nothing in the finding says authorisation is required."""
    answers = {
        **police_search,
        "use_approver": "judge",
        "retrospective_court_authorisation": "none",
        SCOPE: "initial_identification_only",
    }
    evaluation = evaluate_answers(real_bank, answers, EU)
    notes = _art_26_10_notes(evaluation, "retrospective_search_without_court")
    assert len(notes) == 1
    assert "police file" in notes[0] and "criminal offence" in notes[0]
    assert "authoris" not in notes[0]
    assert RULE not in _rules(evaluation)
    targeted = {**answers, "use_approver": "senior_officer", SCOPE: "targeted_search"}
    evaluation = evaluate_answers(real_bank, targeted, EU)
    assert any("authorisation" in note for note in _art_26_10_notes(evaluation, RULE))


@pytest.mark.parametrize("profiles", [(), ("us_egov_208",), ("wa_rcw_43_386",)])
def test_without_the_eu_profile_no_finding_cites_the_ai_act(
    real_bank: Bank, police_search: dict[str, Any], profiles: tuple[str, ...]
) -> None:
    answers = {**police_search, "retrospective_court_authorisation": "none"}
    evaluation = evaluate_answers(real_bank, answers, profiles)
    assert "retrospective_search_without_court" in _rules(evaluation)
    assert RULE not in _rules(evaluation)
    cited = [c.source for f in evaluation.findings for c in f.citations]
    assert not [source for source in cited if source.startswith("EU AI Act")]
