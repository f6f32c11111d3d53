"""evaluate never raises on any answer mapping, and the same input always gives the same output."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pia.engine import check_bank, evaluate, evaluation_to_json
from pia.engine.evaluation.result import NOT_RATED, PROHIBITED

QUESTION_IDS = ["mode", "warrant", "start_date", "uses", "vendor", "threshold", "fmr", "reviewed"]

json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.dates()
    | st.sampled_from(["live", "search", "verify", "theft", "women", "men", "yes", "80", ""]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["women", "men", "x"]) | st.text(max_size=5), children, max_size=4
        )
    ),
    max_leaves=12,
)
keys = st.sampled_from(QUESTION_IDS) | st.text(max_size=12) | st.integers()
answer_maps = st.dictionaries(keys, json_like, max_size=12)

PLAUSIBLE = {
    "mode": st.sampled_from(["live", "search", "verify"]),
    "warrant": st.booleans(),
    "threshold": st.integers(0, 100) | st.floats(0, 100),
    "fmr": st.fixed_dictionaries(
        {}, optional={"women": st.floats(0, 100), "men": st.floats(0, 100)}
    ),
    "reviewed": st.booleans(),
    "uses": st.lists(st.sampled_from(["theft", "violent"]), max_size=2),
    "vendor": st.text(max_size=30),
    "start_date": st.dates().map(datetime.date.isoformat),
}
valid_maps = st.fixed_dictionaries({}, optional=PLAUSIBLE)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answers=answer_maps, profiles=st.sampled_from([(), ("wa",)]))
def test_evaluate_never_raises_on_arbitrary_answers(bank, answers, profiles) -> None:
    result = evaluate(bank, answers, profiles)
    json.loads(evaluation_to_json(result))  # always serialisable
    assert set(result.answered) <= set(result.visible)
    assert {i.question for i in result.invalid} >= {
        str(k) for k in answers if k not in bank.questions
    }


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answers=valid_maps)
def test_valid_answers_are_deterministic_and_consistent(bank, answers) -> None:
    first = evaluate(bank, answers, ["wa"])
    reordered = dict(reversed(list(answers.items())))
    assert evaluation_to_json(evaluate(bank, reordered, ["wa"])) == evaluation_to_json(first)
    assert first.invalid == ()
    ranks = [bank.level_rank(f.residual.level) for f in first.findings]
    assert ranks == sorted(ranks, reverse=True)
    for f in first.findings:
        assert 1 <= f.residual.severity <= f.inherent.severity
        assert 1 <= f.residual.likelihood <= f.inherent.likelihood
    assert (
        first.overall.prohibited == (first.overall.level == PROHIBITED) == bool(first.prohibitions)
    )


def test_same_input_gives_identical_json_across_loads(write_bank) -> None:
    from pia.engine import load_bank

    answers = {"mode": "live", "warrant": False, "threshold": 80, "fmr": {"men": 0.1, "women": 0.4}}
    texts = {
        evaluation_to_json(evaluate(load_bank(write_bank()), answers, ["wa"])) for _ in range(3)
    }
    assert len(texts) == 1


REAL_BANK = Path(__file__).resolve().parents[3] / "questions"


@pytest.fixture(scope="module")
def real_bank():
    bank, problems = check_bank(REAL_BANK)
    assert bank is not None, [str(p) for p in problems]
    return bank, real_answer_maps(bank)  # building the strategy once keeps the test quick


def real_answer_maps(bank) -> st.SearchStrategy[dict]:
    """Answers to the real bank: mostly plausible values (its choices and groups), some junk."""
    plausible = []
    for question in bank.questions.values():
        values = [c.value for c in question.choices] or ["x"]
        groups = [g.value for g in question.groups] or ["x"]
        plausible.append(
            st.tuples(
                st.just(question.id),
                st.sampled_from(values)
                | st.lists(st.sampled_from(values), max_size=3)
                | st.booleans()
                | st.integers(-5, 200)
                | st.dictionaries(st.sampled_from(groups), st.floats(0, 100), max_size=3)
                | st.text(max_size=8),
            )
        )
    return st.lists(st.one_of(plausible), max_size=40).map(dict)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_real_bank_never_raises(real_bank, data) -> None:
    real_bank, answer_maps = real_bank
    answers = data.draw(answer_maps)
    profiles = data.draw(st.lists(st.sampled_from(sorted(real_bank.profiles)), max_size=3))
    result = evaluate(real_bank, answers, profiles)
    json.loads(evaluation_to_json(result))
    assert result.overall.level in (*real_bank.levels, PROHIBITED, NOT_RATED)
