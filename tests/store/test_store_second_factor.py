"""The second factor in the store, on SQLite and PostgreSQL: a code is good for its step and the
ones either side, never twice, not even when two processes check it at the same moment."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from pia.store import InvalidInput, NotAllowed, make_session_factory
from pia.store.models import User
from pia.store.second_factor import (
    check_second_factor,
    confirm_enrolment,
    has_second_factor,
    new_secret,
    reset_second_factor,
)

NOW = datetime(2026, 11, 30, 12, 0, 10, tzinfo=UTC)


def code(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret).at(when)


def enrolled(session: Session, user: User) -> str:
    secret = new_secret()
    confirm_enrolment(session, user, secret, code(secret, NOW), now=NOW)
    return secret


def test_codes_of_the_drift_window_are_accepted_once_and_in_order(
    session: Session, cast: Any
) -> None:
    secret = enrolled(session, cast.officer)
    assert has_second_factor(session, cast.officer)
    # The enrolment's own code (step N) cannot sign in; nor can the one before it.
    assert check_second_factor(session, cast.officer, code(secret, NOW), now=NOW) is None
    earlier = NOW - timedelta(seconds=30)
    assert check_second_factor(session, cast.officer, code(secret, earlier), now=NOW) is None
    later = NOW + timedelta(seconds=30)
    assert check_second_factor(session, cast.officer, code(secret, later), now=NOW) == "code"
    assert check_second_factor(session, cast.officer, code(secret, later), now=NOW) is None
    # Two steps ahead is outside the window until the clock gets there.
    far = NOW + timedelta(seconds=90)
    assert check_second_factor(session, cast.officer, code(secret, far), now=NOW) is None
    assert check_second_factor(session, cast.officer, code(secret, far), now=far) == "code"


def test_enrolment_needs_a_code_from_its_secret(session: Session, cast: Any) -> None:
    secret = new_secret()
    with pytest.raises(InvalidInput, match="not right"):
        confirm_enrolment(session, cast.officer, secret, code(new_secret(), NOW), now=NOW)
    with pytest.raises(InvalidInput, match="expired"):
        confirm_enrolment(session, cast.officer, "not a secret", "123456", now=NOW)
    assert not has_second_factor(session, cast.officer)
    confirm_enrolment(session, cast.officer, secret, code(secret, NOW), now=NOW)
    with pytest.raises(InvalidInput, match="already"):
        confirm_enrolment(session, cast.officer, secret, code(secret, NOW), now=NOW)


def test_two_processes_checking_one_code_accept_it_once(
    engine: Engine, session: Session, cast: Any
) -> None:
    secret = enrolled(session, cast.officer)
    later = NOW + timedelta(seconds=30)
    factory = make_session_factory(engine)
    barrier = threading.Barrier(6)
    results: list[object] = []
    lock = threading.Lock()

    def attempt() -> None:
        with factory() as own:
            user = own.get(User, cast.officer.id)
            assert user is not None
            barrier.wait()
            try:
                outcome: object = check_second_factor(own, user, code(secret, later), now=NOW)
            except Exception as error:  # a lock timeout would show here, not pass silently
                outcome = error
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, results)) == ["None"] * 5 + ["code"]


def test_only_an_administrator_resets_a_second_factor(session: Session, cast: Any) -> None:
    enrolled(session, cast.officer)
    version = cast.officer.session_version
    with pytest.raises(NotAllowed):
        reset_second_factor(session, cast.officer, cast.other_officer)
    assert reset_second_factor(session, cast.officer, cast.admin) is True
    assert not has_second_factor(session, cast.officer)
    assert cast.officer.session_version > version
    assert reset_second_factor(session, cast.officer, cast.admin) is False
