"""The small bank the engine tests start from, as inline YAML (see conftest.write_bank)."""

from __future__ import annotations

BANK = """\
id: test-bank
version: "1.0"
title: Test bank
levels: [Low, Moderate, High, Very high]
risk_matrix:
  - [Low, Low, Low, Moderate]
  - [Low, Moderate, Moderate, High]
  - [Moderate, High, High, Very high]
  - [Moderate, High, Very high, Very high]
sections: [system, accuracy]
"""

CRITERIA = """\
criteria:
  - id: c1
    name: Legal basis
    description: Whether a law allows it.
  - id: c4
    name: Equal protection
    description: Accuracy across groups.
    sources: ["NIST IR 8280"]
"""

COMPUTED = """\
computed:
  - id: disparity
    label: FMR disparity
    unit: x
    expr: max(fmr) / min(fmr)
"""

SYSTEM = """\
section:
  id: system
  title: The system
questions:
  - id: mode
    text: How is it used?
    type: choice
    required: true
    choices:
      - {value: verify, label: Verification}
      - {value: search, label: Investigative search}
      - {value: live, label: Live matching}
    criteria: [c1]
  - id: warrant
    text: Is a warrant obtained?
    type: yesno
    required: true
    show_if: mode == 'live'
    criteria: [c1]
  - id: start_date
    text: When does use start?
    type: date
    descriptive: true
  - id: uses
    text: What is it used for?
    type: multi
    choices:
      - {value: theft, label: Theft}
      - {value: violent, label: Violent crime}
      - {value: none, label: None of these, exclusive: true}
    criteria: [c1]
  - id: vendor
    text: Vendor name
    type: text
    descriptive: true
"""

ACCURACY = """\
section:
  id: accuracy
  title: Accuracy
  show_if: mode in ['search', 'live']
questions:
  - id: threshold
    text: What threshold is used?
    type: number
    unit: "%"
    min: 0
    max: 100
    required: true
    criteria: [c4]
  - id: fmr
    text: False-match rate by group
    type: group_numbers
    unit: "%"
    min: 0
    max: 100
    groups:
      - {value: women, label: Women}
      - {value: men, label: Men}
    criteria: [c4]
  - id: reviewed
    text: Does a second examiner review every match?
    type: yesno
    criteria: [c4]
"""

RULES = """\
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
    citations: ["ACLU 2018"]
  - id: live_no_warrant
    title: Live without warrant
    criterion: c1
    explanation: Needs a warrant.
    when: mode == 'live' and warrant == False
    severity: 4
    likelihood: 4
    citations: ["RCW 43.386.080(1)"]
  - id: disparity_high
    title: Disparity
    criterion: c4
    explanation: Unequal.
    when: disparity > 2
    severity: 3
    likelihood: 2
    citations: ["NIST IR 8280"]
"""

PROFILE = """\
profile:
  id: wa
  name: Washington
  elements:
    - id: mode_element
      cite: "RCW 43.386.020(2)(a)"
      text: Mode.
      questions: [mode]
    - id: accuracy_element
      cite: "RCW 43.386.020(2)(f)"
      text: Accuracy.
      questions: [threshold, fmr]
  prohibitions:
    - rule: live_no_warrant
      provision: "RCW 43.386.080(1)"
      unless: vendor == 'court order on file'
  obligations:
    - id: human_review
      text: Human review
      cite: "RCW 43.386.030"
      min_level: Low
    - id: testing
      text: Independent testing
      cite: "RCW 43.386.050"
      min_level: High
    - id: live_report
      text: Report live use
      cite: "RCW 43.386.070"
      min_level: Low
      when: mode == 'live'
"""

BASE_FILES = {
    "bank.yaml": BANK,
    "criteria.yaml": CRITERIA,
    "computed.yaml": COMPUTED,
    "sections/system.yaml": SYSTEM,
    "sections/accuracy.yaml": ACCURACY,
    "rules/r.yaml": RULES,
    "profiles/wa.yaml": PROFILE,
}
