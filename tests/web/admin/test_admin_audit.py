"""The administrator's audit trail page: filters, pagination in a fixed number of queries, and no
assessment content on it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from pia.web.shared.db import get_engine

SECRET_ANSWER = "Hosted-in-Basement-Vault-7"


def _actions(html: str) -> list[str]:
    return re.findall(r"<td><code>([^<]+)</code></td>", html)


def _get(app, auth, url: str) -> tuple[int, str, int]:
    seen: list[str] = []
    with app.app_context():
        engine = get_engine()

    def record(*args) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = auth.client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return response.status_code, response.get_data(as_text=True), len(seen)


@pytest.mark.parametrize("key", ["officer_a", "reviewer_a"])
def test_only_admins_read_the_trail(auth, key: str) -> None:
    auth.login(key)
    assert auth.client.get("/admin/audit").status_code == 403


def test_the_trail_shows_who_did_what_but_no_assessment_content(app, auth, make_assessment) -> None:
    assessment_id = make_assessment(
        title="Secret Pilot Title", answers={"hosting_details": SECRET_ANSWER}
    )
    auth.login("admin")
    status, html, _ = _get(app, auth, "/admin/audit")
    assert status == 200
    actions = _actions(html)
    assert actions[0] == "signin.succeeded"
    assert {"answers.saved", "assessment.created", "user.created"} <= set(actions)
    assert SECRET_ANSWER not in html and "Secret Pilot Title" not in html
    assert "hosting_details" not in html  # which questions changed is withheld too; the count
    assert "answers_changed: 1" in html  # is shown
    assert f"<td>{assessment_id}</td>" in html
    assert "officer_a@example.gov" in html  # administration detail is shown in full


def test_filters_narrow_the_trail(app, auth, people, make_assessment) -> None:
    first = make_assessment(title="One")
    make_assessment("officer_b", title="Two")
    auth.login("admin")
    _, html, _ = _get(app, auth, f"/admin/audit?agency={people.agencies['b']}")
    assert set(_actions(html)) == {"agency.created", "assessment.created", "user.created"}
    assert "officer_b@example.gov" in html and "officer_a@example.gov" not in html
    _, html, _ = _get(app, auth, f"/admin/audit?assessment={first}")
    assert _actions(html) == ["assessment.created"]
    _, html, _ = _get(app, auth, "/admin/audit?action=assessment.created")
    assert _actions(html) == ["assessment.created", "assessment.created"]
    _, html, _ = _get(app, auth, "/admin/audit?actor=OFFICER_B@example.gov")
    assert _actions(html) == ["assessment.created"]
    _, html, _ = _get(app, auth, "/admin/audit?since=2000-01-01&until=2000-12-31")
    assert _actions(html) == [] and "0 events." in html
    _, html, _ = _get(app, auth, "/admin/audit?since=2000-01-01&action=assessment.created")
    assert len(_actions(html)) == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=yesterday", "Not a valid date value."),
        ("since=2026-05-02&until=2026-05-01", "The end of the range must not be before its start."),
        ("assessment=-4", "Enter a number."),
        ("action=no.such.action", "Not a valid choice."),
        ("agency=abc", "Invalid Choice: could not coerce."),
    ],
)
def test_bad_filters_are_a_readable_400(app, auth, people, query: str, message: str) -> None:
    auth.login("admin")
    status, html, _ = _get(app, auth, f"/admin/audit?{query}")
    assert status == 400
    assert "There is a problem" in html and message in html


def test_pages_of_events_cost_the_same_queries_however_many_events(app, auth, db) -> None:
    from pia.store import record_event

    auth.login("admin")
    _, _, few = _get(app, auth, "/admin/audit")
    for number in range(70):
        record_event(db, "test.bulk", detail={"n": number})
    status, first, many = _get(app, auth, "/admin/audit?action=test.bulk")
    assert status == 200 and many == few
    assert "70 events, 50 to a page." in first and "Page 1 of 2" in first
    assert 'href="/admin/audit?page=2&amp;action=test.bulk"' in first
    _, second, _ = _get(app, auth, "/admin/audit?action=test.bulk&page=2")
    assert _actions(first) == ["test.bulk"] * 50 and _actions(second) == ["test.bulk"] * 20
    assert "n: 69" in first and "n: 19" in second and "n: 20" not in second
