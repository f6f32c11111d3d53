"""axe-core on each page type of the core app: no serious or critical violations."""

from __future__ import annotations

import pytest


def make_submitted(live_server, complete: bool = True) -> int:
    """An assessment of agency A, answered in full and submitted, made through the store."""
    from pia.engine.bank import model
    from pia.store import create_assessment, get_assessment, save_answers, submit
    from pia.store.models import User
    from pia.web.shared.config import BANK_KEY

    bank = live_server.app.extensions[BANK_KEY]
    answers = {}
    for q in bank.questions.values():
        low = q.min if q.min is not None else 0
        value = {
            model.CHOICE: lambda q=q: q.choices[0].value,
            model.MULTI: lambda q=q: [q.choices[0].value],
            model.YESNO: lambda: True,
            model.NUMBER: lambda low=low: low,
            model.DATE: lambda: "2026-01-15",
            model.GROUP_NUMBERS: lambda q=q, low=low: {g.value: low for g in q.groups},
        }.get(q.type, lambda q=q: f"Answer to {q.id}")()
        answers[q.id] = value
    with live_server.session() as session:
        officer = session.get(User, live_server.people["officer_a"]["id"])
        assessment = create_assessment(
            session,
            bank,
            officer,
            title="Harbour face search",
            technology="face recognition",
            vendor="Acme Vision",
            product="FaceFind",
            product_version="4.2",
            profiles=list(bank.profiles)[:1],
        )
        save_answers(
            session,
            bank,
            assessment,
            officer,
            values=answers,
            notes={},
            expected_version=assessment.lock_version,
        )
        session.commit()
        session.expire_all()
        assessment = get_assessment(session, assessment.id)
        submit(session, bank, assessment, officer, assessment.lock_version)
        session.commit()
        return assessment.id


def test_signin_page(live_server, page, axe_check) -> None:
    page.goto(f"{live_server.url}/signin")
    axe_check(page)


def test_signin_error(live_server, page, axe_check) -> None:
    page.goto(f"{live_server.url}/signin")
    page.get_by_label("Email address").fill("nobody@example.gov")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    # The error summary takes focus so it is announced.
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    axe_check(page)


@pytest.mark.parametrize("path", ["/", "/assessments/new", "/assessments/{id}"])
def test_officer_pages(live_server, page, sign_in, axe_check, path: str) -> None:
    assessment_id = make_submitted(live_server)
    sign_in(page, "officer_a")
    page.goto(live_server.url + path.format(id=assessment_id))
    assert page.title() != ""
    axe_check(page)


def test_new_assessment_errors(live_server, page, sign_in, axe_check) -> None:
    sign_in(page, "officer_a")
    page.goto(f"{live_server.url}/assessments/new")
    page.get_by_role("button", name="Create assessment").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary a").count() == 5
    axe_check(page)


@pytest.mark.parametrize("path", ["/review", "/assessments/{id}/revisions/1"])
def test_reviewer_pages(live_server, page, sign_in, axe_check, path: str) -> None:
    assessment_id = make_submitted(live_server)
    sign_in(page, "reviewer_a")
    page.goto(live_server.url + path.format(id=assessment_id))
    assert "Harbour face search" in page.content()
    axe_check(page)


@pytest.mark.parametrize(
    "path", ["/admin/agencies", "/admin/users", "/admin/users/{id}", "/admin/bank"]
)
def test_admin_pages(live_server, page, sign_in, axe_check, path: str) -> None:
    sign_in(page, "admin")
    page.goto(live_server.url + path.format(id=live_server.people["officer_a"]["id"]))
    axe_check(page)


def test_error_page(live_server, page, axe_check) -> None:
    response = page.goto(f"{live_server.url}/no/such/page")
    assert response.status == 404
    axe_check(page)


def test_keyboard_skip_link_and_visible_focus(live_server, page, sign_in) -> None:
    sign_in(page, "officer_a")
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
