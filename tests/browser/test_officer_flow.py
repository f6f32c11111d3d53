"""An officer's whole journey in Chromium: sign in, create an assessment, answer sections (one
revealing conditional questions, with JavaScript on and off), watch progress and risk change, reload
and find everything kept, learn what is missing, complete and submit; then a reviewer of the agency
sees the submission and a reviewer of another agency does not.

The conditional, autosave and reload parts go through the page; the long tail of required answers
is filled through the store to keep the test short.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from pia.engine.bank import model
from pia.web.shared.config import BANK_KEY

TITLE = "Harbour district live recognition pilot"
LIVE = "Live or near-real-time matching of video"
DISCRETION = "Left to the judgement of officers or managers"


def create_assessment(page: Any, url: str) -> int:
    page.goto(f"{url}/assessments/new")
    page.locator("#title").fill(TITLE)
    page.locator("#technology").fill("Face recognition")
    page.locator("#vendor").fill("Acme Vision")
    page.locator("#product").fill("FaceFind")
    page.locator("#product_version").fill("4.2")
    page.locator("input[name=profiles][value=wa_rcw_43_386]").check()
    page.get_by_role("button", name="Create assessment").click()
    page.wait_for_load_state()
    match = re.search(r"/assessments/(\d+)", page.url)
    assert match, page.url
    return int(match.group(1))


def progress(page: Any) -> tuple[int, int]:
    """The progress bar's percentage and the number of questions answered, from the sidebar."""
    percent = int(page.locator("#overall-progress").get_attribute("value"))
    text = page.locator("[data-progress-text]").inner_text()
    answered = re.search(r"\((\d+) of \d+ questions", text)
    assert answered, text
    return percent, int(answered.group(1))


def wait_for_save(page: Any) -> None:
    expect(page.locator("#save-status")).to_contain_text("Saved at", timeout=10_000)


def fill_remaining_required(live_server: Any, assessment_id: int) -> None:
    """Answers every question still unanswered, through the store (a quick stand-in for typing)."""
    from pia.store import get_assessment, save_answers
    from pia.store.models import User

    bank = live_server.app.extensions[BANK_KEY]
    with live_server.session() as session:
        assessment = get_assessment(session, assessment_id)
        officer = session.get(User, live_server.people["officer_a"]["id"])
        values: dict[str, Any] = {}
        for q in bank.questions.values():
            if q.id in assessment.answers:
                continue
            low = q.min if q.min is not None else 1
            values[q.id] = {
                model.CHOICE: lambda q=q: q.choices[-1].value,
                model.MULTI: lambda q=q: [q.choices[0].value],
                model.YESNO: lambda: True,
                model.NUMBER: lambda low=low: low,
                model.DATE: lambda: "2026-03-01",
                model.GROUP_NUMBERS: lambda q=q, low=low: {g.value: low for g in q.groups},
            }.get(q.type, lambda q=q: f"Answer to {q.id}")()
        save_answers(
            session,
            bank,
            assessment,
            officer,
            values=values,
            notes={},
            expected_version=assessment.lock_version,
        )
        session.commit()


