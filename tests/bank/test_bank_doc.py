"""The methodology document: complete, readable conditions, generic, and committed up to date."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from bank_paths import BANK_DIR, REPO

from pia.cli import main
from pia.engine import Bank, load_bank
from pia.report.methodology.markdown import render_bank_markdown
from pia.report.methodology.words import in_words

METHODOLOGY = REPO / "docs" / "methodology.md"


@pytest.fixture(scope="module")
def document(real_bank: Bank) -> str:
    return render_bank_markdown(real_bank)


def test_doc_names_every_criterion_rule_and_profile_element(real_bank: Bank, document: str) -> None:
    for criterion in real_bank.criteria.values():
        assert f"### {criterion.name}" in document
        for source in criterion.sources:
            assert source.source in document
    for rule in real_bank.rules.values():
        assert f"#### {rule.title}" in document
        assert f"Rule `{rule.id}`." in document
    for profile in real_bank.profiles.values():
        assert f"### {profile.name}" in document
        for element in profile.elements:
            assert element.cite in document
        for obligation in profile.obligations:
            assert obligation.cite in document
        for prohibition in profile.prohibitions:
            assert prohibition.provision in document


def test_doc_shows_every_question_and_its_condition(real_bank: Bank, document: str) -> None:
    for question in real_bank.questions.values():
        assert f"#### `{question.id}`:" in document
    conditional = [q for q in real_bank.questions.values() if q.show_if is not None]
    assert document.count("Asked only when ") == len(conditional)


def test_doc_has_the_risk_matrix_and_scales(real_bank: Bank, document: str) -> None:
    assert "### Risk matrix" in document
    assert "| 4 (maximum) | Moderate | High | Very high | Very high |" in document
    for step in real_bank.severity_scale:
        assert step.description in document


def test_doc_renders_rule_triggers_in_words(document: str) -> None:
    assert (
        "**Fires when** *How will the system be used?* (`modes`) includes “Live or near-real-time "
        "matching of video” and *On what legal basis will each live deployment or tracking use "
        "rest?* "
        "(`live_legal_basis`) is “No case-specific legal authorisation”." in document
    )
    assert "*What similarity threshold will the agency use for a candidate or alert?*" in document
    assert "is less than 99%" in document


def test_doc_states_prohibition_exceptions_in_words(document: str) -> None:
    assert (
        "*For which of these objectives would live identification be used?* "
        "(`live_objective`) is one of “Targeted search for specific victims or missing persons”"
        in document
    )
    assert "(`live_targeting`) is “Only specific, named individuals sought for the objective”" in (
        document
    )


def test_committed_methodology_is_up_to_date(document: str) -> None:
    assert METHODOLOGY.read_text(encoding="utf-8") == document, (
        "docs/methodology.md is stale: run `pia bank doc -o docs/methodology.md`"
    )


TINY_BANK = {
    "bank.yaml": """
        id: tiny
        version: "0.1"
        title: Tiny bank
        levels: [Low, Moderate, High, Very high]
        risk_matrix:
          - [Low, Low, Low, Moderate]
          - [Low, Moderate, Moderate, High]
          - [Moderate, High, High, Very high]
          - [Moderate, High, Very high, Very high]
        sections: [only]
    """,
    "criteria.yaml": """
        criteria:
          - {id: kx, name: Kestrel criterion, description: Something a board understands.}
    """,
    "sections/only.yaml": """
        section: {id: only, title: Only section}
        questions:
          - id: colour
            text: Which colour?
            type: choice
            criteria: [kx]
            choices:
              - {value: red, label: Bright red}
              - {value: blue, label: Deep blue}
          - id: tags
            text: Which tags?
            type: multi
            criteria: [kx]
            choices:
              - {value: a, label: Tag A}
              - {value: b, label: Tag B}
          - id: size
            text: How big?
            type: number
            unit: "%"
            criteria: [kx]
          - id: flag
            text: Flag set?
            type: yesno
            criteria: [kx]
          - id: rates
            text: Rates
            type: group_numbers
            criteria: [kx]
            groups:
              - {value: g1, label: Group one}
              - {value: g2, label: Group two}
    """,
    "computed.yaml": """
        computed:
          - {id: spread, label: Rate spread, expr: max(rates) / min(rates)}
    """,
    "rules/r.yaml": """
        rules:
          - id: zebra_rule
            title: Zebra finding
            criterion: kx
            explanation: Why a board should care.
            when: colour == 'red' and size >= 10
            severity: 3
            likelihood: 2
            citations: ["Quokka Act s.1"]
    """,
    "profiles/p.yaml": """
        profile:
          id: px
          name: Platypus profile
          elements:
            - {id: e1, cite: "Platypus Act s.9", text: Colour element., questions: [colour]}
          prohibitions:
            - {rule: zebra_rule, provision: "Platypus Act s.10", unless: flag == True}
          obligations:
            - {id: o1, text: Do the wombat duty., cite: "Platypus Act s.11", min_level: High}
    """,
}


@pytest.fixture(scope="module")
def tiny_bank(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    folder = tmp_path_factory.mktemp("tiny")
    for name, text in TINY_BANK.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_bank(folder)


def test_doc_is_driven_by_the_bank_alone(tiny_bank: Bank) -> None:
    document = render_bank_markdown(tiny_bank)
    for name in ("Kestrel criterion", "Zebra finding", "Quokka Act s.1", "Platypus profile"):
        assert name in document
    assert "| Platypus Act s.9 | Colour element. | *Which colour?* (`colour`) |" in document
    assert "Covers statutory elements: Platypus Act s.9 (Platypus profile)." in document
    assert "Not prohibited when *Flag set?* (`flag`) is yes." in document
    assert "| High | Do the wombat duty. | Platypus Act s.11 | always |" in document
    assert "severity 3 (significant), likelihood 2 (limited) → **High**" in document
    assert "pia-biometric" not in document


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("colour == 'red'", "*Which colour?* (`colour`) is “Bright red”"),
        ("colour != 'blue'", "*Which colour?* (`colour`) is not “Deep blue”"),
        ("'red' == colour", "*Which colour?* (`colour`) is “Bright red”"),
        (
            "colour in ['red', 'blue']",
            "*Which colour?* (`colour`) is one of “Bright red” or “Deep blue”",
        ),
        ("colour not in ['red']", "*Which colour?* (`colour`) is not “Bright red”"),
        ("'a' in tags", "*Which tags?* (`tags`) includes “Tag A”"),
        ("'a' not in tags", "*Which tags?* (`tags`) does not include “Tag A”"),
        ("'a' in tags or 'b' in tags", "*Which tags?* (`tags`) includes any of “Tag A” or “Tag B”"),
        ("size > 10", "*How big?* (`size`) is more than 10%"),
        ("10 > size", "*How big?* (`size`) is less than 10%"),
        ("flag == False", "*Flag set?* (`flag`) is no"),
        ("answered(size)", "*How big?* (`size`) is answered"),
        ("not answered(size)", "not (*How big?* (`size`) is answered)"),
        ("spread >= 2", "*Rate spread* (`spread`) is at least 2"),
        (
            "max(rates) / min(rates)",
            "(the highest of *Rates* (`rates`) ÷ the lowest of *Rates* (`rates`))",
        ),
        (
            "flag == True and (size < 5 or colour == 'blue')",
            "*Flag set?* (`flag`) is yes and (*How big?* (`size`) is less than 5% or "
            "*Which colour?* (`colour`) is “Deep blue”)",
        ),
        (
            "count(flag == True, size > 1) >= 1",
            "the number of these that hold (*Flag set?* (`flag`) is yes; *How big?* (`size`) "
            "is more than 1%) is at least 1",
        ),
        ("size ==", "`size ==`"),
    ],
)
def test_in_words(tiny_bank: Bank, source: str, words: str) -> None:
    assert in_words(source, tiny_bank) == words


def test_doc_modules_import_only_the_standard_library_and_the_engine() -> None:
    for name in ("markdown.py", "words.py", "duties.py"):
        tree = ast.parse(
            (REPO / "pia" / "report" / "methodology" / name).read_text(encoding="utf-8")
        )
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module == "__future__" or node.module.startswith(
                    ("pia.engine", "pia.report.methodology", "collections", "ast")
                ), node.module
            if isinstance(node, ast.Import):
                assert all(alias.name in ("ast",) for alias in node.names)


def test_doc_modules_name_nothing_from_the_bank(real_bank: Bank) -> None:
    """Generic: no question, rule, criterion or profile id appears as a literal in the code."""
    ids = {*real_bank.questions, *real_bank.rules, *real_bank.criteria, *real_bank.profiles}
    for name in ("markdown.py", "words.py", "duties.py"):
        tree = ast.parse(
            (REPO / "pia" / "report" / "methodology" / name).read_text(encoding="utf-8")
        )
        literals = {
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
        assert literals & ids == set(), name


def test_pia_bank_doc_writes_the_document(
    tmp_path: Path, real_bank: Bank, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "methodology.md"
    assert main(["bank", "doc", "--bank", str(BANK_DIR), "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render_bank_markdown(real_bank)
    assert f"wrote {target}" in capsys.readouterr().out


def test_pia_bank_doc_prints_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "doc", "--bank", str(BANK_DIR)]) == 0
    assert capsys.readouterr().out.startswith("# Biometric surveillance civil-liberties assessment")


def test_pia_bank_doc_lists_problems_of_a_broken_bank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, text in TINY_BANK.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).replace("colour == 'red'", "colur == 'red'"))
    assert main(["bank", "doc", "--bank", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "rules/r.yaml" in err and "unknown-name" in err and "colour" in err
    assert "does not check" in err


def test_pia_bank_doc_reports_an_unwritable_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing-folder" / "methodology.md"
    assert main(["bank", "doc", "--bank", str(BANK_DIR), "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("pia: cannot write") and "Traceback" not in err


def test_pia_bank_without_a_subcommand_explains_itself(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["bank"])
    assert exit_info.value.code == 2
    assert "required: COMMAND" in capsys.readouterr().err


def test_doc_states_the_calibration_principles_and_lists_every_case(
    real_bank: Bank, document: str
) -> None:
    """calibration.yaml lists exactly the cases in tests/bank/calibration, with the level and title
    each case file expects; the methodology prints the principles and every case."""
    import yaml

    case_dir = BANK_DIR.parent / "tests" / "bank" / "calibration"
    files = {path.stem: yaml.safe_load(path.read_text()) for path in case_dir.glob("*.yaml")}
    listed = {case.id: case for case in real_bank.calibration.cases}
    assert set(listed) == set(files)
    for case_id, data in files.items():
        assert listed[case_id].level == data["expected"]["overall"]["level"], case_id
        assert listed[case_id].title == data["assessment"]["title"], case_id
        assert f"(`{case_id}`)" in document
    assert "## Calibration" in document
    assert "adding a safeguard never raises a rating" in document
    assert {level for level, _ in real_bank.calibration.meanings} == {
        *real_bank.levels,
        "Prohibited",
    }
