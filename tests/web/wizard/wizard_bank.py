"""A small question bank for the wizard tests: every question type, a condition, two rules.

The tests know its ids, so they can assert exact behaviour without depending on the real bank's
content (the real bank gets its own smoke test in test_wizard_real_bank.py). Use it by overriding
the `bank` fixture in a test module:

    from wizard_bank import wizard_bank  # noqa: F401  (the `bank` fixture, for this module)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pia.engine import load_bank
from pia.engine.bank.model import Bank

FILES = {
    "bank.yaml": """\
id: wizard-test
version: "1.0.0"
title: Wizard test bank
levels: [Low, Moderate, High, Very high]
risk_matrix:
  - [Low, Low, Low, Moderate]
  - [Low, Moderate, Moderate, High]
  - [Moderate, High, High, Very high]
  - [Moderate, High, Very high, Very high]
sections: [system, use]
""",
    "criteria.yaml": """\
criteria:
  - id: c_accuracy
    name: Accuracy across groups
    description: Whether the system errs more for some people.
  - id: c_liberty
    name: Freedom of assembly
    description: Whether people are watched in public.
""",
    "sections/system.yaml": """\
section:
  id: system
  title: The system
questions:
  - id: vendor_name
    text: Who sells the system?
    help: The company on the contract.
    type: text
    required: true
    descriptive: true
  - id: start_date
    text: When would use start?
    type: date
    descriptive: true
  - id: description
    text: Describe the system
    type: longtext
    descriptive: true
""",
    "sections/use.yaml": """\
section:
  id: use
  title: How it is used
  description: Modes of use and safeguards.
questions:
  - id: modes
    text: How will the system be used?
    help: Choose every mode that applies.
    type: multi
    required: true
    choices:
      - {value: verify, label: One-to-one verification}
      - {value: search, label: Investigative search}
      - {value: live, label: Live recognition in public places}
    criteria: [c_accuracy]
  - id: live_places
    text: Where would live recognition run?
    type: longtext
    required: true
    show_if: "'live' in modes"
    criteria: [c_liberty]
  - id: warrant
    text: Is a warrant required before live use?
    type: yesno
    show_if: "'live' in modes"
    criteria: [c_liberty]
  - id: threshold
    text: What similarity threshold will be used?
    type: number
    unit: "%"
    min: 0
    max: 100
    criteria: [c_accuracy]
    citations: ["ACLU test of Amazon Rekognition (26 Jul 2018)"]
  - id: fmr
    text: False-match rate by group
    type: group_numbers
    unit: "%"
    min: 0
    max: 100
    groups:
      - {value: women, label: Women}
      - {value: men, label: Men}
    criteria: [c_accuracy]
  - id: gallery
    text: Which gallery is searched?
    type: choice
    choices:
      - {value: mugshots, label: Booking photos}
      - {value: licences, label: Driver licence photos}
    criteria: [c_accuracy]
""",
    "rules/rules.yaml": """\
rules:
  - id: low_threshold
    title: Threshold below 99%
    criterion: c_accuracy
    explanation: Low thresholds produce false matches.
    when: threshold < 99
    severity: 3
    likelihood: 3
    citations: ["ACLU test of Amazon Rekognition (26 Jul 2018)"]
  - id: live_without_warrant
    title: Live recognition without a warrant
    criterion: c_liberty
    explanation: Watching crowds without judicial control chills assembly.
    when: "'live' in modes and warrant == False"
    severity: 4
    likelihood: 4
    citations: ["RCW 43.386.080(1)"]
""",
    "profiles/test.yaml": """\
profile:
  id: test_law
  name: Test surveillance law
  elements:
    - id: e_vendor
      cite: "s.1(a)"
      text: The vendor is named.
      questions: [vendor_name]
    - id: e_warrant
      cite: "s.2"
      text: Warrant requirements for live use.
      questions: [warrant]
""",
}


def write_bank(folder: Path) -> Path:
    for name, text in FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session", name="bank")
def wizard_bank(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    return load_bank(write_bank(tmp_path_factory.mktemp("wizard_bank")))
