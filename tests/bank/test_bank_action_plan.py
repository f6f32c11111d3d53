"""The action plan of the shipped bank agrees with `evaluate` for every item, on any answers.

Answers start from an example assessment and have random questions re-answered or cleared, so the
plan meets hidden questions, invalid numbers, exclusive choices and prohibitions.
"""

from __future__ import annotations

from typing import Any

from bank_paths import BANK_DIR, EXAMPLE_FILES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pia.engine import evaluate, load_bank, read_answers_file
from pia.engine.bank.model import CHOICE, MULTI, NUMBER, YESNO
from pia.engine.planning import action_plan, what_if

BANK = load_bank(BANK_DIR)
EXAMPLES = [read_answers_file(path) for path in EXAMPLE_FILES]
PROFILE_SETS = [(), tuple(BANK.profiles), *((p,) for p in BANK.profiles)]


def _answer_for(question_id: str) -> st.SearchStrategy[Any]:
    question = BANK.questions[question_id]
    values = [c.value for c in question.choices]
    if question.type == CHOICE:
        return st.sampled_from(values)
    if question.type == MULTI:
        return st.lists(st.sampled_from(values), unique=True, max_size=3)
    if question.type == YESNO:
        return st.booleans()
    if question.type == NUMBER:
        return st.integers(int(question.min or 0) - 1, int(question.max or 1000) + 1)
    return st.text(max_size=5)


CHOOSABLE = [
    q for q, question in BANK.questions.items() if question.type in (CHOICE, MULTI, YESNO, NUMBER)
]


@st.composite
def assessments(draw: st.DrawFn) -> tuple[dict[str, Any], tuple[str, ...]]:
    example = draw(st.sampled_from(EXAMPLES))
    answers = dict(example.answers)
    for question_id in draw(st.lists(st.sampled_from(CHOOSABLE), max_size=8, unique=True)):
        if draw(st.booleans()):
            answers[question_id] = draw(_answer_for(question_id))
        else:
            answers.pop(question_id, None)
    profiles = draw(st.sampled_from([example.profiles, *PROFILE_SETS]))
    return answers, tuple(profiles)


def _levels(evaluation) -> tuple[Any, ...]:
    return (
        evaluation.overall.level,
        evaluation.overall.worst_residual,
        tuple((c.id, c.level) for c in evaluation.criteria),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessment=assessments(), data=st.data())
def test_every_plan_item_matches_a_fresh_evaluation(assessment, data) -> None:
    answers, profiles = assessment
    plan = action_plan(BANK, answers, profiles)
    now = evaluate(BANK, answers, profiles)
    assert (plan.overall, plan.worst_residual) == (now.overall.level, now.overall.worst_residual)
    before = {f.rule: f.residual.level for f in now.findings}
    for item in plan.items:
        changed = {**answers, **{step.question: step.value for step in item.answers}}
        fresh = evaluate(BANK, changed, profiles)
        assert (item.overall, item.worst_residual, item.criteria) == _levels(fresh), item.id
        after = {f.rule: f.residual.level for f in fresh.findings}
        rated = {f.rule: (f.residual.severity, f.residual.likelihood) for f in fresh.findings}
        for shift in item.lowers:
            assert before[shift.rule] == shift.before
            assert after.get(shift.rule) == shift.after
            assert rated.get(shift.rule) == shift.after_rating
            if shift.after == shift.before:  # the same level: a lower rating
                (s1, l1), (s2, l2) = shift.before_rating, shift.after_rating
                assert s2 * l2 < s1 * l1
            else:
                assert shift.after is None or BANK.level_rank(shift.after) < BANK.level_rank(
                    shift.before
                )
        untouched = set(before) - {s.rule for s in (*item.lowers, *item.raises)}
        assert all(after.get(rule) == before[rule] for rule in untouched), item.id
    if plan.items:
        chosen = data.draw(
            st.lists(st.sampled_from(plan.items), max_size=4, unique_by=lambda i: i.id)
        )
        merged: dict[str, Any] = {}
        for item in chosen:
            for step in item.answers:
                merged.setdefault(step.question, step.value)
        try:
            result = what_if(BANK, answers, profiles, [item.id for item in chosen])
        except Exception as error:  # two items answering one question differently
            assert "differently" in str(error)
            return
        fresh = evaluate(
            BANK, {**answers, **{s.question: s.value for s in result.answers}}, profiles
        )
        assert _levels(result.evaluation) == _levels(fresh)


def test_the_plan_is_ordered_best_first_and_names_what_it_changes() -> None:
    example = read_answers_file(BANK_DIR / "examples" / "sheriff_face_search_pilot.yaml")
    plan = action_plan(BANK, example.answers, example.profiles)
    assert plan.items, "the example has findings a safeguard would lower"
    ranks = [BANK.level_rank(item.overall) for item in plan.items]
    assert ranks == sorted(ranks)
    threshold = next(i for i in plan.items if i.id == "action:threshold_below_99.1")
    assert {(s.question, s.value) for s in threshold.answers} == {
        ("threshold", 99),
        ("threshold_control", "locked"),
    }
    assert "threshold_below_99" in {s.rule for s in threshold.lowers}
    assert any(item.kind == "safeguard" for item in plan.items)
    assert plan.advice, "actions without declared answers are still listed"
