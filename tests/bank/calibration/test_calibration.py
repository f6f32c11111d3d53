"""Calibration: documented deployments and decisions, and low-risk uses, rated by the real bank.

Each YAML file beside this module is an answers file (docs/question-bank.md, "Answer files") written
from a public record. Its `expected` mapping says what the bank must conclude and where that
expectation comes from:

    expected:
      kind: documented | low_risk
      overall: {level: High, source: "..."}          # a bank level, or Prohibited
      prohibited_under: {eu_ai_act_gdpr: "..."}  # with level Prohibited only: profile -> source
      at_least_high: {c5_due_process: "..."}          # criterion -> source
      below_high: {c12_consent: "..."}                # criterion -> source

The principles behind the levels are in README.md beside this file. A failure names the case, every
expectation the bank missed, what the bank concluded instead, and the source of the expectation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pia.engine import PROHIBITED, AnswersDocument, Bank, check_answers, evaluate, read_answers_file

CASES_DIR = Path(__file__).resolve().parent
CASE_FILES = sorted(CASES_DIR.glob("*.yaml"))
THRESHOLD = "High"
KINDS = ("documented", "low_risk")


def _read(path: Path) -> AnswersDocument:
    return read_answers_file(path)


def _expected(document: AnswersDocument) -> dict[str, Any]:
    return document.expected or {}


def _rank(bank: Bank, level: str | None) -> int:
    """Position of a level on the bank's scale; no finding (or an unknown level) ranks lowest."""
    if level not in bank.levels:
        return -1
    return bank.levels.index(level)


def _describe(level: str | None) -> str:
    return level if level is not None else "no finding"


def _misses(bank: Bank, path: Path) -> list[str]:
    """Every expectation of one case that the bank does not meet, each with its source."""
    document = _read(path)
    expected = _expected(document)
    values, issues = check_answers(bank, document.answers)
    if issues:
        return [
            f"answer {issue.question!r} is not accepted by the bank ({issue.code}): {issue.message}"
            for issue in issues
        ]
    evaluation = evaluate(bank, values, document.profiles)
    misses: list[str] = []

    overall = expected["overall"]
    if evaluation.overall.level != overall["level"]:
        misses.append(
            f"overall: expected {overall['level']}, bank says {evaluation.overall.level} "
            f"({evaluation.overall.basis})\n      source: {overall['source']}"
        )
    prohibiting_profiles = {hit.profile for hit in evaluation.prohibitions}
    for profile, source in (expected.get("prohibited_under") or {}).items():
        if profile not in prohibiting_profiles:
            misses.append(
                f"prohibited under {profile}: the bank finds no prohibition under that profile "
                f"(prohibitions found: {sorted(prohibiting_profiles) or 'none'})"
                f"\n      source: {source}"
            )

    levels = {criterion.id: criterion.level for criterion in evaluation.criteria}
    high = _rank(bank, THRESHOLD)
    for criterion, source in (expected.get("at_least_high") or {}).items():
        level = levels[criterion]
        if _rank(bank, level) < high:
            misses.append(
                f"{criterion}: expected {THRESHOLD} or above, bank says {_describe(level)}"
                f"\n      source: {source}"
            )
    for criterion, source in (expected.get("below_high") or {}).items():
        level = levels[criterion]
        if _rank(bank, level) >= high:
            fired = sorted(
                f"{f.rule} ({f.residual.level})"
                for f in evaluation.findings
                if f.criterion == criterion and _rank(bank, f.residual.level) >= high
            )
            misses.append(
                f"{criterion}: expected below {THRESHOLD}, bank says {_describe(level)} "
                f"through {', '.join(fired)}\n      source: {source}"
            )
    return misses


@pytest.mark.parametrize("path", CASE_FILES, ids=[path.stem for path in CASE_FILES])
def test_case_is_well_formed(real_bank: Bank, path: Path) -> None:
    """Every case names its sources, chooses known profiles and states a level on the scale."""
    document = _read(path)
    expected = _expected(document)
    assert expected.get("kind") in KINDS, f"{path.name}: expected.kind must be one of {KINDS}"
    assert document.why.strip(), f"{path.name}: 'why' must say what the public record shows"
    assert all(profile in real_bank.profiles for profile in document.profiles), path.name
    overall = expected.get("overall") or {}
    assert overall.get("level") in (*real_bank.levels, PROHIBITED), path.name
    assert str(overall.get("source", "")).strip(), f"{path.name}: the overall level needs a source"
    prohibited_under = expected.get("prohibited_under") or {}
    assert bool(prohibited_under) == (overall["level"] == PROHIBITED), (
        f"{path.name}: name the profile(s) under which the use is prohibited, and only then"
    )
    assert set(prohibited_under) <= set(document.profiles), path.name
    criteria = set(real_bank.criteria)
    at_least = expected.get("at_least_high") or {}
    below = expected.get("below_high") or {}
    assert set(at_least) <= criteria and set(below) <= criteria, path.name
    assert not set(at_least) & set(below), f"{path.name}: a criterion cannot be both"
    sources = [*prohibited_under.values(), *at_least.values(), *below.values()]
    assert all(str(source).strip() for source in sources), (
        f"{path.name}: every bound needs a source"
    )
    if expected["kind"] == "low_risk":
        assert overall["level"] == "Low", f"{path.name}: a low-risk case must expect Low"


@pytest.mark.parametrize("path", CASE_FILES, ids=[path.stem for path in CASE_FILES])
def test_expectations_rest_on_the_law_of_the_chosen_profiles(real_bank: Bank, path: Path) -> None:
    """A bound's source names no law that belongs to a profile the case did not choose: a federal
    agency's case does not rest on the GDPR, nor a Washington agency's on the EU AI Act."""
    document = _read(path)
    expected = _expected(document)
    foreign = [
        source
        for profile_id, profile in real_bank.profiles.items()
        if profile_id not in document.profiles
        for source in profile.sources
    ]
    texts = [
        str((expected.get("overall") or {}).get("source", "")),
        *map(str, (expected.get("at_least_high") or {}).values()),
        *map(str, (expected.get("below_high") or {}).values()),
    ]
    named = sorted({law for text in texts for law in foreign if law in text})
    assert named == [], f"{path.name} ({', '.join(document.profiles)}) cites {named}"


def test_suite_covers_enough_cases() -> None:
    """At least 16 documented deployments or decisions and 3 low-risk cases."""
    kinds = [_expected(_read(path)).get("kind") for path in CASE_FILES]
    assert kinds.count("documented") >= 16, kinds
    assert kinds.count("low_risk") >= 3, kinds


@pytest.mark.parametrize("path", CASE_FILES, ids=[path.stem for path in CASE_FILES])
def test_bank_rates_case_as_the_record_supports(real_bank: Bank, path: Path) -> None:
    document = _read(path)
    title = document.assessment.get("title", path.stem)
    misses = _misses(real_bank, path)
    if misses:
        pytest.fail(f"{path.name} ({title}):\n  - " + "\n  - ".join(misses), pytrace=False)
