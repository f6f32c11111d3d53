"""evaluate() semantics on the inline bank: visibility, answers, findings, levels, profiles."""

from __future__ import annotations

import pytest
from inline_bank import PROFILE, SYSTEM

from pia.engine import PROHIBITED, UnknownProfile, evaluate, evaluation_to_dict, load_bank

LIVE_NO_WARRANT = {"mode": "live", "warrant": False}


def finding(evaluation, rule_id):
    return next(f for f in evaluation.findings if f.rule == rule_id)


def test_nothing_answered(bank) -> None:
    result = evaluate(bank, {})
    assert result.visible == ("mode", "start_date", "uses", "vendor")
    assert result.missing == ("mode",)
    assert result.findings == ()
    assert result.overall.level == "Not yet rated" and not result.overall.prohibited
    assert not result.overall.rated
    assert "No question is answered" in result.overall.basis
    assert [c.level for c in result.criteria] == [None, None]
    assert result.progress.percent == 0 and result.progress.visible == 4


@pytest.mark.parametrize(
    ("answers", "visible_extra"),
    [
        ({"mode": "verify"}, ()),
        ({"mode": "search"}, ("threshold", "fmr", "reviewed")),
        ({"mode": "live"}, ("warrant", "threshold", "fmr", "reviewed")),
    ],
)
def test_visibility_follows_conditions_and_section_conditions(bank, answers, visible_extra) -> None:
    result = evaluate(bank, answers)
    assert set(result.visible) == {"mode", "start_date", "uses", "vendor", *visible_extra}


def test_visibility_chains_through_hidden_questions(write_bank) -> None:
    # vendor is asked only for live use; start_date only once vendor is answered.
    system = SYSTEM.replace("    type: date\n", "    type: date\n    show_if: answered(vendor)\n")
    system = system.replace("    type: text\n", "    type: text\n    show_if: warrant == True\n")
    bank = load_bank(write_bank({"sections/system.yaml": system}))
    answers = {"mode": "live", "warrant": True, "vendor": "Acme", "start_date": "2025-01-01"}
    assert {"vendor", "start_date"} <= set(evaluate(bank, answers).visible)
    hidden = evaluate(bank, {**answers, "mode": "search"})  # warrant hidden -> vendor -> start_date
    assert not {"warrant", "vendor", "start_date"} & set(hidden.visible)
    assert hidden.hidden_answers == ("warrant", "start_date", "vendor")


def test_hidden_answers_are_kept_but_not_counted_nor_used(bank) -> None:
    result = evaluate(bank, {"mode": "verify", "threshold": 50, "warrant": False})
    assert result.hidden_answers == ("warrant", "threshold")
    assert "threshold" not in result.answered
    assert result.findings == ()  # threshold < 99 would fire if it were visible
    assert result.progress.answered == 1


def test_invalid_answers_are_listed_and_count_as_unanswered(bank) -> None:
    result = evaluate(bank, {"mode": "live", "warrant": "perhaps", "threshold": 120, "moda": 1})
    assert [(i.question, i.code) for i in result.invalid] == [
        ("warrant", "wrong-type"),
        ("threshold", "out-of-bounds"),
        ("moda", "unknown-question"),
    ]
    assert "did you mean 'mode'" in result.invalid[2].message
    assert result.missing == ("warrant", "threshold")
    assert result.findings == ()


def test_a_rule_fires_with_its_triggers(bank) -> None:
    result = evaluate(bank, {"mode": "search", "threshold": 80})
    low = finding(result, "low_threshold")
    assert (low.inherent.severity, low.inherent.likelihood, low.inherent.level) == (3, 3, "High")
    assert low.residual == low.inherent and low.mitigations == ()
    assert [(t.id, t.kind, t.value, t.display) for t in low.triggers] == [
        ("threshold", "question", 80, "80%")
    ]
    assert low.citations[0].source == "ACLU 2018"


def test_mitigation_lowers_the_residual_rating_never_below_one(bank, write_bank) -> None:
    result = evaluate(bank, {"mode": "search", "threshold": 80, "reviewed": True})
    low = finding(result, "low_threshold")
    assert (low.residual.severity, low.residual.likelihood) == (3, 2)
    assert low.residual.level == "High"  # the matrix: severity 3, likelihood 2
    assert [m.id for m in low.mitigations] == ["review"]
    from inline_bank import RULES

    steep = load_bank(
        write_bank(
            {
                "rules/r.yaml": RULES.replace(
                    "lowers: likelihood", "lowers: likelihood\n        by: 3"
                )
            }
        )
    )
    low = finding(
        evaluate(steep, {"mode": "search", "threshold": 80, "reviewed": True}), "low_threshold"
    )
    assert (low.residual.severity, low.residual.likelihood, low.residual.level) == (
        3,
        1,
        "Moderate",
    )


