"""The shipped question bank checks, and meets its content requirements."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest
from bank_paths import BANK_DIR, EXAMPLE_FILES, REPO

from pia.engine import Bank
from pia.engine.bank.model import CHOICE, MULTI, Citation


def test_pia_check_passes_on_the_shipped_bank() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pia", "check", str(BANK_DIR)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok: 13 sections,")


def test_counts_meet_the_requirements(real_bank: Bank) -> None:
    assert len(real_bank.questions) >= 90
    assert len(real_bank.rules) >= 60
    assert len(real_bank.criteria) >= 15
    assert len(real_bank.profiles) >= 5
    assert len(real_bank.sections) >= 12
    assert len(EXAMPLE_FILES) >= 4


def test_every_criterion_has_a_rule(real_bank: Bank) -> None:
    with_rules = {rule.criterion for rule in real_bank.rules.values()}
    assert [c for c in real_bank.criteria if c not in with_rules] == []


def test_every_criterion_has_a_plain_description_and_sources(real_bank: Bank) -> None:
    for criterion in real_bank.criteria.values():
        assert len(criterion.description.split()) >= 20, criterion.id
        assert criterion.sources, criterion.id


def test_every_rule_is_complete(real_bank: Bank) -> None:
    for rule in real_bank.rules.values():
        assert rule.citations, f"{rule.id} cites no source"
        assert rule.justification, f"{rule.id} has no justification"
        assert rule.actions, f"{rule.id} recommends no action"
        assert len(rule.explanation.split()) >= 15, f"{rule.id}: explanation too thin"


def test_every_question_informs_a_criterion_or_is_descriptive(real_bank: Bank) -> None:
    for question in real_bank.questions.values():
        assert question.descriptive or question.criteria, question.id
        assert all(c in real_bank.criteria for c in question.criteria), question.id


def test_every_question_has_help_for_a_procurement_officer(real_bank: Bank) -> None:
    thin = [q.id for q in real_bank.questions.values() if len(q.help.split()) < 8]
    assert thin == []


def test_every_criterion_is_informed_by_a_question(real_bank: Bank) -> None:
    informed = {c for q in real_bank.questions.values() for c in q.criteria}
    assert set(real_bank.criteria) <= informed


def test_every_profile_element_is_covered_by_existing_questions(real_bank: Bank) -> None:
    for profile in real_bank.profiles.values():
        assert profile.elements, profile.id
        for element in profile.elements:
            assert element.questions, f"{profile.id}.{element.id}"
            unknown = [q for q in element.questions if q not in real_bank.questions]
            assert unknown == [], f"{profile.id}.{element.id} names {unknown}"


def test_no_two_rules_are_exact_duplicates(real_bank: Bank) -> None:
    keys = Counter(
        (rule.criterion, " ".join(rule.when.source.split())) for rule in real_bank.rules.values()
    )
    assert [key for key, count in keys.items() if count > 1] == []


def test_no_two_rules_share_a_title(real_bank: Bank) -> None:
    titles = Counter(rule.title for rule in real_bank.rules.values())
    assert [title for title, count in titles.items() if count > 1] == []


# Provisions the legal research marks [M] (from memory) or [S] (secondary summary only): wherever
# the bank cites them, the note must say so. Keys are citation prefixes.
UNVERIFIED = (
    "740 ILCS 14/25",
    "CCOPS",
)
SECONDARY = (
    "Gender Shades",
    "Datainspektionen decision DI-2019-2221",
)
# Checked against the primary text (the EU profile's description says where): no caveat may remain.
CHECKED = (
    "EU AI Act",
    "GDPR Art",
    "Data Protection Act 2018",
    "Directive (EU) 2016/680 Art 10",
    "Directive (EU) 2016/680 Art 11",
    "Directive (EU) 2016/680 Art 27",
    "Directive (EU) 2016/680 Art 28",
)
# Checked against the full text of chapter 43.386 RCW: no citation of the chapter may carry a
# caveat any more, and the sections once cited under the wrong subsection number stay corrected.
VERIFIED = ("RCW 43.386",)
CAVEATS = ("unverified", "secondary summary", "in part")


def _all_citations(bank: Bank) -> list[Citation]:
    citations = [c for r in bank.rules.values() for c in r.citations]
    citations += [c for q in bank.questions.values() for c in q.citations]
    citations += [c for k in bank.criteria.values() for c in k.sources]
    citations += [c for p in bank.profiles.values() for c in p.citations]
    return citations


def test_unverified_sources_say_so(real_bank: Bank) -> None:
    citations = _all_citations(real_bank)
    unverified = [c for c in citations if c.source.startswith(UNVERIFIED)]
    assert unverified
    assert [c.source for c in unverified if "unverified" not in c.note] == []
    secondary = [c for c in citations if c.source.startswith(SECONDARY)]
    assert secondary
    assert [
        c.source
        for c in secondary
        if "secondary summary" not in c.note and "unverified" not in c.note
    ] == []
    verified = [c for c in citations if c.source.startswith(VERIFIED)]
    assert verified
    assert [c.source for c in verified if any(caveat in c.note for caveat in CAVEATS)] == []
    checked = [c for c in citations if c.source.startswith(CHECKED)]
    assert checked
    assert [
        c.source for c in checked if "secondary summary" in c.note or "unverified" in c.note
    ] == []


def test_unverified_profile_elements_say_so(real_bank: Bank) -> None:
    """Element and obligation texts carry the caveat, since they have no note of their own."""
    for profile in real_bank.profiles.values():
        for cite, text in [(e.cite, e.text) for e in profile.elements] + [
            (o.cite, o.text) for o in profile.obligations
        ]:
            if cite.startswith(UNVERIFIED):
                assert "unverified" in text, cite
            elif cite.startswith(SECONDARY):
                assert "secondary summary" in text or "unverified" in text, cite


def test_washington_profile_cites_the_subsections_the_statute_uses(real_bank: Bank) -> None:
    """RCW 43.386.020(4) is the two-yearly update and (5) the 90-day publication; .080(6) forbids
    sketches and (7) substantive image manipulation. No profile text carries a caveat."""
    profile = real_bank.profiles["wa_rcw_43_386"]
    elements = {element.id: element for element in profile.elements}
    assert elements["update_two_years"].cite == "RCW 43.386.020(4)"
    assert elements["publication_before_use"].cite == "RCW 43.386.020(5)"
    assert elements["vendor_bias_disclosure"].cite == "RCW 43.386.020(6)"
    assert elements["new_purpose_consultation"].cite == "RCW 43.386.020(7)"
    assert elements["no_sketches"].cite == "RCW 43.386.080(6)"
    assert elements["image_manipulation"].cite == "RCW 43.386.080(7)"
    obligations = {obligation.id: obligation for obligation in profile.obligations}
    assert obligations["update_every_two_years"].cite == "RCW 43.386.020(4)"
    assert obligations["publish_before_use"].cite == "RCW 43.386.020(5)"
    texts = [e.text for e in profile.elements] + [o.text for o in profile.obligations]
    assert [t for t in texts if any(caveat in t for caveat in CAVEATS)] == []


@pytest.mark.parametrize(
    "question_id",
    ["watchlist_categories", "watchlist_size", "access_control", "hosting_details"],
)
def test_watchlist_and_security_answers_are_sensitive(real_bank: Bank, question_id: str) -> None:
    assert real_bank.questions[question_id].sensitive


def test_conditional_questions_follow_the_logic_of_use(real_bank: Bank) -> None:
    """Live questions only for live use; watchlists only for 1:N or live; per-group accuracy
    only when test data exists."""
    live_only = ["live_operation", "live_legal_basis", "live_objective", "live_alert_procedure"]
    for question_id in live_only:
        names = real_bank.questions[question_id].show_if.names
        assert "modes" in names, question_id
    assert "modes" in real_bank.questions["watchlist_criteria"].show_if.names
    assert real_bank.questions["fmr_by_group"].show_if.names == {"demographic_test_data"}


def test_required_choice_questions_have_help_or_obvious_choices(real_bank: Bank) -> None:
    for question in real_bank.questions.values():
        if question.type in (CHOICE, MULTI):
            assert len(question.choices) >= 2, question.id
            assert len({c.value for c in question.choices}) == len(question.choices)


def test_an_empty_assessment_raises_no_finding(real_bank: Bank) -> None:
    """An unanswered question never fires a rule by itself, so no rule fires on no answers."""
    from pia.engine import evaluate

    evaluation = evaluate(real_bank, {}, tuple(real_bank.profiles))
    assert evaluation.findings == ()
    assert evaluation.prohibitions == ()
