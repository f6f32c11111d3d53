"""A member of the public comments on a publication and the agency's officer moderates and
responds, in Chromium with JavaScript off; every page passes axe.

The assessment is answered from the example, decided and published for comment through the store
(publication over the pages is tests/web/public/test_publication_http.py); everything the public
and the officer do with comments happens through the pages.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from pia.web.shared.config import BANK_KEY

EXAMPLE = Path(__file__).resolve().parents[2] / "questions/examples/sheriff_face_search_pilot.yaml"
HOSTILE = "<script>document.title='owned'</script> <b>bold</b> **stars**"


def published_for_comment(live_server: Any) -> tuple[int, int]:
    """(assessment id, publication id) of an assessment of agency A open for comment."""
    from pia.engine import read_answers_file
    from pia.store import create_assessment, save_answers, submit
    from pia.store.models import User
    from pia.store.publication import allow_publication, publish_for_comment
    from pia.store.review import record_decision, take_up

    bank = live_server.app.extensions[BANK_KEY]
    example = read_answers_file(EXAMPLE)
    today = datetime.now(UTC).date()
    with live_server.session() as session:
        officer = session.get(User, live_server.people["officer_a"]["id"])
        reviewer = session.get(User, live_server.people["reviewer_a"]["id"])
        assessment = create_assessment(session, bank, officer, title="County face search")
        save_answers(
            session, bank, assessment, officer, values=dict(example.answers), expected_version=0
        )
        submit(session, bank, assessment, officer, 1)
        take_up(session, assessment, reviewer, revision=1)
        record_decision(
            session,
            assessment,
            reviewer,
            revision=1,
            outcome="approved",
            rationale="Proportionate.",
            meeting_on=today,
            votes_for=5,
        )
        allow_publication(session, assessment, reviewer, revision=1)
        publication = publish_for_comment(
            session,
            bank,
            assessment,
            officer,
            opens_on=today,
            closes_on=today + timedelta(days=30),
        )
        return assessment.id, publication.id


def comment_flow(
    live_server: Any, browser: Any, sign_in: Any, check: Any, javascript: bool
) -> None:
    """The public comments (once with an error), the officer moderates and responds, the public
    reads the result; `check(page)` runs at every step."""
    assessment_id, publication_id = published_for_comment(live_server)
    url = live_server.url

    public_context = browser.new_context(java_script_enabled=javascript)
    public = public_context.new_page()
    public.set_default_timeout(15_000)
    public.goto(f"{url}/public/publications/{publication_id}")
    check(public)
    public.get_by_role("link", name="Comment on this assessment").click()
    expect(public.locator("#comment-period")).to_contain_text("Open for comment.")
    check(public)

    # An empty comment: the error beside the field and in the summary, the name kept.
    public.get_by_label("Your name (optional)").fill("Ada Citizen")
    public.get_by_role("button", name="Send comment").click()
    expect(public.locator(".error-summary")).to_contain_text("Write your comment.")
    expect(public.get_by_label("Your name (optional)")).to_have_value("Ada Citizen")
    check(public)
    for body in ("How long are face images kept?", HOSTILE, "Buy cheap watches"):
        public.get_by_label("Your comment").fill(body)
        public.get_by_role("button", name="Send comment").click()
        expect(public.locator(".flashes")).to_contain_text("your comment was received")
    check(public)
    expect(public.locator("#published-comments")).to_contain_text("No comment has been published")

    officer_context = browser.new_context(java_script_enabled=javascript)
    officer = officer_context.new_page()
    officer.set_default_timeout(15_000)
    sign_in(officer, "officer_a")
    officer.goto(f"{url}/assessments/{assessment_id}")
    officer.get_by_role("link", name="Public comments: moderation and responses").click()
    expect(officer.locator(".lead")).to_contain_text("3 awaiting moderation")
    check(officer)
    question, hostile, spam = (
        int((item.get_attribute("id") or "").split("-")[1])
        for item in officer.locator("#pending li.public-comment").all()
    )
    expect(officer.locator(f"#comment-{hostile} .public-comment__body")).to_have_text(HOSTILE)
    for number in (question, hostile):
        officer.get_by_role("button", name=f"Approve #{number}").click()
        expect(officer.locator(".flashes")).to_contain_text(f"Comment #{number} approved")
    # Rejecting without a reason is refused beside the field.
    officer.get_by_role("button", name=f"Reject #{spam}").click()
    expect(officer.locator(".error-summary")).to_contain_text("Give the reason")
    check(officer)
    officer.get_by_label(f"Reason for rejecting #{spam}").fill("Advertising.")
    officer.get_by_role("button", name=f"Reject #{spam}").click()
    expect(officer.locator(".flashes")).to_contain_text(f"Comment #{spam} rejected")
    officer.get_by_label(f"#{question}: How long are face images kept?").check()
    officer.get_by_label("Theme").fill("Data retention")
    officer.get_by_label("Response (required)").fill("Images are deleted after 30 days.")
    officer.get_by_role("button", name="Publish response").click()
    expect(officer.locator(".flashes")).to_contain_text("Response published for 1 comment")
    expect(officer.locator("#responses")).to_contain_text("Theme: Data retention")
    expect(officer.locator("#moderated")).to_contain_text("Advertising.")
    check(officer)

    public.goto(f"{url}/public/publications/{publication_id}")
    comments = public.locator("#comments")
    expect(comments).to_contain_text("How long are face images kept?")
    expect(comments).to_contain_text("Images are deleted after 30 days.")
    expect(comments).to_contain_text("Data retention")
    expect(public.locator(f"#comment-{hostile} .public-comment__body")).to_have_text(HOSTILE)
    expect(comments).not_to_contain_text("Buy cheap watches")
    assert public.locator("#comments b, #comments script").count() == 0
    assert public.title() != "owned"  # the comment's script never ran
    check(public)
    public_context.close()
    officer_context.close()


def test_commenting_and_moderating_work_without_javascript(
    live_server: Any, browser: Any, sign_in: Any
) -> None:
    comment_flow(live_server, browser, sign_in, lambda page: None, javascript=False)


def test_every_page_of_commenting_and_moderating_passes_axe(
    live_server: Any, browser: Any, sign_in: Any, axe_check: Any
) -> None:
    # axe runs in the page, so this walk has JavaScript on (axe never finishes without it).
    comment_flow(live_server, browser, sign_in, axe_check, javascript=True)
