"""No rule can never fire; every prohibition and obligation of every profile can apply.

A rule fires in an example assessment or in a scenario built from one (bank_scenarios.py). Each
scenario is asserted on its own, so a scenario that stops firing its rule fails by name.
"""

from __future__ import annotations

import pytest
from bank_paths import BANK_DIR
from bank_scenarios import (
    PROHIBITION_SCENARIOS,
    RULE_SCENARIOS,
    evaluate_answers,
    scenario_answers,
)

from pia.engine import PROHIBITED, AnswersDocument, Bank, load_bank

ALL_RULES = sorted(load_bank(BANK_DIR).rules)


@pytest.fixture(scope="module")
def fired_in_examples(real_bank: Bank, examples: dict[str, AnswersDocument]) -> set[str]:
    fired: set[str] = set()
    for document in examples.values():
        evaluation = evaluate_answers(real_bank, document.answers, document.profiles)
        fired |= {finding.rule for finding in evaluation.findings}
    return fired


@pytest.mark.parametrize("rule_id", ALL_RULES)
def test_rule_can_fire(
    real_bank: Bank,
    examples: dict[str, AnswersDocument],
    fired_in_examples: set[str],
    rule_id: str,
) -> None:
    if rule_id in fired_in_examples:
        return
    assert rule_id in RULE_SCENARIOS, f"{rule_id} fires in no example and has no scenario"
    answers = scenario_answers(examples, RULE_SCENARIOS[rule_id])
    evaluation = evaluate_answers(real_bank, answers, real_bank.rules[rule_id].profiles)
    assert rule_id in {finding.rule for finding in evaluation.findings}


def test_scenarios_are_needed(fired_in_examples: set[str]) -> None:
    """A scenario for a rule that an example already fires is dead weight: keep the table honest."""
    assert sorted(set(RULE_SCENARIOS) & fired_in_examples) == []


def test_every_prohibition_has_a_scenario(real_bank: Bank) -> None:
    declared = {
        (profile.id, prohibition.rule)
        for profile in real_bank.profiles.values()
        for prohibition in profile.prohibitions
    }
    assert declared == set(PROHIBITION_SCENARIOS)


@pytest.mark.parametrize(("profile", "rule"), sorted(PROHIBITION_SCENARIOS))
def test_prohibition_applies(
    real_bank: Bank, examples: dict[str, AnswersDocument], profile: str, rule: str
) -> None:
    answers = scenario_answers(examples, PROHIBITION_SCENARIOS[(profile, rule)])
    evaluation = evaluate_answers(real_bank, answers, (profile,))
    assert (profile, rule) in {(hit.profile, hit.rule) for hit in evaluation.prohibitions}
    assert evaluation.overall.level == PROHIBITED


def test_eu_realtime_exception_with_authorisation_lifts_the_prohibition(
    real_bank: Bank, examples: dict[str, AnswersDocument]
) -> None:
    """Art 5(1)(h) exceptions count only when every condition of Art 5(2)-(5) holds: national law,
    a specifically targeted person, a completed FRIA, prior judicial or independent authorisation
    and notification. Removing any one of them restores the prohibition."""
    base = examples["live_recognition_public_events"].answers
    conditions = {
        "live_objective": "victims_missing",
        "use_approver": "judge",
        "national_law_rbi": True,
        "live_targeting": "specific_individuals",
        "fria_completed": True,
        "authorities_notified": True,
    }
    evaluation = evaluate_answers(real_bank, {**base, **conditions}, ("eu_ai_act_gdpr",))
    assert evaluation.prohibitions == ()
    assert "live_public_law_enforcement" in {f.rule for f in evaluation.findings}
    failing = {
        "live_objective": "general_crime",
        "use_approver": "senior_officer",
        "national_law_rbi": False,
        "live_targeting": "open_watchlist",
        "fria_completed": False,
        "authorities_notified": False,
    }
    for question, value in failing.items():
        answers = {**base, **conditions, question: value}
        evaluation = evaluate_answers(real_bank, answers, ("eu_ai_act_gdpr",))
        assert [hit.rule for hit in evaluation.prohibitions] == ["live_public_law_enforcement"], (
            question
        )


def test_serious_crime_and_a_judge_do_not_lift_the_ban_for_an_open_watchlist_at_protests(
    real_bank: Bank, examples: dict[str, AnswersDocument]
) -> None:
    """A persons-of-interest watchlist at protests stays prohibited under Art 5(1)(h) even with a
    judge's approval and a serious-crime objective."""
    base = examples["live_recognition_public_events"].answers
    answers = {
        **base,
        "live_objective": "serious_crime_suspects",
        "use_approver": "judge",
        "sensitive_places": True,
        "live_targeting": "open_watchlist",
    }
    evaluation = evaluate_answers(real_bank, answers, ("eu_ai_act_gdpr",))
    assert [hit.rule for hit in evaluation.prohibitions] == ["live_public_law_enforcement"]