def test_officer_answers_with_javascript_submits_and_reviewers_see_only_their_agency(
    live_server: Any, browser: Any, page: Any, sign_in: Callable[..., None]
) -> None:
    sign_in(page, "officer_a")
    aid = create_assessment(page, live_server.url)
    section = f"{live_server.url}/assessments/{aid}/sections/mode"
    page.goto(section)
    live_operation = page.locator("#q-live_operation")
    expect(live_operation).to_be_hidden()
    before = progress(page)
    level_before = page.locator("[data-overall-level]").inner_text()
    assert (
        "Where and when to deploy is left to discretion"
        not in page.locator("#risk-panel").inner_text()
    )

    # Ticking "live" reveals the live-only questions without a reload, and autosaves.
    url_before = page.url
    page.get_by_label(LIVE).check()
    expect(live_operation).to_be_visible()
    expect(page.locator("#q-publicly_accessible")).to_be_visible()
    wait_for_save(page)
    assert page.url == url_before
    assert progress(page)[1] == before[1] + 1

    # An answer that fires a rule changes the live-risk panel.
    page.locator("#q-deployment_rules").get_by_label(DISCRETION).check()
    panel = page.locator("#risk-panel")
    expect(panel).to_contain_text("Where and when to deploy is left to discretion")
    expect(panel).to_contain_text("How is it decided where and when the system is deployed?")
    assert page.locator("[data-overall-level]").inner_text() != "" and level_before != ""
    note = page.locator("#q-deployment_rules details.note")
    note.locator("summary").click()
    note.locator("textarea").fill("From the draft standard operating procedure, s.4.")
    wait_for_save(page)
    expect(page.locator("#save-status")).to_contain_text("Overall risk:")

    # "Not answered yet" takes an answer back: its finding leaves the panel; then choose again.
    rules = page.locator("#q-deployment_rules")
    rules.get_by_label("Not answered yet").check()
    expect(panel).not_to_contain_text("Where and when to deploy is left to discretion")
    rules.get_by_label(DISCRETION).check()
    expect(panel).to_contain_text("Where and when to deploy is left to discretion")

    # Unticking "live" hides the live questions again.
    page.get_by_label(LIVE).uncheck()
    expect(live_operation).to_be_hidden()
    page.get_by_label(LIVE).check()
    expect(live_operation).to_be_visible()
    wait_for_save(page)

    # Reload: every answer is kept, and the bar moved with the three answers.
    page.reload()
    assert progress(page)[0] > before[0]
    expect(page.get_by_label(LIVE)).to_be_checked()
    expect(page.locator("#q-deployment_rules").get_by_label(DISCRETION)).to_be_checked()
    expect(live_operation).to_be_visible()
    expect(page.locator("#deployment_rules-note")).to_have_value(
        "From the draft standard operating procedure, s.4."
    )
    expect(page.locator("#risk-panel")).to_contain_text(
        "Where and when to deploy is left to discretion"
    )

    # The completeness page says what is missing, with links to the questions.
    page.goto(f"{live_server.url}/assessments/{aid}/completeness")
    missing = page.locator(".missing-list").first
    expect(missing.get_by_role("link", name="Will live matching run continuously")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".error-summary")).to_contain_text("cannot be submitted yet")
    missing.get_by_role("link", name="Will live matching run continuously").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/sections/mode#q-live_operation")

    # Complete the rest, then submit through the page.
    fill_remaining_required(live_server, aid)
    page.goto(f"{live_server.url}/assessments/{aid}/completeness")
    expect(page.get_by_text("Every required question that applies is answered.")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Submitted as revision 1.")).to_be_visible()

    # A reviewer of agency A sees it; a reviewer of agency B does not.
    reviewer_a = browser.new_context()
    reviewer_b = browser.new_context()
    try:
        page_a = reviewer_a.new_page()
        sign_in(page_a, "reviewer_a")
        page_a.goto(f"{live_server.url}/review")
        expect(page_a.get_by_text(TITLE)).to_be_visible()
        page_b = reviewer_b.new_page()
        sign_in(page_b, "reviewer_b")
        page_b.goto(f"{live_server.url}/review")
        expect(page_b.get_by_text(TITLE)).to_have_count(0)
        response = page_b.goto(f"{live_server.url}/assessments/{aid}/revisions/1")
        assert response is not None and response.status == 404
    finally:
        reviewer_a.close()
        reviewer_b.close()


def test_conditional_questions_without_javascript(
    live_server: Any, browser: Any, sign_in: Callable[..., None]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, "officer_a")
        aid = create_assessment(page, live_server.url)
        page.goto(f"{live_server.url}/assessments/{aid}/sections/mode")
        expect(page.locator("#q-live_operation")).to_be_hidden()
        before = progress(page)
        page.get_by_label(LIVE).check()
        expect(page.locator("#q-live_operation")).to_be_hidden()  # nothing runs in the page
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/assessments/{aid}/sections/mode")  # POST-redirect-GET
        expect(page.get_by_text("Your answers were saved.")).to_be_visible()
        expect(page.locator("#q-live_operation")).to_be_visible()
        expect(page.get_by_label(LIVE)).to_be_checked()
        assert progress(page)[1] == before[1] + 1

        # A bad value comes back beside its field with the others kept.
        page.goto(f"{live_server.url}/assessments/{aid}/sections/people")
        page.locator("#people_count").fill("lots")
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_load_state()
        summary = page.locator("#error-summary")
        expect(summary).to_contain_text("Enter a number, like 12 or 0.5.")
        expect(page.locator("#people_count-error")).to_contain_text("Enter a number")
        expect(page.locator("#people_count")).to_have_value("lots")
    finally:
        context.close()


def test_a_stale_autosave_shows_the_conflict_and_leads_to_both_versions(
    live_server: Any, context: Any, sign_in: Callable[..., None]
) -> None:
    first = context.new_page()
    sign_in(first, "officer_a")
    aid = create_assessment(first, live_server.url)
    url = f"{live_server.url}/assessments/{aid}/sections/mode"
    first.goto(url)
    second = context.new_page()
    second.goto(url)
    first.locator("#q-deployment_rules").get_by_label(DISCRETION).check()
    wait_for_save(first)
    second.locator("#q-deployment_rules").get_by_label("Internal written criteria").check()
    notice = second.locator("#conflict-notice")
    expect(notice).to_be_visible(timeout=10_000)
    expect(second.locator("#save-status")).to_contain_text("Not saved")
    notice.get_by_role("button", name="Review both versions").click()
    second.wait_for_load_state()
    expect(
        second.get_by_role("heading", name="Someone else saved this section first")
    ).to_be_visible()
    row = second.locator("#conflict-deployment_rules")
    expect(row).to_contain_text(DISCRETION)
    expect(row).to_contain_text("Internal written criteria")
    second.get_by_role("button", name="Keep all of mine").click()
    second.wait_for_load_state()
    expect(
        second.locator("#q-deployment_rules").get_by_label("Internal written criteria")
    ).to_be_checked()
