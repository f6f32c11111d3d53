"""Fixtures for the web tests: the app over each database, a seeded cast of users, sign-in helpers.

- `bank`, `bank_dir`: the bank and its folder.
- `app`: create_app() on the `db_url` database (SQLite file, and PostgreSQL when reachable), with
  the real bank from questions/ (loaded once per test session), CSRF on, cookies without Secure
  (Flask's test client would not send a Secure cookie over http).
- `client`: the app's test client.
- `people`: two agencies ("a" and "b"), an officer and a reviewer for each (the reviewer's remit is
  their agency), and one admin; all with password PASSWORD.
- `auth`: auth.login("officer_a"), auth.logout(), auth.post(url, data) (adds the CSRF token),
  auth.csrf_token().
- `db`: a SQLAlchemy session on the app's database, for seeding and for checking what was stored.
- `make_assessment`: make_assessment("officer_a", title=..., answers={...}) -> assessment id.
- `complete_answers`: an answer to every question of the bank (enough to submit).
- `submit_assessment`: submit_assessment(assessment_id, "officer_a") -> revision number.
- `submitted`: the id of an assessment of agency A, answered in full and submitted once.
- `second_app`: second_app(**config) -> another app on the same database (e.g. other settings).

Test modules cannot import this file (two conftest.py files share the name): use the fixtures.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from pia.engine import load_bank
from pia.engine.bank.model import Bank
from pia.web import create_app
from pia.web.shared.db import get_engine, session_factory

REPO = Path(__file__).resolve().parents[2]
# PIA_TEST_BANK runs the web tests against another bank folder (e.g. a frozen copy).
BANK_DIR = Path(os.environ.get("PIA_TEST_BANK") or REPO / "questions")
PASSWORD = "correct horse battery staple"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@dataclass(frozen=True)
class Person:
    key: str  # e.g. "officer_a"
    id: int
    email: str
    name: str
    role: str
    agency_id: int | None
    password: str = PASSWORD


@dataclass(frozen=True)
class People:
    agencies: Mapping[str, int]  # "a" / "b" -> agency id
    by_key: Mapping[str, Person]

    def __getitem__(self, key: str) -> Person:
        return self.by_key[key]


@pytest.fixture(scope="session")
def bank_dir() -> Path:
    """The folder the `bank` fixture loads (for commands that take a bank folder)."""
    return BANK_DIR


@pytest.fixture(scope="session")
def bank(bank_dir: Path) -> Bank:
    return load_bank(bank_dir)


def web_config(db_url: str, bank: Bank, instance: Path, **extra: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "PIA_DATABASE_URL": db_url,
        "PIA_BANK_OBJECT": bank,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SESSION_COOKIE_SECURE": False,
        **extra,
    }


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Extra config for the `app` fixture; override this fixture in a test module to change it."""
    return {}


@pytest.fixture
def app(db_url: str, bank: Bank, tmp_path: Path, app_config: dict[str, Any]) -> Iterator[Flask]:
    from pia.store.db import upgrade

    upgrade(db_url)
    flask_app = create_app(web_config(db_url, bank, tmp_path / "instance", **app_config))
    yield flask_app
    with flask_app.app_context():
        get_engine().dispose()


