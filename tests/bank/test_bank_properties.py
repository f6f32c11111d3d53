"""Properties of the shipped bank, checked by hypothesis on assessments built from the examples.

- Adding a safeguard never raises any finding's residual level, nor the worst residual level;
  removing one never lowers them (the same comparison read the other way).
- An answer to a question that only a profile not chosen reads changes no outcome.
- No rule fires, and nothing is prohibited, on an empty assessment, whatever the profiles.
"""

from __future__ import annotations

from typing import Any

import pytest
from bank_paths import BANK_DIR, EXAMPLE_FILES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pia.engine import NOT_RATED, check_answers, evaluate, load_bank, read_answers_file
from pia.engine.bank.model import CHOICE, DATE, GROUP_NUMBERS, MULTI, NUMBER, YESNO, Question
from pia.engine.evaluation.result import Evaluation

BANK = load_bank(BANK_DIR)
EXAMPLES = [read_answers_file(path).answers for path in EXAMPLE_FILES]
PROFILES = sorted(BANK.profiles)

# Answers that put a safeguard in place: each is the safer of the question's answers.
SAFEGUARDS: dict[str, Any] = {
    "human_review": "two_examiners",
    "corroboration_required": True,
    "examiner_training": "accredited",
    "training_refresher": True,
    "operational_testing": "independent_own_images",
    "demographic_test_data": "independent",
    "false_match_monitoring": True,
    "periodic_testing": True,
    "use_approver": "judge",
    "inference_use": "statistics_only",
    "governing_body_vote": True,
    "benefit_evidence": "independent_evaluation",
    "sharing_agreements": True,
    "disclosure_log": True,
    "live_operation": "specific_incident",
    "licence_photo_access": "court_order",
    "parental_consent": True,
    "alternative_offered": True,
    "verification_fallback": "alternative_credential",
    "encryption": True,
    "access_control": "role_mfa",
    "search_logging": "immutable_case_purpose",
    "log_review": True,
    "independent_audit": "external_annual",
    "oversight_body": "independent_board",
    "misuse_sanctions": True,
    "nonmatch_deletion": "immediate",
    "first_amendment_records_prohibited": True,
    "protected_basis_prohibited": True,
    "immigration_access": "prohibited",
    "vendor_data_use": "prohibited",
    "vendor_sale_prohibited": True,
    "vendor_deletion_certified": True,
    "unenrolment": True,
    "booking_photo_purge": True,
    "challenge_route": True,
    "feedback_channel": True,
    "subject_access": True,
    "template_storage": "user_held",
    "threshold_control": "locked",
    "results_in_case_file": True,
    "defence_disclosure": "full",
    "live_alert_procedure": "verify_first",
    "watchlist_refreshed": True,
    "sources_lawfulness_reviewed": True,
    "deployment_model": "on_premises",
    "vendor_keeps_probes": False,
    "vendor_staff_access": False,
    "data_location": "domestic",
    "tested_version_matches": True,
    "exigent_documentation": True,
    "dpia_status": "complete",
    "dpia_published": True,
    "retrospective_search_scope": "initial_identification_only",
}


def _values(question: Question) -> st.SearchStrategy[Any]:
    """Valid answers to one question."""
    if question.type == CHOICE:
        return st.sampled_from([c.value for c in question.choices])
    if question.type == MULTI:
        plain = [c.value for c in question.choices if not c.exclusive]
        alone = [[c.value] for c in question.choices if c.exclusive]
        subsets = st.lists(st.sampled_from(plain), min_size=1, unique=True)
        return st.one_of(subsets, st.sampled_from(alone)) if alone else subsets
    if question.type == YESNO:
        return st.booleans()
    if question.type == NUMBER:
        low = int(question.min if question.min is not None else 0)
        high = int(question.max if question.max is not None else 5_000_000)
        return st.integers(low, high)
    if question.type == GROUP_NUMBERS:
        groups = [g.value for g in question.groups]
        return st.dictionaries(st.sampled_from(groups), st.floats(0.0001, 5), min_size=2)
    if question.type == DATE:
        return st.just("2027-06-30")
    return st.just("An answer.")


@st.composite
def assessments(draw: st.DrawFn) -> dict[str, Any]:
    """An example's answers with up to eight answers changed to other valid values."""
    answers = dict(draw(st.sampled_from(EXAMPLES)))
    for question_id in draw(st.lists(st.sampled_from(sorted(BANK.questions)), max_size=8)):
        answers[question_id] = draw(_values(BANK.questions[question_id]))
    return answers


def _evaluate(answers: dict[str, Any], profiles: list[str]) -> Evaluation:
    values, issues = check_answers(BANK, answers)
    assert not issues, [f"{i.question}: {i.message}" for i in issues]
    return evaluate(BANK, values, profiles)


