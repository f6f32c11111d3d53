"""No mitigation can never apply: for each one there is an assessment in which its rule fires and
the mitigation lowers it.

The search starts from every example (and every rule scenario) in which the rule fires and takes
the answers the mitigation's condition reads from another example or from SAFEGUARDS; the few
combinations that need more are listed in MITIGATION_SCENARIOS.
"""

from __future__ import annotations

from typing import Any

import pytest
from bank_paths import BANK_DIR
from bank_scenarios import (
    MITIGATION_SCENARIOS,
    RULE_SCENARIOS,
    SAFEGUARDS,
    scenario_answers,
)

from pia.engine import AnswersDocument, Bank, check_answers, evaluate, load_bank
from pia.engine.bank.model import Mitigation

_BANK = load_bank(BANK_DIR)
ALL_MITIGATIONS = [(rule.id, m.id) for rule in _BANK.rules.values() for m in rule.mitigations]


def _applies(bank: Bank, answers: dict[str, Any], rule_id: str, mitigation_id: str) -> bool:
    values, issues = check_answers(bank, answers)
    if issues:
        return False
    profiles = bank.rules[rule_id].profiles  # a jurisdiction-specific rule fires only under them
    finding = next(
        (f for f in evaluate(bank, values, profiles).findings if f.rule == rule_id), None
    )
    return finding is not None and mitigation_id in {m.id for m in finding.mitigations}


@pytest.fixture(scope="module")
def bases(examples: dict[str, AnswersDocument]) -> list[dict[str, Any]]:
    found = [document.answers for document in examples.values()]
    found += [scenario_answers(examples, scenario) for scenario in RULE_SCENARIOS.values()]
    return found


@pytest.mark.parametrize(("rule_id", "mitigation_id"), ALL_MITIGATIONS)
def test_mitigation_can_apply(
    real_bank: Bank,
    examples: dict[str, AnswersDocument],
    bases: list[dict[str, Any]],
    rule_id: str,
    mitigation_id: str,
) -> None:
    if (rule_id, mitigation_id) in MITIGATION_SCENARIOS:
        answers = scenario_answers(examples, MITIGATION_SCENARIOS[(rule_id, mitigation_id)])
        assert _applies(real_bank, answers, rule_id, mitigation_id)
        return
    mitigation: Mitigation = next(
        m for m in real_bank.rules[rule_id].mitigations if m.id == mitigation_id
    )
    donors = [document.answers for document in examples.values()] + [SAFEGUARDS]
    for base in bases:
        for donor in donors:
            changes = {name: donor[name] for name in mitigation.when.names if name in donor}
            if _applies(real_bank, {**base, **changes}, rule_id, mitigation_id):
                return
    pytest.fail(f"{rule_id}.{mitigation_id} ({mitigation.when.source}) never applies")


def test_mitigation_scenarios_are_needed() -> None:
    assert set(MITIGATION_SCENARIOS) <= set(ALL_MITIGATIONS)
