"""The sign-in limit over HTTP: atomic under a parallel burst, client addresses from proxy headers
only for trusted proxies, and the per-account limit that spares browsers known to the account."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session


def token_for(client: FlaskClient, **kwargs: Any) -> str:
    page = client.get("/signin", follow_redirects=True, **kwargs).get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert match
    return match.group(1)


def sign_in(client: FlaskClient, email: str, password: str, **kwargs: Any) -> int:
    token = token_for(client, **kwargs)
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/signin", data=data, **kwargs).status_code


def failed_checks(db: Session) -> int:
    from pia.store.models import AuditEvent

    db.expire_all()
    return db.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "signin.failed")
    )


def test_a_parallel_burst_gets_no_more_password_checks_than_the_limit(
    app: Flask, people, db: Session
) -> None:
    email = people["officer_a"].email
    clients = [app.test_client() for _ in range(20)]
    tokens = [token_for(client) for client in clients]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    lock = threading.Lock()

    def attack(client: FlaskClient, token: str) -> None:
        data = {"email": email, "password": "a wrong guess", "csrf_token": token}
        barrier.wait()
        status = client.post("/signin", data=data).status_code
        with lock:
            statuses.append(status)

    threads = [
        threading.Thread(target=attack, args=pair) for pair in zip(clients, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [401] * 5 + [429] * 15
    assert failed_checks(db) == 5  # exactly five passwords were checked


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"PIA_TRUSTED_PROXIES": "10.0.0.1", "PIA_SIGNIN_ACCOUNT_MAX_FAILURES": 8}


def test_proxy_headers_count_only_from_a_trusted_proxy(app: Flask, people) -> None:
    email = people["officer_a"].email
    via_proxy = app.test_client()
    # Behind the trusted proxy, each user's own address counts: one user's five failures
    # do not lock out another user behind the same proxy.
    for _ in range(5):
        status = sign_in(
            via_proxy,
            email,
            "wrong guess 1",
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
            headers={"X-Forwarded-For": "198.51.100.7"},
        )
        assert status == 401
    blocked = sign_in(
        via_proxy,
        email,
        people["officer_a"].password,
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert blocked == 429
    colleague = app.test_client()
    allowed = sign_in(
        colleague,
        email,
        people["officer_a"].password,
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
        headers={"X-Forwarded-For": "198.51.100.8"},
    )
    assert allowed == 302
    # A client that is not the proxy cannot choose its address with the header.
    direct = app.test_client()
    for number in range(5):
        sign_in(
            direct,
            people["officer_b"].email,
            "wrong guess 2",
            environ_base={"REMOTE_ADDR": "203.0.113.9"},
            headers={"X-Forwarded-For": f"192.0.2.{number}"},
        )
    spoofed = sign_in(
        direct,
        people["officer_b"].email,
        people["officer_b"].password,
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
        headers={"X-Forwarded-For": "192.0.2.99"},
    )
    assert spoofed == 429


def test_guesses_from_many_addresses_hit_the_account_limit_but_not_its_owner(
    app: Flask, people
) -> None:
    email = people["reviewer_a"].email
    owner = app.test_client()
    assert sign_in(owner, email, people["reviewer_a"].password) == 302  # a known browser now
    owner.post("/signout", data={"csrf_token": token_for(owner)})
    attacker = app.test_client()
    statuses = [
        sign_in(attacker, email, "guess", environ_base={"REMOTE_ADDR": f"192.0.2.{n}"})
        for n in range(10)
    ]
    assert statuses[:8] == [401] * 8  # PIA_SIGNIN_ACCOUNT_MAX_FAILURES
    assert statuses[8:] == [429, 429]
    newcomer = app.test_client()
    assert sign_in(newcomer, email, people["reviewer_a"].password) == 429
    assert sign_in(owner, email, people["reviewer_a"].password) == 302


def test_a_forged_device_cookie_is_ignored(app: Flask, people) -> None:
    email = people["reviewer_b"].email
    attacker = app.test_client()
    attacker.set_cookie("pia_device", "W10.forged.signature", path="/signin")
    statuses = [
        sign_in(attacker, email, "guess", environ_base={"REMOTE_ADDR": f"192.0.2.{n}"})
        for n in range(9)
    ]
    assert statuses[-1] == 429
