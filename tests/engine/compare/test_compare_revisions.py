"""compare_revisions: answers (word diffs for long text), notes, evidence, findings, criterion
levels and the overall level, from Evaluation objects or their stored JSON form alike."""

from __future__ import annotations

import pytest
from inline_bank import SYSTEM

from pia.engine import (
    ComparedRevision,
    EvidenceItem,
    compare_revisions,
    evaluate,
    evaluation_to_dict,
    load_bank,
    word_diff,
)

PURPOSE = """\
  - id: purpose
    text: What is the system for?
    type: longtext
    descriptive: true
"""

OLD = {
    "mode": "search",
    "threshold": 80,
    "uses": ["theft"],
    "vendor": "Acme",
    "purpose": "Find suspects in still images from crime scenes.",
    "fmr": {"women": 1.0, "men": 1.0},
}
NEW = {
    "mode": "search",
    "threshold": 80,
    "reviewed": True,
    "uses": ["theft", "violent"],
    "purpose": "Find suspects in still images from serious crime scenes only.",
    "fmr": {"women": 3.0, "men": 1.0},
}


@pytest.fixture
def bank(write_bank):
    return load_bank(write_bank({"sections/system.yaml": SYSTEM + PURPOSE}))


def side(bank, number, answers, notes=None, evidence=(), stored=False):
    evaluation = evaluate(bank, answers, ["wa"])
    if stored:
        evaluation = evaluation_to_dict(evaluation)
    return ComparedRevision(number, answers, notes or {}, evaluation, tuple(evidence))


def test_identical_revisions_have_no_changes(bank) -> None:
    result = compare_revisions(bank, side(bank, 1, OLD), side(bank, 2, OLD))
    assert result.unchanged and (result.old, result.new) == (1, 2)


@pytest.mark.parametrize("stored", [False, True], ids=["objects", "stored-json"])
def test_answers_findings_criteria_and_overall(bank, stored: bool) -> None:
    result = compare_revisions(
        bank, side(bank, 1, OLD, stored=stored), side(bank, 2, NEW, stored=stored)
    )
    answers = {(c.question, c.kind): (c.old, c.new) for c in result.answers}
    assert answers == {
        ("uses", "changed"): ("Theft", "Theft, Violent crime"),
        ("vendor", "removed"): ("Acme", ""),
        ("purpose", "changed"): (OLD["purpose"], NEW["purpose"]),
        ("fmr", "changed"): ("Women: 1%, Men: 1%", "Women: 3%, Men: 1%"),
        ("reviewed", "added"): ("", "yes"),
    }
    # Bank order: system section first, then accuracy.
    assert [c.question for c in result.answers] == ["uses", "vendor", "purpose", "fmr", "reviewed"]
    purpose = next(c for c in result.answers if c.question == "purpose")
    assert purpose.label == "What is the system for?" and purpose.section == "The system"
    assert [(p.kind, p.text) for p in purpose.words] == [
        ("equal", "Find suspects in still images from "),
        ("inserted", "serious "),
        ("equal", "crime "),
        ("deleted", "scenes."),
        ("inserted", "scenes only."),
    ]
    assert all(not c.words for c in result.answers if c.question != "purpose")
    findings = {(f.rule, f.kind): (f.old_level, f.new_level) for f in result.findings}
    assert findings == {("disparity_high", "added"): (None, "High")}
    assert [(c.id, c.old, c.new) for c in result.criteria] == []  # c4 stays High (disparity)
    assert result.overall is None


def test_criterion_and_overall_levels_that_change(bank) -> None:
    lower = {**OLD, "threshold": 99.5}
    result = compare_revisions(bank, side(bank, 1, OLD), side(bank, 3, lower))
    assert [(f.rule, f.kind, f.old_level) for f in result.findings] == [
        ("low_threshold", "removed", "High")
    ]
    assert [(c.id, c.name, c.old, c.new) for c in result.criteria] == [
        ("c4", "Equal protection", "High", None)
    ]
    assert (result.overall.old, result.overall.new) == ("High", "Low")
    assert [(c.question, c.old, c.new) for c in result.answers] == [("threshold", "80%", "99.5%")]


def test_a_finding_rated_differently_is_changed(bank) -> None:
    """A later revision may be evaluated by a newer bank that rates the same rule otherwise."""
    import copy

    before = side(bank, 1, OLD, stored=True)
    rerated = copy.deepcopy(before.evaluation)
    rerated["bank_version"] = "1.1"
    [finding] = [f for f in rerated["findings"] if f["rule"] == "low_threshold"]
    finding["residual"]["level"] = "Moderate"
    rerated["criteria"][1]["level"] = "Moderate"
    rerated["overall"]["level"] = "Moderate"
    after = ComparedRevision(2, OLD, {}, rerated)
    result = compare_revisions(bank, before, after)
    assert [(f.rule, f.kind, f.old_level, f.new_level) for f in result.findings] == [
        ("low_threshold", "changed", "High", "Moderate")
    ]
    assert [(c.id, c.old, c.new) for c in result.criteria] == [("c4", "High", "Moderate")]
    assert (result.overall.old, result.overall.new) == ("High", "Moderate")
    assert result.bank_versions == ("1.0", "1.1") and result.answers == ()


def test_notes_get_word_diffs(bank) -> None:
    result = compare_revisions(
        bank,
        side(bank, 1, OLD, {"threshold": "Vendor default.", "mode": "Pilot only"}),
        side(bank, 2, OLD, {"threshold": "Vendor default, raised next year."}),
    )
    notes = {c.question: c for c in result.notes}
    assert notes["mode"].kind == "removed" and notes["mode"].old == "Pilot only"
    assert notes["threshold"].kind == "changed"
    assert [(p.kind, p.text) for p in notes["threshold"].words] == [
        ("equal", "Vendor "),
        ("deleted", "default."),
        ("inserted", "default, raised next year."),
    ]


def test_evidence_added_and_removed_by_name_and_hash(bank) -> None:
    plan = EvidenceItem("plan.pdf", "a" * 64, "mode")
    test_v1 = EvidenceItem("nist-test.pdf", "b" * 64, "threshold")
    test_v2 = EvidenceItem("nist-test.pdf", "c" * 64, "threshold")  # same name, new content
    result = compare_revisions(
        bank,
        side(bank, 1, OLD, evidence=[plan, test_v1]),
        side(bank, 2, OLD, evidence=[plan, test_v2]),
    )
    assert [(e.kind, e.item.sha256[0]) for e in result.evidence] == [
        ("removed", "b"),
        ("added", "c"),
    ]


def test_answers_the_bank_no_longer_knows_are_compared_by_id(bank) -> None:
    result = compare_revisions(
        bank, side(bank, 1, {**OLD, "retired_question": "x"}), side(bank, 2, OLD)
    )
    [change] = result.answers
    assert (change.question, change.label, change.kind, change.old) == (
        "retired_question",
        "retired_question",
        "removed",
        "x",
    )


def test_word_diff_rebuilds_the_new_text() -> None:
    old = "The  pilot runs\nat 80%."
    new = "The pilot runs at 99% after review."
    pieces = word_diff(old, new)
    assert "".join(p.text for p in pieces if p.kind != "deleted") == new
    assert "".join(p.text for p in pieces if p.kind == "deleted").split() == ["80%."]
