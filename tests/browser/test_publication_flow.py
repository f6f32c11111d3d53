"""From a decided assessment to its public page in Chromium, with JavaScript off: the officer
withholds an answer, a reviewer approves the redaction and allows publication, the officer
publishes for comment, and the public page shows "[withheld: reason]" where the answer was.
Every page of the journey passes axe (checked in a context with JavaScript on, which axe needs).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from pia.web.shared.config import BANK_KEY

EXAMPLE = Path(__file__).resolve().parents[2] / "questions/examples/sheriff_face_search_pilot.yaml"
MARKER = "Withheld marker 3b7d"


def decided_assessment(live_server: Any) -> tuple[int, str]:
    """An assessment of agency A answered from the example, submitted and approved; (id, the
    text of a question whose answer carries MARKER)."""
    from pia.engine import read_answers_file
    from pia.store import create_assessment, record_decision, save_answers, submit, take_up
    from pia.store.models import User

    bank = live_server.app.extensions[BANK_KEY]
    example = read_answers_file(EXAMPLE)
    answers = dict(example.answers)
    answers["purpose_statement"] = f"{MARKER}: the purpose as the officer wrote it"
    with live_server.session() as session:
        officer = session.get(User, live_server.people["officer_a"]["id"])
        reviewer = session.get(User, live_server.people["reviewer_a"]["id"])
        assessment = create_assessment(session, bank, officer, title="County face search")
        save_answers(session, bank, assessment, officer, values=answers, expected_version=0)
        submit(session, bank, assessment, officer, 1)
        take_up(session, assessment, reviewer, revision=1)
        record_decision(
            session,
            assessment,
            reviewer,
            revision=1,
            outcome="approved",
            rationale="Proportionate with the safeguards described.",
            meeting_on=datetime.now(UTC).date(),
        )
        return assessment.id, bank.questions["purpose_statement"].text


def without_javascript(browser: Any) -> Any:
    page = browser.new_context(java_script_enabled=False).new_page()
    page.set_default_timeout(15_000)
    return page


def checked(browser: Any, sign_in: Any, axe_check: Any, key: str | None, url: str) -> None:
    """axe on the page at `url` as `key` sees it (a context of its own, JavaScript on)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        if key is not None:
            sign_in(page, key)
        page.goto(url)
        axe_check(page)
    finally:
        context.close()


def test_redact_approve_allow_publish_and_read_it_publicly(
    live_server, browser, sign_in, axe_check
) -> None:
    aid, question_text = decided_assessment(live_server)
    url = live_server.url
    page_url = f"{url}/assessments/{aid}/publication"

    officer = without_javascript(browser)
    sign_in(officer, "officer_a")
    officer.goto(f"{url}/assessments/{aid}")
    officer.get_by_role("link", name="Redaction and publication").click()
    assert officer.url == page_url
    # A reason is required: the form comes back with the message beside the field.
    officer.get_by_label("What to withhold").select_option(label=f"Answer: {question_text}")
    officer.get_by_role("button", name="Withhold").click()
    expect(officer.locator("#reason-error")).to_contain_text("Choose a reason from the list")
    officer.get_by_label("What to withhold").select_option(label=f"Answer: {question_text}")
    officer.get_by_label("Reason").select_option(label="ongoing investigation")
    officer.get_by_label("Explanation for the reviewer").fill("Names an open case.")
    officer.get_by_role("button", name="Withhold").click()
    expect(officer.get_by_text("The redaction awaits a reviewer's approval.")).to_be_visible()
    expect(officer.locator("#redactions-title + table")).to_contain_text("Awaiting a reviewer")
    checked(browser, sign_in, axe_check, "officer_a", page_url)

    reviewer = without_javascript(browser)
    sign_in(reviewer, "reviewer_a")
    reviewer.goto(page_url)
    reviewer.get_by_role("button", name="Approve").click()
    expect(reviewer.get_by_text("Redaction approved.")).to_be_visible()
    reviewer.get_by_role("button", name="Allow publication of revision 1").click()
    expect(reviewer.get_by_text("Publication allowed")).to_be_visible()
    checked(browser, sign_in, axe_check, "reviewer_a", page_url)

    today = datetime.now(UTC).date()
    officer.goto(page_url)
    officer.get_by_label("Comment period opens").fill(today.isoformat())
    officer.get_by_label("Comment period closes").fill((today + timedelta(days=30)).isoformat())
    officer.get_by_role("button", name="Publish for comment").click()
    expect(officer.get_by_text("Published for public comment.")).to_be_visible()
    officer.get_by_role("link", name="For public comment, revision 1").click()
    public_page = officer.url

    public = without_javascript(browser)
    public.goto(f"{url}/public/")
    expect(public.get_by_role("heading", name="Agency A")).to_be_visible()
    public.get_by_role("link", name="County face search", exact=True).click()
    assert public.url == public_page
    expect(public.locator("#answers")).to_contain_text("[withheld: ongoing investigation]")
    expect(public.get_by_text("Open for comment")).to_be_visible()
    assert MARKER not in public.content()
    checked(browser, sign_in, axe_check, None, f"{url}/public/")
    checked(browser, sign_in, axe_check, None, public_page)
