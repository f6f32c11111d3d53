"""Loading a bank that checks: what the Bank holds, its digest, orders and combined conditions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from inline_bank import ACCURACY, BANK, COMPUTED, SYSTEM

from pia.engine import BankError, Code, check_bank, load_bank, resolve_bank_dir
from pia.engine.bank.loader import MAX_FILE_BYTES


def test_the_inline_bank_loads_with_everything_in_order(bank) -> None:
    assert (bank.id, bank.version, bank.title) == ("test-bank", "1.0", "Test bank")
    assert [s.id for s in bank.sections] == ["system", "accuracy"]
    assert list(bank.questions)[:2] == ["mode", "warrant"]
    assert bank.questions["threshold"].section == "accuracy"
    assert bank.questions["mode"].choice_label("live") == "Live matching"
    assert bank.level_for(4, 4) == "Very high" and bank.level_for(1, 1) == "Low"
    assert [step.name for step in bank.severity_scale] == [
        "negligible",
        "limited",
        "significant",
        "maximum",
    ]
    assert list(bank.rules) == ["low_threshold", "live_no_warrant", "disparity_high"]
    assert bank.rules["low_threshold"].mitigations[0].lowers == "likelihood"
    assert bank.criteria["c4"].sources[0].source == "NIST IR 8280"
    assert list(bank.profiles) == ["wa"]
    assert bank.profiles["wa"].prohibitions[0].unless is not None
    assert str(bank.rules["low_threshold"].location) == "rules/r.yaml:2:9"


def test_section_condition_is_anded_into_each_question(bank, write_bank) -> None:
    plain = bank.questions["threshold"].show_if
    assert plain.source == "mode in ['search', 'live']"
    fields = ACCURACY.replace(
        "    criteria: [c4]\n  - id: fmr",
        "    criteria: [c4]\n    show_if: answered(vendor)\n  - id: fmr",
    )
    combined = load_bank(write_bank({"sections/accuracy.yaml": fields}))
    combined = combined.questions["threshold"].show_if
    assert combined.source == "(mode in ['search', 'live']) and (answered(vendor))"
    assert combined.names == {"mode", "vendor"}
    assert combined.run({"mode": "live", "vendor": "X"}) is True
    assert combined.run({"mode": "live", "vendor": None}) is False
    assert combined.run({"mode": "verify", "vendor": "X"}) is False


def test_visibility_order_puts_dependencies_first(write_bank) -> None:
    # vendor (last in the bank) decides whether start_date (earlier) is shown.
    system = SYSTEM.replace("    type: date\n", "    type: date\n    show_if: answered(vendor)\n")
    bank = load_bank(write_bank({"sections/system.yaml": system}))
    order = bank.visibility_order
    assert order.index("vendor") < order.index("start_date")
    assert order.index("mode") < order.index("warrant")
    assert set(order) == set(bank.questions)


def test_computed_values_are_ordered_by_dependency(write_bank) -> None:
    computed = COMPUTED + "  - id: doubled\n    label: Twice\n    expr: disparity * 2\n"
    computed = computed.replace(
        "computed:\n", "computed:\n  - id: quadrupled\n    label: Q\n    expr: doubled * 2\n"
    )
    bank = load_bank(write_bank({"computed.yaml": computed}))
    assert list(bank.computed) == ["disparity", "doubled", "quadrupled"]


def test_a_computed_value_that_is_true_or_false_may_be_used_as_a_condition(write_bank) -> None:
    computed = COMPUTED + "  - id: unequal\n    label: Unequal\n    expr: disparity > 2\n"
    rules = (
        "rules:\n  - id: unequal_rule\n    title: U\n    criterion: c4\n    explanation: E.\n"
        "    when: unequal\n    severity: 2\n    likelihood: 2\n    citations: [X]\n"
    )
    bank, problems = check_bank(write_bank({"computed.yaml": computed, "rules/u.yaml": rules}))
    assert problems == []
    assert bank.rules["unequal_rule"].when.names == {"unequal"}


def test_digest_is_stable_and_changes_with_any_byte(write_bank) -> None:
    first = load_bank(write_bank()).digest
    assert first == load_bank(write_bank()).digest
    assert len(first) == 64
    changed = load_bank(write_bank({"bank.yaml": BANK.replace("Test bank", "Test bank!")}))
    assert changed.digest != first


def test_examples_and_other_files_are_not_part_of_the_bank(write_bank) -> None:
    folder = write_bank({"examples/a.yaml": "not: [valid", "README.md": "# notes"})
    assert check_bank(folder)[1] == []


def test_load_bank_raises_with_every_problem_in_file_order(write_bank) -> None:
    broken = write_bank(
        {
            "rules/x.yaml": "rules:\n  - id: Bad\n",
            "bank.yaml": BANK.replace('version: "1.0"\n', ""),
        }
    )
    with pytest.raises(BankError) as caught:
        load_bank(broken)
    problems = caught.value.problems
    assert problems[0].location.file == "bank.yaml"
    assert problems[0].code == Code.MISSING_KEY
    files = [p.location.file for p in problems]
    assert files == sorted(files, key=["bank.yaml", "rules/x.yaml"].index)
    assert {p.code for p in problems} >= {Code.MISSING_KEY, Code.BAD_VALUE}
    assert "problem(s)" in str(caught.value)


def test_a_folder_without_bank_yaml(tmp_path) -> None:
    bank, problems = check_bank(tmp_path / "nowhere")
    assert bank is None
    assert [p.code for p in problems] == [Code.NO_BANK]
    assert "is not a folder" in problems[0].message


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b"rules:\n  - id: \xff\xfe\n", "rules/x.yaml:2:9"),
        (b"\x00\x01\x02binary", "rules/x.yaml:1:1"),
    ],
)
def test_unreadable_files_are_read_errors(write_bank, data, where) -> None:
    folder = write_bank()
    (folder / "rules" / "x.yaml").write_bytes(data)
    bank, problems = check_bank(folder)
    assert bank is None
    assert any(str(p.location) == where for p in problems), problems
    assert {p.code for p in problems} & {Code.READ_ERROR, Code.YAML_SYNTAX}


def test_a_file_over_the_size_cap_is_refused(write_bank) -> None:
    folder = write_bank()
    (folder / "rules" / "big.yaml").write_text("# " + "x" * MAX_FILE_BYTES)
    _bank, problems = check_bank(folder)
    assert [(p.code, str(p.location)) for p in problems] == [
        (Code.READ_ERROR, "rules/big.yaml:1:1")
    ]


def test_deeply_nested_yaml_is_refused(write_bank) -> None:
    for depth in (60, 5000):
        nested = "rules: " + "[" * depth + "]" * depth
        _bank, problems = check_bank(write_bank({"rules/x.yaml": nested}))
        assert [p.code for p in problems] == [Code.YAML_SYNTAX]
        assert "nest" in problems[0].message


def test_bank_folder_resolution(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PIA_BANK", raising=False)
    assert resolve_bank_dir("elsewhere") == Path("elsewhere")
    (tmp_path / "questions").mkdir()
    assert resolve_bank_dir() == tmp_path / "questions"
    monkeypatch.setenv("PIA_BANK", os.fspath(tmp_path / "env-bank"))
    assert resolve_bank_dir() == tmp_path / "env-bank"


def test_a_broken_bank_yaml_is_one_problem_and_the_rest_is_still_checked(write_bank) -> None:
    folder = write_bank({"bank.yaml": "id: [oops\n", "rules/x.yaml": "rules: 3\n"})
    _bank, problems = check_bank(folder)
    assert [(p.code, p.location.file) for p in problems] == [
        (Code.YAML_SYNTAX, "bank.yaml"),
        (Code.WRONG_TYPE, "rules/x.yaml"),
    ]
