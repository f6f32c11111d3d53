"""Store test fixtures: a small question bank written from inline YAML, and a cast of users.

- `bank_dir` / `bank`: the bank below, written to a temporary folder and loaded by the real loader.
- `cast`: on the `session` database, agencies "own" and "other", an officer of each, a reviewer
  whose remit is "own", and an admin (password PASSWORD for all).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from pia.engine import Bank, load_bank
from pia.store import Agency, User, create_agency, create_user

PASSWORD = "correct horse battery"

BANK_FILES = {
    "bank.yaml": """
id: store-test
version: "0.1"
title: Store test bank
levels: [Low, Moderate, High, Very high]
risk_matrix:
  - [Low, Low, Low, Moderate]
  - [Low, Moderate, Moderate, High]
  - [Moderate, High, High, Very high]
  - [Moderate, High, Very high, Very high]
sections: [system, accuracy]
""",
    "criteria.yaml": """
criteria:
  - id: c1
    name: Equal protection
    description: Accuracy across groups.
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
    descriptive: true
  - id: mode
    text: How is it used?
    type: choice
    required: true
    criteria: [c1]
    choices:
      - {value: search, label: Search after the fact}
      - {value: live, label: Live}
  - id: warrant
    text: Is a warrant required?
    type: yesno
    required: true
    criteria: [c1]
    show_if: mode == 'live'
""",
    "sections/accuracy.yaml": """
section:
  id: accuracy
  title: Accuracy
questions:
  - id: threshold
    text: What similarity threshold is used?
    type: number
    unit: "%"
    min: 0
    max: 100
    criteria: [c1]
  - id: tested_on
    text: When was it last tested?
    type: date
    criteria: [c1]
""",
    "rules/accuracy.yaml": """
rules:
  - id: low_threshold
    title: Threshold below 99%
    criterion: c1
    explanation: Low thresholds produce false matches.
    when: threshold < 99
    severity: 3
    likelihood: 3
    citations: ["ACLU test of Rekognition (2018)"]
""",
    "profiles/wa.yaml": """
profile:
  id: wa
  name: Washington RCW 43.386
  elements:
    - id: a_service
      cite: "RCW 43.386.020(2)(a)"
      text: Service name.
      questions: [product_name]
""",
}


def write_bank(folder: Path) -> Path:
    for name, text in BANK_FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip(), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def bank_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_bank(tmp_path_factory.mktemp("bank"))


@pytest.fixture(scope="session")
def bank(bank_dir: Path) -> Bank:
    return load_bank(bank_dir)


@dataclass
class Cast:
    own: Agency
    other: Agency
    officer: User
    other_officer: User
    reviewer: User
    admin: User


@pytest.fixture
def cast(session: Session) -> Cast:
    own = create_agency(session, "Own Agency")
    other = create_agency(session, "Other Agency")

    def user(email: str, role: str, **kwargs: object) -> User:
        return create_user(
            session, email=email, name=email.split("@")[0], role=role, password=PASSWORD, **kwargs
        )

    return Cast(
        own=own,
        other=other,
        officer=user("officer@own.example", "officer", agency=own),
        other_officer=user("officer@other.example", "officer", agency=other),
        reviewer=user("reviewer@own.example", "reviewer", remit=[own]),
        admin=user("admin@example.org", "admin"),
    )