def test_computed_value_triggers_list_the_questions_they_read(bank) -> None:
    result = evaluate(bank, {"mode": "search", "fmr": {"women": 0.3, "men": 0.1}})
    assert result.computed["disparity"] == pytest.approx(3)
    triggers = finding(result, "disparity_high").triggers
    assert [(t.id, t.kind) for t in triggers] == [("disparity", "computed"), ("fmr", "question")]
    assert triggers[0].display == "3x"
    assert triggers[1].display == "Women: 0.3%, Men: 0.1%"


def test_computed_value_of_an_unanswered_or_zero_input_is_none(bank) -> None:
    assert evaluate(bank, {"mode": "search"}).computed == {"disparity": None}
    zero = evaluate(bank, {"mode": "search", "fmr": {"women": 0.3, "men": 0}})
    assert zero.computed == {"disparity": None}
    assert zero.findings == ()


def test_findings_most_serious_first_and_criteria_take_the_worst(bank) -> None:
    answers = {**LIVE_NO_WARRANT, "threshold": 80, "fmr": {"women": 0.3, "men": 0.1}}
    result = evaluate(bank, answers)
    assert [f.rule for f in result.findings] == [
        "live_no_warrant",
        "low_threshold",
        "disparity_high",
    ]
    assert [(c.id, c.level, c.findings) for c in result.criteria] == [
        ("c1", "Very high", 1),
        ("c4", "High", 2),
    ]
    assert result.overall.level == "Very high"  # no profile chosen: nothing is prohibited
    assert "Legal basis" in result.overall.basis


def test_a_prohibition_of_a_chosen_profile_makes_it_prohibited(bank) -> None:
    result = evaluate(bank, LIVE_NO_WARRANT, ["wa"])
    assert result.overall.level == PROHIBITED and result.overall.prohibited
    assert result.overall.worst_residual == "Very high"
    assert [(p.profile, p.rule, p.provision) for p in result.prohibitions] == [
        ("wa", "live_no_warrant", "RCW 43.386.080(1)")
    ]
    assert "RCW 43.386.080(1)" in result.overall.basis and "Washington" in result.overall.basis


def test_the_unless_exception_lifts_a_prohibition(bank) -> None:
    result = evaluate(bank, {**LIVE_NO_WARRANT, "vendor": "court order on file"}, ["wa"])
    assert result.prohibitions == ()
    assert result.overall.level == "Very high"
    assert [f.rule for f in result.findings] == ["live_no_warrant"]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, ["human_review"]),  # Low, the lowest level, applies to every use
        ({"mode": "search", "threshold": 80}, ["human_review", "testing"]),  # High
        ({"mode": "live"}, ["human_review", "live_report"]),  # `when` holds
        (
            {**LIVE_NO_WARRANT, "vendor": "court order on file"},
            ["human_review", "testing", "live_report"],
        ),
    ],
)
def test_obligations_by_level_and_condition(bank, answers, expected) -> None:
    result = evaluate(bank, answers, ["wa"])
    assert [o.id for o in result.obligations] == expected
    assert all(o.profile == "wa" for o in result.obligations)


def test_no_profile_no_obligations_nor_coverage(bank) -> None:
    result = evaluate(bank, LIVE_NO_WARRANT)
    assert result.obligations == () and result.coverage == () and result.prohibitions == ()


@pytest.mark.parametrize(
    ("answers", "statuses", "answered"),
    [
        ({}, ["missing", "not_applicable"], 0),
        ({"mode": "verify"}, ["addressed", "not_applicable"], 1),
        ({"mode": "search"}, ["addressed", "missing"], 1),
        # One of the accuracy element's two visible questions answered: not yet addressed.
        ({"mode": "search", "fmr": {"men": 0.1}}, ["addressed", "partial"], 1),
        ({"mode": "search", "fmr": {"men": 0.1}, "threshold": 99}, ["addressed", "addressed"], 2),
    ],
)
def test_coverage_statuses(bank, answers, statuses, answered) -> None:
    (coverage,) = evaluate(bank, answers, ["wa"]).coverage
    assert [e.status for e in coverage.elements] == statuses
    assert coverage.answered == answered
    assert coverage.total == sum(s != "not_applicable" for s in statuses)


def test_an_answered_assessment_without_findings_is_rated_low(bank) -> None:
    result = evaluate(bank, {"mode": "verify"})
    assert result.findings == ()
    assert result.overall.level == "Low" and result.overall.rated
    assert "No rule fired" in result.overall.basis


def test_answers_from_the_details_alone_are_not_yet_rated(write_bank) -> None:
    """A question that mirrors a detail is answered from the start; rating waits for the
    officer's first own answer."""
    mirrored = SYSTEM.replace(
        "    type: text\n    descriptive: true\n",
        "    type: text\n    mirrors_detail: vendor\n    descriptive: true\n",
    )
    bank = load_bank(write_bank({"sections/system.yaml": mirrored}))
    details_only = evaluate(bank, {"vendor": "Acme Vision"})
    assert details_only.answered == ("vendor",)
    assert details_only.overall.level == "Not yet rated" and not details_only.overall.rated
    assert evaluate(bank, {"vendor": "Acme Vision", "mode": "verify"}).overall.rated


