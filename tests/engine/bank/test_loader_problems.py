"""One bank mistake per problem code, reported with that code at the right file:line:column."""

from __future__ import annotations

import pytest
from inline_bank import ACCURACY, BANK, PROFILE, RULES, SYSTEM

from pia.engine import BankError, Code, check_bank, load_bank


def rule(when: str = "threshold < 99", extra: str = "", head: str = "") -> str:
    """A rules file with one rule; its `when` value starts at line 6, column 11."""
    return (
        "rules:\n"
        "  - id: extra_rule\n"
        "    title: Extra\n"
        "    criterion: c4\n"
        "    explanation: E.\n"
        f"    when: {when}\n"
        "    severity: 2\n"
        "    likelihood: 2\n"
        '    citations: ["X"]\n' + extra
    )


# (what goes wrong, files to write, expected code, expected location)
CASES = [
    (
        "unknown key",
        {"rules/x.yaml": rule(extra="    severty: 2\n")},
        Code.UNKNOWN_KEY,
        "rules/x.yaml:10:5",
    ),
    (
        "missing key",
        {"rules/x.yaml": rule().replace("    title: Extra\n", "")},
        Code.MISSING_KEY,
        "rules/x.yaml:2:5",
    ),
    (
        "wrong YAML type",
        {"rules/x.yaml": rule().replace("severity: 2", "severity: high")},
        Code.WRONG_TYPE,
        "rules/x.yaml:7:15",
    ),
    (
        "severity outside 1-4",
        {"rules/x.yaml": rule().replace("severity: 2", "severity: 5")},
        Code.BAD_VALUE,
        "rules/x.yaml:7:15",
    ),
    (
        "id not lower-case",
        {"rules/x.yaml": rule().replace("id: extra_rule", "id: Extra-Rule")},
        Code.BAD_VALUE,
        "rules/x.yaml:2:9",
    ),
    (
        "rule id used twice",
        {"rules/x.yaml": rule().replace("id: extra_rule", "id: low_threshold")},
        Code.DUPLICATE_ID,
        "rules/x.yaml:2:9",
    ),
    (
        "key twice in one mapping",
        {"rules/x.yaml": rule(extra="    title: Again\n")},
        Code.DUPLICATE_KEY,
        "rules/x.yaml:10:5",
    ),
    (
        "element names an unknown question",
        {"profiles/wa.yaml": PROFILE.replace("questions: [mode]", "questions: [mood]")},
        Code.UNKNOWN_QUESTION,
        "profiles/wa.yaml:8:19",
    ),
    (
        "rule names an unknown criterion",
        {"rules/x.yaml": rule().replace("criterion: c4", "criterion: c9")},
        Code.UNKNOWN_CRITERION,
        "rules/x.yaml:4:16",
    ),
    (
        "prohibition names an unknown rule",
        {"profiles/wa.yaml": PROFILE.replace("rule: live_no_warrant", "rule: live_no_warant")},
        Code.UNKNOWN_RULE,
        "profiles/wa.yaml:14:13",
    ),
    (
        "bank.yaml lists a section no file defines",
        {"bank.yaml": BANK.replace("[system, accuracy]", "[system, accuracy, retention]")},
        Code.UNKNOWN_SECTION,
        "bank.yaml:10:30",
    ),
    (
        "obligation names an unknown level",
        {"profiles/wa.yaml": PROFILE.replace("min_level: High", "min_level: Severe")},
        Code.UNKNOWN_LEVEL,
        "profiles/wa.yaml:25:18",
    ),
    (
        "calibration case names an unknown level",
        {
            "calibration.yaml": (
                "calibration:\n  principles: Why.\n  cases:\n"
                "    - {id: one, title: One, level: Severe, source: A report}\n"
            )
        },
        Code.UNKNOWN_LEVEL,
        "calibration.yaml:4:36",
    ),
    (
        "core question not among the element's questions",
        {
            "profiles/wa.yaml": PROFILE.replace(
                "questions: [mode]", "questions: [mode]\n      core: [vendor]"
            )
        },
        Code.BAD_VALUE,
        "profiles/wa.yaml:9:14",
    ),
    (
        "rule names an unknown profile",
        {"rules/x.yaml": rule(extra="    profiles: [oregon]\n")},
        Code.UNKNOWN_PROFILE,
        "rules/x.yaml:2:9",
    ),
    (
        "expression syntax",
        {"rules/x.yaml": rule("threshold <")},
        Code.EXPR_SYNTAX,
        "rules/x.yaml:6:22",
    ),
    (
        "forbidden construct",
        {"rules/x.yaml": rule("threshold.real > 1")},
        Code.EXPR_FORBIDDEN,
        "rules/x.yaml:6:11",
    ),
    (
        "unknown name",
        {"rules/x.yaml": rule("thresold < 99")},
        Code.UNKNOWN_NAME,
        "rules/x.yaml:6:11",
    ),
    (
        "unknown function",
        {"rules/x.yaml": rule("sqrt(threshold) > 1")},
        Code.UNKNOWN_FUNCTION,
        "rules/x.yaml:6:11",
    ),
    (
        "choice the question does not offer",
        {"rules/x.yaml": rule("mode == 'lve'")},
        Code.UNKNOWN_CHOICE,
        "rules/x.yaml:6:19",
    ),
    (
        "number compared with text",
        {"rules/x.yaml": rule("threshold < 'high'")},
        Code.TYPE_MISMATCH,
        "rules/x.yaml:6:11",
    ),
    (
        "conditions depending on each other",
        {
            "sections/system.yaml": SYSTEM.replace(
                "    type: date\n", "    type: date\n    show_if: answered(vendor)\n"
            ).replace("    type: text\n", "    type: text\n    show_if: answered(start_date)\n")
        },
        Code.CYCLE,
        "sections/system.yaml:23:14",
    ),
    (
        "element covered by no question",
        {"profiles/wa.yaml": PROFILE.replace("questions: [mode]", "questions: []")},
        Code.UNCOVERED_ELEMENT,
        "profiles/wa.yaml:8:18",
    ),
    (
        "section file not listed in bank.yaml",
        {"sections/extra.yaml": "section: {id: extra, title: Extra}\nquestions: []\n"},
        Code.UNLISTED_SECTION,
        "sections/extra.yaml:1:15",
    ),
    (
        "risk matrix decreasing",
        {
            "bank.yaml": BANK.replace(
                "[Low, Moderate, Moderate, High]", "[Low, Moderate, Low, High]"
            )
        },
        Code.MATRIX_NOT_MONOTONIC,
        "bank.yaml:7:21",
    ),
    (
        "malformed YAML",
        {"rules/x.yaml": "rules:\n  - id: [x\n"},
        Code.YAML_SYNTAX,
        "rules/x.yaml:3:1",
    ),
    ("criteria.yaml missing", {"criteria.yaml": None}, Code.MISSING_FILE, "criteria.yaml:1:1"),
    (
        "mitigation whose condition does not say which answers adopt it",
        {
            "rules/x.yaml": rule(
                extra="    mitigations:\n      - id: m\n        text: T\n"
                "        when: disparity < 2\n        lowers: likelihood\n"
            )
        },
        Code.NO_ADOPTION,
        "rules/x.yaml:13:15",
    ),
    (
        "action answers naming an unknown question",
        {
            "rules/x.yaml": rule(
                extra="    actions:\n      - text: Raise it\n        answers:\n"
                "          threshhold: 99\n"
            )
        },
        Code.UNKNOWN_QUESTION,
        "rules/x.yaml:13:11",
    ),
    (
        "action answers giving a value the question does not take",
        {
            "rules/x.yaml": rule(
                extra="    actions:\n      - text: Raise it\n        answers:\n"
                "          threshold: high\n"
            )
        },
        Code.BAD_VALUE,
        "rules/x.yaml:13:22",
    ),
]


