"""Browser fixtures: the app on a live loopback server, and Debian's Chromium through Playwright.

- `live_server`: the app (SQLite file in tmp_path, migrated, seeded like the web tests' `people`)
  served by werkzeug's make_server in a thread on 127.0.0.1 and a free port. It has `.url`,
  `.app`, `.people` and `.session()` (a SQLAlchemy session on its database).
- `browser`: one Chromium per test module (Debian's /usr/bin/chromium).
- `context` / `page`: a fresh browser context (JavaScript on) and a page in it, per test. For
  JavaScript off: `browser.new_context(java_script_enabled=False)`.
- `sign_in(page, "officer_a")`: signs in through the form.
- `axe_check(page)`: runs axe-core on the page and fails on serious or critical violations.

Playwright's sync API runs its own event loop in a greenlet; it is kept to this folder.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session
from werkzeug.serving import BaseWSGIServer, make_server

from pia.engine import load_bank
from pia.engine.bank.model import Bank
from pia.web import create_app
from pia.web.shared.db import session_factory

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOCKING_IMPACTS = ("serious", "critical")


@dataclass
class LiveServer:
    url: str
    app: Flask
    people: dict[str, Any] = field(default_factory=dict)  # key -> {"id", "email", "password"}
    agencies: dict[str, int] = field(default_factory=dict)

    def session(self) -> Session:
        return session_factory(self.app)()


@pytest.fixture(scope="session")
def browser_bank() -> Bank:
    import os

    return load_bank(Path(os.environ.get("PIA_TEST_BANK") or REPO / "questions"))


def seed(session: Session) -> tuple[dict[str, int], dict[str, Any]]:
    from pia.store import create_agency, create_user

    agencies = {key: create_agency(session, f"Agency {key.upper()}") for key in ("a", "b")}
    people: dict[str, Any] = {}
    for key, role, agency, remit in (
        ("officer_a", "officer", agencies["a"], ()),
        ("reviewer_a", "reviewer", None, (agencies["a"],)),
        ("officer_b", "officer", agencies["b"], ()),
        ("reviewer_b", "reviewer", None, (agencies["b"],)),
        ("admin", "admin", None, ()),
    ):
        user = create_user(
            session,
            email=f"{key}@example.gov",
            name=key.replace("_", " ").title(),
            role=role,
            password=PASSWORD,
            agency=agency,
            remit=remit,
        )
        people[key] = {"id": user.id, "email": user.email, "password": PASSWORD}
    session.commit()
    return {k: a.id for k, a in agencies.items()}, people


@pytest.fixture
def live_server(tmp_path: Path, browser_bank: Bank) -> Iterator[LiveServer]:
    from pia.store.db import upgrade

    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    upgrade(url)
    app = create_app(
        {
            "PIA_DATABASE_URL": url,
            "PIA_BANK_OBJECT": browser_bank,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "browser-test-secret",
            # Plain http on loopback: see pia/web/shared/config.py on PIA_INSECURE_COOKIES.
            "SESSION_COOKIE_SECURE": False,
        }
    )
    with session_factory(app)() as session:
        agencies, people = seed(session)
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, people, agencies)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        app.extensions["pia.engine"].dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module. Not per session: Playwright's sync API allows one instance
    at a time in a thread, and other folders load these fixtures under another module name (a
    second, separate fixture), so each module's instance must end before the next one starts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    created = browser.new_context()
    try:
        yield created
    finally:
        created.close()


@pytest.fixture
def page(context: Any) -> Any:
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    return opened


@pytest.fixture
def sign_in(live_server: LiveServer) -> Callable[[Any, str], None]:
    def do_sign_in(page: Any, key: str = "officer_a") -> None:
        person = live_server.people[key]
        page.goto(f"{live_server.url}/signin")
        page.get_by_label("Email address").fill(person["email"])
        page.get_by_label("Password").fill(person["password"])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert "/signin" not in page.url, f"sign-in as {key} failed"

    return do_sign_in


def blocking_violations(results: Any) -> list[str]:
    violations = results.response.get("violations", [])
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node.get("target")) for node in v.get("nodes", []))
        for v in violations
        if v.get("impact") in BLOCKING_IMPACTS
    ]


@pytest.fixture(scope="session")
def axe_check() -> Callable[[Any], Any]:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page: Any) -> Any:
        results = axe.run(page)
        problems = blocking_violations(results)
        assert not problems, f"axe found on {page.url}:\n" + "\n".join(problems)
        return results

    return check
