"""The small question bank of the report tests, written to disk and loaded with the real loader,
so the tests run the real evaluate() without depending on questions/ (which grows and changes)."""

from __future__ import annotations

from pathlib import Path

BANK_FILES = {
    "bank.yaml": """
id: report-test
version: "2.1.0"
title: Report test bank
description: A small bank for the report tests.
levels: [Low, Moderate, High, Very high]
risk_matrix:
  - [Low, Low, Low, Moderate]
  - [Low, Moderate, Moderate, High]
  - [Moderate, High, High, Very high]
  - [Moderate, High, Very high, Very high]
sections: [system, people]
""",
    "criteria.yaml": """
criteria:
  - id: c_equal
    name: Equal protection and accuracy
    description: Whether the system works equally well for everyone.
    sources: ["NIST IR 8280 (Dec 2019)"]
  - id: c_speech
    name: Freedom of expression and assembly
    description: Whether people stay free to speak and gather.
  - id: c_vendor
    name: Vendor accountability
    description: What the vendor discloses and owes.
""",
    "sections/system.yaml": """
section:
  id: system
  title: The system
questions:
  - id: product_name
    text: What is the product called?
    type: text
    required: true
    criteria: [c_vendor]
  - id: threshold
    text: What similarity threshold will be used?
    type: number
    unit: "%"
    min: 0
    max: 100
    criteria: [c_equal]
  - id: mode
    text: How will the system be used?
    type: choice
    required: true
    criteria: [c_speech]
    choices:
      - {value: search, label: Investigative search}
      - {value: live, label: Live scanning of public spaces}
""",
    "sections/people.yaml": """
section:
  id: people
  title: People affected
questions:
  - id: watchlist
    text: Who will be on the watchlist?
    type: longtext
    sensitive: true
    criteria: [c_speech]
    show_if: mode == 'live'
  - id: second_examiner
    text: Does a second trained examiner review every candidate?
    type: yesno
    criteria: [c_equal]
  - id: description
    text: Describe the deployment.
    type: longtext
    descriptive: true
""",
    "rules/rules.yaml": """
rules:
  - id: low_threshold
    title: Match threshold below the vendor's law-enforcement guidance
    criterion: c_equal
    explanation: >
      Low thresholds return more false matches, most often for women and darker-skinned people.
    when: threshold < 99
    severity: 3
    likelihood: 4
    justification: A false match can lead to a wrongful arrest.
    mitigations:
      - id: human_review
        text: Every candidate is reviewed by a trained second examiner.
        when: second_examiner == True
        lowers: likelihood
        why: A second examiner catches many false candidates.
    actions: [Set the threshold to at least 99% and lock it.]
    citations:
      - source: "ACLU test of Amazon Rekognition (26 Jul 2018)"
        note: "28 members of Congress falsely matched at 80%"
  - id: live_scanning
    title: Live scanning of people in public spaces
    criterion: c_speech
    explanation: Scanning everyone who passes chills protest and assembly.
    when: mode == 'live'
    severity: 4
    likelihood: 3
    citations: ["Bridges v South Wales Police [2020] EWCA Civ 1058"]
  - id: unnamed_product
    title: Product not identified
    criterion: c_vendor
    explanation: Nobody can check a product that is not named.
    when: not answered(product_name)
    severity: 2
    likelihood: 2
    citations: ["RCW 43.386.020(2)(a)"]
""",
    "profiles/wa.yaml": """
profile:
  id: wa
  name: Washington RCW 43.386 (facial recognition)
  description: Accountability report before use.
  citations: ["RCW 43.386 (2020 c 257)"]
  elements:
    - id: a_service
      cite: "RCW 43.386.020(2)(a)"
      text: Service name, vendor and version.
      questions: [product_name]
    - id: b_testing
      cite: "RCW 43.386.020(2)(b)"
      text: Testing for accuracy and unfair performance differences.
      questions: [threshold, second_examiner]
  prohibitions:
    - rule: live_scanning
      provision: "RCW 43.386.080(1)"
      note: Ongoing surveillance needs a warrant.
  obligations:
    - id: human_review
      text: Meaningful human review of decisions with legal effects.
      cite: "RCW 43.386.030"
      min_level: Low
""",
}

RICH_ANSWERS = {
    "product_name": "FaceFind <b>Pro</b> & Sons <script>alert(1)</script>",
    "threshold": 80,
    "mode": "search",
    "second_examiner": True,
    "description": "Used by detectives in Łódź, by Ольга in Αθήνα.\nSecond paragraph.",
}
RICH_NOTES = {
    "threshold": "Vendor default <font color=red>80</font> & unchanged\x07\x1b.",
    "product_name": "Quote: 4.2 \u0000 build",
}
RICH_META = {
    "title": "County sheriff face search: Łódź, Ольга, Αθήνα",
    "agency": "Example County Sheriff <i>& Co</i>",
    "technology": "Face recognition (1:N search)",
    "vendor": "Example Vendor Inc.",
    "product": "FaceFind",
    "product_version": "4.2",
    "status": "draft",
    "revision": 3,
    "date": "2026-11-02",
    "author": "Ana Officer",
    "unknown_key": "ignored",
}


def write_bank(folder: Path, version: str = "2.1.0") -> Path:
    for name, text in BANK_FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name == "bank.yaml":
            text = text.replace('version: "2.1.0"', f'version: "{version}"')
        path.write_text(text.lstrip(), encoding="utf-8")
    return folder