def test_analysis_that_identifies_no_one_is_not_real_time_identification(
    real_bank: Bank, examples: dict[str, AnswersDocument]
) -> None:
    """Emotion or behaviour detection by the police identifies nobody: not Art 5(1)(h)."""
    base = examples["live_recognition_public_events"].answers
    answers = {
        key: value
        for key, value in base.items()
        if real_bank.questions[key].section not in ("sources",)
        and not key.startswith(("live_", "watchlist"))
    }
    answers.update(
        {
            "modes": ["analysis_only"],
            "inference_features": ["behaviour"],
            "inference_validation": "vendor_study",
            "inference_use": "trigger_action",
            "gallery_sources": ["enrolled_volunteers"],
            "sources_lawfulness_reviewed": True,
        }
    )
    evaluation = evaluate_answers(real_bank, answers, ("eu_ai_act_gdpr",))
    assert evaluation.prohibitions == ()
    fired = {f.rule for f in evaluation.findings}
    assert "live_public_law_enforcement" not in fired
    assert "emotion_or_behaviour_monitoring_in_public" in fired


def test_wa_continuous_surveillance_with_a_warrant_is_not_prohibited(
    real_bank: Bank, examples: dict[str, AnswersDocument]
) -> None:
    base = examples["live_recognition_public_events"].answers
    answers = {**base, "live_operation": "continuous", "live_legal_basis": "warrant"}
    evaluation = evaluate_answers(real_bank, answers, ("wa_rcw_43_386",))
    assert "continuous_live_matching" in {f.rule for f in evaluation.findings}
    assert evaluation.prohibitions == ()


def test_every_obligation_applies_in_some_example(
    real_bank: Bank, examples: dict[str, AnswersDocument]
) -> None:
    """Each profile's obligations, evaluated against every example under that profile."""
    applied: set[tuple[str, str]] = set()
    for profile in real_bank.profiles:
        for document in examples.values():
            evaluation = evaluate_answers(real_bank, document.answers, (profile,))
            applied |= {(hit.profile, hit.id) for hit in evaluation.obligations}
    declared = {
        (profile.id, obligation.id)
        for profile in real_bank.profiles.values()
        for obligation in profile.obligations
    }
    assert sorted(declared - applied) == []


def test_mitigations_lower_the_rating(
    real_bank: Bank, examples: dict[str, AnswersDocument]
) -> None:
    """The sheriff pilot's threshold finding is lowered by lead-only use; without it, it is not."""
    base = examples["sheriff_face_search_pilot"].answers
    evaluation = evaluate_answers(real_bank, base, ())
    finding = next(f for f in evaluation.findings if f.rule == "threshold_below_99")
    assert [m.id for m in finding.mitigations] == ["lead_only"]
    assert (finding.inherent.level, finding.residual.level) == ("Very high", "High")
    worse = {**base, "result_use": "identification"}
    evaluation = evaluate_answers(real_bank, worse, ())
    finding = next(f for f in evaluation.findings if f.rule == "threshold_below_99")
    assert finding.mitigations == ()
    assert finding.residual.level == "Very high"


def test_disparity_ratio_is_computed_from_group_rates(
    real_bank: Bank, examples: dict[str, AnswersDocument]
) -> None:
    document = examples["live_recognition_public_events"]
    evaluation = evaluate_answers(real_bank, document.answers, ())
    assert evaluation.computed["fmr_disparity"] == pytest.approx(0.02 / 0.003)
    assert "fmr_disparity_moderate" in {f.rule for f in evaluation.findings}
    assert "fmr_disparity_large" not in {f.rule for f in evaluation.findings}


def test_wa_tracking_under_a_warrant_is_not_prohibited(
    real_bank: Bank, examples: dict[str, AnswersDocument]
) -> None:
    """Tracking through recorded video asks for its legal basis too (not only live use)."""
    base = examples["federal_scraped_database_trial"].answers
    evaluation = evaluate_answers(
        real_bank, {**base, "live_legal_basis": "warrant"}, ("wa_rcw_43_386",)
    )
    assert "tracking_across_time" in {f.rule for f in evaluation.findings}
    assert "tracking_across_time" not in {hit.rule for hit in evaluation.prohibitions}
