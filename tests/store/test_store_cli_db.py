"""`pia db upgrade`, `pia create-agency`, `pia create-user`, `pia set-password` and `pia demo`
against real databases, through the command's own entry point."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pia.cli import main
from pia.store import Agency, Assessment, Revision, User, authenticate, make_session_factory
from pia.store.db import head_revision, make_engine

EXAMPLE = """
assessment:
  title: County face-search pilot
  agency: Demo County Sheriff's Office
  technology: Face recognition (1:N search)
  vendor: Example Vendor Inc.
  product: FaceFind
  product_version: "4.2"
profiles: [wa]
answers:
  product_name: FaceFind
  mode: search
  threshold: {value: 80, note: "Vendor default."}
  tested_on: 2025-06-30
"""
INCOMPLETE_EXAMPLE = """
assessment:
  title: Live cameras downtown
answers:
  mode: live
"""


@pytest.fixture
def environment(db_url, bank_dir, tmp_path, monkeypatch) -> Path:
    bank = tmp_path / "bank"
    shutil.copytree(bank_dir, bank)
    (bank / "examples").mkdir()
    (bank / "examples" / "county_search.yaml").write_text(EXAMPLE, encoding="utf-8")
    (bank / "examples" / "live_downtown.yaml").write_text(INCOMPLETE_EXAMPLE, encoding="utf-8")
    monkeypatch.setenv("PIA_DATABASE_URL", db_url)
    monkeypatch.setenv("PIA_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("PIA_BANK", str(bank))
    return bank


def run(argv: list[str], monkeypatch, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(argv)


def open_session(db_url: str):
    engine = make_engine(db_url)
    return engine, make_session_factory(engine)()


def test_upgrade_then_create_agency_and_users(environment, db_url, monkeypatch, capsys) -> None:
    assert run(["db", "upgrade"], monkeypatch) == 0
    assert f"is at revision {head_revision()} (latest)" in capsys.readouterr().out
    assert run(["create-agency", "Example County Sheriff"], monkeypatch) == 0
    assert run(["create-agency", "City Police"], monkeypatch) == 0
    argv = ["create-user", "--email", "Olive@Example.org", "--name", "Olive", "--role", "officer"]
    agency = ["--agency", "example county sheriff"]
    assert run([*argv, *agency], monkeypatch, "s3cret passphrase\n") == 0
    assert "created officer olive@example.org in Example County Sheriff" in capsys.readouterr().out
    reviewer = ["create-user", "--email", "r@example.org", "--name", "R", "--role", "reviewer"]
    remit = ["--remit", "Example County Sheriff, City Police"]
    assert run([*reviewer, *remit], monkeypatch, "another passphrase\n") == 0
    engine, session = open_session(db_url)
    try:
        assert authenticate(session, "olive@example.org", "s3cret passphrase") is not None
        user = session.scalars(select(User).where(User.email == "r@example.org")).one()
        assert sorted(a.name for a in user.remit) == ["City Police", "Example County Sheriff"]
        assert user.password_hash.startswith("$argon2id$")
    finally:
        session.close()
        engine.dispose()


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["--role", "officer", "--agency", "Nowhere"], "passphrase 1\n", "no agency named"),
        (["--role", "officer"], "passphrase 1\n", "an officer must belong to an agency"),
        (["--role", "admin"], "", "no password given"),
        (["--role", "admin"], "short\n", "the password is too short"),
        (["--role", "admin", "--remit", "Known"], "passphrase 1\n", "only reviewers have a remit"),
    ],
)
def test_create_user_mistakes_are_explained(
    environment, monkeypatch, capsys, argv, stdin, message
) -> None:
    assert run(["db", "upgrade"], monkeypatch) == 0
    assert run(["create-agency", "Known"], monkeypatch) == 0
    base = ["create-user", "--email", "x@example.org", "--name", "X"]
    assert run([*base, *argv], monkeypatch, stdin) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_set_password(environment, db_url, monkeypatch) -> None:
    run(["db", "upgrade"], monkeypatch)
    base = ["create-user", "--email", "a@example.org", "--name", "A", "--role", "admin"]
    assert run(base, monkeypatch, "first passphrase\n") == 0
    assert run(["set-password", "--email", "A@example.org"], monkeypatch, "second one!\n") == 0
    assert run(["set-password", "--email", "nobody@example.org"], monkeypatch, "x\n") == 1
    engine, session = open_session(db_url)
    try:
        assert authenticate(session, "a@example.org", "second one!") is not None
    finally:
        session.close()
        engine.dispose()


def test_demo_seeds_once_and_running_it_again_duplicates_nothing(
    environment, db_url, monkeypatch, capsys
) -> None:
    assert run(["demo"], monkeypatch) == 0
    first = capsys.readouterr().out
    passwords = dict(
        (line.split()[1], line.split("password: ")[1].split()[0])
        for line in first.splitlines()
        if "password: " in line
    )
    assert set(passwords) == {
        "officer@demo.pia.example",
        "reviewer@demo.pia.example",
        "admin@demo.pia.example",
        "officer@riverside.pia.example",
        "reviewer@riverside.pia.example",
    }
    assert "County face-search pilot [Demo County Sheriff's Office]" in first
    assert "created (submitted)" in first and "created (draft, incomplete)" in first

    def counts() -> tuple[int, int, int]:
        engine, session = open_session(db_url)
        try:
            return (
                session.scalar(select(func.count()).select_from(User)),
                session.scalar(select(func.count()).select_from(Assessment)),
                session.scalar(select(func.count()).select_from(Revision)),
            )
        finally:
            session.close()
            engine.dispose()

    # Two examples in the demo agency, the first also in the other agency; the complete ones
    # are submitted.
    assert counts() == (5, 3, 2)
    assert run(["demo"], monkeypatch) == 0
    second = capsys.readouterr().out
    assert "password unchanged" in second and ": exists" in second
    assert counts() == (5, 3, 2)

    engine, session = open_session(db_url)
    try:
        email = "officer@demo.pia.example"
        officer = authenticate(session, email, passwords[email])
        assert officer is not None and officer.agency.name == "Demo County Sheriff's Office"
        pilot = session.scalars(
            select(Assessment).where(
                Assessment.agency_id == officer.agency_id,
                Assessment.title == "County face-search pilot",
            )
        ).one()
        assert pilot.answers["tested_on"] == "2025-06-30"
        assert pilot.notes == {"threshold": "Vendor default."}
        assert (pilot.status, pilot.overall_level, pilot.vendor) == (
            "submitted",
            "High",
            "Example Vendor Inc.",
        )
    finally:
        session.close()
        engine.dispose()

    assert run(["demo", "--reset-passwords"], monkeypatch) == 0
    third = capsys.readouterr().out
    assert third.count("password: ") == 5


def test_commands_on_an_unmigrated_database_say_what_to_do(environment, monkeypatch, capsys):
    assert run(["create-agency", "Example"], monkeypatch) == 1
    err = capsys.readouterr().err
    assert "database error" in err and "pia db upgrade" in err and "Traceback" not in err


def test_an_unreachable_database_is_one_readable_line(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("PIA_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/none")
    monkeypatch.setenv("PIA_INSTANCE", str(tmp_path))
    assert run(["db", "upgrade"], monkeypatch) == 1
    err = capsys.readouterr().err
    assert err.startswith("pia: cannot migrate the database:") and err.count("\n") == 1


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("typed", "code", "says"),
    [
        (["a good passphrase", "a good passphrase"], 0, "created admin"),
        (["a good passphrase", "another one"], 1, "the passwords do not match"),
        ([EOFError()], 1, "no password given"),
    ],
)
def test_create_user_on_a_terminal_prompts_twice(
    environment, monkeypatch, capsys, typed, code, says
) -> None:
    assert run(["db", "upgrade"], monkeypatch) == 0
    prompts: list[str] = []

    def fake_getpass(prompt: str) -> str:
        prompts.append(prompt)
        answer = typed[len(prompts) - 1]
        if isinstance(answer, BaseException):
            raise answer
        return answer

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("getpass.getpass", fake_getpass)
    argv = ["create-user", "--email", "t@example.org", "--name", "T", "--role", "admin"]
    assert main(argv) == code
    captured = capsys.readouterr()
    assert says in captured.out + captured.err
    assert prompts[0] == "Password: "


def test_agency_time_zones(environment, db_url, monkeypatch, capsys) -> None:
    assert run(["db", "upgrade"], monkeypatch) == 0
    assert run(["create-agency", "Berlin Police", "--time-zone", "Europe/Berlin"], monkeypatch) == 0
    assert "time zone Europe/Berlin" in capsys.readouterr().out
    assert run(["create-agency", "Chicago PD"], monkeypatch) == 0
    assert run(["set-time-zone", "chicago pd", "America/Chicago"], monkeypatch) == 0
    assert run(["set-time-zone", "Chicago PD", "Central Time"], monkeypatch) == 1
    assert "not a time zone name" in capsys.readouterr().err
    assert run(["set-time-zone", "Nowhere", "UTC"], monkeypatch) == 1
    assert "no agency named" in capsys.readouterr().err
    engine, session = open_session(db_url)
    try:
        zones = {agency.name: agency.time_zone for agency in session.scalars(select(Agency))}
        assert zones == {"Berlin Police": "Europe/Berlin", "Chicago PD": "America/Chicago"}
    finally:
        session.close()
        engine.dispose()
