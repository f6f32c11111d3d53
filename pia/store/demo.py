"""Demo data: two agencies, one account per role (and a second officer and reviewer to show that
agencies are isolated), and assessments made from the bank's example answer files.

Seeding is idempotent: agencies, accounts and assessments are found by name, email and title, and
only what is missing is created. Passwords are generated and shown once; a second run leaves
existing passwords alone unless asked to reset them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.engine import Bank, read_answers_file
from pia.errors import PiaError
from pia.store import accounts
from pia.store.assessments import create_assessment, save_answers
from pia.store.models import ADMIN, OFFICER, REVIEWER, Agency, Assessment, User
from pia.store.submission import blocking_issues, submit

DEMO_AGENCY = "Demo County Sheriff's Office"
OTHER_AGENCY = "Riverside City Police Department"
ANSWER_FILE_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class DemoAccountSpec:
    email: str
    name: str
    role: str
    agency: str | None  # officers
    remit: tuple[str, ...] = ()  # reviewers


DEMO_ACCOUNTS = (
    DemoAccountSpec("officer@demo.pia.example", "Olivia Officer", OFFICER, DEMO_AGENCY),
    DemoAccountSpec("reviewer@demo.pia.example", "Ravi Reviewer", REVIEWER, None, (DEMO_AGENCY,)),
    DemoAccountSpec("admin@demo.pia.example", "Ada Admin", ADMIN, None),
    DemoAccountSpec("officer@riverside.pia.example", "Omar Officer", OFFICER, OTHER_AGENCY),
    DemoAccountSpec(
        "reviewer@riverside.pia.example", "Rita Reviewer", REVIEWER, None, (OTHER_AGENCY,)
    ),
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    agency: str  # officer's agency or reviewer's remit, for people
    password: str | None  # None: the account existed and its password was left alone
    created: bool


@dataclass(frozen=True)
class DemoAssessment:
    title: str
    agency: str
    source: str  # the example file's name
    status: str  # "created (submitted)", "created (draft)", "exists", "skipped: why"


@dataclass(frozen=True)
class DemoResult:
    accounts: tuple[DemoAccount, ...]
    assessments: tuple[DemoAssessment, ...]


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def example_files(examples_dir: Path) -> list[Path]:
    if not examples_dir.is_dir():
        return []
    return sorted(p for p in examples_dir.iterdir() if p.suffix.lower() in ANSWER_FILE_SUFFIXES)


def seed_demo(
    session: Session,
    bank: Bank,
    examples_dir: Path,
    *,
    reset_passwords: bool = False,
    password_factory: Callable[[], str] = generate_password,
) -> DemoResult:
    """Create whatever part of the demo data is missing; report what there is."""
    agencies = {name: _agency(session, name) for name in (DEMO_AGENCY, OTHER_AGENCY)}
    demo_accounts = [
        _account(session, spec, agencies, reset_passwords, password_factory)
        for spec in DEMO_ACCOUNTS
    ]
    officers = {
        spec.agency: accounts.get_user_by_email(session, spec.email)
        for spec in DEMO_ACCOUNTS
        if spec.role == OFFICER
    }
    made: list[DemoAssessment] = []
    files = example_files(examples_dir)
    for index, path in enumerate(files):
        # Every example goes to the demo agency; the first also to the other agency, so each
        # agency's officer and reviewer see their own and never the other's. Complete examples
        # are submitted, except the demo agency's last, left as a draft to finish and submit.
        targets = [DEMO_AGENCY] + ([OTHER_AGENCY] if index == 0 else [])
        for agency_name in targets:
            officer = officers[agency_name]
            assert officer is not None
            keep_draft = agency_name == DEMO_AGENCY and index == len(files) - 1
            made.append(
                _assessment_from_file(session, bank, path, officer, agency_name, keep_draft)
            )
    return DemoResult(accounts=tuple(demo_accounts), assessments=tuple(made))


def _agency(session: Session, name: str) -> Agency:
    return accounts.get_agency_by_name(session, name) or accounts.create_agency(session, name)


def _account(
    session: Session,
    spec: DemoAccountSpec,
    agencies: dict[str, Agency],
    reset_passwords: bool,
    password_factory: Callable[[], str],
) -> DemoAccount:
    where = spec.agency or ", ".join(spec.remit) or "-"
    existing = accounts.get_user_by_email(session, spec.email)
    if existing is not None:
        password = None
        if reset_passwords:
            password = password_factory()
            accounts.set_password(session, existing, password)
        return DemoAccount(spec.email, existing.role, where, password, created=False)
    password = password_factory()
    accounts.create_user(
        session,
        email=spec.email,
        name=spec.name,
        role=spec.role,
        password=password,
        agency=agencies[spec.agency] if spec.agency else None,
        remit=[agencies[name] for name in spec.remit],
    )
    return DemoAccount(spec.email, spec.role, where, password, created=True)


def _assessment_from_file(
    session: Session, bank: Bank, path: Path, officer: User, agency_name: str, keep_draft: bool
) -> DemoAssessment:
    try:
        document = read_answers_file(path)
    except PiaError as error:
        return DemoAssessment(path.stem, agency_name, path.name, f"skipped: {error}")
    meta = document.assessment or {}
    title = str(meta.get("title") or path.stem.replace("_", " ").replace("-", " ").capitalize())
    title = " ".join(title.split())[:200]
    exists = session.scalars(
        select(Assessment.id).where(
            Assessment.agency_id == officer.agency_id, Assessment.title == title
        )
    ).first()
    if exists is not None:
        return DemoAssessment(title, agency_name, path.name, "exists")
    try:
        assessment = create_assessment(
            session,
            bank,
            officer,
            title=title,
            technology=str(meta.get("technology") or ""),
            vendor=str(meta.get("vendor") or ""),
            product=str(meta.get("product") or ""),
            product_version=str(meta.get("product_version") or ""),
            profiles=document.profiles,
        )
        evaluation = save_answers(
            session,
            bank,
            assessment,
            officer,
            values=_jsonable(document.answers),
            notes={q: str(note) for q, note in document.notes.items()},
            expected_version=assessment.lock_version,
        )
    except PiaError as error:
        return DemoAssessment(title, agency_name, path.name, f"skipped: {error}")
    missing, invalid = blocking_issues(evaluation)
    if missing or invalid:
        return DemoAssessment(title, agency_name, path.name, "created (draft, incomplete)")
    if keep_draft:
        return DemoAssessment(title, agency_name, path.name, "created (draft, ready to submit)")
    submit(session, bank, assessment, officer, assessment.lock_version)
    return DemoAssessment(title, agency_name, path.name, "created (submitted)")


def _jsonable(value: Any) -> Any:
    """Answer values as JSON can hold them: YAML dates become ISO text."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def describe(result: DemoResult) -> Iterable[str]:
    """Lines for people: the sign-ins first, then the assessments."""
    yield "Demo accounts (sign in at the address `pia serve` prints; passwords are shown once):"
    for account in result.accounts:
        if account.password is not None:
            shown = f"password: {account.password}"
        else:
            shown = "password unchanged (pia demo --reset-passwords sets new ones)"
        yield f"  {account.role:<9} {account.email:<32} {shown}   [{account.agency}]"
    yield "Demo assessments:"
    if not result.assessments:
        yield "  none (no example answer files found)"
    for made in result.assessments:
        yield f"  {made.title} [{made.agency}] from {made.source}: {made.status}"