def test_core_questions_and_conditions_decide_coverage(write_bank) -> None:
    """An element naming core questions is addressed once those are answered; an element whose
    `when` is false does not apply, whatever is answered."""
    profile = PROFILE.replace(
        "      questions: [threshold, fmr]\n",
        "      questions: [threshold, fmr]\n      core: [fmr]\n",
    ).replace(
        "      questions: [mode]\n",
        "      questions: [mode]\n      when: mode != 'verify'\n",
    )
    custom = load_bank(write_bank({"profiles/wa.yaml": profile}))
    (coverage,) = evaluate(custom, {"mode": "search", "fmr": {"men": 0.1}}, ["wa"]).coverage
    assert [e.status for e in coverage.elements] == ["addressed", "addressed"]
    (coverage,) = evaluate(custom, {"mode": "verify"}, ["wa"]).coverage
    assert [e.status for e in coverage.elements] == ["not_applicable", "not_applicable"]
    assert coverage.total == 0


def test_progress_overall_and_per_section(bank) -> None:
    result = evaluate(bank, {"mode": "search", "threshold": 99.5, "vendor": "Acme"})
    system, accuracy = result.sections
    assert (system.visible, system.answered, system.required, system.percent) == (4, 2, 1, 50)
    assert system.complete
    assert (accuracy.visible, accuracy.answered, accuracy.percent, accuracy.complete) == (
        3,
        1,
        33,
        True,
    )
    assert (result.progress.visible, result.progress.answered, result.progress.percent) == (
        7,
        3,
        42,
    )
    assert result.progress.required == result.progress.required_answered == 2


def test_unknown_profile_raises_with_a_suggestion(bank) -> None:
    with pytest.raises(UnknownProfile, match="did you mean 'wa'"):
        evaluate(bank, {}, ["wax"])


def test_repeated_profiles_count_once(bank, write_bank) -> None:
    result = evaluate(bank, LIVE_NO_WARRANT, ["wa", "wa"])
    assert result.profiles == ("wa",) and len(result.prohibitions) == 1


def test_the_json_form_carries_the_documented_fields(bank) -> None:
    data = evaluation_to_dict(evaluate(bank, {**LIVE_NO_WARRANT, "threshold": 80}, ["wa"]))
    assert data["schema_version"] == "2"
    assert data["overall"]["level"] == "Prohibited"
    assert {"id", "level"} <= set(data["criteria"][0])
    assert {"rule", "criterion", "inherent", "residual", "triggers"} <= set(data["findings"][0])
    for key in ("prohibitions", "obligations", "coverage", "progress", "missing"):
        assert key in data


def test_profile_text_edits_do_not_leak_between_banks(write_bank) -> None:
    other = load_bank(
        write_bank({"profiles/wa.yaml": PROFILE.replace("min_level: High", "min_level: Very high")})
    )
    assert [
        o.id for o in evaluate(other, {"mode": "search", "threshold": 80}, ["wa"]).obligations
    ] == ["human_review"]


def test_remembered_values_never_go_stale(bank, write_bank) -> None:
    from pia.engine import evaluation_to_json

    fresh = load_bank(write_bank())
    for threshold, reviewed in [(80, True), (50, False), (80, False), (80, True), (98.5, True)]:
        answers = {**LIVE_NO_WARRANT, "threshold": threshold, "reviewed": reviewed}
        result = evaluate(bank, answers, ["wa"])
        low = finding(result, "low_threshold")
        assert low.triggers[0].value == threshold
        assert [m.id for m in low.mitigations] == (["review"] if reviewed else [])
        # the same as a bank that has never evaluated anything
        assert evaluation_to_json(result) == evaluation_to_json(evaluate(fresh, answers, ["wa"]))
        fresh = load_bank(write_bank())
    one, one_float = (evaluate(bank, {"mode": "search", "threshold": v}) for v in (1, 1.0))
    assert type(finding(one, "low_threshold").triggers[0].value) is int
    assert type(finding(one_float, "low_threshold").triggers[0].value) is float


def test_a_hidden_question_read_by_a_rule_shows_as_not_asked(write_bank) -> None:
    from inline_bank import RULES

    rules = RULES + (
        "  - id: unreviewed\n    title: No second examiner\n    criterion: c4\n"
        "    explanation: E.\n    when: not answered(reviewed) and answered(mode)\n"
        "    severity: 1\n    likelihood: 1\n    citations: [X]\n"
    )
    bank = load_bank(write_bank({"rules/r.yaml": rules}))
    hidden = finding(evaluate(bank, {"mode": "verify"}), "unreviewed")  # accuracy is hidden
    assert [(t.id, t.value, t.display) for t in hidden.triggers] == [
        ("reviewed", None, "not asked (hidden by a condition)"),
        ("mode", "verify", "Verification"),
    ]
    unanswered = finding(evaluate(bank, {"mode": "search"}), "unreviewed")
    assert unanswered.triggers[0].display == "not answered"