@pytest.fixture
def second_app(db_url: str, bank: Bank, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    made: list[Flask] = []

    def make(**config: Any) -> Flask:
        extra = web_config(db_url, bank, tmp_path / f"instance{len(made)}", **config)
        created = create_app({k: v for k, v in extra.items() if v is not None})
        made.append(created)
        return created

    yield make
    for created in made:
        with created.app_context():
            get_engine().dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    with session_factory(app)() as session:
        yield session


def seed_people(session: Session) -> People:
    from pia.store import create_agency, create_user

    agencies = {key: create_agency(session, f"Agency {key.upper()}") for key in ("a", "b")}
    session.commit()
    specs = [
        ("officer_a", "officer", agencies["a"], ()),
        ("reviewer_a", "reviewer", None, (agencies["a"],)),
        ("officer_b", "officer", agencies["b"], ()),
        ("reviewer_b", "reviewer", None, (agencies["b"],)),
        ("admin", "admin", None, ()),
    ]
    people = {}
    for key, role, agency, remit in specs:
        user = create_user(
            session,
            email=f"{key}@example.gov",
            name=key.replace("_", " ").title(),
            role=role,
            password=PASSWORD,
            agency=agency,
            remit=remit,
        )
        session.commit()
        people[key] = Person(key, user.id, user.email, user.name, role, user.agency_id)
    return People({k: a.id for k, a in agencies.items()}, people)


@pytest.fixture
def people(db: Session) -> People:
    return seed_people(db)


def csrf_token_from(response: TestResponse) -> str:
    match = CSRF_META.search(response.get_data(as_text=True))
    assert match, "the page has no csrf-token meta tag"
    return match.group(1)


class AuthActions:
    def __init__(self, client: FlaskClient, people: People) -> None:
        self.client = client
        self.people = people

    def csrf_token(self) -> str:
        """A CSRF token valid for this client's session (from a page's meta tag)."""
        return csrf_token_from(self.client.get("/", follow_redirects=True))

    def login(self, key: str = "officer_a", password: str | None = None) -> TestResponse:
        person = self.people[key]
        return self.client.post(
            "/signin",
            data={
                "email": person.email,
                "password": password if password is not None else person.password,
                "csrf_token": self.csrf_token(),
            },
        )

    def logout(self) -> TestResponse:
        return self.client.post("/signout", data={"csrf_token": self.csrf_token()})

    def post(self, url: str, data: Mapping[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        """POST a form with this session's CSRF token added."""
        form = dict(data or {})
        form.setdefault("csrf_token", self.csrf_token())
        return self.client.post(url, data=form, **kwargs)


@pytest.fixture
def auth(client: FlaskClient, people: People) -> AuthActions:
    return AuthActions(client, people)


@pytest.fixture
def make_assessment(app: Flask, db: Session, bank: Bank, people: People) -> Callable[..., int]:
    """Creates an assessment as the given officer (answers saved through the store)."""
    from pia.store import create_assessment, save_answers
    from pia.store.models import User

    def make(
        key: str = "officer_a", *, answers: Mapping[str, Any] | None = None, **fields: Any
    ) -> int:
        actor = db.get(User, people[key].id)
        values = {
            "title": "Face search pilot",
            "technology": "face recognition",
            "vendor": "Acme Vision",
            "product": "FaceFind",
            "product_version": "4.2",
            "profiles": list(bank.profiles)[:1],
        }
        values.update(fields)
        assessment = create_assessment(db, bank, actor, **values)
        db.commit()
        if answers:
            save_answers(
                db,
                bank,
                assessment,
                actor,
                values=answers,
                notes={},
                expected_version=assessment.lock_version,
            )
            db.commit()
        return assessment.id

    return make


def sample_value(question: Any) -> Any:
    """A valid answer of the question's type, within its bounds (for filling a whole bank)."""
    from pia.engine.bank import model

    low = question.min if question.min is not None else 0
    number = int(low) if float(low).is_integer() else low
    if question.type == model.CHOICE:
        return question.choices[0].value
    if question.type == model.MULTI:
        return [question.choices[0].value]
    if question.type == model.YESNO:
        return True
    if question.type == model.NUMBER:
        return number
    if question.type == model.DATE:
        return "2026-01-15"
    if question.type == model.GROUP_NUMBERS:
        return {group.value: number for group in question.groups}
    return f"Answer to {question.id}"


def complete_answers(bank: Bank) -> dict[str, Any]:
    """An answer to every question of the bank: enough to submit whatever becomes visible."""
    return {question.id: sample_value(question) for question in bank.questions.values()}


@pytest.fixture(name="complete_answers")
def complete_answers_fixture(bank: Bank) -> dict[str, Any]:
    """complete_answers(bank) as a fixture (test modules cannot import from conftest)."""
    return complete_answers(bank)


@pytest.fixture
def submit_assessment(db: Session, bank: Bank, people: People) -> Callable[[int, str], int]:
    """Submits an assessment (which must have its required answers) as the officer; -> number."""
    from pia.store import get_assessment, submit
    from pia.store.models import User

    def do_submit(assessment_id: int, key: str = "officer_a") -> int:
        db.expire_all()
        assessment = get_assessment(db, assessment_id)
        actor = db.get(User, people[key].id)
        revision = submit(db, bank, assessment, actor, assessment.lock_version)
        db.commit()
        return revision.number

    return do_submit


@pytest.fixture
def submitted(
    make_assessment: Callable[..., int], submit_assessment: Callable[..., int], bank: Bank
) -> int:
    """An assessment of agency A, answered in full and submitted once (revision 1)."""
    assessment_id = make_assessment("officer_a", answers=complete_answers(bank))
    submit_assessment(assessment_id)
    return assessment_id