@pytest.mark.parametrize(
    ("files", "code", "where"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_problem_code_and_position(write_bank, files, code, where) -> None:
    bank, problems = check_bank(write_bank(files))
    assert bank is None
    found = [(p.code, str(p.location)) for p in problems]
    assert (code, where) in found, "\n".join(str(p) for p in problems)


def test_every_problem_code_is_exercised() -> None:
    tested = {case[2] for case in CASES} | {Code.NO_BANK, Code.READ_ERROR}
    # unknown-profile: a rule naming a profile the bank lacks (and, for answers, UnknownProfile).
    assert set(Code) - tested == set()


def test_a_question_informing_no_criterion_must_say_it_is_descriptive(write_bank) -> None:
    system = SYSTEM.replace(
        "    criteria: [c1]\n  - id: warrant", "    criteria: []\n  - id: warrant"
    )
    _bank, problems = check_bank(write_bank({"sections/system.yaml": system}))
    assert [(p.code, str(p.location)) for p in problems] == [
        (Code.BAD_VALUE, "sections/system.yaml:13:15")
    ]
    assert "descriptive: true" in problems[0].hint


def test_load_bank_raises_bank_error(write_bank) -> None:
    with pytest.raises(BankError) as caught:
        load_bank(write_bank({"rules/x.yaml": rule("thresold < 99")}))
    assert [p.code for p in caught.value.problems] == [Code.UNKNOWN_NAME]


def test_an_expression_in_a_block_scalar_is_placed_inside_it(write_bank) -> None:
    text = rule("'placeholder'").replace("when: 'placeholder'", "when: >\n      mode == 'lve'")
    _bank, problems = check_bank(write_bank({"rules/x.yaml": text}))
    assert [(p.code, str(p.location)) for p in problems] == [
        (Code.UNKNOWN_CHOICE, "rules/x.yaml:7:15")
    ]


def test_a_section_condition_reading_its_own_question_is_a_cycle_at_the_condition(
    write_bank,
) -> None:
    accuracy = ACCURACY.replace("show_if: mode in ['search', 'live']", "show_if: reviewed == True")
    _bank, problems = check_bank(write_bank({"sections/accuracy.yaml": accuracy}))
    assert [(p.code, str(p.location)) for p in problems] == [
        (Code.CYCLE, "sections/accuracy.yaml:4:12")
    ]
    assert "reviewed -> reviewed" in problems[0].message


def test_computed_values_reading_each_other_are_a_cycle_with_its_path(write_bank) -> None:
    computed = (
        "computed:\n"
        "  - {id: first, label: A, expr: second + 1}\n"
        "  - {id: second, label: B, expr: first * 2}\n"
    )
    rules = RULES.replace("disparity > 2", "threshold > 2")
    _bank, problems = check_bank(write_bank({"computed.yaml": computed, "rules/r.yaml": rules}))
    assert [(p.code, str(p.location)) for p in problems] == [(Code.CYCLE, "computed.yaml:2:33")]
    assert "first -> second -> first" in problems[0].message


def test_only_a_multiple_choice_option_can_be_exclusive(write_bank) -> None:
    system = SYSTEM.replace(
        "{value: verify, label: Verification}",
        "{value: verify, label: Verification, exclusive: true}",
    )
    bank, problems = check_bank(write_bank({"sections/system.yaml": system}))
    assert [(p.code, str(p.location)) for p in problems] == [
        (Code.BAD_VALUE, "sections/system.yaml:10:46")
    ]
    assert "only an option of a multiple-choice question" in problems[0].message
    assert bank is None or not bank.questions["mode"].choices[0].exclusive


def test_exclusive_options_are_read(write_bank) -> None:
    bank = load_bank(write_bank({}))
    assert [c.exclusive for c in bank.questions["uses"].choices] == [False, False, True]


def test_a_question_mirrors_a_known_detail_once_and_only_as_text(write_bank) -> None:
    mirrored = SYSTEM.replace(
        "    type: text\n    descriptive: true\n",
        "    type: text\n    mirrors_detail: vendor\n    descriptive: true\n",
    )
    assert load_bank(write_bank({"sections/system.yaml": mirrored})).mirrored_details() == {
        "vendor": "vendor"
    }

    unknown = mirrored.replace("mirrors_detail: vendor", "mirrors_detail: vendr")
    _bank, problems = check_bank(write_bank({"sections/system.yaml": unknown}))
    assert [p.code for p in problems] == [Code.BAD_VALUE]
    assert "'vendor'" in problems[0].hint

    not_text = SYSTEM.replace(
        "    type: yesno\n", "    type: yesno\n    mirrors_detail: product\n", 1
    )
    _bank, problems = check_bank(write_bank({"sections/system.yaml": not_text}))
    assert [p.code for p in problems] == [Code.BAD_VALUE]
    assert "only a text question" in problems[0].message

    twice = mirrored.replace(
        "  - id: uses\n",
        "  - id: vendor_again\n    text: Vendor again\n    type: text\n"
        "    mirrors_detail: vendor\n    descriptive: true\n  - id: uses\n",
    )
    _bank, problems = check_bank(write_bank({"sections/system.yaml": twice}))
    assert [p.code for p in problems] == [Code.DUPLICATE_ID]
    assert "mirrors the detail 'vendor'" in problems[0].message
