"""EU AI Act provisions that bind only the police are cited with the limit the text sets.

Art 5(1)(h), 5(2) and 5(3) govern the use of real-time remote biometric identification in publicly
accessible spaces for the purposes of law enforcement: Art 5(3) requires prior authorisation of each
such use by a judicial or independent administrative authority (first subparagraph) and bars any
decision with an adverse legal effect on a person based solely on its output (second
subparagraph). Art 26(10) governs post-remote biometric identification: a request for authorisation
in an investigation for the targeted search of a person suspected or convicted of a criminal
offence (first subparagraph), and no such decision taken by the law enforcement authorities based
solely on its output (third subparagraph). Rules such as no_approval_before_use and
no_corroboration_rule fire for any agency, so every citation of these provisions says whom and what
it reaches, and the two provisions are never cited together under one note.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from bank_scenarios import evaluate_answers

from pia.engine import AnswersDocument, Bank, Evaluation
from pia.engine.bank.model import Citation

EU = ("eu_ai_act_gdpr",)
REAL_TIME_LIMIT = (
    "real-time remote biometric identification",
    "publicly accessible",
    "law enforcement",
)
POST_REMOTE_LIMIT = ("post-remote",)
POLICE_CONTEXT = ("law enforcement", "criminal offence")


def _bank_citations(bank: Bank) -> Iterator[tuple[str, Citation]]:
    for rule in bank.rules.values():
        for citation in rule.citations:
            yield f"rule {rule.id}", citation
    for question in bank.questions.values():
        for citation in question.citations:
            yield f"question {question.id}", citation
    for criterion in bank.criteria.values():
        for citation in criterion.sources:
            yield f"criterion {criterion.id}", citation


def _cites(citation: Citation, article: str) -> bool:
    return citation.source.startswith("EU AI Act") and article in citation.source


def test_art_5_3_is_always_cited_for_real_time_police_use_in_public(real_bank: Bank) -> None:
    cited = [(where, c) for where, c in _bank_citations(real_bank) if _cites(c, "Art 5(3)")]
    assert len(cited) >= 6
    for where, citation in cited:
        missing = [words for words in REAL_TIME_LIMIT if words not in citation.note]
        assert not missing, f"{where}: {citation.source} note lacks {missing}"


@pytest.mark.parametrize("article", ["Art 5(2)", "Art 5(1)(h)"])
def test_real_time_provisions_cited_where_any_agency_is_asked_state_their_limit(
    real_bank: Bank, article: str
) -> None:
    """The questions on modes, public spaces and targeting are asked of every agency."""
    for question in ("modes", "publicly_accessible", "live_targeting", "live_objective"):
        notes = [c.note for c in real_bank.questions[question].citations if _cites(c, article)]
        for note in notes:
            assert "real-time" in note and "law enforcement" in note, (question, note)


def test_art_26_10_is_always_cited_for_post_remote_identification_by_the_police(
    real_bank: Bank,
) -> None:
    cited = [(where, c) for where, c in _bank_citations(real_bank) if _cites(c, "Art 26(10)")]
    assert len(cited) >= 8
    for where, citation in cited:
        assert all(words in citation.note for words in POST_REMOTE_LIMIT), where
        assert any(words in citation.note for words in POLICE_CONTEXT), where


def test_real_time_and_post_remote_provisions_are_never_cited_under_one_note(
    real_bank: Bank,
) -> None:
    together = [
        where
        for where, c in _bank_citations(real_bank)
        if _cites(c, "Art 5(3)") and _cites(c, "Art 26(10)")
    ]
    assert together == []


@pytest.fixture
def police_live_in_public(examples: dict[str, AnswersDocument]) -> dict[str, Any]:
    """Police live matching in public, approved by any user, with no rule against acting on a
    match alone."""
    answers = {
        **examples["live_recognition_public_events"].answers,
        "use_approver": "any_user",
        "corroboration_required": False,
        "result_use": "identification",
    }
    assert answers["agency_type"] == "law_enforcement" and answers["publicly_accessible"] is True
    return answers


def _eu_ai_act_notes(evaluation: Evaluation, rule: str) -> dict[str, str]:
    (finding,) = [f for f in evaluation.findings if f.rule == rule]
    return {c.source: c.note for c in finding.citations if c.source.startswith("EU AI Act")}


def _operator(answers: dict[str, Any]) -> dict[str, Any]:
    """The same deployment run by a transport operator: no police question remains answered."""
    police_only = {"national_law_rbi", "fria_completed", "authorities_notified", "result_use"}
    kept = {k: v for k, v in answers.items() if k not in police_only}
    return {**kept, "agency_type": "transport"}


@pytest.mark.parametrize("rule", ["no_approval_before_use", "no_corroboration_rule"])
def test_a_transport_operator_is_told_the_police_provisions_do_not_reach_it(
    real_bank: Bank, police_live_in_public: dict[str, Any], rule: str
) -> None:
    """The rule fires for any agency; the Art 5(3) and Art 26(10) citations it carries say that
    they bind only law enforcement, and the bank applies no real-time police duty to the
    operator."""
    evaluation = evaluate_answers(real_bank, _operator(police_live_in_public), EU)
    notes = _eu_ai_act_notes(evaluation, rule)
    assert set(notes) == {"EU AI Act Art 5(3)", "EU AI Act Art 26(10)"}
    assert (
        notes["EU AI Act Art 5(3)"]
        .split(":")[0]
        .endswith(
            "only for the use of real-time remote biometric identification in publicly accessible "
            "spaces for the purposes of law enforcement"
        )
    )
    assert "only for post-remote biometric identification" in notes["EU AI Act Art 26(10)"]
    obligations = {obligation.id for obligation in evaluation.obligations}
    assert "realtime_conditions" not in obligations
    assert "live_public_law_enforcement" not in {f.rule for f in evaluation.findings}


def test_the_police_using_live_matching_in_public_are_bound_by_what_art_5_3_cites(
    real_bank: Bank, police_live_in_public: dict[str, Any]
) -> None:
    """Where the limit is met, the same citations stand beside the duties they describe."""
    evaluation = evaluate_answers(real_bank, police_live_in_public, EU)
    fired = {f.rule for f in evaluation.findings}
    assert {"no_approval_before_use", "no_corroboration_rule", "match_as_identification"} <= fired
    assert "live_public_law_enforcement" in fired
    assert "realtime_conditions" in {obligation.id for obligation in evaluation.obligations}
    authorisation = _eu_ai_act_notes(evaluation, "no_approval_before_use")["EU AI Act Art 5(3)"]
    assert "prior authorisation" in authorisation and "within 24 hours" in authorisation
    for rule in ("no_corroboration_rule", "match_as_identification"):
        notes = _eu_ai_act_notes(evaluation, rule)
        assert "based solely on its output" in notes["EU AI Act Art 5(3)"]
        assert "by the law enforcement authorities" in notes["EU AI Act Art 26(10)"]


def test_art_27_is_cited_as_binding_public_bodies_and_providers_of_public_services(
    real_bank: Bank,
) -> None:
    """Art 27(1): the assessment falls on "deployers that are bodies governed by public law, or
    are private entities providing public services" (and the deployers of Annex III points
    5(b)-(c)); rules citing it fire for private operators too."""
    cited = [(where, c) for where, c in _bank_citations(real_bank) if _cites(c, "Art 27(1)")]
    assert len(cited) >= 10
    for where, citation in cited:
        note = citation.note
        assert "bodies governed by public law" in note, where
        assert "private entities providing public services" in note, where


def test_recital_32_is_cited_for_what_it_describes(real_bank: Bank) -> None:
    """Recital 32 speaks of real-time remote biometric identification in publicly accessible
    spaces for the purpose of law enforcement; rules about other operators or about emotion
    monitoring may cite it only as that."""
    cited = [(where, c) for where, c in _bank_citations(real_bank) if _cites(c, "Recital 32")]
    assert len(cited) >= 6
    for where, citation in cited:
        assert citation.note.startswith("said of real-time remote biometric identification"), where
        assert "law enforcement" in citation.note, where


def test_recital_95_is_cited_as_said_of_post_remote_identification(real_bank: Bank) -> None:
    """Recital 95 concerns post-remote biometric identification; rules citing it also fire for
    live matching and for galleries searched in any mode."""
    cited = [(where, c) for where, c in _bank_citations(real_bank) if _cites(c, "Recital 95")]
    assert len(cited) >= 9
    assert "rule long_live_deployments" in {where for where, _ in cited}
    for where, citation in cited:
        assert citation.note.startswith("said of post-remote biometric identification"), where


@pytest.mark.parametrize(
    ("obligation", "condition"),
    [
        (
            "fria",
            "If the agency is a body governed by public law or a private entity providing public "
            "services",
        ),
        (
            "public_body_registration",
            "If the agency is a public authority or acts on behalf of one",
        ),
    ],
)
def test_duties_of_public_bodies_say_so_when_a_private_operator_is_told_of_them(
    real_bank: Bank,
    police_live_in_public: dict[str, Any],
    obligation: str,
    condition: str,
) -> None:
    """Art 27(1) and Art 26(8) with Art 49(3) bind public bodies (and, for Art 27, private
    entities providing public services); a private business deploying a high-risk system is told
    the duty with its condition."""
    private = {**_operator(police_live_in_public), "agency_type": "private_operator"}
    evaluation = evaluate_answers(real_bank, private, EU)
    (hit,) = [o for o in evaluation.obligations if o.id == obligation]
    assert hit.text.startswith(condition)
