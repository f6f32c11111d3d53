"""Safeguard conditions turned into answers, declared answers, and what-if on the inline bank."""

from __future__ import annotations

import pytest

from pia.engine import load_bank
from pia.engine.planning import PlanError, action_plan, answers_meeting, what_if

RULES_WITH_ACTIONS = """\
rules:
  - id: low_threshold
    title: Low threshold
    criterion: c4
    explanation: Too many false matches.
    when: threshold < 99
    severity: 3
    likelihood: 3
    mitigations:
      - id: review
        text: Second examiner
        when: reviewed == True
        lowers: likelihood
      - id: declared
        text: Declared safeguard
        when: disparity < 2
        lowers: severity
        answers: {fmr: {women: 1, men: 1}}
    actions:
      - text: Raise the threshold to 99%
        answers: {threshold: 99}
      - Write it down.
    citations: ["ACLU 2018"]
  - id: theft_only
    title: Theft
    criterion: c1
    explanation: E.
    when: "'theft' in uses"
    severity: 2
    likelihood: 2
    mitigations:
      - id: violent_too
        text: Violent crime as well
        when: "'violent' in uses"
        lowers: likelihood
      - id: verify_only
        text: Verification only
        when: mode == 'verify'
        lowers: severity
      - id: live_only
        text: Live only
        when: mode == 'live'
        lowers: severity
    citations: ["X"]
"""


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ("reviewed == True", {}, (("reviewed", True),)),
        ("reviewed", {}, (("reviewed", True),)),
        ("not reviewed", {}, (("reviewed", False),)),
        ("reviewed != True", {}, (("reviewed", False),)),
        ("mode == 'live' and warrant == True", {}, (("mode", "live"), ("warrant", True))),
        ("mode in ['search', 'live']", {}, (("mode", "search"),)),
        ("mode != 'verify'", {}, (("mode", "search"),)),
        ("threshold >= 99", {}, (("threshold", 99),)),
        ("threshold > 98", {}, (("threshold", 99),)),
        ("threshold < 50", {}, (("threshold", 49),)),
        ("disparity < 2 or reviewed == True", {}, (("reviewed", True),)),
        ("'violent' in uses", {"uses": ["theft"]}, (("uses", ["theft", "violent"]),)),
        ("'violent' in uses", {"uses": ["none"]}, (("uses", ["violent"]),)),
    ],
)
def test_a_condition_becomes_the_answers_that_meet_it(bank, condition, answers, expected) -> None:
    assert answers_meeting(bank.questions, condition, answers) == expected


@pytest.mark.parametrize(
    "condition",
    ["disparity < 2", "mode == 'live' and mode == 'search'", "threshold + 1 > 5", "len(uses) > 1"],
)
def test_a_condition_without_one_answer_that_meets_it_gives_none(bank, condition) -> None:
    assert answers_meeting(bank.questions, condition, {}) is None


@pytest.fixture
def plan_bank(write_bank):
    return load_bank(write_bank({"rules/r.yaml": RULES_WITH_ACTIONS, "profiles/wa.yaml": None}))


ANSWERS = {"mode": "search", "threshold": 80, "fmr": {"women": 4, "men": 1}, "uses": ["theft"]}


def test_the_plan_lists_safeguards_and_declared_actions_best_first(plan_bank) -> None:
    plan = action_plan(plan_bank, ANSWERS, ())
    assert plan.overall == "High"
    ids = [item.id for item in plan.items]
    # Verification only hides the accuracy questions, so neither rule is left above Low.
    assert (ids[0], plan.items[0].overall) == ("safeguard:theft_only.verify_only", "Low")
    assert set(ids) == {
        "action:low_threshold.1",
        "safeguard:low_threshold.review",
        "safeguard:low_threshold.declared",
        "safeguard:theft_only.violent_too",
        "safeguard:theft_only.verify_only",
        "safeguard:theft_only.live_only",
    }
    action = next(i for i in plan.items if i.id == "action:low_threshold.1")
    assert action.overall == "Moderate"
    assert [(s.rule, s.before, s.after) for s in action.lowers] == [("low_threshold", "High", None)]
    review = next(i for i in plan.items if i.id == "safeguard:low_threshold.review")
    assert [(s.question, s.display) for s in review.answers] == [("reviewed", "yes")]
    # likelihood 3 -> 2 at severity 3 is still High in this matrix: a lower rating, same level
    assert [(s.before, s.after, s.before_rating, s.after_rating) for s in review.lowers] == [
        ("High", "High", (3, 3), (3, 2))
    ]
    assert [a.text for a in plan.advice] == ["Write it down."]


def test_what_if_adopts_several_items_together(plan_bank) -> None:
    result = what_if(
        plan_bank,
        ANSWERS,
        (),
        ["safeguard:low_threshold.review", "safeguard:low_threshold.declared"],
    )
    (shift,) = [s for s in result.lowers if s.rule == "low_threshold"]
    assert (shift.before, shift.after) == ("High", "Moderate")
    (finding,) = [f for f in result.evaluation.findings if f.rule == "low_threshold"]
    assert {m.id for m in finding.mitigations} == {"review", "declared"}
    assert (finding.residual.severity, finding.residual.likelihood) == (2, 2)
    assert {s.question for s in result.answers} == {"reviewed", "fmr"}


def test_what_if_refuses_unknown_and_conflicting_items(plan_bank) -> None:
    with pytest.raises(PlanError, match="no item"):
        what_if(plan_bank, ANSWERS, (), ["safeguard:nothing.here"])
    with pytest.raises(PlanError, match="differently"):
        what_if(
            plan_bank,
            ANSWERS,
            (),
            ["safeguard:theft_only.verify_only", "safeguard:theft_only.live_only"],
        )