def _residuals(evaluation: Evaluation) -> dict[str, int]:
    return {f.rule: BANK.level_rank(f.residual.level) for f in evaluation.findings}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers=assessments(),
    safeguards=st.lists(st.sampled_from(sorted(SAFEGUARDS)), min_size=1, unique=True),
    profiles=st.lists(st.sampled_from(PROFILES), unique=True, max_size=3),
)
def test_a_safeguard_never_raises_a_residual_level(
    answers: dict[str, Any], safeguards: list[str], profiles: list[str]
) -> None:
    without = _evaluate(answers, profiles)
    with_safeguards = _evaluate({**answers, **{q: SAFEGUARDS[q] for q in safeguards}}, profiles)
    before, after = _residuals(without), _residuals(with_safeguards)
    raised = {
        rule: (before[rule], after[rule]) for rule in after if after[rule] > before.get(rule, 5)
    }
    assert raised == {}, "adding a safeguard raised these findings (or removing one lowered them)"
    assert BANK.level_rank(with_safeguards.overall.worst_residual) <= BANK.level_rank(
        without.overall.worst_residual
    )


def _names_read_everywhere() -> set[str]:
    """Names read by something that applies whatever the profiles: generic rules and their
    mitigations, show_if conditions and computed values."""
    names: set[str] = set()
    for rule in BANK.rules.values():
        if not rule.profiles:
            names |= rule.when.names
            for mitigation in rule.mitigations:
                names |= mitigation.when.names
    for question in BANK.questions.values():
        if question.show_if is not None:
            names |= question.show_if.names
    for computed in BANK.computed.values():
        names |= computed.expr.names
    return names


def _names_read_by_profile(profile_id: str) -> set[str]:
    profile = BANK.profiles[profile_id]
    names: set[str] = set()
    for element in profile.elements:
        names |= set(element.questions)
        names |= element.when.names if element.when else set()
    for prohibition in profile.prohibitions:
        names |= BANK.rules[prohibition.rule].when.names
        names |= prohibition.unless.names if prohibition.unless else set()
    for obligation in profile.obligations:
        names |= obligation.when.names if obligation.when else set()
    for rule in BANK.rules.values():
        if profile_id in rule.profiles:
            names |= rule.when.names
            for mitigation in rule.mitigations:
                names |= mitigation.when.names
    return names


def _out_of_scope(chosen: list[str]) -> list[str]:
    """Questions that only profiles not chosen read."""
    generic = _names_read_everywhere()
    read_by_chosen = set().union(*(_names_read_by_profile(p) for p in chosen))
    only_others = set().union(*(_names_read_by_profile(p) for p in PROFILES if p not in chosen))
    return sorted(q for q in only_others - generic - read_by_chosen if q in BANK.questions)


def test_some_questions_belong_to_one_jurisdiction_only() -> None:
    assert "exigent_documentation" in _out_of_scope(["eu_ai_act_gdpr"])
    assert "pia_cio_review" in _out_of_scope(["wa_rcw_43_386"])


@st.composite
def out_of_scope_changes(draw: st.DrawFn) -> tuple[list[str], str, Any]:
    chosen = draw(st.lists(st.sampled_from(PROFILES), unique=True, max_size=3))
    candidates = _out_of_scope(chosen)
    if not candidates:
        chosen = ["eu_ai_act_gdpr"]
        candidates = _out_of_scope(chosen)
    question_id = draw(st.sampled_from(candidates))
    return chosen, question_id, draw(_values(BANK.questions[question_id]))


def _outcome(evaluation: Evaluation) -> tuple[Any, ...]:
    return (
        [(f.rule, f.residual.level, [c.source for c in f.citations]) for f in evaluation.findings],
        evaluation.overall.level,
        evaluation.prohibitions,
        [(o.profile, o.id) for o in evaluation.obligations],
        [(c.profile, [(e.id, e.status) for e in c.elements]) for c in evaluation.coverage],
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=assessments(), change=out_of_scope_changes())
def test_an_answer_outside_the_chosen_profiles_changes_no_outcome(
    answers: dict[str, Any], change: tuple[list[str], str, Any]
) -> None:
    chosen, question_id, value = change
    before = _evaluate({k: v for k, v in answers.items() if k != question_id}, chosen)
    after = _evaluate({**answers, question_id: value}, chosen)
    assert _outcome(after) == _outcome(before), question_id


@settings(max_examples=60, deadline=None)
@given(profiles=st.lists(st.sampled_from(PROFILES), unique=True))
def test_no_rule_fires_on_an_empty_assessment(profiles: list[str]) -> None:
    evaluation = evaluate(BANK, {}, profiles)
    assert evaluation.findings == ()
    assert evaluation.prohibitions == ()
    assert evaluation.overall.level == NOT_RATED


@pytest.mark.parametrize("profile", PROFILES)
def test_jurisdiction_specific_citations_stay_under_their_profile(profile: str) -> None:
    """With only `profile` chosen, no finding cites another profile's statutes."""
    foreign = [p for p in BANK.profiles.values() if p.id != profile]
    for answers in EXAMPLES:
        for finding in _evaluate(dict(answers), [profile]).findings:
            assert finding.citations, finding.rule
            owned = [c.source for c in finding.citations if any(p.owns(c) for p in foreign)]
            assert owned == [], finding.rule
            assert (
                not BANK.rules[finding.rule].profiles
                or profile in BANK.rules[finding.rule].profiles
            )
