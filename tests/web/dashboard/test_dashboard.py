"""The officer's dashboard, the new-assessment form and the overview page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from sqlalchemy import event

from pia.web.shared.db import get_engine

FORM = {
    "title": "Booking photo face search",
    "technology": "face recognition",
    "vendor": "Acme Vision",
    "product": "FaceFind",
    "product_version": "4.2",
}


@contextmanager
def counting_queries(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = get_engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_anonymous_dashboard_redirects_to_signin(client) -> None:
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/signin?next=/"


def test_empty_dashboard_invites_a_new_assessment(auth) -> None:
    auth.login("officer_a")
    html = auth.client.get("/").get_data(as_text=True)
    assert "There are no assessments yet" in html
    assert 'href="/assessments/new"' in html


def test_dashboard_lists_only_the_agencys_assessments_with_state(
    auth, make_assessment, submit_assessment, complete_answers
) -> None:
    ours = make_assessment("officer_a", title="Ours, submitted", answers=complete_answers)
    submit_assessment(ours)
    make_assessment("officer_a", title="Ours, a draft")
    make_assessment("officer_b", title="Theirs")
    auth.login("officer_a")
    html = auth.client.get("/").get_data(as_text=True)
    assert "Ours, submitted" in html and "Ours, a draft" in html
    assert "Theirs" not in html
    assert "2 assessments" in html
    assert "Submitted</span>" in html and "Draft</span>" in html
    assert "100%" in html and "0%" in html  # progress
    assert re.search(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC", html)  # last change
    assert "Not yet rated" in html or 'class="level level-' in html


def test_dashboard_pages_by_25_with_a_constant_number_of_queries(
    app: Flask, auth, make_assessment
) -> None:
    auth.login("officer_a")
    auth.client.get("/")  # warm up: the first request loads the user
    make_assessment("officer_a", title="Assessment 0")
    with counting_queries(app) as few:
        assert auth.client.get("/").status_code == 200
    for number in range(1, 30):
        make_assessment("officer_a", title=f"Assessment {number}")
    with counting_queries(app) as many:
        first = auth.client.get("/").get_data(as_text=True)
    assert len(many) == len(few), (few, many)
    # The signed-in user, the count, the page, and the calendar panel's assessments (none
    # submitted, so none has a date to look up).
    assert len(many) <= 4, many
    assert first.count('href="/assessments/') - first.count("/assessments/new") == 25
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = auth.client.get("/?page=2").get_data(as_text=True)
    assert second.count("<tr>") - 1 == 5  # header row + 5
    assert "Assessment 0" in second  # oldest last
    assert auth.client.get("/?page=99").status_code == 200  # clamped to the last page
    assert auth.client.get("/?page=abc").status_code == 200


def test_new_assessment_form_offers_every_profile(auth, bank) -> None:
    auth.login("officer_a")
    html = auth.client.get("/assessments/new").get_data(as_text=True)
    assert "<legend>Jurisdiction profiles" in html
    for profile in bank.profiles.values():
        assert f'value="{profile.id}"' in html
        assert profile.name in html


def test_creating_an_assessment_records_the_bank(auth, bank, db) -> None:
    from pia.store.models import Assessment

    auth.login("officer_a")
    profiles = list(bank.profiles)[:2]
    response = auth.post("/assessments/new", {**FORM, "profiles": profiles})
    assert response.status_code == 302
    created = db.query(Assessment).one()
    assert response.headers["Location"] == f"/assessments/{created.id}"
    assert (created.bank_id, created.bank_version) == (bank.id, bank.version)
    assert created.profiles == profiles
    assert (created.title, created.vendor, created.product_version) == (
        FORM["title"],
        "Acme Vision",
        "4.2",
    )
    assert "Assessment created" in auth.client.get(response.headers["Location"]).get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title for the assessment."),
        ({"vendor": "   "}, "vendor", "Enter the vendor&#39;s name."),
        ({"title": "x" * 201}, "title", "Keep this under 200 characters."),
        ({"profiles": ["no_such_profile"]}, "profiles", "not a valid choice"),
    ],
)
def test_bad_new_assessment_keeps_the_other_answers(
    auth, db, change: dict, field: str, message: str
) -> None:
    from pia.store.models import Assessment

    auth.login("officer_a")
    response = auth.post("/assessments/new", {**FORM, **change})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert f'href="#{field}"' in html  # the error summary links to the field
    for name, value in FORM.items():
        if name not in change:
            assert f'value="{value}"' in html  # every other answer kept
    assert db.query(Assessment).count() == 0


def test_overview_shows_status_level_progress_sections_and_revisions(
    auth, bank, make_assessment, submit_assessment, complete_answers
) -> None:
    assessment_id = make_assessment("officer_a", answers=complete_answers)
    submit_assessment(assessment_id)
    auth.login("officer_a")
    html = auth.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "Face search pilot" in html
    assert "Submitted</span>" in html
    assert '<progress id="overall-progress" max="100" value="100">' in html
    for section in bank.sections:
        assert f'href="/assessments/{assessment_id}/sections/{section.id}"' in html
    assert f'href="/assessments/{assessment_id}/revisions/1">Revision 1</a>' in html
    assert f"{bank.id} version {bank.version}" in html
    assert f'href="/assessments/{assessment_id}/completeness"' in html
    for download in ("report", "report.pdf", "report.json", "findings.csv"):
        assert f'href="/assessments/{assessment_id}/{download}"' in html


def test_reviewer_opening_an_overview_gets_the_latest_revision(auth, submitted: int) -> None:
    auth.login("reviewer_a")
    response = auth.client.get(f"/assessments/{submitted}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/assessments/{submitted}/revisions/1"


@pytest.mark.parametrize(("key", "home"), [("reviewer_a", "/review"), ("admin", "/admin/")])
def test_other_roles_are_sent_to_their_start_page(auth, key: str, home: str) -> None:
    auth.login(key)
    response = auth.client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == home


def test_navigation_marks_the_current_page(auth) -> None:
    auth.login("officer_a")
    html = auth.client.get("/").get_data(as_text=True)
    assert '<a href="/" aria-current="page">Assessments</a>' in html
    assert '<a href="/assessments/new">New assessment</a>' in html
