"""Every route in the URL map, signed out and signed in as each role, with the ids of real rows,
ids out of range, odd path segments, and random form fields and query parameters: never a 500.

The app runs with TESTING on, so an unhandled exception fails the test outright (Flask re-raises
it) rather than hiding behind a 500 page. The number of examples is bounded so that the test runs
in about a minute per database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter, Rule

ROLES = (None, "officer_a", "reviewer_a", "admin")
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
# Signing out ends the role's sessions; it runs last in the sweep, never in the random part.
ENDS_SESSIONS = {"accounts.signout"}
ODD_TEXT = [
    "",
    "0",
    "-1",
    str(2**31),
    str(2**63),
    "1e400",
    "NaN",
    "0,5",
    "1,000",
    "x" * 300,
    "\x00",
    "a\x07b",
    "é漢字🙂",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "mine",
    "theirs",
    "officer",
    "admin",
    "true",
    "[]",
    "{}",
]
FIELD_NAMES = [
    "email",
    "password",
    "next",
    "title",
    "technology",
    "vendor",
    "product",
    "product_version",
    "profiles",
    "name",
    "role",
    "agency",
    "agency_id",
    "remit",
    "active",
    "lock_version",
    "asked",
    "base",
    "question_id",
    "all",
    "go",
    "vendor_name",
    "vendor_name-note",
    "choose-vendor_name",
    "page",
    "q",
    "status",
    "sort",
    "decision",
    "comment",
    "confirm",
]
text = st.one_of(st.sampled_from(ODD_TEXT), st.text(max_size=40))


def routes(app: Flask) -> list[tuple[Rule, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - SKIPPED_METHODS):
            found.append((rule, method))
    return found


def path_values(rule: Rule, ids: list[int], words: list[str], draw: Callable[..., Any]) -> dict:
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = draw(st.sampled_from([*ids, 0, 1, 2**31 - 1, 2**31, 10**12]))
        else:
            values[name] = draw(st.one_of(st.sampled_from(words), st.text(min_size=1, max_size=20)))
    return values


def default_values(rule: Rule, ids: list[int], words: list[str]) -> dict:
    return {
        name: ids[0] if isinstance(converter, IntegerConverter) else words[0]
        for name, converter in rule._converters.items()
    }


def send(
    app: Flask,
    client: FlaskClient,
    token: str | None,
    rule: Rule,
    method: str,
    values: dict,
    form: list[tuple[str, str]],
    query: dict[str, str],
) -> int:
    adapter = app.url_map.bind("localhost")
    try:
        url = adapter.build(rule.endpoint, values, method=method, force_external=False)
    except Exception:  # a drawn value the rule cannot hold in a URL: nothing to send
        return 0
    data: dict[str, list[str]] = {}
    for name, value in form:
        data.setdefault(name, []).append(value)
    if token is not None:
        data.setdefault("csrf_token", [token])
    response = client.open(url, method=method, data=data, query_string=query)
    return response.status_code


def csrf_token(client: FlaskClient) -> str | None:
    page = client.get("/signin", follow_redirects=True).get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', page)
    return match.group(1) if match else None


@pytest.fixture
def fuzz_setup(app: Flask, people, submitted: int, make_assessment, bank) -> dict[str, Any]:
    draft = make_assessment("officer_a", title="A draft")
    other = make_assessment("officer_b", title="Agency B's draft")
    clients: dict[str | None, FlaskClient] = {}
    tokens: dict[str | None, str | None] = {}
    for role in ROLES:
        client = app.test_client()
        if role is not None:
            person = people[role]
            data = {"email": person.email, "password": person.password}
            response = client.post("/signin", data={**data, "csrf_token": csrf_token(client)})
            assert response.status_code == 302
        clients[role] = client
        tokens[role] = csrf_token(client)
    words = [bank.sections[0].id, *list(bank.questions)[:5], "nope"]
    ids = [submitted, draft, other, people["officer_a"].id, people.agencies["a"]]
    return {"clients": clients, "tokens": tokens, "ids": ids, "words": words}


def test_every_route_answers_every_role_without_a_500(app: Flask, fuzz_setup) -> None:
    """The sweep: each route and method once per role, with real ids."""
    ids, words = fuzz_setup["ids"], fuzz_setup["words"]
    statuses = {}
    every = routes(app)
    ordered = [r for r in every if r[0].endpoint not in ENDS_SESSIONS]
    ordered += [r for r in every if r[0].endpoint in ENDS_SESSIONS]
    for role in ROLES:
        client, token = fuzz_setup["clients"][role], fuzz_setup["tokens"][role]
        for rule, method in ordered:
            status = send(
                app, client, token, rule, method, default_values(rule, ids, words), [], {}
            )
            assert status < 500, (role, method, rule.rule)
            statuses[(role, method, rule.rule)] = status
    assert len(statuses) == len(every) * len(ROLES)
    assert any(status == 200 for status in statuses.values())


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_input_to_any_route_is_never_a_500(app: Flask, fuzz_setup, data) -> None:
    candidates = [r for r in routes(app) if r[0].endpoint not in ENDS_SESSIONS]
    rule, method = data.draw(st.sampled_from(candidates), label="route")
    role = data.draw(st.sampled_from(ROLES), label="role")
    client, token = fuzz_setup["clients"][role], fuzz_setup["tokens"][role]
    if data.draw(st.booleans(), label="forged token"):
        token = data.draw(text, label="token")
    values = path_values(rule, fuzz_setup["ids"], fuzz_setup["words"], data.draw)
    form = data.draw(
        st.lists(st.tuples(st.sampled_from(FIELD_NAMES) | text, text), max_size=6), label="form"
    )
    query = data.draw(st.dictionaries(st.sampled_from(FIELD_NAMES), text, max_size=3))
    status = send(app, client, token, rule, method, values, form, query)
    assert status < 500, (role, method, rule.rule, values, form, query)
